/**
 * Test-only hooks for worker processes started by the fault tests (loaded by
 * esor-intake-from-sources.js when E2E_STAGE_HOOKS=1, never by the service).
 *
 * A mail with the header `X-E2E-Hang: STAGE:POINT` makes the worker stop
 * dead at that point of that stage, announce it on stdout
 * (`E2E-HANG STAGE:POINT MESSAGE-ID`) and hold the job until the process is
 * killed: a deterministic place for a SIGKILL.
 *
 * - `before`  the job was taken, nothing done yet
 * - `mid`     halfway: ingest and analyse before queueing the next stage (analyse
 *             has set the state `analysed`), triage after saving the verdict but
 *             before the section files, reply after reserving but before sending
 * - `after`   all the stage's work done (next stage queued), the job not yet completed
 * - `always`  like `before`, in every hooked worker that takes the job: a mail that kills whoever reads it
 */
import { STAGES } from '../../workers/registry';
import type { StageContext, StageJob, StageName } from '../../workers/stage-context';

type Point = 'before' | 'mid' | 'after' | 'always';

async function hangPointOf(messageId: string, ctx: StageContext): Promise<{ stage: string; point: Point } | undefined> {
  const record = await ctx.store.getMessage(messageId);
  if (!record) return undefined;
  const raw = (await ctx.files.readFile(record.rawPath)).toString('latin1');
  const head = raw.split(/\r?\n\r?\n/)[0] ?? '';
  const m = /^x-e2e-hang:\s*([a-z]+):(before|mid|after|always)\s*$/im.exec(head);
  return m ? { stage: m[1]!, point: m[2] as Point } : undefined;
}

function hangForever(stage: StageName, point: Point, messageId: string): Promise<never> {
  process.stdout.write(`E2E-HANG ${stage}:${point} ${messageId}\n`);
  return new Promise<never>(() => undefined);
}

function midContext(stage: StageName, ctx: StageContext, hang: () => Promise<never>): StageContext {
  switch (stage) {
    case 'ingest':
    case 'analyse':
      return { ...ctx, enqueue: () => hang() };
    case 'triage':
      return {
        ...ctx,
        store: new Proxy(ctx.store, {
          get(target, prop, receiver) {
            if (prop === 'saveSectionFile') return () => hang();
            const v = Reflect.get(target, prop, receiver) as unknown;
            return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
          },
        }),
      };
    case 'reply':
      return { ...ctx, sendMail: () => hang() };
  }
}

export function installStageHooks(): void {
  for (const name of Object.keys(STAGES) as StageName[]) {
    const stage = STAGES[name] as { run: (job: StageJob, ctx: StageContext) => Promise<void> };
    const run = stage.run.bind(stage);
    stage.run = async (job, ctx) => {
      const at = await hangPointOf(job.messageId, ctx);
      if (!at || at.stage !== name) return run(job, ctx);
      const hang = () => hangForever(name, at.point, job.messageId);
      if (at.point === 'before' || at.point === 'always') return hang();
      if (at.point === 'mid') return run(job, midContext(name, ctx, hang));
      await run(job, ctx);
      return hang();
    };
  }
}
