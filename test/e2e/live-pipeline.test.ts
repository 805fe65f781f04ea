/**
 * End to end: applications delivered into the office INBOX of a real
 * Dovecot, the service running on a real Redis, replies through a real SMTP
 * server into the applicants' mailboxes.
 */
import { requeueApprovedReplies } from '../../workers/approved-replies';
import { demoMail, headerOf, OFFICE, senderOf, startHarness, waitFor, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(async () => {
  await h?.stop();
}, 60_000);

async function replyIn(mailbox: string) {
  return waitFor(`a reply in ${mailbox}`, async () => {
    if (!h.stack.dovecot.hasUser(mailbox)) return undefined;
    const list = await h.stack.dovecot.listMessages(mailbox, 'INBOX', { source: true });
    return list.length > 0 ? list : undefined;
  });
}

describe('the live pipeline', () => {
  it('answers a complete application, threaded, and files the mail in Done', async () => {
    const raw = await h.deliver('01-complete.eml');
    const applicant = senderOf(raw);
    const [reply] = await replyIn(applicant);
    const source = reply!.source!;
    expect(headerOf(source, 'In-Reply-To')).toBe(headerOf(raw, 'Message-ID'));
    expect(headerOf(source, 'References')).toContain(headerOf(raw, 'Message-ID')!);
    expect(headerOf(source, 'Auto-Submitted')).toBe('auto-replied');
    expect(headerOf(source, 'X-ESOR-Intake')).toBe('auto-reply');
    expect(reply!.subject).toMatch(/^Re: /);

    await waitFor('the mail in Done', async () => (await h.stack.dovecot.listMessages(OFFICE.user, 'Done')).length === 1);
    expect(await h.stack.dovecot.listMessages(OFFICE.user, 'INBOX')).toEqual([]);
    const sent = await h.stack.dovecot.listMessages(OFFICE.user, 'Sent');
    expect(sent).toHaveLength(1);

    const apps = await h.service.store.listApplications();
    expect(apps.map((a) => a.status)).toEqual(['complete']);
  }, 60_000);

  it('tells an applicant what is missing', async () => {
    const raw = await h.deliver('02-missing-documents.eml');
    const [reply] = await replyIn(senderOf(raw));
    const text = reply!.source!.toString('utf8');
    expect(text).toMatch(/references/i);
    const apps = await h.service.store.listApplications({ status: 'incomplete' });
    expect(apps).toHaveLength(1);
  }, 60_000);

  it('never answers an out-of-office reply, and still files it', async () => {
    const raw = await h.deliver('04-out-of-office.eml');
    await waitFor('the out-of-office in Done', async () => (await h.stack.dovecot.listMessages(OFFICE.user, 'Done')).length === 3);
    expect(h.stack.dovecot.hasUser(senderOf(raw))).toBe(false);
  }, 60_000);

  it('holds an ineligible reply for staff instead of sending it', async () => {
    const raw = await h.deliver('03-late.eml');
    await waitFor('the late application in Done', async () => (await h.stack.dovecot.listMessages(OFFICE.user, 'Done')).length === 4);
    const held = await h.service.store.listReplies({ state: 'held' });
    expect(held).toHaveLength(1);
    expect(h.stack.dovecot.hasUser(senderOf(raw))).toBe(false);
  }, 60_000);

  it('sends a held reply staff approved once, even when its job was lost and the verdict amended since', async () => {
    const raw = demoMail('03-late.eml');
    const store = h.service.store;
    const [held] = await store.listReplies({ state: 'held' });
    const app = (await store.getApplication(held!.applicationId))!;
    // Staff overrode the verdict, then approved the reply held for the first one; the approval's job
    // never reached Redis (as when Redis is away at that moment): the worker's sweep must queue it.
    await store.amendRevision({ applicationId: app.id, revision: app.latest.revision, result: { ...app.latest.result, status: 'needs_review' }, action: 'status.overridden', actor: 'tester', reason: 'test', at: new Date().toISOString() });
    await store.approveReply(held!.id, 'tester');
    expect(await requeueApprovedReplies(store, h.service.queues)).toBe(1);
    expect(await requeueApprovedReplies(store, h.service.queues)).toBeLessThanOrEqual(1); // same job id: nothing new
    const applicant = app.applicantEmail!;
    const [reply] = await replyIn(applicant);
    await waitFor('the reply recorded as sent', async () => (await store.getReply(held!.id))?.state === 'sent');
    expect(await requeueApprovedReplies(store, h.service.queues)).toBe(0);
    expect(headerOf(reply!.source!, 'In-Reply-To')).toBe(headerOf(raw, 'Message-ID'));
    expect(reply!.source!.toString('utf8')).toMatch(/deadline/i);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await h.stack.dovecot.listMessages(applicant, 'INBOX')).toHaveLength(1);
  }, 60_000);
});
