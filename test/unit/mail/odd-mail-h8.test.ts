/** Issue 9, smaller points: CR-only mail, a leading BOM, impossible time zones, ARF feedback reports. */
import { readMail } from '../../../adapters/mail-reader';
import { detectMachineMail } from '../../../core/mail-kind';

const patterns = { outOfOfficeSubjects: [], bounceSubjects: [], machineSenders: ['abuse', 'postmaster'], noReplySenders: [] };

function mail(lines: string[], eol = '\r\n'): Buffer {
  return Buffer.from(lines.join(eol), 'utf8');
}

const plain = [
  'From: Ana Example <ana@example.org>',
  'To: office@example.net',
  'Subject: Application',
  'Date: Tue, 02 Mar 2021 10:00:00 +0100',
  'Message-ID: <a1@example.org>',
  '',
  'Please find my application attached.',
  '',
];

describe('line ends and byte-order marks', () => {
  it('reads a mail with CR-only line ends like its CRLF twin', async () => {
    const m = await readMail(mail(plain, '\r'));
    expect(m.from?.email).toBe('ana@example.org');
    expect(m.subject).toBe('Application');
    expect(m.text).toContain('Please find my application attached.');
  });

  it('keeps the sender of a mail that starts with a UTF-8 BOM', async () => {
    const m = await readMail(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), mail(plain)]));
    expect(m.from?.email).toBe('ana@example.org');
    expect(m.problems).not.toContain('no usable From address');
  });
});

describe('Date header time zones', () => {
  const withDate = (d: string) => mail(plain.map((l) => (l.startsWith('Date:') ? `Date: ${d}` : l)));

  it.each(['Tue, 02 Mar 2021 10:00:00 +9999', 'Tue, 02 Mar 2021 10:00:00 -1500', 'Tue, 02 Mar 2021 10:00:00 +1260'])('rejects %s', async (d) => {
    const m = await readMail(withDate(d));
    expect(m.date).toBeUndefined();
    expect(m.problems).toContain('Date header could not be parsed');
  });

  it.each([
    ['Tue, 02 Mar 2021 10:00:00 +1400', '2021-03-01T20:00:00.000Z'],
    ['Tue, 02 Mar 2021 10:00:00 -1200', '2021-03-02T22:00:00.000Z'],
    ['Tue, 02 Mar 2021 10:00:00 +0545', '2021-03-02T04:15:00.000Z'],
    ['Tue, 02 Mar 2021 10:00:00 GMT', '2021-03-02T10:00:00.000Z'],
  ])('accepts %s', async (d, iso) => {
    expect((await readMail(withDate(d))).date?.toISOString()).toBe(iso);
  });
});

describe('ARF feedback reports', () => {
  it('are machine mail, not applications, and not bounces', async () => {
    const raw = mail([
      'From: abuse@mailbox-provider.example.com',
      'To: office@example.net',
      'Subject: FW: Application',
      'Date: Tue, 02 Mar 2021 10:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=feedback-report; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'This is an abuse report.',
      '--b1',
      'Content-Type: message/feedback-report',
      '',
      'Feedback-Type: abuse',
      'Version: 1',
      '--b1--',
      '',
    ]);
    const m = await readMail(raw);
    const verdict = detectMachineMail(m, patterns);
    expect(verdict.machine).toBe(true);
    expect(verdict.kind).not.toBe('bounce');
    expect(verdict.reason).toMatch(/feedback report/);
  });
});
