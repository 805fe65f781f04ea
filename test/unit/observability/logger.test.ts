import { Writable } from 'node:stream';
import { CENSOR, REDACTED_KEYS, REDACT_PATHS, createLogger, maskEmailAddresses, safeError } from '../../../services/common/logger';

/** A logger writing into an array of parsed JSON lines. */
function captureLogger(opts: { level?: string; name?: string } = {}) {
  const lines: Array<Record<string, any>> = [];
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) raw.push(line), lines.push(JSON.parse(line));
      cb();
    },
  });
  const log = createLogger({ ...opts, destination });
  return { log, lines, text: () => raw.join('\n') };
}

const PERSONAL = 'anna.rossi@example.it';

describe('createLogger redaction', () => {
  it('redacts every listed key at depths 1, 2 and 3', () => {
    const { log, lines } = captureLogger();
    for (const key of REDACTED_KEYS) {
      log.info({ [key]: 'secret-1', mail: { [key]: 'secret-2' }, job: { data: { [key]: 'secret-3' } } }, key);
    }
    expect(lines).toHaveLength(REDACTED_KEYS.length);
    for (const [i, key] of REDACTED_KEYS.entries()) {
      const line = lines[i]!;
      expect(line.msg).toBe(key);
      expect(line[key]).toBe(CENSOR);
      expect(line.mail[key]).toBe(CENSOR);
      expect(line.job.data[key]).toBe(CENSOR);
    }
    expect(JSON.stringify(lines)).not.toMatch(/secret-/);
  });

  it('redacts inside arrays: attachments, recipients, evidence lists', () => {
    const { log, lines } = captureLogger();
    log.info({
      attachments: [{ filename: 'passport.pdf', size: 10 }, { filename: 'cv.pdf', size: 20 }],
      mail: { attachments: [{ filename: 'passport.pdf', contentType: 'application/pdf' }], to: [{ address: PERSONAL, name: 'Anna' }] },
      flags: [{ code: 'missing_section', evidence: { snippet: 'Anna Rossi, born 1990' } }],
      pages: [{ section: { text: 'page text' } }],
    });
    const line = lines[0]!;
    expect(line.attachments).toEqual([{ filename: CENSOR, size: 10 }, { filename: CENSOR, size: 20 }]);
    expect(line.mail.attachments).toEqual([{ filename: CENSOR, contentType: 'application/pdf' }]);
    expect(line.mail.to).toBe(CENSOR);
    expect(line.flags).toEqual([{ code: 'missing_section', evidence: CENSOR }]);
    expect(line.pages).toEqual([{ section: { text: CENSOR } }]);
  });

  it('redacts child logger bindings and keeps the logger name', () => {
    const { log, lines } = captureLogger({ name: 'poller' });
    log.child({ applicant: { name: 'Anna Rossi' }, email: PERSONAL, jobId: 'mail-abc' }).info({ mail: { name: 'Anna Rossi' } }, 'received');
    const line = lines[0]!;
    expect(line.name).toBe('poller');
    expect(line.applicant).toBe(CENSOR);
    expect(line.email).toBe(CENSOR);
    expect(line.jobId).toBe('mail-abc');
    expect(JSON.stringify(line)).not.toContain('Anna');
  });

  it('censors a top-level name that is not the logger name', () => {
    const { log, lines, text } = captureLogger({ name: 'worker' });
    log.info({ name: 'Anna Rossi' }, 'x');
    // The binding and the object share the key; the object's value, censored,
    // comes last and wins when the line is parsed.
    expect(text()).not.toContain('Anna');
    expect(lines[0]!.name).toBe(CENSOR);
  });

  it('keeps ids, codes, statuses, counts and timings', () => {
    const { log, lines } = captureLogger();
    const fields = {
      messageId: 'msg-1',
      applicationId: 'app-42',
      jobId: 'mail-3f2a',
      uid: 1234,
      uidValidity: '99',
      mailbox: 'INBOX',
      programme: 'gustave-roussy-hybrid-imaging-2022',
      status: 'incomplete',
      code: 'PDF_ENCRYPTED',
      flags: ['missing_section', 'cv_not_esor_template'],
      pages: 30,
      durationMs: 81,
      stage: { name: 'AnalyseError', attempt: 2 },
    };
    log.info(fields, 'triaged');
    expect(lines[0]).toMatchObject({ ...fields, msg: 'triaged', level: 'info' });
  });

  it('does not mutate the logged object', () => {
    const { log } = captureLogger();
    const obj = { email: PERSONAL, mail: { subject: 'Application' } };
    log.info(obj);
    expect(obj).toEqual({ email: PERSONAL, mail: { subject: 'Application' } });
  });

  it('writes nothing below its level', () => {
    const { log, lines } = captureLogger({ level: 'warn' });
    log.info('hidden');
    log.warn('shown');
    expect(lines.map((l) => l.msg)).toEqual(['shown']);
  });

  it('has explicit paths for each key at each depth, arrays included', () => {
    expect(REDACT_PATHS).toEqual(expect.arrayContaining(['email', '*.email', '*.*.email', '*[*].email', '*.*[*].email', '*[*].*.email']));
    expect(REDACT_PATHS).toHaveLength(REDACTED_KEYS.length * 6);
  });
});

describe('e-mail addresses in messages and errors', () => {
  it('masks addresses in the message and its format arguments', () => {
    const { log, lines } = captureLogger();
    log.info(`reply to ${PERSONAL} queued`);
    log.info('reply to %s queued', PERSONAL);
    expect(lines.map((l) => l.msg)).toEqual(['reply to [email] queued', 'reply to [email] queued']);
  });

  it('masks an address inside a logged error and keeps its code and class name', () => {
    const { log, lines, text } = captureLogger();
    const err = Object.assign(new Error(`Can't send mail - all recipients were rejected: 550 5.1.1 <${PERSONAL}>: Recipient address rejected`), {
      code: 'EENVELOPE',
      responseCode: 550,
    });
    log.error({ err, jobId: 'reply-1' }, 'send failed');
    log.error(err);
    log.error({ err });
    expect(text()).not.toContain('anna');
    const [withMsg, bare, inObject] = lines;
    expect(withMsg!.msg).toBe('send failed');
    expect(withMsg!.err).toMatchObject({ code: 'EENVELOPE', name: 'Error' });
    expect(withMsg!.err.message).toContain('<[email]>');
    expect(withMsg!.err.stack).toMatch(/^at /);
    expect(bare!.msg).toContain('<[email]>');
    expect(inObject!.msg).toContain('<[email]>');
  });

  it('keeps error class names where `name` is otherwise censored', () => {
    const { log, lines } = captureLogger();
    class ImapFlowError extends Error {
      override name = 'ImapFlowError';
    }
    log.warn({ error: safeError(new ImapFlowError('Command failed')), cause: safeError(new TypeError('x')) });
    expect(lines[0]!.error).toEqual({ name: 'ImapFlowError', message: 'Command failed' });
    expect(lines[0]!.cause).toEqual({ name: 'TypeError', message: 'x' });
  });

  it('safeError returns code, name and masked message', () => {
    const err = Object.assign(new Error(`Invalid login for office@esor.example.org`), { code: 'AUTHENTICATIONFAILED', response: `NO [${PERSONAL}]` });
    expect(safeError(err)).toEqual({ code: 'AUTHENTICATIONFAILED', name: 'Error', message: 'Invalid login for [email]' });
    expect(safeError(new RangeError('bad'))).toEqual({ name: 'RangeError', message: 'bad' });
    expect(safeError(Object.assign(new Error('x'), { code: 421 }))).toEqual({ code: 421, name: 'Error', message: 'x' });
  });

  it('safeError accepts anything thrown and never copies a thrown object whole', () => {
    expect(safeError(`failed for ${PERSONAL}`)).toEqual({ name: 'NonError', message: 'failed for [email]' });
    expect(safeError(undefined)).toEqual({ name: 'NonError', message: 'undefined' });
    expect(safeError({ code: 'E1', applicant: 'Anna' })).toEqual({ code: 'E1', name: 'NonError', message: 'non-error object thrown' });
  });

  it('safeError cuts long messages and still masks an address at the cut', () => {
    const long = `${'x '.repeat(995)}${PERSONAL} ${'y'.repeat(5000)}`;
    const out = safeError(new Error(long));
    expect(out.message.length).toBeLessThanOrEqual(2001);
    expect(out.message).not.toMatch(/anna|rossi/);
  });

  it('maskEmailAddresses masks plain, bracketed, plus, unicode and credential-like addresses', () => {
    expect(maskEmailAddresses('From: "Anna" <anna.rossi+esor@mail.example.it>')).toBe('From: "Anna" <[email]>');
    expect(maskEmailAddresses('müller@universität.de wrote')).toBe('[email] wrote');
    expect(maskEmailAddresses('redis://:s3cret@redis:6379')).toBe('redis://:[email]:6379');
    expect(maskEmailAddresses('job mail-3f2a in INBOX, uid 12, status 550')).toBe('job mail-3f2a in INBOX, uid 12, status 550');
  });

  it('maskEmailAddresses reads a long run without an @ (a backtracking pattern would time the test out)', () => {
    const long = 'a'.repeat(200_000);
    expect(maskEmailAddresses(long)).toBe(long);
  });
});
