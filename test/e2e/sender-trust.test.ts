/**
 * The sender is who the office's server says: a forged From (the office's
 * own server wrote dmarc=fail) is neither answered nor merged into the real
 * applicant's application; a Reply-To in another domain is not written to;
 * only a delivery report for one of our replies marks an address bounced.
 * Real Redis, Dovecot and SMTP (test/e2e/harness.ts).
 */
import { Redis } from 'ioredis';
import { OFFICE, startHarness, waitFor, type Harness } from './harness';
import { applicationMail, uniqueTag, type TestMail } from './mails';

/** The authserv-id the office's (test) mail server writes into Authentication-Results. */
const AUTHSERV = 'mx.esor.example.org';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(['poller', 'worker'], { config: { mail: { trustedAuthservIds: [AUTHSERV] } } });
}, 60_000);
afterAll(async () => {
  await h?.stop();
}, 60_000);

let delivered = 0;
async function deliver(raw: Buffer): Promise<void> {
  await h.stack.dovecot.deliver(OFFICE.user, raw);
  delivered++;
}

/** Every mail delivered so far has left the INBOX for Done or Problem. */
async function waitUntilAllFiled(): Promise<void> {
  await waitFor(`${delivered} mails filed`, async () => {
    const done = await h.stack.dovecot.listMessages(OFFICE.user, 'Done');
    const problem = await h.stack.dovecot.listMessages(OFFICE.user, 'Problem').catch(() => []);
    return done.length + problem.length >= delivered;
  }, 40_000);
}

function repliesTo(address: string) {
  return h.stack.smtp.received.filter((m) => m.to.some((t) => t.toLowerCase() === address.toLowerCase()));
}

function messageIdOf(raw: Buffer): string {
  const id = /^message-id:\s*(\S+)/im.exec(raw.toString('latin1').split(/\r?\n\r?\n/)[0]!)?.[1];
  if (!id) throw new Error('a reply without Message-ID');
  return id;
}

async function answered(mail: TestMail) {
  return waitFor(`a reply to ${mail.from}`, async () => repliesTo(mail.from)[0]);
}

/** A Postfix-style delivery status report about `replyMessageId` sent to `recipient`. */
function deliveryReport(recipient: string, replyMessageId: string, action: 'failed' | 'delayed', status: string): Buffer {
  return Buffer.from(
    [
      'From: Mail Delivery System <MAILER-DAEMON@mx.example.org>',
      `To: ${OFFICE.user}`,
      `Subject: ${action === 'failed' ? 'Undelivered Mail Returned to Sender' : 'Delayed Mail (still being retried)'}`,
      `Message-ID: <dsn-${uniqueTag()}@mx.example.org>`,
      'Date: Fri, 05 Mar 2021 10:00:00 +0000',
      'Auto-Submitted: auto-replied',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="DSN1"',
      '',
      '--DSN1',
      'Content-Type: text/plain; charset=us-ascii',
      '',
      'This is the mail system at host mx.example.org.',
      '',
      '--DSN1',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.org',
      '',
      `Final-Recipient: rfc822; ${recipient}`,
      `Action: ${action}`,
      `Status: ${status}`,
      '',
      '--DSN1',
      'Content-Type: text/rfc822-headers',
      '',
      `From: ${OFFICE.user}`,
      `To: ${recipient}`,
      'Subject: Re: ESOR fellowship application',
      `Message-ID: ${replyMessageId}`,
      '',
      '--DSN1--',
      '',
    ].join('\r\n'),
  );
}

describe('sender trust', () => {
  it('a forged From with dmarc=fail from the office server: no reply, an application of its own, the real one untouched', async () => {
    const real = await applicationMail(`real-${uniqueTag()}`, { 'Authentication-Results': `${AUTHSERV}; spf=pass smtp.mailfrom=example.org; dmarc=pass header.from=example.org` });
    await deliver(real.raw);
    await answered(real);
    const local = real.from.split('@')[0]!;
    const forged = await applicationMail(local, { 'Authentication-Results': `${AUTHSERV}; spf=fail smtp.mailfrom=example.org; dkim=none; dmarc=fail (p=reject) header.from=example.org` });
    await deliver(forged.raw);
    await waitUntilAllFiled();
    expect(repliesTo(real.from)).toHaveLength(1);
    const apps = await h.service.store.listApplications();
    const unverified = apps.filter((a) => a.flags.includes('sender_unverified'));
    expect(unverified).toHaveLength(1);
    expect(unverified[0]).toMatchObject({ status: 'needs_review', revisionCount: 1 });
    const original = apps.find((a) => a.applicantEmail === real.from && !a.flags.includes('sender_unverified'));
    expect(original).toMatchObject({ status: 'complete', revisionCount: 1 });
  }, 60_000);

  it('a Reply-To in another domain: the reply goes to From, nothing to the other address', async () => {
    const third = `third-${uniqueTag()}@elsewhere.example.net`;
    const mail = await applicationMail(`replyto-${uniqueTag()}`, { 'Reply-To': third });
    await deliver(mail.raw);
    await answered(mail);
    await waitUntilAllFiled();
    expect(repliesTo(third)).toHaveLength(0);
    // No trusted pass for this sender: its display name and subject are not echoed.
    const reply = repliesTo(mail.from)[0]!.raw.toString('utf8');
    expect(reply).not.toContain(`Applicant replyto-`);
    expect(reply).toMatch(/Dear applicant,/);
  }, 60_000);

  it('a DSN for one of our replies marks the address; a delay notice does not', async () => {
    const failing = await applicationMail(`gone-${uniqueTag()}`);
    const slow = await applicationMail(`slow-${uniqueTag()}`);
    await deliver(failing.raw);
    await deliver(slow.raw);
    const failedReply = await answered(failing);
    const slowReply = await answered(slow);
    await waitUntilAllFiled();
    await deliver(deliveryReport(slow.from, messageIdOf(slowReply.raw), 'delayed', '4.4.1'));
    await deliver(deliveryReport(failing.from, messageIdOf(failedReply.raw), 'failed', '5.1.1'));
    // A report that names the address but quotes no reply of ours: no mark.
    await deliver(deliveryReport(slow.from, '<somebody-else@mail.example.org>', 'failed', '5.1.1'));
    await waitUntilAllFiled();
    expect(await h.service.store.isAddressBounced(failing.from)).toBe(true);
    expect(await h.service.store.isAddressBounced(slow.from)).toBe(false);
    // Machine mail is never answered.
    expect(repliesTo(failing.from)).toHaveLength(1);
    expect(repliesTo(slow.from)).toHaveLength(1);
  }, 90_000);
});

describe('reply caps: over a cap the reply is held for staff, never dropped', () => {
  let c: Harness;
  beforeAll(async () => {
    c = await startHarness(['poller', 'worker'], { config: { limits: { repliesPerSenderPerHour: 1 }, replies: { maxPerHour: 2 } } });
  }, 60_000);
  afterAll(async () => {
    await c?.stop();
  }, 60_000);

  async function repliesOf(mail: TestMail) {
    const apps = (await c.service.store.listApplications()).filter((a) => a.applicantEmail === mail.from);
    const lists = await Promise.all(apps.map((a) => c.service.store.listReplies({ applicationId: a.id })));
    return lists.flat();
  }

  it('the second mail of a sender in the hour, and the mail past the global cap, get held replies with the reason', async () => {
    const first = await applicationMail(`cap-a-${uniqueTag()}`);
    await c.stack.dovecot.deliver(OFFICE.user, first.raw);
    await waitFor('the first reply sent', async () => (await repliesOf(first)).some((r) => r.state === 'sent'));
    // The same applicant again (a corrected application): its reply is held, not lost.
    const again = await applicationMail(first.from.split('@')[0]!);
    await c.stack.dovecot.deliver(OFFICE.user, again.raw);
    const held = await waitFor('the second reply held', async () => (await repliesOf(first)).find((r) => r.state === 'held'));
    expect(held.error).toBe('reply rate limit for this sender');
    // A second sender takes the last slot of the hour; a third is held by the global cap.
    const second = await applicationMail(`cap-b-${uniqueTag()}`);
    await c.stack.dovecot.deliver(OFFICE.user, second.raw);
    await waitFor('the second sender answered', async () => (await repliesOf(second)).some((r) => r.state === 'sent'));
    const third = await applicationMail(`cap-c-${uniqueTag()}`);
    await c.stack.dovecot.deliver(OFFICE.user, third.raw);
    const capped = await waitFor('the third sender held', async () => (await repliesOf(third)).find((r) => r.state === 'held'));
    expect(capped.error).toBe('hourly reply cap for all senders');
    expect(c.stack.smtp.received.filter((m) => m.to.includes(third.from))).toHaveLength(0);
    // The rate-limit keys live under the configured Redis prefix.
    const redis = new Redis(c.stack.redis.url);
    try {
      expect((await redis.keys(`${c.config.redis.prefix}:reply-rate:*`)).length).toBeGreaterThanOrEqual(3);
      expect(await redis.keys('esor:reply-rate:*')).toEqual([]);
    } finally {
      redis.disconnect();
    }
  }, 90_000);
});
