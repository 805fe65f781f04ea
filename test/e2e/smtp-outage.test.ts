/**
 * Fault: the mail server is down (421/451) for a while. Replies wait and go
 * out once it is back, exactly once each; a reply refused for good (550)
 * files the mail under Problem with the reason, and is not retried.
 */
import { checkNothingLostNothingTwice, repliesTo, startFaultHarness, waitFor, waitUntilFiled, type FaultHarness } from './fault-harness';
import { applicationMail, uniqueTag } from './mails';

let h: FaultHarness;
beforeAll(async () => {
  h = await startFaultHarness({ roles: ['poller', 'worker'] });
}, 60_000);
afterAll(async () => {
  await h?.stop();
}, 60_000);

describe('the SMTP server', () => {
  it('down for a while: every reply arrives once it is back, none twice, nothing dropped', async () => {
    const tag = uniqueTag();
    const mails = await Promise.all(Array.from({ length: 5 }, (_, i) => applicationMail(`smtp-down-${tag}-${i}`)));
    h.stack.smtp.setDown(true);
    // Up again whatever happens here: a server left down fails the next test for a reason not its own.
    try {
      for (const m of mails) await h.deliver(m);
      // Every verdict stored and every reply refused at least twice: the mails wait, unanswered, in the INBOX.
      await waitFor(
        'replies refused while the server is down',
        async () => {
          const pending = await h.service.store.listReplies({ state: 'pending' });
          const refused = h.logs.filter((l) => l.msg === 'stage failed' && l.code === 'SMTP_TEMPORARY' && l.stage === 'reply').length;
          return pending.length >= mails.length && refused >= mails.length * 2;
        },
        120_000,
      );
      expect(h.stack.smtp.received).toHaveLength(0);
      expect((await h.service.store.listUnfinishedMessages()).map((m) => m.state)).toEqual(mails.map(() => 'triaged'));
    } finally {
      h.stack.smtp.setDown(false);
    }
    await waitUntilFiled(h, mails, 120_000);
    await checkNothingLostNothingTwice(h, mails, () => ({ status: 'complete', replies: 1 }));
  }, 300_000);

  it('refusing a reply for good (550): the mail goes to Problem with the reason, the reply is not retried', async () => {
    const mail = await applicationMail(`smtp-550-${uniqueTag()}`);
    h.stack.smtp.failNext(1, { responseCode: 550, message: 'mailbox unavailable' });
    await h.deliver(mail);
    await waitUntilFiled(h, [mail], 120_000);
    await checkNothingLostNothingTwice(h, [mail], () => ({ status: 'complete', replies: 0, folder: 'Problem' }));
    const [reply] = (await h.service.store.listReplies()).filter((r) => r.to === mail.from);
    expect(reply).toMatchObject({ state: 'failed', attempts: 1 });
    // Still nothing sent a while later: a refused reply is final.
    await new Promise((r) => setTimeout(r, 500));
    expect(repliesTo(h, mail.from)).toHaveLength(0);
  }, 300_000);
});
