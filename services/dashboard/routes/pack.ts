/**
 * The committee pack of one programme as a zip (services/common/committee-pack.ts,
 * the same pack as `esor-intake pack`), for any signed-in member of staff:
 * every complete application, or those named by `application=ID` (repeatable).
 * Committee members download it through a link of their own
 * (routes/committee-access.ts), which uses `sendPack` below.
 *
 * The zip is streamed as it is made, so the dashboard holds one applicant's
 * PDFs at a time. Each download is recorded in the event log (who, which
 * programme, how many): the pack is personal data leaving the system.
 */
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { safeError } from '../../common/logger';
import { packFileName } from '../../common/committee-pack';
import { isId, staffOf, type RouteModule } from '../context';
import type { DashboardDeps } from '../deps';
import { contentDisposition } from './files';

export const PROGRAMME_ID = /^[a-z0-9][a-z0-9-]{0,99}$/;
const MAX_SELECTED = 500;

function selectedIds(query: unknown): string[] | undefined {
  const raw = (query as Record<string, unknown> | undefined)?.application;
  const list = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw : [];
  const ids = list.filter(isId).slice(0, MAX_SELECTED);
  return ids.length ? [...new Set(ids)] : undefined;
}

export function notFound(reply: FastifyReply): FastifyReply {
  return reply.code(404).type('text/plain; charset=utf-8').send('Not found.\n');
}

/**
 * Streams the pack of `programme` (known to the rules in force: the caller checked) and records
 * the download as `actor` once the pack is whole.
 */
export function sendPack(
  deps: DashboardDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  opts: { programme: string; selected?: string[]; actor: string },
): FastifyReply {
  const make = deps.committeePack;
  if (!make) return notFound(reply);
  const body = new PassThrough();
  // The client's pace: wait while its buffer is full; give up when it went away.
  const write = async (chunk: Buffer) => {
    if (body.destroyed) throw new Error('the download was cancelled');
    if (!body.write(chunk)) await Promise.race([once(body, 'drain'), once(body, 'close')]);
  };
  void make(opts.programme, opts.selected, write).then(
    async (pack) => {
      // Recorded before the last byte: a finished download has its event.
      await deps.store.appendEvent({
        actor: opts.actor,
        action: 'committee_pack.downloaded',
        subject: opts.programme,
        detail: { applications: pack?.applications ?? 0, selected: opts.selected?.length ?? 0 },
        at: deps.now().toISOString(),
      });
      request.log.info({ user: opts.actor, programme: opts.programme, applications: pack?.applications ?? 0 }, 'dashboard: committee pack downloaded');
      body.end();
    },
    (err: unknown) => {
      // Headers are gone: a cut-off download is all the browser can be told.
      request.log.error({ err: safeError(err), route: request.routeOptions.url }, 'dashboard: committee pack failed');
      body.destroy(err as Error);
    },
  );
  return reply.type('application/zip').header('content-disposition', contentDisposition(true, packFileName(opts.programme, deps.now()))).send(body);
}

export const packRoutes: RouteModule = (app, { deps }) => {
  app.get<{ Params: { id: string } }>('/programmes/:id/committee-pack.zip', { config: { kind: 'file' } }, async (request, reply) => {
    const user = staffOf(request);
    const { id } = request.params;
    if (!PROGRAMME_ID.test(id) || !deps.rules().programmes.some((p) => p.id === id)) return notFound(reply);
    const selected = selectedIds(request.query);
    return sendPack(deps, request, reply, { programme: id, ...(selected ? { selected } : {}), actor: user.username });
  });
};
