/** Admins: the rule files in force with their validation, and a dry run of edited rules. */
import { statSync } from 'node:fs';
import path from 'node:path';
import { safeError } from '../../common/logger';
import { redirectTo, sendPage, staffOf, stringField, type RouteModule } from '../context';
import { flashFrom } from '../views/common';
import { dryRunPage, rulesPage, type DryRunJob } from '../views/rules';

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

export const rulesRoutes: RouteModule = (app, { deps, words }) => {
  const config = { access: 'admin' as const };
  // One dry run at a time, kept in memory until the next one: it only reads.
  let job: DryRunJob | undefined;
  let nextId = 1;

  app.get('/rules', { config }, async (request, reply) => {
    const flash = flashFrom(request.query);
    return sendPage(reply, rulesPage({ user: staffOf(request), rules: deps.rules(), dryRunAvailable: !!deps.dryRun, words: words(), ...(flash ? { flash } : {}) }));
  });

  app.get('/rules/dry-run', { config }, async (request, reply) => {
    const flash = flashFrom(request.query);
    return sendPage(
      reply,
      dryRunPage({ user: staffOf(request), available: !!deps.dryRun, defaultDir: '', words: words(), ...(job ? { job } : {}), ...(flash ? { flash } : {}) }),
    );
  });

  app.post('/rules/dry-run', { config }, async (request, reply) => {
    const user = staffOf(request);
    const dryRun = deps.dryRun;
    if (!dryRun) return redirectTo(reply, '/rules/dry-run?error=dry-run-unavailable');
    if (job?.state === 'running') return redirectTo(reply, '/rules/dry-run?error=dry-run-busy');
    const dir = (stringField(request.body, 'dir') ?? '').trim();
    if (!dir || dir.length > 1000 || dir.includes('\0') || !path.isAbsolute(dir) || !isDirectory(dir)) {
      return redirectTo(reply, '/rules/dry-run?error=dir-invalid');
    }
    const current: DryRunJob = { id: nextId++, dir, by: user.username, startedAt: deps.now().toISOString(), state: 'running', done: 0, total: 0 };
    job = current;
    request.log.info({ user: user.username, job: current.id }, 'dashboard: rules dry run started');
    const log = request.log;
    void dryRun(dir, (done, total) => {
      current.done = done;
      current.total = total;
    }).then(
      (result) => {
        current.state = 'done';
        current.result = result;
        current.finishedAt = deps.now().toISOString();
        log.info({ job: current.id }, 'dashboard: rules dry run finished');
      },
      (err: unknown) => {
        current.state = 'failed';
        current.error = safeError(err).message;
        current.finishedAt = deps.now().toISOString();
        log.warn({ job: current.id, err: safeError(err) }, 'dashboard: rules dry run failed');
      },
    );
    return redirectTo(reply, '/rules/dry-run?done=dry-run-started');
  });
};
