/**
 * The same mail twice, and an applicant's auto-responder answering every
 * reply: one verdict, one reply, no mail loop.
 */
import { checkNothingLostNothingTwice, listFolder, repliesTo, startFaultHarness, waitFor, waitUntilFiled, type FaultHarness } from './fault-harness';
import { applicationMail, outOfOfficeMail, uniqueTag, type TestMail } from './mails';

let h: FaultHarness;
beforeAll(async () => {
  h = await startFaultHarness({ roles: ['poller', 'worker'] });
}, 60_000);
afterAll(async () => {
  await h?.stop();
}, 60_000);

describe('the same mail delivered twice (identical bytes)', () => {
  it('at once: one verdict, one reply, both copies leave the INBOX (regression: each delivery got a ledger row of its own)', async () => {
    const mail = await applicationMail(`dup-now-${uniqueTag()}`);
    await h.deliver(mail);
    await h.deliver(mail);
    await waitUntilFiled(h, [mail]);
    await checkNothingLostNothingTwice(h, [mail], () => ({ status: 'complete', replies: 1 }));
    const apps = (await h.service.store.listApplications()).filter((a) => a.applicantEmail === mail.from);
    expect(apps.map((a) => a.revisionCount)).toEqual([1]);
  }, 180_000);

  it('again after the first copy was answered and filed: the second copy is filed too, without a second reply', async () => {
    const mail = await applicationMail(`dup-later-${uniqueTag()}`);
    await h.deliver(mail);
    await waitUntilFiled(h, [mail]);
    await h.deliver(mail);
    await waitUntilFiled(h, [mail]);
    await checkNothingLostNothingTwice(h, [mail], () => ({ status: 'complete', replies: 1 }));
  }, 180_000);
});

describe('an applicant whose auto-responder answers every mail', () => {
  it('gets exactly one reply: the out-of-office answers are filed, never answered', async () => {
    const applicant = await applicationMail(`ooo-${uniqueTag()}`);
    const local = applicant.from.split('@')[0]!;
    const answered = new Set<string>();
    const autoReplies: TestMail[] = [];
    // The applicant's side: three kinds of responder answer each mail that reaches the address.
    let running = true;
    const responder = (async () => {
      while (running) {
        for (const r of repliesTo(h, applicant.from)) {
          const id = r.messageId ?? '';
          if (answered.has(id)) continue;
          answered.add(id);
          const subject = /^subject:\s*(.*)$/im.exec(r.raw.toString('utf8'))?.[1] ?? '';
          for (const kind of ['rfc3834', 'exchange', 'subject-only'] as const) {
            const ooo = await outOfOfficeMail(local, { messageId: id, subject }, kind);
            autoReplies.push(ooo);
            await h.deliver(ooo);
          }
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    try {
      await h.deliver(applicant);
      await waitFor('the first round of auto-replies', async () => autoReplies.length >= 3);
      await waitUntilFiled(h, [applicant, ...autoReplies]);
      // A few more poll rounds: would anything answer the auto-replies?
      const before = h.stack.smtp.received.length;
      await new Promise((r) => setTimeout(r, 1000));
      expect(h.stack.smtp.received.length).toBe(before);
    } finally {
      running = false;
      await responder;
    }
    expect(answered.size).toBe(1);
    await checkNothingLostNothingTwice(h, [applicant, ...autoReplies], (m) =>
      m === applicant ? { status: 'complete', replies: 1 } : { status: 'not_application', replies: 1 /* the applicant's one reply, counted per address */ },
    );
    const app = (await h.service.store.listApplications()).find((a) => a.applicantEmail === applicant.from);
    expect(app?.revisionCount).toBe(1);
    expect((await listFolder(h, 'INBOX')).length).toBe(0);
  }, 180_000);
});
