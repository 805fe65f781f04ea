/**
 * Fault: the poller process dies (SIGKILL), mid-pass during a burst, and
 * while Redis is down, after it has recorded mail it could not queue yet.
 * A new poller must pick every mail up, once. The workers run in this process.
 */
import { checkNothingLostNothingTwice, startFaultHarness, waitFor, waitUntilFiled, type FaultHarness } from './fault-harness';
import { applicationMail, uniqueTag } from './mails';

let h: FaultHarness;
beforeAll(async () => {
  h = await startFaultHarness({ roles: ['worker'] });
}, 180_000);
afterEach(async () => {
  await h?.stopProcesses();
}, 30_000);
afterAll(async () => {
  await h?.stop();
}, 180_000);

describe('the poller killed with SIGKILL', () => {
  it('in the middle of a burst: a new poller takes the rest, nothing twice', async () => {
    const tag = uniqueTag();
    const mails = await Promise.all(Array.from({ length: 12 }, (_, i) => applicationMail(`poller-burst-${tag}-${i}`)));
    const poller = await h.startPoller();
    for (const m of mails) await h.deliver(m);
    await waitFor('some mail recorded', async () => (await h.service.store.listUnfinishedMessages()).length >= 3, 20_000);
    await poller.kill9();
    await h.startPoller();
    // Liveness, not speed: on a busy machine reading the PDFs in sandbox children takes well over 30 s.
    await waitUntilFiled(h, mails, 120_000);
    await checkNothingLostNothingTwice(h, mails, () => ({ status: 'complete', replies: 1 }));
  }, 180_000);

  it('after recording mail it could not queue (Redis down): a new poller queues it (regression: recorded mail was never queued)', async () => {
    const tag = uniqueTag();
    const mails = await Promise.all(Array.from({ length: 4 }, (_, i) => applicationMail(`poller-redis-${tag}-${i}`)));
    const poller = await h.startPoller();
    await h.stack.redis.stop();
    for (const m of mails) await h.deliver(m);
    // The poller records the first mail, then waits for Redis to queue it.
    await waitFor('a mail recorded but not queued', async () => (await h.service.store.listUnfinishedMessages()).some((m) => m.state === 'received'), 20_000);
    await poller.kill9();
    await h.stack.redis.restart();
    await h.startPoller();
    await waitUntilFiled(h, mails, 120_000);
    await checkNothingLostNothingTwice(h, mails, () => ({ status: 'complete', replies: 1 }));
  }, 180_000);
});
