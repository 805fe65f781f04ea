/**
 * End to end: applications delivered into the office INBOX of a real
 * Dovecot, the service running on a real Redis, replies through a real SMTP
 * server into the applicants' mailboxes.
 */
import path from 'node:path';
import pino from 'pino';
import { createFileStore } from '../../adapters/file-store';
import { dashboardDeps } from '../../services/dashboard-deps';
import { requeueApprovedReplies } from '../../workers/approved-replies';
import { demoMail, headerOf, OFFICE, senderOf, startHarness, waitFor, type Harness } from './harness';
import { applicationPdf, composeMail, uniqueTag } from './mails';

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

  it('re-decides a stored application with staff-fixed section ranges, and cuts their PDFs', async () => {
    const store = h.service.store;
    const complete = (await store.listApplications({ status: 'complete' }))[0]!;
    const app = (await store.getApplication(complete.id))!;
    const deps = dashboardDeps({ config: h.config, store, files: createFileStore(path.join(h.dataDir, 'files')), rules: h.service.rules, queues: h.service.queues, logger: pino({ level: 'silent' }), now: () => new Date() });
    // With the rules in force and no change, the verdict stands.
    const same = await deps.redecide(app.id, 1);
    expect(same.result.status).toBe('complete');
    expect(same.rulesHash).toBe(h.service.rules.hash());
    // Staff say the passport pages are references instead: the passport is then missing.
    const sections = app.latest.sections.filter((x) => x.id !== 'other').map((x) => ({ id: x.id === 'passport' ? 'references' : x.id, pages: x.pages }));
    const withRefs = sections.filter((x, i, all) => all.findIndex((y) => y.id === x.id) === i);
    const fixed = await deps.redecide(app.id, 1, { sections: withRefs });
    expect(fixed.result.missing).toContain('passport');
    expect(fixed.result.status).toBe('incomplete');
    await expect(deps.redecide(app.id, 1, { sections: [{ id: 'cv', pages: [1, 2] }, { id: 'passport', pages: [2, 3] }] })).rejects.toMatchObject({ name: 'SpanError' });
    await deps.cutSections!(app.id, 1, [{ id: 'cv', pages: [1, 2] }]);
    const files = await store.listSectionFiles(app.id, 1);
    expect(files.find((f) => f.section === 'cv' && f.pages[0] === 1 && f.pages[1] === 2)).toBeDefined();
  }, 60_000);

  it('sends a mail naming another fellowship to a person, with a receipt and no verdict (contract § 4, § 6)', async () => {
    const sender = `other-programme-${uniqueTag()}`;
    const mail = await composeMail({
      sender,
      subject: 'Application – ESOR Fellowship in Musculoskeletal Imaging, Balgrist University Hospital Zurich',
      text: 'Dear ESOR Office,\n\nplease find attached my application for the ESOR musculoskeletal imaging fellowship at Balgrist, Zurich.\n\nKind regards',
      attachments: [{ filename: 'application.pdf', content: await applicationPdf(), contentType: 'application/pdf' }],
    });
    await h.stack.dovecot.deliver(OFFICE.user, mail.raw);
    const [reply] = await replyIn(mail.from);
    const text = reply!.source!.toString('utf8').replace(/=\r?\n/g, '');
    expect(text).toMatch(/being checked by the ESOR office/);
    // A receipt, not a verdict: neither the acknowledgement nor the list of what to fix.
    expect(text).not.toMatch(/checked your PDF file|application is complete|not complete yet/);
    const [app] = (await h.service.store.listApplications()).filter((a) => a.applicantEmail === mail.from);
    expect(app?.status).toBe('needs_review');
    expect(app?.programme).toBeNull();
    expect(app?.flags).toContain('programme_unknown');
  }, 60_000);
});
