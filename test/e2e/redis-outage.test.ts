/**
 * Fault: Redis goes away while mail arrives (a clean stop, then a crash that
 * loses its last second of writes) and comes back on the same port and
 * append-only file. Every mail must still be processed, once.
 */
import { checkNothingLostNothingTwice, mailsSeen, startFaultHarness, waitForSeen, waitUntilFiled, type FaultHarness } from './fault-harness';
import { applicationMail, uniqueTag } from './mails';

let h: FaultHarness;
beforeAll(async () => {
  h = await startFaultHarness({ roles: ['poller', 'worker'] });
}, 180_000);
afterAll(async () => {
  await h?.stop();
}, 180_000);

describe('Redis down while mail arrives', () => {
  for (const how of ['stop', 'kill9'] as const) {
    it(`${how === 'stop' ? 'stopped' : 'killed (SIGKILL)'} and restarted: every mail processed once`, async () => {
      const tag = uniqueTag();
      const mails = await Promise.all(Array.from({ length: 8 }, (_, i) => applicationMail(`redis-${how}-${tag}-${i}`)));
      const base = await mailsSeen(h);
      for (const m of mails.slice(0, 4)) await h.deliver(m);
      // Let the poller take the first ones, then pull Redis from under the running jobs.
      await waitForSeen(h, base + 2);
      await (how === 'stop' ? h.stack.redis.stop() : h.stack.redis.kill9());
      try {
        for (const m of mails.slice(4)) await h.deliver(m);
        // Mail keeps arriving while Redis is away: the poller records what it fetched and waits to queue it.
        await new Promise((r) => setTimeout(r, 500));
      } finally {
        await h.stack.redis.restart();
      }
      // Liveness, not speed: on a busy machine reading the PDFs in sandbox children takes well over 30 s.
      await waitUntilFiled(h, mails, 120_000);
      await checkNothingLostNothingTwice(h, mails, () => ({ status: 'complete', replies: 1 }));
    }, 180_000);
  }

  it('the service stopped meanwhile: it stops within its shutdown timeout, and the mail it had recorded is processed after its restart (regression: stop waited for Redis for ever)', async () => {
    const mail = await applicationMail(`redis-stop-${uniqueTag()}`);
    const base = await mailsSeen(h);
    await h.stack.redis.stop();
    try {
      await h.deliver(mail);
      // Recorded: the poller now waits for Redis to queue it.
      await waitForSeen(h, base + 1);
      // Stops at all (it waited for Redis for ever): the test's own timeout is the bound, no clock.
      await h.restartService();
    } finally {
      await h.stack.redis.restart();
    }
    await waitUntilFiled(h, [mail], 120_000);
    await checkNothingLostNothingTwice(h, [mail], () => ({ status: 'complete', replies: 1 }));
  }, 180_000);
});
