/**
 * Stage 3, triage: the rules decide (the pure core), the verdict is stored
 * as a revision of the applicant's application, and resubmissions and
 * second programmes are flagged. Once stored, the mail may leave the inbox.
 */
import type { StoredAnalysis } from '../core/stored/stored-analysis';
import { applicantKeyOf, decideStored } from '../core/stored/decide-stored';
import { readMemberList } from '../adapters/member-list-blob';
import { missingFile } from './errors';
import { advanceMessageState } from './message-state';
import type { Stage, StageContext } from './stage-context';
import type { StoredMail } from '../core/stored/stored-mail';

export const triage: Stage = {
  name: 'triage',
  async run({ messageId }, ctx) {
    const [mail, stored] = await Promise.all([
      ctx.files.readJson<StoredMail>('mail', messageId),
      ctx.files.readJson<StoredAnalysis>('analysis', messageId),
    ]).catch(missingFile('the parsed mail or the analysis is missing'));
    // A retry after a crash between saving and enqueueing must not decide twice.
    const existing = await ctx.store.getRevisionByMessage(messageId);
    if (!existing) {
      // Both read in one tick, so a hot reload cannot pair these rules with another hash.
      const rules = ctx.rules();
      const rulesHash = ctx.rulesHash();
      const sender = mail.from?.email;
      const history = sender ? { earlier: await ctx.store.listApplicationsOf(sender) } : undefined;
      // The ESR member list admins uploaded, read per decision: an upload counts from the next mail on.
      const esrMembers = await readMemberList(ctx.files);
      const result = decideStored(mail, stored, rules, history, esrMembers ? { esrMembers } : {});
      const applicantKey = applicantKeyOf(mail, result);
      const revision = await ctx.store.saveTriage({ messageId, result, rulesHash, applicantKey, decidedAt: ctx.now().toISOString() });
      await saveSectionFiles(ctx, revision, stored);
      await ctx.store.appendEvent({
        actor: 'worker:triage',
        action: 'application.triaged',
        subject: revision.applicationId,
        detail: { messageId, revision: revision.revision, status: result.status, flags: result.flags.map((f) => f.code), rulesHash },
        at: ctx.now().toISOString(),
      });
      ctx.observe?.verdict?.(result.programme, result.status);
    } else {
      // The verdict was saved by an attempt that died before its section files were: saving them again is harmless.
      await saveSectionFiles(ctx, existing, stored);
    }
    await advanceMessageState(ctx, messageId, 'triaged');
    await ctx.enqueue('reply', messageId);
  },
};

async function saveSectionFiles(ctx: StageContext, at: { applicationId: string; revision: number }, stored: StoredAnalysis): Promise<void> {
  for (const f of stored.sectionFiles) {
    await ctx.store.saveSectionFile({ applicationId: at.applicationId, revision: at.revision, ...f });
  }
}
