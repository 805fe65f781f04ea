import { readFileSync } from 'node:fs';
import path from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { MailComposerOptions } from 'nodemailer/lib/mail-composer';
import { PDFDocument } from 'pdf-lib';
import { MAX_TEXT_LENGTH, readMail } from '../../../adapters/mail-reader';
import { writeStoredZip } from '../../../adapters/zip-writer';
import type { ReadMail } from '../../../adapters/mail-reader';

const FIXTURES = path.join(__dirname, '../../fixtures/mail');

function readFixture(name: string): Promise<ReadMail> {
  return readMail(readFileSync(path.join(FIXTURES, name)));
}

function composeMail(options: MailComposerOptions): Promise<Buffer> {
  return new MailComposer({ from: 'a@example.org', to: 'esor-office@example.org', newline: 'win', ...options })
    .compile()
    .build();
}

/** Hand-written MIME, for shapes MailComposer would never produce. */
function joinCrlf(lines: string[]): Buffer {
  return Buffer.from(lines.join('\r\n') + '\r\n', 'latin1');
}

let PDF_BYTES: Buffer;

beforeAll(async () => {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.addPage([200, 200]);
  PDF_BYTES = Buffer.from(await doc.save());
});

function summarize(mail: ReadMail): Array<Pick<ReadMail['attachments'][number], 'filename' | 'isPdf' | 'inline' | 'fromEmbeddedMessage'>> {
  return mail.attachments.map(({ filename, isPdf, inline, fromEmbeddedMessage }) => ({ filename, isPdf, inline, fromEmbeddedMessage }));
}

describe('readMail on the fixtures', () => {
  test('plain application: one PDF, sender, threading, text', async () => {
    const mail = await readFixture('application-pdf.eml');
    expect(mail.subject).toBe('Application ESOR fellowship Gustave Roussy 2022/2023');
    expect(mail.from).toEqual({ email: 'marta.exempla@example.it', name: 'Marta Exempla' });
    expect(mail.to).toEqual([{ email: 'esor-office@example.org', name: 'ESOR Office' }]);
    expect(mail.messageId).toBe('<application-pdf@fixtures.example.org>');
    expect(mail.references).toEqual([]);
    expect(mail.date?.toISOString()).toBe('2021-03-12T09:14:00.000Z');
    expect(mail.text).toContain('please find attached my application');
    expect(summarize(mail)).toEqual([{ filename: 'Exempla_application.pdf', isPdf: true, inline: false, fromEmbeddedMessage: false }]);
    const [pdf] = mail.attachments;
    expect(pdf?.contentType).toBe('application/pdf');
    expect(pdf?.size).toBe(pdf?.content.length);
    expect(pdf?.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(mail.problems).toEqual([]);
    expect(mail.headers).toEqual({ contentType: 'multipart/mixed' });
  });

  test.each([
    ['octet-stream-pdf.eml', 'application.pdf'],
    ['binary-octet-stream-pdf.eml', 'application.PDF'],
    ['x-pdf.eml', 'application.pdf'],
  ])('%s: a PDF under a non-PDF or legacy type is a PDF', async (fixture, filename) => {
    const mail = await readFixture(fixture);
    expect(summarize(mail)).toEqual([{ filename, isPdf: true, inline: false, fromEmbeddedMessage: false }]);
    expect(mail.problems).toEqual([]);
  });

  test('inline PDF is listed and marked inline', async () => {
    const mail = await readFixture('inline-pdf.eml');
    expect(summarize(mail)).toEqual([{ filename: 'application.pdf', isPdf: true, inline: true, fromEmbeddedMessage: false }]);
  });

  test.each(['forwarded-inline-rfc822.eml', 'forwarded-attached-eml.eml'])(
    '%s: the PDF inside the forwarded message is found and marked, the .eml itself is not listed',
    async (fixture) => {
      const mail = await readFixture(fixture);
      expect(summarize(mail)).toEqual([
        { filename: 'Exempla_application.pdf', isPdf: true, inline: false, fromEmbeddedMessage: true },
      ]);
      // The outer sender is who sent it to us; the forwarded text is kept for programme detection.
      expect(mail.from?.email).toBe('head.radiology@example.it');
      expect(mail.text).toContain('please find attached my application');
      expect(mail.problems).toEqual([]);
    },
  );

  test('RFC 2231 non-ASCII file name is decoded', async () => {
    const mail = await readFixture('rfc2231-filename.eml');
    expect(summarize(mail)).toEqual([
      { filename: 'Candidature_Élodie_Dupré.pdf', isPdf: true, inline: false, fromEmbeddedMessage: false },
    ]);
    expect(mail.from?.name).toBe('Élodie Dupré');
  });

  test('RFC 2047 file name and UTF-8 8bit body are decoded', async () => {
    const mail = await readFixture('rfc2047-filename.eml');
    expect(mail.attachments[0]?.filename).toBe('Zgłoszenie_Łucja.pdf');
    expect(mail.attachments[0]?.isPdf).toBe(true);
    expect(mail.subject).toBe('Zgłoszenie ESOR fellowship');
    expect(mail.text).toContain('W załączniku');
  });

  test('PDF without .pdf extension is recognised by its magic bytes', async () => {
    const mail = await readFixture('pdf-without-extension.eml');
    expect(summarize(mail)).toEqual([{ filename: 'Bewerbung_Unterlagen', isPdf: true, inline: false, fromEmbeddedMessage: false }]);
    expect(mail.problems).toEqual(['PDF recognised by its content only (neither its type nor its name says PDF)']);
  });

  test('PDF without any name is kept with an empty filename and a problem', async () => {
    const mail = await readFixture('nameless-pdf.eml');
    expect(summarize(mail)).toEqual([{ filename: '', isPdf: true, inline: false, fromEmbeddedMessage: false }]);
    expect(mail.problems).toEqual(['attachment without a name']);
  });

  test('two PDFs are both listed, in the order they appear', async () => {
    const mail = await readFixture('two-pdfs.eml');
    expect(mail.attachments.map((a) => [a.filename, a.isPdf])).toEqual([
      ['application-part1.pdf', true],
      ['recommendation.pdf', true],
    ]);
  });

  test.each([
    ['docx-instead.eml', ['application.docx']],
    ['zip-attachment.eml', ['application-documents.zip']],
    ['scans-instead.eml', ['motivation.doc', 'passport.jpg', 'diploma.png']],
    ['tnef-winmail.eml', ['winmail.dat']],
  ])('%s: no attachment is a PDF', async (fixture, names) => {
    const mail = await readFixture(fixture);
    expect(mail.attachments.map((a) => a.filename)).toEqual(names);
    expect(mail.attachments.every((a) => !a.isPdf)).toBe(true);
  });

  test('winmail.dat is reported as undecoded TNEF', async () => {
    const mail = await readFixture('tnef-winmail.eml');
    expect(mail.problems).toEqual(['winmail.dat (TNEF) attachment is not decoded; it may hide the real attachments']);
  });

  test('a .docx renamed to .pdf is not a PDF: the bytes win', async () => {
    const mail = await readFixture('renamed-docx-as-pdf.eml');
    expect(summarize(mail)).toEqual([{ filename: 'application.pdf', isPdf: false, inline: false, fromEmbeddedMessage: false }]);
    expect(mail.problems).toEqual(['attachment declared as PDF but its content is zip']);
  });

  test('question without attachment', async () => {
    const mail = await readFixture('question-no-attachment.eml');
    expect(mail.attachments).toEqual([]);
    expect(mail.text).toContain('is the French B2 certificate mandatory');
    expect(mail.problems).toEqual([]);
  });

  test('empty file gives an empty mail', async () => {
    const mail = await readFixture('empty.eml');
    expect(mail).toEqual({
      references: [],
      subject: '',
      to: [],
      text: '',
      attachments: [],
      headers: {},
      problems: ['message is empty'],
    });
  });

  test('headers only, empty subject, invalid date: no date is invented', async () => {
    const mail = await readFixture('headers-only.eml');
    expect(mail.subject).toBe('');
    expect(mail.text).toBe('');
    expect(mail.date).toBeUndefined();
    expect(mail.from?.email).toBe('pieter.voorbeeld@example.nl');
    expect(mail.problems).toEqual(['Date header could not be parsed']);
  });

  test('garbage bytes do not throw', async () => {
    const mail = await readFixture('garbage.eml');
    expect(mail.attachments).toEqual([]);
    expect(mail.from).toBeUndefined();
    expect(mail.problems).toContain('message has no recognisable headers');
    expect(mail.problems).toContain('no usable From address');
  });

  test('broken base64 still yields the part, declared as PDF', async () => {
    const mail = await readFixture('broken-base64.eml');
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]?.filename).toBe('application.pdf');
    expect(mail.attachments[0]?.isPdf).toBe(true);
    expect(mail.text).toContain('Please find attached');
  });

  test('truncated multipart is reported, what arrived is returned', async () => {
    const mail = await readFixture('truncated-multipart.eml');
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]?.isPdf).toBe(true);
    expect(mail.attachments[0]!.size).toBeLessThan(1644);
    expect(mail.problems).toEqual(['multipart message ends without its closing boundary (probably truncated)']);
  });

  test('machine headers are read, lowercased', async () => {
    expect((await readFixture('out-of-office-en.eml')).headers).toEqual({
      autoSubmitted: 'auto-replied',
      xAutoResponseSuppress: 'all',
      contentType: 'text/plain',
    });
    expect((await readFixture('looped-reply.eml')).headers).toMatchObject({ xEsorIntake: 'auto-reply' });
    expect((await readFixture('list-mail.eml')).headers).toMatchObject({
      listId: 'radiology news <news.radiology-society.example.org>',
      listUnsubscribe: '<mailto:unsubscribe@radiology-society.example.org>',
    });
    expect((await readFixture('auto-submitted.eml')).headers).toMatchObject({ autoSubmitted: 'auto-generated' });
  });

  test('DSN bounce: report type, empty Return-Path, delivery status in the text', async () => {
    const mail = await readFixture('dsn-bounce.eml');
    expect(mail.headers).toEqual({
      autoSubmitted: 'auto-replied',
      returnPath: '<>',
      contentType: 'multipart/report; report-type=delivery-status',
    });
    expect(mail.from?.email).toBe('MAILER-DAEMON@mx.example.org');
    expect(mail.date?.toISOString()).toBe('2021-03-12T09:15:02.000Z');
    expect(mail.text).toContain('could not');
    expect(mail.attachments.map((a) => [a.contentType, a.isPdf])).toEqual([['text/rfc822-headers', false]]);
    // A report part without a name is normal; it is not worth a problem.
    expect(mail.problems).toEqual([]);
  });

  test('out-of-office subjects are decoded from RFC 2047', async () => {
    expect((await readFixture('out-of-office-fr.eml')).subject).toBe('Réponse automatique : Votre candidature ESOR');
    expect((await readFixture('out-of-office-de.eml')).subject).toBe('AW: Abwesenheitsnotiz: Ihre ESOR Bewerbung');
  });

  test('ISO-8859-1 body, RFC 2047 subject and name, threading headers', async () => {
    const mail = await readFixture('latin1-rfc2047.eml');
    expect(mail.subject).toBe('Question sur la bourse à Villejuif');
    expect(mail.from).toEqual({ email: 'francoise.exemple@example.fr', name: 'Françoise Exemple' });
    expect(mail.text).toContain('Le certificat de français doit-il être de niveau B2');
    expect(mail.text).toContain('déjà un diplôme (équivalent)');
    expect(mail.inReplyTo).toBe('<earlier-reply@example.org>');
    expect(mail.references).toEqual(['<first@example.org>', '<earlier-reply@example.org>']);
    expect(mail.problems).toEqual([]);
  });

  test('HTML-only body becomes plain text without tags or styles', async () => {
    const mail = await readFixture('html-only.eml');
    expect(mail.text).toContain('Estimados señores');
    expect(mail.text).toContain('¿Es obligatorio el certificado de francés?');
    expect(mail.text).not.toMatch(/<p>|color: #333/);
    expect(mail.headers.contentType).toBe('text/html');
  });
});

describe('readMail on messages built in memory', () => {
  test('a message that is a bare PDF (no multipart) is one attachment', async () => {
    const raw = joinCrlf([
      'From: a@example.org',
      'Subject: scan',
      'Date: Fri, 12 Mar 2021 10:14:00 +0100',
      'Content-Type: application/pdf; name="scan.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      ...(PDF_BYTES.toString('base64').match(/.{1,76}/g) ?? []),
    ]);
    const mail = await readMail(raw);
    expect(summarize(mail)).toEqual([{ filename: 'scan.pdf', isPdf: true, inline: false, fromEmbeddedMessage: false }]);
    expect(mail.text).toBe('');
  });

  test('%PDF- after leading junk within the first KiB still counts', async () => {
    const raw = await composeMail({
      subject: 'x',
      text: 'x',
      attachments: [{ filename: 'scan', content: Buffer.concat([Buffer.alloc(300, 0x20), PDF_BYTES]), contentType: 'application/octet-stream' }],
    });
    expect((await readMail(raw)).attachments[0]?.isPdf).toBe(true);
  });

  test('a ZIP that stores a PDF uncompressed is a ZIP, not the PDF it packs ("%PDF-" a few bytes in)', async () => {
    const zip = writeStoredZip([{ name: 'application.pdf', data: PDF_BYTES }], new Date('2021-03-12T10:00:00Z'));
    expect(zip.subarray(0, 1024).includes('%PDF-')).toBe(true);
    const raw = await composeMail({
      subject: 'x',
      text: 'x',
      attachments: [{ filename: 'application.zip', content: zip, contentType: 'application/zip' }],
    });
    expect((await readMail(raw)).attachments[0]?.isPdf).toBe(false);
  });

  test('a declared PDF with unknown bytes stays a PDF, for the PDF stage to call unreadable', async () => {
    const raw = await composeMail({
      subject: 'x',
      text: 'x',
      attachments: [{ filename: 'application.pdf', content: Buffer.from('not really a pdf'), contentType: 'application/pdf' }],
    });
    const mail = await readMail(raw);
    expect(mail.attachments[0]?.isPdf).toBe(true);
    expect(mail.problems).toEqual([]);
  });

  test('images, octet-stream without PDF bytes and text attachments are not PDFs', async () => {
    const raw = await composeMail({
      subject: 'x',
      text: 'x',
      attachments: [
        { filename: 'photo.jpeg', content: Buffer.from([0xff, 0xd8, 0xff, 0xe1, 1, 2, 3]) },
        { filename: 'data.bin', content: Buffer.from('hello'), contentType: 'application/octet-stream' },
        { filename: 'notes.txt', content: 'Just notes' },
      ],
    });
    const mail = await readMail(raw);
    expect(mail.attachments.map((a) => a.isPdf)).toEqual([false, false, false]);
  });

  test('a cid image inside multipart/related counts as inline', async () => {
    const raw = await composeMail({
      subject: 'x',
      html: '<p>logo <img src="cid:logo@example.org"></p>',
      attachments: [{ filename: 'logo.png', cid: 'logo@example.org', content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]) }],
    });
    const mail = await readMail(raw);
    expect(summarize(mail)).toEqual([{ filename: 'logo.png', isPdf: false, inline: true, fromEmbeddedMessage: false }]);
  });

  test('embedded messages nested too deep stop being opened, without failing', async () => {
    let inner = await composeMail({
      subject: 'innermost',
      text: 'innermost',
      attachments: [{ filename: 'deep.pdf', content: PDF_BYTES, contentType: 'application/pdf' }],
    });
    for (let level = 0; level < 7; level++) {
      inner = await composeMail({
        subject: `level ${level}`,
        text: `level ${level}`,
        attachments: [{ filename: `level-${level}.eml`, content: inner, contentType: 'message/rfc822', contentDisposition: 'attachment' }],
      });
    }
    const mail = await readMail(inner);
    expect(mail.problems).toContain('embedded messages nested deeper than 5 levels; kept as an attachment');
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]?.contentType).toBe('message/rfc822');
    expect(mail.attachments[0]?.fromEmbeddedMessage).toBe(true);
    expect(mail.attachments[0]?.isPdf).toBe(false);
  });

  test('attachments keep their order around an embedded message', async () => {
    const forwarded = await composeMail({
      subject: 'inner',
      text: 'inner',
      attachments: [{ filename: 'inner.pdf', content: PDF_BYTES, contentType: 'application/pdf' }],
    });
    const raw = await composeMail({
      subject: 'outer',
      text: 'outer',
      attachments: [
        { filename: 'first.pdf', content: PDF_BYTES, contentType: 'application/pdf' },
        { filename: 'fwd.eml', content: forwarded, contentType: 'message/rfc822' },
        { filename: 'last.docx', content: Buffer.from('PK\x03\x04rest', 'latin1') },
      ],
    });
    const mail = await readMail(raw);
    expect(summarize(mail)).toEqual([
      { filename: 'first.pdf', isPdf: true, inline: false, fromEmbeddedMessage: false },
      { filename: 'inner.pdf', isPdf: true, inline: false, fromEmbeddedMessage: true },
      { filename: 'last.docx', isPdf: false, inline: false, fromEmbeddedMessage: false },
    ]);
  });

  test('body text is capped at 50 000 characters', async () => {
    const raw = await composeMail({ subject: 'long', text: 'a'.repeat(MAX_TEXT_LENGTH + 5_000) });
    const mail = await readMail(raw);
    expect(mail.text).toHaveLength(MAX_TEXT_LENGTH);
    expect(mail.problems).toEqual(['body text truncated to 50000 characters']);
  });

  test('address groups, several To headers and a Reply-To are flattened', async () => {
    const raw = joinCrlf([
      'From: "Office, ESOR" <esor-office@example.org>',
      'Reply-To: Helpdesk <help@example.org>',
      'To: Committee: one@example.org, two@example.org;',
      'To: three@example.org',
      'Subject: x',
      'Date: Fri, 12 Mar 2021 10:14:00 +0100',
      'Message-ID: <x@example.org>',
      '',
      'x',
    ]);
    const mail = await readMail(raw);
    expect(mail.from).toEqual({ email: 'esor-office@example.org', name: 'Office, ESOR' });
    expect(mail.replyTo).toEqual({ email: 'help@example.org', name: 'Helpdesk' });
    expect(mail.to.map((a) => a.email)).toEqual(['one@example.org', 'two@example.org', 'three@example.org']);
  });

  test('folded machine headers are unfolded and repeated ones joined', async () => {
    const raw = joinCrlf([
      'From: a@example.org',
      'Subject: x',
      'Date: Fri, 12 Mar 2021 10:14:00 +0100',
      'Message-ID: <x@example.org>',
      'Auto-Submitted: Auto-Replied;',
      '\towner-email="a@example.org"',
      'X-Loop: First',
      'X-Loop: Second',
      'Precedence: BULK',
      'X-Failed-Recipients: b@example.org',
      '',
      'x',
    ]);
    const mail = await readMail(raw);
    expect(mail.headers).toEqual({
      autoSubmitted: 'auto-replied; owner-email="a@example.org"',
      xLoop: 'first, second',
      precedence: 'bulk',
      xFailedRecipients: 'b@example.org',
    });
    expect('contentType' in mail.headers).toBe(false);
  });

  test.each([
    ['whitespace only', Buffer.from('\r\n\r\n  \t\r\n')],
    ['a single byte', Buffer.from([0])],
    ['headers without colon', Buffer.from('this is not a mail\r\nat all\r\n')],
    ['multipart without boundary', joinCrlf(['From: a@example.org', 'Content-Type: multipart/mixed', '', 'body'])],
    ['unterminated header block over 1 MB', Buffer.alloc(1_200_000, 0x41)],
  ])('odd input does not throw: %s', async (_label, raw) => {
    const mail = await readMail(raw);
    expect(Array.isArray(mail.problems)).toBe(true);
    expect(Array.isArray(mail.attachments)).toBe(true);
    expect(typeof mail.text).toBe('string');
  });

  test('an unparseable message says so instead of throwing', async () => {
    // More than mailparser's 1 MB limit for one header block makes it reject.
    const mail = await readMail(Buffer.alloc(1_200_000, 0x41));
    expect(mail.problems).toEqual(['message could not be parsed as MIME; nothing was read']);
  });

  test('input that is not a Buffer is handled', async () => {
    const fromBytes = await readMail(new Uint8Array(Buffer.from('From: a@example.org\r\nSubject: hi\r\n\r\nbody')) as Buffer);
    expect(fromBytes.subject).toBe('hi');
    const fromNothing = await readMail(undefined as unknown as Buffer);
    expect(fromNothing.problems).toEqual(['input is not a byte buffer']);
  });

  test('problems never carry names, addresses or file names', async () => {
    const names = /Exempla|Élodie|Dupré|Łucja|example\.|\.pdf|\.docx|\.zip|\.jpg/i;
    for (const fixture of [
      'nameless-pdf.eml',
      'pdf-without-extension.eml',
      'renamed-docx-as-pdf.eml',
      'tnef-winmail.eml',
      'garbage.eml',
      'headers-only.eml',
      'truncated-multipart.eml',
    ]) {
      const mail = await readFixture(fixture);
      for (const problem of mail.problems) expect(problem).not.toMatch(names);
    }
  });
});
