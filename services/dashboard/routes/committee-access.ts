/**
 * Committee members' own links to the pack (services/common/committee-links.ts):
 * admins make a link per member (shown once) or revoke them all on
 * /rules/committee; a member downloads with GET /committee-pack/:token, the
 * one public route that serves data, and only what the signed token names
 * (one programme's pack, until it expires).
 */
import { makeLinkToken, MAX_LINK_DAYS, readLinkKey, replaceLinkKey, verifyLinkToken } from '../../common/committee-links';
import { formatDateTime } from '../../../core/pack/committee-pack';
import { parsePositiveInt, redirectTo, sendPage, staffOf, stringField, type RouteModule } from '../context';
import type { DashboardDeps } from '../deps';
import { committeeAccessPage, type CommitteeAccessModel } from '../views/committee-access';
import { notFound, PROGRAMME_ID, sendPack } from './pack';

const TIME_ZONE = 'Europe/Paris';

function programmesOf(deps: DashboardDeps): CommitteeAccessModel['programmes'] {
  return deps.rules().programmes.map((p) => ({ id: p.id, title: p.title, committee: [...(p.committee ?? [])] }));
}

export const committeeAccessRoutes: RouteModule = (app, { deps }) => {
  const admin = { config: { access: 'admin' as const } };

  app.get('/rules/committee', admin, async (request, reply) => {
    const user = staffOf(request);
    const key = await readLinkKey(deps.files);
    const revoked = stringField(request.query, 'done') === 'revoked';
    return sendPage(
      reply,
      committeeAccessPage({
        user,
        programmes: programmesOf(deps),
        ...(key ? { keySince: formatDateTime(key.createdAt, TIME_ZONE) } : {}),
        ...(revoked ? { flash: { kind: 'ok' as const, text: 'Every committee link is revoked.' } } : {}),
      }),
    );
  });

  app.post('/rules/committee/link', admin, async (request, reply) => {
    const user = staffOf(request);
    const programmeId = stringField(request.body, 'programme') ?? '';
    const programme = programmesOf(deps).find((p) => p.id === programmeId);
    const memberText = stringField(request.body, 'member') ?? '';
    const member = /^\d{1,2}$/.test(memberText) ? Number(memberText) : -1;
    const days = parsePositiveInt(stringField(request.body, 'days'), MAX_LINK_DAYS) ?? 14;
    const name = programme?.committee[member];
    if (!programme || !name) return sendPage(reply, committeeAccessPage({ user, programmes: programmesOf(deps), flash: { kind: 'error', text: 'That committee member is not in the rules in force.' } }), 400);
    const now = deps.now();
    const key = (await readLinkKey(deps.files)) ?? (await replaceLinkKey(deps.files, user.username, now));
    const { token, expires } = makeLinkToken(key, { programme: programme.id, member }, now, days);
    await deps.store.appendEvent({ actor: user.username, action: 'committee_link.made', subject: programme.id, detail: { member: member + 1, days }, at: now.toISOString() });
    // The address staff typed to reach this page: the member's link starts the same way.
    const origin = `${request.protocol}://${request.host}`;
    return sendPage(
      reply,
      committeeAccessPage({
        user,
        programmes: programmesOf(deps),
        keySince: formatDateTime(key.createdAt, TIME_ZONE),
        made: { member: name, programme: programme.title, url: `${origin}/committee-pack/${token}`, expires: formatDateTime(expires.toISOString(), TIME_ZONE) },
      }),
    );
  });

  app.post('/rules/committee/revoke', admin, async (request, reply) => {
    const user = staffOf(request);
    const now = deps.now();
    await replaceLinkKey(deps.files, user.username, now);
    await deps.store.appendEvent({ actor: user.username, action: 'committee_links.revoked', subject: 'committee-links', detail: {}, at: now.toISOString() });
    return redirectTo(reply, '/rules/committee?done=revoked');
  });

  app.get<{ Params: { token: string } }>('/committee-pack/:token', { config: { access: 'public', kind: 'file' } }, async (request, reply) => {
    const claims = verifyLinkToken(await readLinkKey(deps.files), request.params.token, deps.now());
    const programme = claims && PROGRAMME_ID.test(claims.programme) ? programmesOf(deps).find((p) => p.id === claims.programme) : undefined;
    // A member taken off the committee in the rules loses the link too.
    if (!claims || !programme || !programme.committee[claims.member]) return notFound(reply);
    return sendPack(deps, request, reply, { programme: programme.id, actor: `committee:${programme.id}:${claims.member + 1}` });
  });
};
