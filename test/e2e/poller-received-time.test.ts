/**
 * Contract § 5: the live service judges the office server's arrival time (IMAP INTERNALDATE), not
 * the sender's Date header, and flags a Date header more than 24 h away (`received_date_mismatch`).
 * Real Dovecot, Redis and SMTP; the server's arrival time is the delivery, i.e. now.
 */
import path from 'node:path';
import { createFileStore } from '../../adapters/file-store';
import { mailKey } from '../../services/poller';
import type { StoredMail } from '../../core/stored/stored-mail';
import { OFFICE, startHarness, waitFor, type Harness } from './harness';
import { applicationMail, composeMail, applicationPdf, uniqueTag } from './mails';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(['poller', 'worker'], { config: { receivedTime: 'server' } });
}, 60_000);
afterAll(async () => {
  await h?.stop();
}, 60_000);

async function verdictOf(raw: Buffer) {
  const id = mailKey(raw);
  const rev = await waitFor('the verdict', () => h.service.store.getRevisionByMessage(id));
  const stored = await createFileStore(path.join(h.config.dataDir, 'files')).readJson<StoredMail>('mail', id);
  return { result: rev.result, stored };
}

describe('received time from the office server', () => {
  it('judges the arrival time and flags a Date header days away, keeping both times as evidence', async () => {
    const before = Date.now();
    const mail = await applicationMail(`backdated-${uniqueTag()}`); // Date: 4 March 2021, before the deadline
    await h.stack.dovecot.deliver(OFFICE.user, mail.raw);
    const { result, stored } = await verdictOf(mail.raw);
    // The backdated header does not make it in time: the server received it now, after the deadline.
    expect(new Date(result.receivedAt!).getTime()).toBeGreaterThanOrEqual(before - 5_000);
    expect(stored.receivedFrom).toBe('server');
    expect(stored.headerDate).toBe('2021-03-04T20:35:51.000Z');
    const flag = result.flags.find((f) => f.code === 'received_date_mismatch');
    expect(flag).toMatchObject({ severity: 'review', evidence: { headerDate: '2021-03-04T20:35:51.000Z', serverReceivedAt: stored.serverReceivedAt } });
    expect(result.flags.map((f) => f.code)).toContain('late_submission');
  }, 60_000);

  it('does not flag a Date header within a day of the arrival time', async () => {
    const mail = await composeMail({
      sender: `ontime-${uniqueTag()}`,
      date: new Date(Date.now() - 3 * 60 * 60 * 1000),
      attachments: [{ filename: 'application.pdf', content: await applicationPdf(), contentType: 'application/pdf' }],
    });
    await h.stack.dovecot.deliver(OFFICE.user, mail.raw);
    const { result, stored } = await verdictOf(mail.raw);
    expect(stored.receivedFrom).toBe('server');
    expect(result.flags.map((f) => f.code)).not.toContain('received_date_mismatch');
  }, 60_000);
});
