import { codeOf, newMessage, openTempStore, recordAndTriage, sha256, triageResult, forEachStore, type TempStore } from './store-fixtures';

const GR = 'gustave-roussy-hybrid-imaging-2022';
const OTHER = 'another-programme-2022';

forEachStore((kind) => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore(kind);
  });
  afterEach(() => t.cleanup());

  describe('applications and revisions', () => {
    it('makes a first verdict revision 1 of a new application', async () => {
      const saved = await recordAndTriage(t.store, 'first', { uid: 1, result: triageResult({ status: 'incomplete', flagCodes: ['missing_section'] }) });
      expect(saved).toMatchObject({ revision: 1, isNew: true, otherProgrammes: [] });
      expect(saved.previous).toBeUndefined();

      const app = await t.store.getApplication(saved.applicationId);
      expect(app).toMatchObject({
        id: saved.applicationId,
        programme: GR,
        applicantEmail: 'A.Rossi@example.it',
        applicantName: 'Anna Rossi',
        status: 'incomplete',
        flags: ['missing_section'],
        revisionCount: 1,
        receivedAt: '2021-03-12T09:14:00.000Z',
        decidedAt: '2021-03-12T09:15:00.000Z',
      });
      expect(app!.latest).toMatchObject({ revision: 1, messageId: saved.messageId, rulesHash: 'rules-v1', status: 'incomplete' });
      expect(app!.latest.flags[0]).toMatchObject({ code: 'missing_section', severity: 'incomplete' });
      expect(app!.latest.facts).toEqual({ countryOfResidence: 'IT', publicationCount: 5 });
      expect(app!.latest.sections.map((s) => s.id)).toEqual(['motivation', 'cv']);
      expect(app!.revisions).toHaveLength(1);
    });

    it('makes a resubmission revision 2 of the same application, with the previous verdict', async () => {
      const first = await recordAndTriage(t.store, 'v1', { uid: 1, result: triageResult({ status: 'incomplete', flagCodes: ['missing_section'] }) });
      // Same applicant, other capitalisation: still the same person.
      const second = await recordAndTriage(t.store, 'v2', {
        uid: 2,
        applicantKey: ' A.ROSSI@example.it ',
        decidedAt: '2021-03-14T10:00:00.000Z',
        result: triageResult({ status: 'complete', receivedAt: '2021-03-14T09:59:00.000Z' }),
      });
      expect(second).toMatchObject({ applicationId: first.applicationId, revision: 2, isNew: true, otherProgrammes: [] });
      expect(second.previous).toEqual({ revision: 1, status: 'incomplete', flags: ['missing_section'], messageId: first.messageId });

      const app = await t.store.getApplication(first.applicationId);
      expect(app).toMatchObject({ status: 'complete', flags: [], revisionCount: 2, receivedAt: '2021-03-14T09:59:00.000Z', decidedAt: '2021-03-14T10:00:00.000Z' });
      expect(app!.revisions.map((r) => [r.revision, r.status])).toEqual([
        [1, 'incomplete'],
        [2, 'complete'],
      ]);
      expect(app!.latest.revision).toBe(2);
      expect(await t.store.listApplications()).toHaveLength(1);
    });

    it('is idempotent per message: saving again returns the same revision and previous, storing nothing', async () => {
      await recordAndTriage(t.store, 'v1', { uid: 1 });
      const second = await recordAndTriage(t.store, 'v2', { uid: 2, result: triageResult({ status: 'incomplete', flagCodes: ['out_of_order'] }) });
      const retried = await t.store.saveTriage({
        messageId: second.messageId,
        // A retry may come with another verdict (new rules): the first one stands.
        result: triageResult({ status: 'ineligible' }),
        rulesHash: 'rules-v2',
        applicantKey: 'a.rossi@example.it',
        decidedAt: '2021-03-20T00:00:00.000Z',
      });
      expect(retried).toEqual({ ...second, messageId: undefined, isNew: false });
      const app = await t.store.getApplication(second.applicationId);
      expect(app).toMatchObject({ revisionCount: 2, status: 'incomplete' });
      expect(await t.store.getRevisionByMessage(second.messageId)).toMatchObject({ applicationId: second.applicationId, revision: 2, result: { status: 'incomplete' } });
      expect(await t.store.getRevisionByMessage(sha256('never'))).toBeUndefined();
    });

    it('names the other programmes the same applicant applied to', async () => {
      const gr = await recordAndTriage(t.store, 'gr', { uid: 1 });
      const other = await recordAndTriage(t.store, 'other', { uid: 2, result: triageResult({ programme: OTHER, status: 'needs_review', flagCodes: ['duplicate_application'] }) });
      expect(other.applicationId).not.toBe(gr.applicationId);
      expect(other).toMatchObject({ revision: 1, otherProgrammes: [GR] });
      expect(other.previous).toBeUndefined();

      // A later resubmission to the first programme sees the second one.
      const grAgain = await recordAndTriage(t.store, 'gr2', { uid: 3 });
      expect(grAgain).toMatchObject({ applicationId: gr.applicationId, revision: 2, otherProgrammes: [OTHER] });

      // Another applicant is not mixed in.
      const stranger = await recordAndTriage(t.store, 's', { uid: 4, applicantKey: 'b.meyer@example.de' });
      expect(stranger).toMatchObject({ revision: 1, otherProgrammes: [] });
    });

    it('never groups messages whose sender is unknown; groups an unknown programme per applicant', async () => {
      const a = await recordAndTriage(t.store, 'anon1', { uid: 1, applicantKey: null });
      const b = await recordAndTriage(t.store, 'anon2', { uid: 2, applicantKey: null });
      expect(a.applicationId).not.toBe(b.applicationId);
      expect(b.revision).toBe(1);

      const unknown = triageResult({ programme: null, status: 'needs_review', flagCodes: ['programme_unknown'] });
      const u1 = await recordAndTriage(t.store, 'u1', { uid: 3, result: unknown });
      const u2 = await recordAndTriage(t.store, 'u2', { uid: 4, result: unknown });
      expect(u2).toMatchObject({ applicationId: u1.applicationId, revision: 2 });
      expect((await t.store.listApplications({ programme: null })).map((s) => s.id)).toEqual([u1.applicationId]);
    });

    it('lists, filters, pages and counts applications by their latest status', async () => {
      await recordAndTriage(t.store, 'a', { uid: 1, applicantKey: 'a@example.org', decidedAt: '2021-03-01T00:00:00Z' });
      await recordAndTriage(t.store, 'b', { uid: 2, applicantKey: 'b@example.org', decidedAt: '2021-03-02T00:00:00Z', result: triageResult({ status: 'incomplete' }) });
      await recordAndTriage(t.store, 'c', { uid: 3, applicantKey: 'c@example.org', decidedAt: '2021-03-03T00:00:00Z', result: triageResult({ status: 'incomplete', programme: OTHER }) });
      // b resubmits a complete PDF: b's application is complete now.
      await recordAndTriage(t.store, 'b2', { uid: 4, applicantKey: 'b@example.org', decidedAt: '2021-03-04T00:00:00Z' });

      const all = await t.store.listApplications();
      expect(all.map((a) => [a.applicantEmail, a.status, a.revisionCount])).toHaveLength(3);
      expect(all.map((a) => a.decidedAt)).toEqual(['2021-03-04T00:00:00.000Z', '2021-03-03T00:00:00.000Z', '2021-03-01T00:00:00.000Z']);
      expect((await t.store.listApplications({ status: 'incomplete' })).map((a) => a.programme)).toEqual([OTHER]);
      expect(await t.store.listApplications({ programme: GR, status: 'complete' })).toHaveLength(2);
      expect((await t.store.listApplications({ limit: 1, offset: 1 })).map((a) => a.decidedAt)).toEqual(['2021-03-03T00:00:00.000Z']);

      expect(await t.store.countByStatus()).toEqual({ complete: 2, incomplete: 1, ineligible: 0, needs_review: 0, not_application: 0 });
      expect(await t.store.countByStatus(GR)).toEqual({ complete: 2, incomplete: 0, ineligible: 0, needs_review: 0, not_application: 0 });
      expect(await codeOf(t.store.listApplications({ limit: 0 }))).toBe('STORE_INVALID_INPUT');
    });

    it('refuses a verdict for a message the ledger does not know, or with an unknown status', async () => {
      const base = { result: triageResult(), rulesHash: 'r', applicantKey: 'a@example.org', decidedAt: '2021-03-12T00:00:00Z' };
      expect(await codeOf(t.store.saveTriage({ ...base, messageId: sha256('never recorded') }))).toBe('STORE_NOT_FOUND');
      const { record } = await t.store.recordMessage(newMessage('x'));
      const bad = { ...triageResult(), status: 'great' } as unknown as ReturnType<typeof triageResult>;
      expect(await codeOf(t.store.saveTriage({ ...base, messageId: record.id, result: bad }))).toBe('STORE_INVALID_INPUT');
      expect(await codeOf(t.store.saveTriage({ ...base, messageId: record.id, decidedAt: 'soon' }))).toBe('STORE_INVALID_INPUT');
    });

    it('records the section files of a revision, replacing a retried split', async () => {
      const saved = await recordAndTriage(t.store, 'split', { uid: 1 });
      const file = (section: string, pages: [number, number], body: string) => ({
        applicationId: saved.applicationId,
        revision: 1,
        section,
        pages,
        path: `sections/${section}-${pages[0]}.pdf`,
        sha256: sha256(body),
      });
      await t.store.saveSectionFile(file('cv', [2, 4], 'cv'));
      await t.store.saveSectionFile(file('motivation', [1, 1], 'motivation'));
      await t.store.saveSectionFile(file('other', [5, 5], 'photo'));
      await t.store.saveSectionFile(file('other', [9, 10], 'appendix'));
      await t.store.saveSectionFile(file('cv', [2, 4], 'cv again')); // the retry

      const files = await t.store.listSectionFiles(saved.applicationId, 1);
      expect(files.map((f) => [f.section, f.pages])).toEqual([
        ['motivation', [1, 1]],
        ['cv', [2, 4]],
        ['other', [5, 5]],
        ['other', [9, 10]],
      ]);
      expect(files[1]!.sha256).toBe(sha256('cv again'));

      expect(await codeOf(t.store.saveSectionFile({ ...file('cv', [2, 4], 'x'), revision: 2 }))).toBe('STORE_NOT_FOUND');
      expect(await codeOf(t.store.saveSectionFile(file('cv', [4, 2], 'x')))).toBe('STORE_INVALID_INPUT');
      expect(await codeOf(t.store.saveSectionFile(file('cv', [0, 2], 'x')))).toBe('STORE_INVALID_INPUT');
    });

    it('keeps a NUL read from a PDF in a name or a reply: SQLite as it is, PostgreSQL (whose text cannot hold it) as U+FFFD, never refusing the write', async () => {
      const name = 'Anna\u0000Rossi';
      const saved = await recordAndTriage(t.store, 'nul', { uid: 1, result: triageResult({ applicant: { email: 'a.rossi@example.it', name }, facts: { countryOfResidence: 'I\u0000T' } }) });
      const kept = kind === 'sqlite' ? name : 'Anna\uFFFDRossi';
      const app = await t.store.getApplication(saved.applicationId);
      expect(app?.applicantName).toBe(kept);
      // The JSON documents keep it either way (escaped as \u0000).
      expect(app?.latest.facts).toEqual({ countryOfResidence: 'I\u0000T' });
      expect(app?.latest.result.applicant?.name).toBe(name);
      const { reply } = await t.store.reserveReply({ applicationId: saved.applicationId, revision: 1, status: 'complete', to: 'a.rossi@example.it', subject: 'Re: \u0000', body: 'b', held: false });
      expect(reply.subject).toBe(kind === 'sqlite' ? 'Re: \u0000' : 'Re: \uFFFD');
    });
  });
});
