import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { startSmtpRelay, type SmtpRelay } from '../../../dev/local/smtp-relay';

function createSender(relay: SmtpRelay, extra: Partial<SMTPTransport.Options> = {}) {
  return nodemailer.createTransport({ host: relay.host, port: relay.port, secure: false, ignoreTLS: true, logger: false, ...extra });
}

/** A reply as the reply stage would send it (synthetic addresses). */
const REPLY = {
  from: 'ESOR office <office@esor.test>',
  to: 'applicant@example.test',
  cc: 'copy@example.test',
  subject: 'Your ESOR application',
  text: 'Your PDF is complete.',
  headers: { 'Auto-Submitted': 'auto-replied' },
};

describe('startSmtpRelay', () => {
  let relay: SmtpRelay;
  const delivered: Array<{ rcpt: string; from: string; raw: string }> = [];

  beforeAll(async () => {
    relay = await startSmtpRelay({
      deliverTo: async (rcpt, raw, from) => {
        delivered.push({ rcpt, from, raw: raw.toString() });
      },
    });
  });

  afterAll(async () => {
    await relay?.stop();
  });

  beforeEach(() => {
    relay.setDown(false);
    relay.failNext(0);
  });

  it('receives a nodemailer message, records it and hands each recipient a copy', async () => {
    const before = relay.received.length;
    const sender = createSender(relay);
    const info = await sender.sendMail(REPLY);
    sender.close();
    expect(info.accepted).toEqual(['applicant@example.test', 'copy@example.test']);
    expect(relay.host).toBe('127.0.0.1');

    const message = relay.received[before];
    expect(message).toMatchObject({ from: 'office@esor.test', to: ['applicant@example.test', 'copy@example.test'] });
    expect(message?.raw.toString()).toContain('Subject: Your ESOR application');
    expect(message?.raw.toString()).toContain('Auto-Submitted: auto-replied');
    expect(delivered.slice(-2).map(({ rcpt, from }) => ({ rcpt, from }))).toEqual([
      { rcpt: 'applicant@example.test', from: 'office@esor.test' },
      { rcpt: 'copy@example.test', from: 'office@esor.test' },
    ]);
    expect(delivered.at(-1)?.raw).toBe(message?.raw.toString());
  });

  it('accepts a login (any credentials) for senders configured with one', async () => {
    const sender = createSender(relay, { auth: { user: 'office', pass: 'anything' } });
    await expect(sender.sendMail(REPLY)).resolves.toMatchObject({ accepted: ['applicant@example.test', 'copy@example.test'] });
    sender.close();
  });

  it('while down, refuses new connections with 421 and open sessions with 451, then recovers', async () => {
    const before = relay.received.length;
    relay.setDown(true);
    const sender = createSender(relay);
    await expect(sender.sendMail(REPLY)).rejects.toMatchObject({ responseCode: 421 });
    sender.close();

    relay.setDown(false);
    // One pooled connection stays open across the switch, as the reply stage's transport would.
    const pooled = nodemailer.createTransport({ pool: true, maxConnections: 1, host: relay.host, port: relay.port, secure: false, ignoreTLS: true, logger: false });
    await pooled.sendMail(REPLY);
    relay.setDown(true);
    await expect(pooled.sendMail(REPLY)).rejects.toMatchObject({ responseCode: 451 });
    relay.setDown(false);
    await pooled.sendMail(REPLY);
    pooled.close();
    expect(relay.received.length - before).toBe(2);
  });

  it('failNext refuses the next messages with the given code, then accepts again', async () => {
    const sender = createSender(relay);
    relay.failNext(1);
    await expect(sender.sendMail(REPLY)).rejects.toMatchObject({ responseCode: 451 });
    relay.failNext(1, { responseCode: 550, message: 'Mailbox unavailable' });
    await expect(sender.sendMail(REPLY)).rejects.toMatchObject({ responseCode: 550 });
    await expect(sender.sendMail(REPLY)).resolves.toMatchObject({ accepted: ['applicant@example.test', 'copy@example.test'] });
    sender.close();
  });

  it('waitForMessages resolves when enough messages have arrived', async () => {
    const target = relay.received.length + 1;
    const waiting = relay.waitForMessages(target, 5000);
    const sender = createSender(relay);
    await sender.sendMail(REPLY);
    sender.close();
    await expect(waiting).resolves.toHaveLength(target);
    await expect(relay.waitForMessages(target + 5, 50)).rejects.toThrow(/messages arrived within 50 ms/);
  });
});

describe('startSmtpRelay options', () => {
  it('starts failing when asked (failNext) and answers 451 when delivery fails, keeping nothing', async () => {
    let failDelivery = true;
    const relay = await startSmtpRelay({
      failNext: 1,
      deliverTo: async () => {
        if (failDelivery) throw new Error('mailbox store offline');
      },
    });
    try {
      const sender = createSender(relay);
      await expect(sender.sendMail(REPLY)).rejects.toMatchObject({ responseCode: 451 });
      await expect(sender.sendMail(REPLY)).rejects.toMatchObject({ responseCode: 451, response: expect.stringContaining('mailbox store offline') });
      expect(relay.received).toEqual([]);
      failDelivery = false;
      await sender.sendMail(REPLY);
      sender.close();
      expect(relay.received).toHaveLength(1);
    } finally {
      await relay.stop();
    }
  });

  it('refuses a message over the size limit with 552', async () => {
    const relay = await startSmtpRelay({ sizeLimit: 2000 });
    try {
      const sender = createSender(relay);
      await expect(sender.sendMail({ ...REPLY, text: 'x'.repeat(5000) })).rejects.toMatchObject({ responseCode: 552 });
      sender.close();
      expect(relay.received).toEqual([]);
    } finally {
      await relay.stop();
    }
  });

  it('stops idempotently and frees the port', async () => {
    const relay = await startSmtpRelay();
    await Promise.all([relay.stop(), relay.stop()]);
    await relay.stop();
    const sender = createSender(relay, { connectionTimeout: 1000 });
    await expect(sender.sendMail(REPLY)).rejects.toMatchObject({ code: 'ESOCKET' });
    sender.close();
  });
});
