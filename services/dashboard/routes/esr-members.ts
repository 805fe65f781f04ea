/**
 * The ESR member list (admins): the page, and the upload that replaces the
 * list in force (adapters/member-list-blob.ts). The upload is multipart (a
 * file input, no script); its parser is registered for these routes alone.
 * The event log records the upload with counts, never a member.
 */
import { readMemberList, writeMemberList } from '../../../adapters/member-list-blob';
import { parseMemberList } from '../../../core/membership/member-list';
import { redirectTo, sendPage, staffOf, stringField, type RouteModule } from '../context';
import { boundaryOf, parseMultipart } from '../multipart';
import { esrMembersPage } from '../views/esr-members';

/** The ESR has some 30,000 members at about 80 bytes a row: 20 MB leaves room, and bounds memory. */
const UPLOAD_LIMIT = 20 * 1024 * 1024;

function officeTime(iso: string, timeZone = 'Europe/Paris'): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone })}, ${d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone })}`;
}

export const esrMemberRoutes: RouteModule = async (app, { deps }) => {
  await app.register(async (scope) => {
    scope.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: UPLOAD_LIMIT }, (request, body, done) => {
      try {
        done(null, parseMultipart(body as Buffer, boundaryOf(request.headers['content-type'])));
      } catch (err) {
        done(err as Error, undefined);
      }
    });

    scope.get('/rules/esr-members', { config: { access: 'admin' } }, async (request, reply) => {
      const user = staffOf(request);
      const list = await readMemberList(deps.files);
      const done = stringField(request.query, 'done') === 'uploaded';
      return sendPage(
        reply,
        esrMembersPage({
          user,
          ...(list ? { list, uploadedAt: officeTime(list.uploadedAt) } : {}),
          ...(done && list ? { flash: { kind: 'ok' as const, text: `Member list uploaded: ${list.members.length} members.` } } : {}),
        }),
      );
    });

    scope.post('/rules/esr-members', { config: { access: 'admin' }, bodyLimit: UPLOAD_LIMIT }, async (request, reply) => {
      const user = staffOf(request);
      const text = stringField(request.body, 'file') ?? '';
      const { members, problems } = parseMemberList(text);
      const current = await readMemberList(deps.files);
      if (members.length === 0) {
        // A wrong or empty file never replaces a good list.
        return sendPage(
          reply,
          esrMembersPage({ user, ...(current ? { list: current, uploadedAt: officeTime(current.uploadedAt) } : {}), problems, flash: { kind: 'error', text: 'Nothing was uploaded: no member could be read from that file. The list in force is unchanged.' } }),
          422,
        );
      }
      const at = deps.now().toISOString();
      await writeMemberList(deps.files, { members, uploadedAt: at, uploadedBy: user.username });
      await deps.store.appendEvent({ actor: user.username, action: 'esr_members.uploaded', subject: 'esr-members', detail: { members: members.length, rowsLeftOut: problems.length }, at });
      request.log.info({ user: user.username, members: members.length, rowsLeftOut: problems.length }, 'dashboard: ESR member list uploaded');
      if (problems.length === 0) return redirectTo(reply, '/rules/esr-members?done=uploaded');
      return sendPage(
        reply,
        esrMembersPage({
          user,
          list: { members, uploadedAt: at, uploadedBy: user.username },
          uploadedAt: officeTime(at),
          problems,
          flash: { kind: 'ok', text: `Member list uploaded: ${members.length} members; ${problems.length} row${problems.length === 1 ? ' was' : 's were'} left out (listed below).` },
        }),
      );
    });
  });
};
