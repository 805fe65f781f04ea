/**
 * Fault: the IMAP connection is cut in the middle of fetching (the Dovecot
 * process serving it killed), again and again during a burst, and Dovecot
 * as a whole crashes and comes back. The poller reconnects with a new
 * client each time; nothing is lost or taken twice.
 */
import { checkNothingLostNothingTwice, findImapProcesses, mailsSeen, startFaultHarness, waitFor, waitForSeen, waitUntilFiled, type FaultHarness } from './fault-harness';
import { composeMail, hugePdf, uniqueTag, type TestMail } from './mails';

let h: FaultHarness;
beforeAll(async () => {
  h = await startFaultHarness({ roles: ['poller', 'worker'] });
}, 180_000);
afterAll(async () => {
  await h?.stop();
}, 180_000);

/** Applications of about 1.4 MB each (a PDF with an embedded scan), so that fetching one takes a while. */
async function bulkyApplications(tag: string, count: number): Promise<TestMail[]> {
  const pdf = await hugePdf(1024 * 1024);
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      composeMail({ sender: `imap-${tag}-${i}`, name: `Applicant ${i}`, subject: `ESOR fellowship application - ${i}`, attachments: [{ filename: 'application.pdf', content: pdf, contentType: 'application/pdf' }] }),
    ),
  );
}

const connects = () => h.logs.filter((l) => l.msg === 'imap connected').length;

describe('the IMAP connection', () => {
  it('cut mid-fetch three times during a burst: a new client each time, every mail once', async () => {
    const mails = await bulkyApplications(uniqueTag(), 12);
    const before = connects();
    const base = await mailsSeen(h);
    for (const m of mails) await h.deliver(m);
    const seenAtKill: number[] = [];
    for (const atLeast of [2, 5, 8]) {
      // The poller fetches one mail after the other: right after one is recorded, the next one is on the wire.
      seenAtKill.push((await waitForSeen(h, base + atLeast)) - base);
      const pids = findImapProcesses(h);
      expect(pids.length).toBeGreaterThan(0);
      for (const pid of pids) process.kill(pid, 'SIGKILL');
      const after = connects();
      await waitFor('the poller connected again', async () => connects() > after, 10_000);
    }
    // The first cut came in the middle of the burst (later ones may find the poller done fetching, and cut its moves).
    expect(seenAtKill[0]).toBeLessThan(mails.length);
    // Liveness, not speed: on a busy machine reading the PDFs in sandbox children takes well over 30 s.
    await waitUntilFiled(h, mails, 120_000);
    expect(connects() - before).toBeGreaterThanOrEqual(3);
    await checkNothingLostNothingTwice(h, mails, () => ({ status: 'complete', replies: 1 }));
  }, 180_000);

  it('lost with all of Dovecot (SIGKILL) and back on the same port: every mail once', async () => {
    const mails = await bulkyApplications(uniqueTag(), 6);
    for (const m of mails.slice(0, 4)) await h.deliver(m);
    const start = (await h.service.store.listApplications({ limit: 1000 })).length;
    await waitFor('the burst half taken', async () => (await h.service.store.listApplications({ limit: 1000 })).length >= start + 1, 20_000);
    const after = connects();
    await h.stack.dovecot.kill();
    await new Promise((r) => setTimeout(r, 300));
    await h.stack.dovecot.restart();
    for (const m of mails.slice(4)) await h.deliver(m);
    await waitFor('the poller connected again', async () => connects() > after, 10_000);
    await waitUntilFiled(h, mails, 120_000);
    await checkNothingLostNothingTwice(h, mails, () => ({ status: 'complete', replies: 1 }));
  }, 180_000);
});
