/**
 * The dashboard speaks the office's words (issue 12, point 1): flag names and
 * section names from the rule files, programme titles, times in the office's
 * time zone; no flag code, programme id or ISO time on a page; the flag
 * filter by name; the list sorted by received time; an incomplete verdict
 * flagged for a person stays under "Needs a person".
 */
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadRules } from '../../adapters/rules-loader';
import { loadConfig } from '../../services/common/config';
import { buildDashboard } from '../../services/dashboard/server';
import { OfficeWords, vocabularyOf } from '../../services/dashboard/words';
import { Fixture, get, GR, login, PEOPLE, type Seeded, type Session } from './dashboard-fixtures';
import { internalWordsIn, textOfHtml } from './internal-words';

const RULES = vocabularyOf(loadRules(path.join(__dirname, '..', '..', 'rules')));

let f: Fixture;
let seeded: Seeded;
let app: FastifyInstance;
let bob: Session;

beforeEach(async () => {
  f = await Fixture.create();
  seeded = await f.seed();
  app = await buildDashboard(f.deps(), { timeZone: 'Europe/Paris', vocabulary: () => RULES });
  bob = await login(app, 'bob');
});
afterEach(async () => {
  await app.close();
  await f.cleanup();
});

describe('OfficeWords', () => {
  const w = new OfficeWords('Europe/Paris', RULES);

  it('says times in the office time zone, days without a time, and never an ISO string', () => {
    expect(w.time('2021-04-12T11:35:46.000Z')).toBe('12 Apr 2021, 13:35');
    expect(w.time('2021-01-12T11:35:46.000Z')).toBe('12 Jan 2021, 12:35');
    expect(new OfficeWords('UTC').time('2021-04-12T11:35:46.000Z')).toBe('12 Apr 2021, 11:35');
    expect(w.day('2021-03-31')).toBe('31 Mar 2021');
    expect(w.timeTag('2021-04-12T11:35:46.000Z').value).toBe('<time datetime="2021-04-12T11:35:46.000Z" title="Office time (Europe/Paris)">12 Apr 2021, 13:35</time>');
  });

  it('names sections as the rule files do, flags for staff, and evidence keys in words', () => {
    expect(w.section('publications')).toBe('List of five most important/relevant publications in international peer reviewed journals');
    expect(w.flagName('late_submission')).toBe('Arrived after the deadline');
    const rows = w.evidenceRows({ receivedAt: '2021-04-12T11:35:46.000Z', deadline: '2021-03-31', timezone: 'Europe/Paris', rule: 'deadline-1', min: 'B2', level: 'B1', pages: [3, 3] });
    expect(rows).toEqual([
      ['Received', '12 Apr 2021, 13:35'],
      ['Deadline', '31 Mar 2021'],
      ['Time zone of the deadline', 'Europe/Paris'],
      ['Level required', 'B2'],
      ['Level shown', 'B1'],
      ['Pages', '3'],
    ]);
    expect(w.evidenceRows({ someNewKey: true })).toEqual([['Some new key', 'yes']]);
    expect(w.evidenceRows({ basis: 'unlabelled', source: 'cv', found: ['cv', 'motivation'], confidence: 0.42 })).toEqual([
      ['Based on', 'a date with no words saying what it is'],
      ['Read from', 'the CV'],
      ['Order found', 'CV (ESOR template), Letter of motivation'],
      ['Confidence', '42 %'],
    ]);
  });

  it('names a flag a rule file added by its wording there, never by its code', () => {
    const extra = new OfficeWords('UTC', { flags: { photo_missing: { severity: 'review', message: 'Your passport copy ({file}) has no photo page; the office will check.' } } });
    expect(extra.flagName('photo_missing')).toBe('Your passport copy has no photo page');
    expect(extra.flagChoices().find((c) => c.code === 'photo_missing')?.name).toBe('Your passport copy has no photo page');
    expect(extra.needsPerson('photo_missing')).toBe(true);
  });
});

describe('the office time zone setting', () => {
  it('defaults to Europe/Paris and refuses a zone Intl does not know', () => {
    expect(loadConfig({}, '/tmp').office.timeZone).toBe('Europe/Paris');
    expect(loadConfig({ ESOR_OFFICE_TIME_ZONE: 'America/New_York' }, '/tmp').office.timeZone).toBe('America/New_York');
    expect(() => loadConfig({ ESOR_OFFICE_TIME_ZONE: 'Mars/Olympus' }, '/tmp')).toThrow(/office\.timeZone: expected a time zone name/);
  });
});

describe('pages in the office words', () => {
  it('no page a person reads shows a flag code, a programme id or an ISO time', async () => {
    const urls = ['/', '/applications', '/applications?sort=decided', ...Object.values(seeded).map((a) => `/applications/${a.applicationId}`), `/applications/${seeded.maria.applicationId}?rev=1`];
    for (const url of urls) {
      const res = await get(app, bob, url);
      expect({ url, status: res.statusCode }).toEqual({ url, status: 200 });
      expect({ url, found: internalWordsIn(textOfHtml(res.body), [GR]) }).toEqual({ url, found: [] });
    }
  });

  it('the list shows programme titles and flag names, one-line times, and sorts by received time by default', async () => {
    const res = await get(app, bob, '/applications');
    const b = res.body;
    expect(b).toContain('<td class="programme">Hybrid Imaging in Oncology</td>');
    expect(b).toContain('>Board certification too old</a>');
    expect(b).toContain('<td class="when"><time datetime="2021-03-16T08:00:00.000Z" title="Office time (Europe/Paris)">16 Mar 2021, 09:00</time></td>');
    expect(b).toMatch(/<th scope="col" aria-sort="descending"><a [^>]*>Received ▼<\/a><\/th>/);
    const order = [PEOPLE.robot.name, PEOPLE.maria.name, PEOPLE.jean.name, PEOPLE.anna.name].map((n) => b.indexOf(n));
    expect(order.every((i, k) => i > 0 && (k === 0 || i > order[k - 1]!))).toBe(true);
  });

  it('filters by a flag chosen by its name', async () => {
    const res = await get(app, bob, '/applications');
    expect(res.body).toMatch(/<select id="f-flag" name="flag"><option value="" selected>Any flag<\/option>/);
    expect(res.body).toContain('<option value="late_submission">Arrived after the deadline</option>');
    const filtered = await get(app, bob, '/applications?flag=board_certification_too_old');
    expect(filtered.body).toContain('<option value="board_certification_too_old" selected>Board certification too old</option>');
    expect(filtered.body).toContain(PEOPLE.jean.name);
    expect(filtered.body).not.toContain(PEOPLE.anna.name);
  });

  it('the application page explains the confidence and shows the call’s document names', async () => {
    const b = (await get(app, bob, `/applications/${seeded.jean.applicationId}`)).body;
    expect(b).toContain('<strong>Confidence</strong>: how sure the machine is that these pages are this document (100 % = sure); below 55 % a person checks.');
    expect(b).toContain('Certificate of recent board certification from the relevant authority');
    expect(b).toContain('<td>90 %</td>');
  });

  it('says the date of a deadline long past instead of counting the days', async () => {
    f.now = new Date('2026-12-05T08:00:00.000Z');
    const alice = await login(app, 'alice');
    const b = (await get(app, alice, '/')).body;
    expect(b).toContain('closed on 31 Mar 2021');
    expect(b).not.toMatch(/closed \d+ days ago/);
  });

  it('keeps an incomplete application flagged for a person under "Needs a person" after its reply was sent', async () => {
    const lucia = await f.addMessage({
      seed: 'lucia',
      uid: 9,
      person: { name: 'Lucia Ferreira-Okafor', email: 'lucia.fo@example.pt' },
      status: 'incomplete',
      programme: GR,
      sections: ['motivation', 'cv', 'recommendation', 'board_certificate', 'medical_degree', 'language_certificates', 'publications', 'references', 'esr_membership'],
      flags: [
        { code: 'missing_section', severity: 'incomplete', message: 'The passport is missing.', section: 'passport' },
        { code: 'low_confidence', severity: 'review', message: 'Not sure where the CV is.', section: 'cv', uncertain: true, evidence: { pages: [2, 2], confidence: 0.4 } },
      ],
      receivedAt: '2021-03-17T08:00:00.000Z',
      pages: 9,
      subject: 'Application',
      body: 'Attached.',
    });
    const reply = await f.store.reserveReply({ applicationId: lucia.applicationId, revision: 1, status: 'incomplete', to: 'lucia.fo@example.pt', subject: 'Re: Application', body: 'Incomplete.', held: false });
    await f.store.markReplySent(reply.reply.id, '<sent-9@esor.local>', '2021-03-17T08:02:00.000Z');
    const b = (await get(app, bob, '/')).body;
    const start = b.indexOf('Complete or incomplete, but flagged for a person, not yet reviewed (1)');
    expect(start).toBeGreaterThan(b.indexOf('Needs a person'));
    expect(b.slice(start, b.indexOf('Replies held for approval'))).toContain('Lucia Ferreira-Okafor');
    await f.store.markReviewed(lucia.applicationId, 'bob', f.now.toISOString());
    expect((await get(app, bob, '/')).body).toContain('Complete or incomplete, but flagged for a person, not yet reviewed (0)');
  });
});
