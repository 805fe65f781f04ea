/**
 * Stage 3, triage: the rules decide (the pure core), the verdict is stored
 * as a revision of the applicant's application, and resubmissions and
 * second programmes are flagged. Once stored, the mail may leave the inbox.
 */
import { chooseStatus, decideApplication, type TriageInput } from '../core/triage/triage-application';
import { fillMessage } from '../core/triage/fill-message';
import type { Flag } from '../core/types';
import type { StoredAnalysis } from './analyse';
import { STAGE_ERROR_CODES, StageInputError } from './errors';
import { advanceMessageState } from './message-state';
import type { Stage, StageContext } from './stage-context';
import type { StoredMail } from './stored-mail';

export const triage: Stage = {
  name: 'triage',
  async run({ messageId }, ctx) {
    const [mail, stored] = await Promise.all([
      ctx.files.readJson<StoredMail>('mail', messageId),
      ctx.files.readJson<StoredAnalysis>('analysis', messageId),
    ]).catch(() => {
      throw new StageInputError(STAGE_ERROR_CODES.MISSING_FILE, 'the parsed mail or the analysis is missing');
    });
    // A retry after a crash between saving and enqueueing must not decide twice.
    const existing = await ctx.store.getRevisionByMessage(messageId);
    if (!existing) {
      const rules = ctx.rules();
      const input: TriageInput = {
        mail: {
          subject: mail.subject,
          text: mail.text,
          ...(mail.from ? { from: mail.from } : {}),
          ...(mail.machine ? { machine: { reason: mail.machine.reason } } : {}),
          otherAttachments: mail.otherAttachments,
        },
        receivedAt: new Date(mail.receivedAt),
        pdfs: stored.pdfs,
      };
      const { result } = decideApplication(input, stored.analysis, rules);
      const applicantKey = result.status === 'not_application' ? null : (mail.from?.email ?? null);
      if (applicantKey) {
        result.flags.push(...(await flagHistory(ctx, applicantKey, result.programme)));
        result.status = chooseStatus(result.flags);
      }
      const revision = await ctx.store.saveTriage({ messageId, result, rulesHash: ctx.rulesHash(), applicantKey, decidedAt: ctx.now().toISOString() });
      await saveSectionFiles(ctx, revision, stored);
      await ctx.store.appendEvent({
        actor: 'worker:triage',
        action: 'application.triaged',
        subject: revision.applicationId,
        detail: { messageId, revision: revision.revision, status: result.status, flags: result.flags.map((f) => f.code), rulesHash: ctx.rulesHash() },
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

/** `resubmission` when the applicant applied to this programme before; `duplicate_application` for another programme. */
async function flagHistory(ctx: StageContext, applicantKey: string, programme: string | null): Promise<Flag[]> {
  const earlier = await ctx.store.listApplicationsOf(applicantKey);
  const flags = ctx.rules().rules.common.flags;
  const out: Flag[] = [];
  const same = earlier.find((a) => a.programme === programme);
  if (same) {
    out.push({
      code: 'resubmission',
      severity: flags.resubmission!.severity,
      message: fillMessage(flags.resubmission!.message, {}),
      evidence: { previousStatus: same.status, revisions: same.revisionCount },
    });
  }
  const others = earlier.filter((a) => a.programme && a.programme !== programme).map((a) => a.programme!);
  if (others.length > 0) {
    out.push({
      code: 'duplicate_application',
      severity: flags.duplicate_application!.severity,
      message: fillMessage(flags.duplicate_application!.message, {}),
      evidence: { programmes: [...new Set(others)] },
    });
  }
  return out;
}
