/**
 * A real SMTP server on a loopback port standing in for the office's submission server: the
 * reply stage sends to it, tests read what it got, and the demo hands each copy on to the
 * recipient's Dovecot mailbox. It can play "down" (4xx) so tests see the sender retry.
 */
import { SMTPServer, type SMTPServerDataStream, type SMTPServerError, type SMTPServerSession } from 'smtp-server';

export interface RelayedMessage {
  /** Envelope sender (MAIL FROM); '' for the null sender. */
  from: string;
  /** Envelope recipients (RCPT TO). */
  to: string[];
  raw: Buffer;
  receivedAt: Date;
}

/**
 * Hands one recipient's copy on. A rejection makes the relay answer 451 so the sender retries,
 * or the error's own `responseCode` (e.g. 550 for an address that can never be delivered).
 */
export type RelayDelivery = (rcpt: string, raw: Buffer, from: string) => Promise<void>;

export interface RelayFailure {
  /** How many of the next messages to refuse. */
  count: number;
  /** SMTP reply code; default 451 (temporary). Use 5xx to test permanent failures. */
  responseCode?: number;
  message?: string;
}

export interface StartSmtpRelayOptions {
  /** Called once per recipient after the message is received; default: keep it in `received` only. */
  deliverTo?: RelayDelivery;
  /** Refuse the first messages, e.g. `{ count: 2 }` for "the first two attempts fail with 451". */
  failNext?: number | RelayFailure;
  /** Fixed port; default a free one chosen by the operating system. */
  port?: number;
  /** Maximum message size; default 50 MB (answered 552 beyond). */
  sizeLimit?: number;
  /** How long stop() lets open sessions finish before cutting them; default 1 s. */
  closeTimeoutMs?: number;
}

export interface SmtpRelay {
  host: string;
  port: number;
  /** Every accepted message, in order of arrival. */
  received: RelayedMessage[];
  /** true: new connections get 421, open sessions 451, until set back to false. */
  setDown(down: boolean): void;
  /** Refuse the next `count` messages (default 451), then accept again. */
  failNext(count: number, options?: { responseCode?: number; message?: string }): void;
  /** Resolves once `count` messages in all have been accepted; rejects after `timeoutMs` (default 10 s). */
  waitForMessages(count: number, timeoutMs?: number): Promise<RelayedMessage[]>;
  /** Closes the listener and open sessions. Idempotent. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const DEFAULT_SIZE_LIMIT = 50 * 1024 * 1024;

function smtpError(responseCode: number, message: string): SMTPServerError {
  const err: SMTPServerError = new Error(message);
  err.responseCode = responseCode;
  return err;
}

function readStream(stream: SMTPServerDataStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

/**
 * Starts the relay on 127.0.0.1. Throws when the port cannot be bound.
 */
export async function startSmtpRelay(options: StartSmtpRelayOptions = {}): Promise<SmtpRelay> {
  const received: RelayedMessage[] = [];
  const waiters: Array<{ count: number; resolve: (messages: RelayedMessage[]) => void }> = [];
  const sizeLimit = options.sizeLimit ?? DEFAULT_SIZE_LIMIT;
  let down = false;
  let failure: Required<RelayFailure> = { count: 0, responseCode: 451, message: '' };

  function failNext(count: number, failOptions: { responseCode?: number; message?: string } = {}): void {
    const responseCode = failOptions.responseCode ?? 451;
    failure = { count, responseCode, message: failOptions.message ?? `Requested action aborted: test failure ${responseCode}` };
  }
  if (typeof options.failNext === 'number') failNext(options.failNext);
  else if (options.failNext) failNext(options.failNext.count, options.failNext);

  async function acceptData(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<void> {
    const raw = await readStream(stream);
    if (stream.sizeExceeded) throw smtpError(552, `Message exceeds fixed maximum message size of ${sizeLimit} bytes`);
    if (down) throw smtpError(451, 'Service temporarily unavailable, try again later');
    if (failure.count > 0) {
      failure.count -= 1;
      throw smtpError(failure.responseCode, failure.message);
    }
    const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
    const to = session.envelope.rcptTo.map((rcpt) => rcpt.address);
    if (options.deliverTo) {
      // One reply covers all recipients: if a later one fails, a retry re-delivers the earlier ones.
      for (const rcpt of to) {
        try {
          await options.deliverTo(rcpt, raw, from);
        } catch (err) {
          const code = (err as SMTPServerError).responseCode;
          if (code && code >= 500) throw smtpError(code, `Local delivery to ${rcpt} failed: ${(err as Error).message}`);
          throw smtpError(451, `Local delivery to ${rcpt} failed, try again later: ${(err as Error).message}`);
        }
      }
    }
    received.push({ from, to, raw, receivedAt: new Date() });
    for (const waiter of [...waiters]) {
      if (received.length >= waiter.count) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(received.slice());
      }
    }
  }

  const server = new SMTPServer({
    name: 'esor-relay.localhost',
    banner: 'esor-intake local relay',
    authOptional: true,
    // Plaintext AUTH is accepted (any credentials) so a sender configured with a login still works here.
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    size: sizeLimit,
    logger: false,
    closeTimeout: options.closeTimeoutMs ?? 1000,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username ?? 'relay-user' });
    },
    onConnect(_session, callback) {
      callback(down ? smtpError(421, 'Service not available, closing transmission channel') : undefined);
    },
    onMailFrom(_address, _session, callback) {
      callback(down ? smtpError(451, 'Service temporarily unavailable, try again later') : undefined);
    },
    onRcptTo(_address, _session, callback) {
      callback(down ? smtpError(451, 'Service temporarily unavailable, try again later') : undefined);
    },
    onData(stream, session, callback) {
      acceptData(stream, session).then(
        () => callback(),
        (err: Error) => callback(err),
      );
    },
  });
  // A client that drops the connection surfaces as an 'error' event: without a listener Node would crash.
  server.on('error', () => undefined);

  const port = await new Promise<number>((resolve, reject) => {
    const listener = server.listen(options.port ?? 0, HOST);
    listener.once('error', (err) => reject(new Error(`SMTP relay: cannot listen on ${HOST}:${options.port ?? 0}: ${err.message}`)));
    listener.once('listening', () => {
      const address = listener.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });

  let stopping: Promise<void> | undefined;
  return {
    host: HOST,
    port,
    received,
    setDown(value) {
      down = value;
    },
    failNext,
    waitForMessages(count, timeoutMs = 10_000) {
      if (received.length >= count) return Promise.resolve(received.slice());
      return new Promise((resolve, reject) => {
        const waiter = {
          count,
          resolve: (messages: RelayedMessage[]) => {
            clearTimeout(timer);
            resolve(messages);
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`SMTP relay ${HOST}:${port}: ${received.length} of ${count} messages arrived within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    stop() {
      stopping ??= new Promise((resolve) => server.close(() => resolve()));
      return stopping;
    },
  };
}
