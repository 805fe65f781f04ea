/**
 * adapters/smtp-sender against a real SMTP server (npm smtp-server) on a free
 * loopback port, started by the test. Addresses are invented.
 */
import net from 'node:net';
import { SMTPServer, type SMTPServerError } from 'smtp-server';
import { readMail } from '../../../adapters/mail-reader';
import { SmtpError, createSmtpSender, type OutgoingReply, type SmtpSender } from '../../../adapters/smtp-sender';
import { detectMachineMail } from '../../../core/mail-kind';
import { chooseReply } from '../../../core/reply';
import { toMachinePatterns } from '../../../adapters/rules-loader';
import { RULES, contextFor, incompleteResult } from './reply-fixtures';

interface Received {
  from: string;
  to: string[];
  raw: Buffer;
}

/** How the server answers the next commands; reset before each test. */
interface Behaviour {
  connect?: { code: number; message: string };
  rcpt?: { code: number; message: string };
  data?: { code: number; message: string };
}

function smtpError(code: number, message: string): SMTPServerError {
  const err: SMTPServerError = new Error(message);
  err.responseCode = code;
  return err;
}

let server: SMTPServer;
let port: number;
let behaviour: Behaviour = {};
const received: Received[] = [];

beforeAll(async () => {
  server = new SMTPServer({
    // A self-signed STARTTLS would make the client refuse the certificate; TLS is not what is tested here.
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'office' && auth.password === 'right') return callback(null, { user: 'office' });
      return callback(smtpError(535, 'Authentication failed'));
    },
    onConnect(_session, callback) {
      if (behaviour.connect) return callback(smtpError(behaviour.connect.code, behaviour.connect.message));
      return callback();
    },
    onRcptTo(_address, _session, callback) {
      if (behaviour.rcpt) return callback(smtpError(behaviour.rcpt.code, behaviour.rcpt.message));
      return callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (behaviour.data) return callback(smtpError(behaviour.data.code, behaviour.data.message));
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        received.push({ from, to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks) });
        return callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  port = (server.server.address() as net.AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

let sender: SmtpSender;
beforeEach(() => {
  behaviour = {};
  received.length = 0;
  sender = createSmtpSender({ host: '127.0.0.1', port, secure: false, name: 'intake.esor.test', connectionTimeoutMs: 5000 });
});
afterEach(() => sender.close());

function reply(overrides: Partial<OutgoingReply> = {}): OutgoingReply {
  return {
    from: { email: 'office@esor.test', name: 'ESOR Office' },
    to: { email: 'a.rossi@example.test', name: 'Anna Rößi' },
    subject: 'Re: Application – Hybrid Imaging',
    text: 'Dear Anna Rößi,\n\nyour PDF is missing:\n- the copy of your passport\n.a line starting with a dot\n',
    inReplyTo: '<CAF1x2y3@mail.example.test>',
    references: ['<root@mail.example.test>', '<CAF1x2y3@mail.example.test>'],
    messageId: '<reply-app1-r1-incomplete@intake.esor.test>',
    date: new Date('2021-03-12T09:16:00Z'),
    ...overrides,
  };
}

async function expectSmtpError(promise: Promise<unknown>): Promise<SmtpError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(SmtpError);
    return err as SmtpError;
  }
  throw new Error('expected an SmtpError');
}

/** A loopback port nobody listens on: bound, then released. */
async function findClosedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const closed = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return closed;
}

describe('createSmtpSender', () => {
  it('sends the reply with auto-reply and threading headers; the raw bytes returned are the bytes received', async () => {
    const sent = await sender.send(reply());
    expect(sent.messageId).toBe('<reply-app1-r1-incomplete@intake.esor.test>');
    expect(received).toHaveLength(1);
    const got = received[0]!;
    expect(got.from).toBe('office@esor.test');
    expect(got.to).toEqual(['a.rossi@example.test']);
    expect(got.raw.equals(sent.raw)).toBe(true);

    const head = sent.raw.toString('utf8').split('\r\n\r\n')[0]!;
    expect(head).toMatch(/^Auto-Submitted: auto-replied\r$/m);
    expect(head).toMatch(/^X-Auto-Response-Suppress: All\r$/m);
    expect(head).toMatch(/^X-ESOR-Intake: auto-reply\r$/m);
    expect(head).toMatch(/^Message-ID: <reply-app1-r1-incomplete@intake\.esor\.test>\r$/m);
    expect(head).toMatch(/^In-Reply-To: <CAF1x2y3@mail\.example\.test>\r$/m);
    expect(head).toMatch(/^References: <root@mail\.example\.test> <CAF1x2y3@mail\.example\.test>\r$/m);
    expect(head).toMatch(/^Date: Fri, 12 Mar 2021 09:16:00 \+0000\r$/m);
    // RFC 3834 § 3.1.8 only tolerates Precedence; we leave it out (see smtp-sender.ts).
    expect(head).not.toMatch(/^Precedence:/im);
    // CRLF everywhere: the Sent copy must be byte for byte what went out.
    expect(sent.raw.toString('latin1')).not.toMatch(/[^\r]\n/);

    // Read back as our own intake reads mail: the text survives, and the reply is known as ours.
    const mail = await readMail(sent.raw);
    expect(mail.subject).toBe('Re: Application – Hybrid Imaging');
    expect(mail.text).toContain('Dear Anna Rößi,');
    expect(mail.text).toContain('.a line starting with a dot');
    expect(mail.from).toEqual({ email: 'office@esor.test', name: 'ESOR Office' });
    expect(mail.inReplyTo).toBe('<CAF1x2y3@mail.example.test>');
    expect(detectMachineMail(mail, toMachinePatterns(RULES))).toMatchObject({ machine: true, kind: 'loop' });
  });

  it('sends what chooseReply decided, without In-Reply-To or References when there are none', async () => {
    const decision = chooseReply(contextFor(incompleteResult()));
    if (decision.action === 'none') throw new Error(decision.reason);
    const sent = await sender.send({
      from: { email: 'office@esor.test', name: 'ESOR Office' },
      to: decision.to,
      subject: decision.subject,
      text: decision.text,
      ...(decision.inReplyTo ? { inReplyTo: decision.inReplyTo } : {}),
      references: decision.references,
      messageId: '<reply-app2-r1-incomplete@intake.esor.test>',
    });
    expect(received[0]!.raw.equals(sent.raw)).toBe(true);
    expect((await readMail(sent.raw)).text.trim()).toBe(decision.text.trim());

    const bare = await sender.send(reply({ inReplyTo: undefined, references: [], messageId: '<reply-3@intake.esor.test>' }));
    const head = bare.raw.toString('utf8').split('\r\n\r\n')[0]!;
    expect(head).not.toMatch(/^(In-Reply-To|References):/im);
    expect(head).toMatch(/^Date: /m);
  });

  it('a 550 for the recipient is a permanent SMTP_REJECTED', async () => {
    behaviour.rcpt = { code: 550, message: '5.1.1 <a.rossi@example.test>: Recipient address rejected: User unknown' };
    const err = await expectSmtpError(sender.send(reply()));
    expect(err).toMatchObject({ code: 'SMTP_REJECTED', transient: false, responseCode: 550, command: 'RCPT TO' });
    // Servers echo the address; our error message does not.
    expect(err.message).not.toContain('a.rossi');
    expect(received).toHaveLength(0);
  });

  it('a 451 after DATA is a transient SMTP_TEMPORARY', async () => {
    behaviour.data = { code: 451, message: '4.3.0 Temporary local problem, try again later' };
    const err = await expectSmtpError(sender.send(reply()));
    expect(err).toMatchObject({ code: 'SMTP_TEMPORARY', transient: true, responseCode: 451 });
  });

  it('a 421 greeting is transient', async () => {
    behaviour.connect = { code: 421, message: '4.7.0 Too many connections, try again later' };
    const err = await expectSmtpError(sender.send(reply()));
    expect(err).toMatchObject({ code: 'SMTP_TEMPORARY', transient: true, responseCode: 421 });
  });

  it('a refused connection is a transient SMTP_CONNECTION', async () => {
    const closedPort = await findClosedPort();
    const nobody = createSmtpSender({ host: '127.0.0.1', port: closedPort, secure: false, connectionTimeoutMs: 2000 });
    try {
      const err = await expectSmtpError(nobody.send(reply()));
      expect(err).toMatchObject({ code: 'SMTP_CONNECTION', transient: true });
    } finally {
      nobody.close();
    }
  });

  it('a refused login is a permanent SMTP_AUTH; the right one sends', async () => {
    const wrong = createSmtpSender({ host: '127.0.0.1', port, secure: false, auth: { user: 'office', pass: 'wrong' } });
    const right = createSmtpSender({ host: '127.0.0.1', port, secure: false, auth: { user: 'office', pass: 'right' } });
    try {
      const err = await expectSmtpError(wrong.send(reply()));
      expect(err).toMatchObject({ code: 'SMTP_AUTH', transient: false, responseCode: 535 });
      await right.send(reply());
      expect(received).toHaveLength(1);
    } finally {
      wrong.close();
      right.close();
    }
  });

  it('refuses a malformed Message-ID or address before connecting', async () => {
    for (const bad of [reply({ messageId: 'reply-1@intake.esor.test' }), reply({ messageId: '<no-host>' }), reply({ to: { email: 'nobody' } })]) {
      const err = await expectSmtpError(sender.send(bad));
      expect(err).toMatchObject({ code: 'SMTP_INVALID_MESSAGE', transient: false });
    }
    expect(received).toHaveLength(0);
  });

  it('refuses to send once closed', async () => {
    sender.close();
    expect(await expectSmtpError(sender.send(reply()))).toMatchObject({ code: 'SMTP_SENDER_CLOSED', transient: false });
  });
});
