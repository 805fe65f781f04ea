/**
 * mailparser misbehaving in ways real input has not (yet) made it: the
 * reader must still answer with a ReadMail, never throw.
 */
import { readMail } from '../../../adapters/mail-reader';

const simpleParserMock = jest.fn();

jest.mock('mailparser', () => ({
  simpleParser: (...args: unknown[]) => simpleParserMock(...args),
}));

afterEach(() => simpleParserMock.mockReset());

const SOME_MAIL = Buffer.from('From: a@example.org\r\nSubject: x\r\n\r\nbody\r\n');

test('a synchronous throw inside the parser gives an empty mail with a problem', async () => {
  simpleParserMock.mockImplementation(() => {
    throw new TypeError('boom');
  });
  const mail = await readMail(SOME_MAIL);
  expect(mail.problems).toEqual(['message could not be parsed as MIME; nothing was read']);
  expect(mail.attachments).toEqual([]);
});

test('a rejected parse gives an empty mail with a problem', async () => {
  simpleParserMock.mockRejectedValue(new Error('Max header size for a MIME node exceeded'));
  const mail = await readMail(SOME_MAIL);
  expect(mail.problems).toEqual(['message could not be parsed as MIME; nothing was read']);
});

test('a parse result of an unforeseen shape gives an empty mail with a problem', async () => {
  simpleParserMock.mockResolvedValue({
    headerLines: [],
    attachments: [],
    headers: {
      get() {
        throw new Error('unexpected');
      },
    },
  });
  const mail = await readMail(SOME_MAIL);
  expect(mail.problems).toEqual(['message parsed but could not be read; nothing was read']);
});

test('an embedded message that fails to parse is kept as an attachment', async () => {
  const inner = Buffer.from('From: b@example.org\r\n\r\ninner\r\n');
  simpleParserMock
    .mockResolvedValueOnce({
      headerLines: [{ key: 'from', line: 'From: a@example.org' }],
      headers: new Map(),
      text: 'outer',
      attachments: [{ contentType: 'message/rfc822', filename: 'fwd.eml', content: inner, contentDisposition: 'attachment' }],
    })
    .mockRejectedValueOnce(new Error('inner failure'));
  const mail = await readMail(SOME_MAIL);
  expect(mail.attachments.map((a) => [a.filename, a.contentType, a.isPdf, a.fromEmbeddedMessage])).toEqual([
    ['fwd.eml', 'message/rfc822', false, false],
  ]);
  expect(mail.problems).toContain('embedded message could not be parsed; kept as an attachment');
  expect(mail.text).toBe('outer');
});
