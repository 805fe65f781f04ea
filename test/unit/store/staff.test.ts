import Database from 'better-sqlite3';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../adapters/store/migrations';
import { openSqliteStore } from '../../../adapters/store/sqlite-store';
import type { Store } from '../../../core/ports/store';
import { codeOf, newMessage, openTempStore, recordAndTriage, sha256, steppingClock, triageResult, forEachStore, type TempStore } from './store-fixtures';

const GR = 'gustave-roussy-hybrid-imaging-2022';
const OTHER = 'another-programme-2022';
const AT = '2021-03-20T10:00:00.000Z';

forEachStore((kind) => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore(kind);
  });
  afterEach(() => t.cleanup());

  describe('users', () => {
    it('creates, reads, updates and lists users by username', async () => {
      const created = await t.store.createUser({ username: 'Zoe.M ', role: 'staff', passwordHash: 'scrypt$hash-z', at: '2021-03-20T10:00:00+01:00' });
      expect(created).toEqual({ username: 'zoe.m', role: 'staff', passwordHash: 'scrypt$hash-z', createdAt: '2021-03-20T09:00:00.000Z', updatedAt: '2021-03-20T09:00:00.000Z' });
      await t.store.createUser({ username: 'anna_r-1', role: 'admin', passwordHash: 'scrypt$hash-a', at: AT });

      expect(await t.store.getUser('ZOE.M')).toEqual(created);
      expect(await t.store.getUser('nobody')).toBeUndefined();
      expect(await t.store.getUser('not a valid name!')).toBeUndefined();
      expect((await t.store.listUsers()).map((u) => u.username)).toEqual(['anna_r-1', 'zoe.m']);

      const promoted = await t.store.updateUser('zoe.m', { role: 'admin', at: '2021-03-21T00:00:00Z' });
      expect(promoted).toMatchObject({ role: 'admin', passwordHash: 'scrypt$hash-z', createdAt: '2021-03-20T09:00:00.000Z', updatedAt: '2021-03-21T00:00:00.000Z' });
      const rehashed = await t.store.updateUser('zoe.m', { passwordHash: 'scrypt$hash-z2', at: '2021-03-22T00:00:00Z' });
      expect(rehashed).toMatchObject({ role: 'admin', passwordHash: 'scrypt$hash-z2' });
    });

    it('refuses a second user of the same name, bad names, roles and hashes, and unknown users', async () => {
      await t.store.createUser({ username: 'anna', role: 'staff', passwordHash: 'h', at: AT });
      expect(await codeOf(t.store.createUser({ username: 'ANNA', role: 'admin', passwordHash: 'h', at: AT }))).toBe('STORE_CONFLICT');
      expect(await codeOf(t.store.createUser({ username: 'anna rossi', role: 'staff', passwordHash: 'h', at: AT }))).toBe('STORE_INVALID_INPUT');
      expect(await codeOf(t.store.createUser({ username: '', role: 'staff', passwordHash: 'h', at: AT }))).toBe('STORE_INVALID_INPUT');
      expect(await codeOf(t.store.createUser({ username: 'x'.repeat(65), role: 'staff', passwordHash: 'h', at: AT }))).toBe('STORE_INVALID_INPUT');
      expect(await codeOf(t.store.createUser({ username: 'bob', role: 'root' as never, passwordHash: 'h', at: AT }))).toBe('STORE_INVALID_INPUT');
      expect(await codeOf(t.store.createUser({ username: 'bob', role: 'staff', passwordHash: '', at: AT }))).toBe('STORE_INVALID_INPUT');
      expect(await codeOf(t.store.createUser({ username: 'bob', role: 'staff', passwordHash: 'h', at: 'today' }))).toBe('STORE_INVALID_INPUT');
      expect(await codeOf(t.store.updateUser('bob', { role: 'admin', at: AT }))).toBe('STORE_NOT_FOUND');
      expect(await codeOf(t.store.updateUser('anna', { role: 'root' as never, at: AT }))).toBe('STORE_INVALID_INPUT');
      expect(await codeOf(t.store.updateUser('anna', { at: AT }))).toBe('STORE_INVALID_INPUT');
      expect((await t.store.listUsers()).map((u) => u.username)).toEqual(['anna']);
    });

    it('keeps usernames the schema allows only, even for SQL from outside the store', async () => {
      const insert = (name: string) => t.sql(`INSERT INTO users (username, role, password_hash, created_at, updated_at) VALUES ($1, 'staff', 'h', '2021', '2021')`, [name]);
      await expect(insert('Anna')).rejects.toThrow(/check constraint/i);
      await expect(insert('a b')).rejects.toThrow(/check constraint/i);
      await expect(insert('a.b_c-d')).resolves.toEqual([]);
    });
  });

  describe('sessions', () => {
    const sid = (n: number) => sha256(`token ${n}`);
    const session = (n: number, username = 'anna', expiresAt = '2021-03-20T22:00:00.000Z') => ({
      id: sid(n),
      username,
      csrfToken: `csrf-${n}`,
      createdAt: AT,
      expiresAt,
    });

    beforeEach(async () => {
      await t.store.createUser({ username: 'anna', role: 'staff', passwordHash: 'h1', at: AT });
    });

    it('creates a session with the role of its user, and finds it until it expires', async () => {
      expect(await t.store.createSession(session(1))).toEqual({ ...session(1), role: 'staff' });
      expect(await t.store.getSession(sid(1), '2021-03-20T12:00:00Z')).toEqual({ ...session(1), role: 'staff' });
      expect(await t.store.getSession(sid(1).toUpperCase(), '2021-03-20T12:00:00Z')).toBeDefined();
      // Expired at its expiry time exactly.
      expect(await t.store.getSession(sid(1), '2021-03-20T22:00:00.000Z')).toBeUndefined();
      expect(await t.store.getSession(sid(1), '2021-03-21T00:00:00Z')).toBeUndefined();
      expect(await t.store.getSession(sid(2), '2021-03-20T12:00:00Z')).toBeUndefined();
      expect(await t.store.getSession('not-a-hash', '2021-03-20T12:00:00Z')).toBeUndefined();
    });

    it('reads the role from the user, so a role change applies to open sessions', async () => {
      await t.store.createSession(session(1));
      await t.store.updateUser('anna', { role: 'admin', at: AT });
      expect(await t.store.getSession(sid(1), AT)).toMatchObject({ role: 'admin', username: 'anna' });
    });

    it('ends every session of a user whose password changes', async () => {
      await t.store.createUser({ username: 'bob', role: 'admin', passwordHash: 'h2', at: AT });
      await t.store.createSession(session(1));
      await t.store.createSession(session(2));
      await t.store.createSession(session(3, 'bob'));
      await t.store.updateUser('anna', { passwordHash: 'h1-new', at: AT });
      expect(await t.store.getSession(sid(1), AT)).toBeUndefined();
      expect(await t.store.getSession(sid(2), AT)).toBeUndefined();
      expect(await t.store.getSession(sid(3), AT)).toBeDefined();
    });

    it('deletes one session, and the expired ones', async () => {
      await t.store.createSession(session(1, 'anna', '2021-03-20T11:00:00Z'));
      await t.store.createSession(session(2, 'anna', '2021-03-20T12:00:00Z'));
      await t.store.createSession(session(3, 'anna', '2021-03-20T13:00:00Z'));
      await t.store.deleteSession(sid(3));
      await t.store.deleteSession(sid(3)); // harmless twice
      expect(await t.store.getSession(sid(3), AT)).toBeUndefined();

      expect(await t.store.deleteExpiredSessions('2021-03-20T12:00:00Z')).toBe(2);
      expect(await t.store.deleteExpiredSessions('2021-03-20T12:00:00Z')).toBe(0);
      expect(await t.sql('SELECT id FROM sessions')).toEqual([]);
    });

    it('refuses a session for an unknown user, or with a malformed id, token or times', async () => {
      expect(await codeOf(t.store.createSession(session(1, 'nobody')))).toBe('STORE_NOT_FOUND');
      expect(await codeOf(t.store.createSession({ ...session(1), id: 'token-in-clear' }))).toBe('STORE_INVALID_INPUT');
      expect(await codeOf(t.store.createSession({ ...session(1), csrfToken: '' }))).toBe('STORE_INVALID_INPUT');
      expect(await codeOf(t.store.createSession({ ...session(1), expiresAt: 'later' }))).toBe('STORE_INVALID_INPUT');
      expect(await codeOf(t.store.createSession({ ...session(1), expiresAt: AT }))).toBe('STORE_INVALID_INPUT');
      await t.store.createSession(session(1));
      expect(await codeOf(t.store.createSession(session(1)))).toBe('STORE_CONFLICT');
      expect(await codeOf(t.store.getSession(sid(1), 'now'))).toBe('STORE_INVALID_INPUT');
    });
  });

  describe('notes and the reviewed mark', () => {
    it('appends notes oldest first, each with a note.added event that holds no text', async () => {
      const app = await recordAndTriage(t.store, 'n', { uid: 1 });
      const first = await t.store.addNote(app.applicationId, 'anna', 'Called her: the passport scan follows.', '2021-03-20T10:00:00+01:00');
      const second = await t.store.addNote(app.applicationId, 'bob', 'Received.', '2021-03-19T10:00:00Z');
      expect(first).toEqual({ id: first.id, applicationId: app.applicationId, author: 'anna', text: 'Called her: the passport scan follows.', at: '2021-03-20T09:00:00.000Z' });
      expect((await t.store.listNotes(app.applicationId)).map((n) => [n.id, n.author])).toEqual([
        [first.id, 'anna'],
        [second.id, 'bob'],
      ]);
      expect(await t.store.listNotes('other-app')).toEqual([]);

      const events = (await t.store.listEvents(app.applicationId)).filter((e) => e.action === 'note.added');
      expect(events.map((e) => [e.actor, e.detail])).toEqual([
        ['bob', { noteId: second.id }],
        ['anna', { noteId: first.id }],
      ]);
      expect(JSON.stringify(await t.store.listEvents())).not.toContain('passport');
    });

    it('refuses a note on an unknown application or without text, writing nothing', async () => {
      const app = await recordAndTriage(t.store, 'n', { uid: 1 });
      expect(await codeOf(t.store.addNote('nope', 'anna', 'text', AT))).toBe('STORE_NOT_FOUND');
      expect(await codeOf(t.store.addNote(app.applicationId, 'anna', '  ', AT))).toBe('STORE_INVALID_INPUT');
      expect(await codeOf(t.store.addNote(app.applicationId, '', 'text', AT))).toBe('STORE_INVALID_INPUT');
      expect(await codeOf(t.store.addNote(app.applicationId, 'anna', 'text', 'today'))).toBe('STORE_INVALID_INPUT');
      expect(await t.store.listNotes(app.applicationId)).toEqual([]);
      expect(await t.store.listEvents('nope')).toEqual([]);
    });

    it('marks an application reviewed until a new revision arrives', async () => {
      const first = await recordAndTriage(t.store, 'r1', { uid: 1, result: triageResult({ status: 'incomplete' }) });
      await t.store.markReviewed(first.applicationId, 'anna', '2021-03-20T10:00:00+01:00');
      expect(await t.store.getApplication(first.applicationId)).toMatchObject({ reviewedBy: 'anna', reviewedAt: '2021-03-20T09:00:00.000Z' });
      expect((await t.store.listApplications())[0]).toMatchObject({ reviewedBy: 'anna', reviewedAt: '2021-03-20T09:00:00.000Z' });
      const [event] = await t.store.listEvents(first.applicationId, 1);
      expect(event).toMatchObject({ actor: 'anna', action: 'application.reviewed', detail: { revision: 1 }, at: '2021-03-20T09:00:00.000Z' });

      // Saving the same message again is no new revision: the mark stays.
      await t.store.saveTriage({ messageId: first.messageId, result: triageResult(), rulesHash: 'r', applicantKey: 'a.rossi@example.it', decidedAt: AT });
      expect((await t.store.getApplication(first.applicationId))!.reviewedBy).toBe('anna');

      await recordAndTriage(t.store, 'r2', { uid: 2, decidedAt: '2021-03-21T00:00:00Z' });
      const app = await t.store.getApplication(first.applicationId);
      expect(app).toMatchObject({ revisionCount: 2 });
      expect(app!.reviewedBy).toBeUndefined();
      expect(app!.reviewedAt).toBeUndefined();

      expect(await codeOf(t.store.markReviewed('nope', 'anna', AT))).toBe('STORE_NOT_FOUND');
      expect(await codeOf(t.store.markReviewed(first.applicationId, '', AT))).toBe('STORE_INVALID_INPUT');
    });
  });

  describe('amending a revision', () => {
    it('puts the amended result in force, keeps the original, and logs what it replaced', async () => {
      const saved = await recordAndTriage(t.store, 'a1', { uid: 1, result: triageResult({ status: 'needs_review', flagCodes: ['date_unreadable'] }) });
      const amendedResult = triageResult({ status: 'complete', flagCodes: ['status_overridden'], facts: { countryOfResidence: 'FR' } });
      const view = await t.store.amendRevision({
        applicationId: saved.applicationId,
        revision: 1,
        result: amendedResult,
        action: 'status.overridden',
        actor: 'anna',
        reason: 'Date checked on the scan',
        at: '2021-03-20T11:00:00+01:00',
      });
      expect(view).toMatchObject({
        revision: 1,
        messageId: saved.messageId,
        status: 'complete',
        facts: { countryOfResidence: 'FR' },
        rulesHash: 'rules-v1',
        receivedAt: '2021-03-12T09:14:00.000Z',
        decidedAt: '2021-03-12T09:15:00.000Z',
        result: amendedResult,
        amended: { by: 'anna', at: '2021-03-20T10:00:00.000Z', action: 'status.overridden', reason: 'Date checked on the scan' },
      });
      expect(view.flags.map((f) => f.code)).toEqual(['status_overridden']);

      const app = await t.store.getApplication(saved.applicationId);
      expect(app).toMatchObject({ status: 'complete', flags: ['status_overridden'] });
      expect(app!.latest).toEqual(view);
      expect(await t.store.getRevisionByMessage(saved.messageId)).toMatchObject({ result: { status: 'complete' } });
      expect(await t.store.countByStatus()).toMatchObject({ complete: 1, needs_review: 0 });

      const [event] = await t.store.listEvents(saved.applicationId, 1);
      expect(event).toMatchObject({
        actor: 'anna',
        action: 'status.overridden',
        at: '2021-03-20T10:00:00.000Z',
        detail: { revision: 1, previousStatus: 'needs_review', previousFlags: ['date_unreadable'], status: 'complete', flags: ['status_overridden'], reason: 'Date checked on the scan' },
      });

      // The triage result as produced is kept in the database (SQLite hands the JSON back as text, PostgreSQL parsed).
      const [row] = await t.sql('SELECT result FROM revisions WHERE application_id = $1', [saved.applicationId]);
      const original: unknown = typeof row?.result === 'string' ? JSON.parse(row.result) : row?.result;
      expect(original).toMatchObject({ status: 'needs_review' });
    });

    it('follows a re-run of the rules: new sections, missing and rules hash; amending again replaces the amendment', async () => {
      const saved = await recordAndTriage(t.store, 'a1', { uid: 1 });
      const rerun = triageResult({
        status: 'incomplete',
        sections: [{ id: 'motivation', pages: [1, 2], confidence: 1 }],
        missing: ['cv'],
        flagCodes: ['missing_section'],
      });
      await t.store.amendRevision({ applicationId: saved.applicationId, revision: 1, result: rerun, action: 'sections.overridden', actor: 'anna', at: AT });
      const view = await t.store.amendRevision({
        applicationId: saved.applicationId,
        revision: 1,
        result: { ...rerun, status: 'ineligible' },
        rulesHash: 'rules-v2',
        action: 'application.retriaged',
        actor: 'bob',
        at: '2021-03-21T00:00:00Z',
      });
      expect(view).toMatchObject({ status: 'ineligible', rulesHash: 'rules-v2', missing: ['cv'], sections: [{ id: 'motivation', pages: [1, 2] }] });
      expect(view.amended).toEqual({ by: 'bob', at: '2021-03-21T00:00:00.000Z', action: 'application.retriaged' });
      const [event] = await t.store.listEvents(saved.applicationId, 1);
      expect(event!.detail).toMatchObject({ previousStatus: 'incomplete', previousFlags: ['missing_section'], status: 'ineligible', rulesHash: 'rules-v2' });
      expect(event!.detail.reason).toBeUndefined();
    });

    it('changes the application status only when the latest revision is amended', async () => {
      const first = await recordAndTriage(t.store, 'v1', { uid: 1, result: triageResult({ status: 'incomplete' }) });
      await recordAndTriage(t.store, 'v2', { uid: 2, result: triageResult({ status: 'needs_review' }), decidedAt: '2021-03-14T00:00:00Z' });
      await t.store.amendRevision({ applicationId: first.applicationId, revision: 1, result: triageResult({ status: 'ineligible' }), action: 'status.overridden', actor: 'anna', at: AT });
      const app = await t.store.getApplication(first.applicationId);
      expect(app).toMatchObject({ status: 'needs_review' });
      expect(app!.revisions.map((r) => [r.status, r.amended?.by])).toEqual([
        ['ineligible', 'anna'],
        ['needs_review', undefined],
      ]);
    });

    it('is superseded by a new revision, which also clears the reviewed mark', async () => {
      const first = await recordAndTriage(t.store, 'v1', { uid: 1, result: triageResult({ status: 'needs_review' }) });
      await t.store.amendRevision({ applicationId: first.applicationId, revision: 1, result: triageResult({ status: 'complete' }), action: 'status.overridden', actor: 'anna', at: AT });
      await t.store.markReviewed(first.applicationId, 'anna', AT);
      expect(await t.store.listApplications({ unreviewed: false })).toHaveLength(1);

      await recordAndTriage(t.store, 'v2', { uid: 2, result: triageResult({ status: 'incomplete' }), decidedAt: '2021-03-21T00:00:00Z' });
      const app = await t.store.getApplication(first.applicationId);
      expect(app).toMatchObject({ status: 'incomplete', revisionCount: 2 });
      expect(app!.reviewedBy).toBeUndefined();
      expect(app!.latest.amended).toBeUndefined();
      expect(app!.revisions[0]).toMatchObject({ status: 'complete', amended: { by: 'anna' } });
      expect(await t.store.listApplications({ unreviewed: true })).toHaveLength(1);
    });

    it('refuses unknown revisions, statuses and actions, changing nothing', async () => {
      const saved = await recordAndTriage(t.store, 'v1', { uid: 1 });
      const base = { applicationId: saved.applicationId, revision: 1, result: triageResult({ status: 'incomplete' }), action: 'status.overridden', actor: 'anna', at: AT };
      expect(await codeOf(t.store.amendRevision({ ...base, revision: 2 }))).toBe('STORE_NOT_FOUND');
      expect(await codeOf(t.store.amendRevision({ ...base, applicationId: 'nope' }))).toBe('STORE_NOT_FOUND');
      expect(await codeOf(t.store.amendRevision({ ...base, result: { ...base.result, status: 'great' as never } }))).toBe('STORE_INVALID_INPUT');
      expect(await codeOf(t.store.amendRevision({ ...base, action: 'status.changed' }))).toBe('STORE_INVALID_INPUT');
      expect(await codeOf(t.store.amendRevision({ ...base, actor: '' }))).toBe('STORE_INVALID_INPUT');
      expect(await codeOf(t.store.amendRevision({ ...base, at: 'now' }))).toBe('STORE_INVALID_INPUT');
      expect(await codeOf(t.store.amendRevision({ ...base, rulesHash: '' }))).toBe('STORE_INVALID_INPUT');
      const app = await t.store.getApplication(saved.applicationId);
      expect(app).toMatchObject({ status: 'complete' });
      expect(app!.latest.amended).toBeUndefined();
      expect(await t.store.listEvents(saved.applicationId)).toEqual([]);
    });
  });

  describe('listing and counting applications', () => {
    /** Five applications with distinct names, dates, statuses, programmes and flags. */
    async function seed(store: Store) {
      const mk = async (seedText: string, uid: number, email: string, name: string | undefined, decidedAt: string, receivedAt: string, extra: Parameters<typeof triageResult>[0]) =>
        recordAndTriage(store, seedText, {
          uid,
          applicantKey: email,
          decidedAt,
          result: triageResult({ applicant: { email, ...(name ? { name } : {}) } as never, receivedAt, ...extra }),
        });
      return {
        anna: await mk('anna', 1, 'anna.rossi@example.it', 'Anna Rossi', '2021-03-05T00:00:00Z', '2021-03-01T08:00:00Z', { status: 'complete' }),
        elise: await mk('elise', 2, 'e.dupont@example.fr', 'Élise Dupont', '2021-03-04T00:00:00Z', '2021-03-02T08:00:00Z', { status: 'incomplete', flagCodes: ['missing_section', 'late'] }),
        bruno: await mk('bruno', 3, 'bruno_50%@example.de', 'Bruno Meyer', '2021-03-03T00:00:00Z', '2021-03-03T08:00:00Z', { status: 'needs_review', flagCodes: ['date_unreadable'], programme: OTHER }),
        nameless: await mk('nameless', 4, 'x@example.org', undefined, '2021-03-02T00:00:00Z', '2021-03-04T08:00:00Z', { status: 'ineligible', flagCodes: ['late'], programme: null }),
        carla: await mk('carla', 5, 'carla@example.es', 'carla Ruiz', '2021-03-01T00:00:00Z', '2021-03-05T08:00:00Z', { status: 'incomplete', flagCodes: ['missing_section'] }),
      };
    }
    const emails = (list: Array<{ applicantEmail: string | null }>) => list.map((a) => a.applicantEmail!.split('@')[0]);

    it('sorts by decision (default), reception, name, status and programme, either way', async () => {
      await seed(t.store);
      expect(emails(await t.store.listApplications())).toEqual(['anna.rossi', 'e.dupont', 'bruno_50%', 'x', 'carla']);
      expect(emails(await t.store.listApplications({ order: 'asc' }))).toEqual(['carla', 'x', 'bruno_50%', 'e.dupont', 'anna.rossi']);
      expect(emails(await t.store.listApplications({ sort: 'received' }))).toEqual(['carla', 'x', 'bruno_50%', 'e.dupont', 'anna.rossi']);
      expect(emails(await t.store.listApplications({ sort: 'received', order: 'asc' }))).toEqual(['anna.rossi', 'e.dupont', 'bruno_50%', 'x', 'carla']);
      // Case-insensitive, accents folded by case only; no name last either way.
      expect(emails(await t.store.listApplications({ sort: 'name', order: 'asc' }))).toEqual(['anna.rossi', 'bruno_50%', 'carla', 'e.dupont', 'x']);
      expect(emails(await t.store.listApplications({ sort: 'name', order: 'desc' }))).toEqual(['e.dupont', 'carla', 'bruno_50%', 'anna.rossi', 'x']);
      // Statuses in their contract order; ties by latest decision.
      expect(emails(await t.store.listApplications({ sort: 'status', order: 'asc' }))).toEqual(['anna.rossi', 'e.dupont', 'carla', 'x', 'bruno_50%']);
      expect(emails(await t.store.listApplications({ sort: 'programme', order: 'asc' }))).toEqual(['bruno_50%', 'anna.rossi', 'e.dupont', 'carla', 'x']);
      expect(emails(await t.store.listApplications({ sort: 'programme', order: 'desc' }))).toEqual(['anna.rossi', 'e.dupont', 'carla', 'bruno_50%', 'x']);
    });

    it('filters by flag, reception dates, programme, status and review, and counts the same', async () => {
      const apps = await seed(t.store);
      const check = async (filter: Parameters<Store['listApplications']>[0], expected: string[]) => {
        expect(emails(await t.store.listApplications(filter))).toEqual(expected);
        expect(await t.store.countApplications(filter)).toBe(expected.length);
      };
      await check({}, ['anna.rossi', 'e.dupont', 'bruno_50%', 'x', 'carla']);
      await check({ flag: 'late' }, ['e.dupont', 'x']);
      await check({ flag: 'missing_section', status: 'incomplete' }, ['e.dupont', 'carla']);
      await check({ flag: 'missing' }, []);
      await check({ receivedFrom: '2021-03-02T08:00:00Z' }, ['e.dupont', 'bruno_50%', 'x', 'carla']);
      await check({ receivedBefore: '2021-03-02T08:00:00Z' }, ['anna.rossi']);
      await check({ receivedFrom: '2021-03-02T09:00:00+01:00', receivedBefore: '2021-03-04T08:00:00Z' }, ['e.dupont', 'bruno_50%']);
      await check({ programme: GR }, ['anna.rossi', 'e.dupont', 'carla']);
      await check({ programme: null }, ['x']);

      await t.store.markReviewed(apps.anna.applicationId, 'anna', AT);
      await t.store.markReviewed(apps.bruno.applicationId, 'anna', AT);
      await check({ unreviewed: true }, ['e.dupont', 'x', 'carla']);
      await check({ unreviewed: false }, ['anna.rossi', 'bruno_50%']);
      await check({ unreviewed: false, programme: GR }, ['anna.rossi']);
    });

    it('searches names and e-mails case-insensitively, taking % and _ literally', async () => {
      await seed(t.store);
      const search = async (text: string) => emails(await t.store.listApplications({ search: text }));
      expect(await search('ROSSI')).toEqual(['anna.rossi']);
      expect(await search('élise')).toEqual(['e.dupont']);
      expect(await search('ÉLISE')).toEqual(['e.dupont']);
      expect(await search('@EXAMPLE.ES')).toEqual(['carla']);
      expect(await search('ru')).toEqual(['bruno_50%', 'carla']);
      expect(await search('50%')).toEqual(['bruno_50%']);
      expect(await search('%')).toEqual(['bruno_50%']);
      expect(await search('o_5')).toEqual(['bruno_50%']);
      // As a wildcard, _ would match the '.' of anna.rossi.
      expect(await search('a_r')).toEqual([]);
      expect(await search('a.r')).toEqual(['anna.rossi']);
      expect(await search('\\')).toEqual([]);
      expect(await search('  ')).toHaveLength(5);
      expect(await t.store.countApplications({ search: 'ru', status: 'incomplete' })).toBe(1);
    });

    it('pages with limit and offset; the count ignores them', async () => {
      await seed(t.store);
      const page = (offset: number) => t.store.listApplications({ sort: 'name', order: 'asc', limit: 2, offset });
      expect(emails(await page(0))).toEqual(['anna.rossi', 'bruno_50%']);
      expect(emails(await page(2))).toEqual(['carla', 'e.dupont']);
      expect(emails(await page(4))).toEqual(['x']);
      expect(await page(6)).toEqual([]);
      expect(await t.store.countApplications({ limit: 2, offset: 4 })).toBe(5);
    });

    it('refuses malformed filters in the list and the count alike', async () => {
      for (const filter of [
        { sort: 'size' as never },
        { order: 'up' as never },
        { status: 'great' as never },
        { receivedFrom: 'yesterday' },
        { receivedBefore: '' },
        { flag: '' },
        { unreviewed: 'yes' as never },
        { search: 5 as never },
      ]) {
        expect(await codeOf(t.store.listApplications(filter))).toBe('STORE_INVALID_INPUT');
        expect(await codeOf(t.store.countApplications(filter))).toBe('STORE_INVALID_INPUT');
      }
      expect(await codeOf(t.store.listApplications({ offset: -1 }))).toBe('STORE_INVALID_INPUT');
    });
  });
});

describe('migration of a SQLite file from schema version 1', () => {
  let t: TempStore;
  afterEach(() => t.cleanup());

  it('upgrades a file written with only the first migration, keeping its rows', async () => {
    t = await openTempStore('sqlite');
    await t.store.close();
    // A version-1 file as the previous release wrote it, with one triaged application.
    const old = `${t.file}.v1`;
    const db = new Database(old);
    const message = newMessage('old');
    try {
      db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
      db.exec(MIGRATIONS[0]!);
      db.prepare('INSERT INTO schema_migrations VALUES (1, ?)').run('2021-01-01T00:00:00.000Z');
      db.prepare(`INSERT INTO messages (id, account, mailbox, uid_validity, uid, size, received_at, raw_path, state, created_at, updated_at)
        VALUES (?, 'office', 'INBOX', '1', 7, 10, '2021-03-12T09:14:00.000Z', 'raw/x.eml', 'done', '2021-03-12T09:14:00.000Z', '2021-03-12T09:14:00.000Z')`).run(message.id);
      db.prepare(`INSERT INTO message_locations VALUES ('office', 'INBOX', '1', 7, ?, '2021-03-12T09:14:00.000Z')`).run(message.id);
      db.prepare(`INSERT INTO applications VALUES ('app-old', 'a.rossi@example.it', ?, 'a.rossi@example.it', 'Anna Rossi', 'incomplete', 1,
        '2021-03-12T09:15:00.000Z', '2021-03-12T09:15:00.000Z', '2021-03-12T09:15:00.000Z')`).run(GR);
      const result = triageResult({ status: 'incomplete', flagCodes: ['missing_section'] });
      db.prepare(`INSERT INTO revisions VALUES ('app-old', 1, ?, 'incomplete', ?, ?, ?, 'rules-v1', '2021-03-12T09:14:00.000Z', '2021-03-12T09:15:00.000Z', '2021-03-12T09:15:00.000Z')`).run(
        message.id,
        JSON.stringify(result.flags),
        JSON.stringify(result.facts),
        JSON.stringify(result),
      );
      db.prepare(`INSERT INTO events (actor, action, subject, detail, at) VALUES ('worker:triage', 'message.triaged', 'app-old', '{}', '2021-03-12T09:15:00.000Z')`).run();
    } finally {
      db.close();
    }

    const store = openSqliteStore(old, { now: steppingClock() });
    try {
      expect(await store.lastUid('office', 'INBOX', '1')).toBe(7);
      const app = await store.getApplication('app-old');
      expect(app).toMatchObject({ id: 'app-old', status: 'incomplete', flags: ['missing_section'], applicantName: 'Anna Rossi', revisionCount: 1 });
      expect(app!.reviewedBy).toBeUndefined();
      expect(app!.latest.amended).toBeUndefined();
      expect(await store.listEvents('app-old')).toHaveLength(1);
      expect(await store.listApplications({ unreviewed: true, search: 'rossi', flag: 'missing_section' })).toHaveLength(1);

      // The new tables and columns work on the old rows.
      await store.createUser({ username: 'anna', role: 'admin', passwordHash: 'h', at: AT });
      await store.addNote('app-old', 'anna', 'old one', AT);
      await store.markReviewed('app-old', 'anna', AT);
      const amended = await store.amendRevision({ applicationId: 'app-old', revision: 1, result: triageResult({ status: 'complete' }), action: 'status.overridden', actor: 'anna', at: AT });
      expect(amended.amended).toMatchObject({ by: 'anna' });
      expect(await store.getApplication('app-old')).toMatchObject({ status: 'complete', reviewedBy: 'anna' });
    } finally {
      await store.close();
    }
    const check = new Database(old, { readonly: true });
    try {
      expect(check.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual(MIGRATIONS.map((_, i) => i + 1));
      expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
    } finally {
      check.close();
    }
  });
});
