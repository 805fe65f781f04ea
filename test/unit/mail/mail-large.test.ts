import { readMail } from '../../../adapters/mail-reader';

const ATTACHMENT_BYTES = 40 * 1024 * 1024;

/**
 * Built by hand rather than with MailComposer: folding 54 MB of base64 by
 * hand takes a fraction of a second, which keeps this test about the reader.
 */
function buildHugeMail(content: Buffer): Buffer {
  const head = [
    'From: Marta Exempla <marta.exempla@example.it>',
    'To: ESOR Office <esor-office@example.org>',
    'Subject: Application ESOR fellowship (large scan)',
    'Date: Fri, 12 Mar 2021 10:14:00 +0100',
    'Message-ID: <large@fixtures.example.org>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="fixture-large"',
    '',
    '--fixture-large',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'Please find attached my application (scanned, sorry for the size).',
    '--fixture-large',
    'Content-Type: application/pdf; name="application-scan.pdf"',
    'Content-Disposition: attachment; filename="application-scan.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    '',
  ].join('\r\n');
  const body = content.toString('base64').replace(/.{76}/g, '$&\r\n');
  return Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(body, 'latin1'), Buffer.from('\r\n--fixture-large--\r\n', 'latin1')]);
}

test('a 40 MB attachment is read whole, in a few seconds', async () => {
  const content = Buffer.alloc(ATTACHMENT_BYTES, 0x20);
  content.write('%PDF-1.7\n', 0, 'latin1');
  content.write('\n%%EOF\n', ATTACHMENT_BYTES - 7, 'latin1');
  const raw = buildHugeMail(content);

  const mail = await readMail(raw);

  expect(mail.attachments).toHaveLength(1);
  const [pdf] = mail.attachments;
  expect(pdf?.isPdf).toBe(true);
  expect(pdf?.size).toBe(ATTACHMENT_BYTES);
  expect(pdf?.content.equals(content)).toBe(true);
  expect(mail.text).toContain('Please find attached my application');
  expect(mail.problems).toEqual([]);
});
