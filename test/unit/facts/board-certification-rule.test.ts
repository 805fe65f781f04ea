/**
 * The programme's board_certification_max_age rule on what the facts give:
 * a full date, or only the period a month-and-year / year-alone date names
 * (too old only when the whole period lies before the limit).
 */
import path from 'node:path';
import { loadRules } from '../../../adapters/rules-loader';
import { extractFacts, type CvFieldLabels } from '../../../core/facts';
import { evaluateRules, formatPeriod, type RuleInput } from '../../../core/triage/evaluate-rules';
import type { Evidence, Facts, PageText } from '../../../core/types';
import { compilePhrases } from '../../../core/normalize';

const RULES = loadRules(path.join(__dirname, '../../../rules'));
const PROGRAMME = RULES.programmes.find((p) => p.id === 'gustave-roussy-hybrid-imaging-2022')!;
// Deadline 2021-03-31, three years: certified on or after 2018-03-31.

function judge(facts: Facts, evidence: Partial<Record<keyof Facts, Evidence>> = {}, more: Partial<RuleInput> = {}) {
  const input: RuleInput = { facts, evidence, languages: [], sections: new Map(), receivedAt: null, ...more };
  return evaluateRules(PROGRAMME, RULES.common, input).find((o) => o.kind === 'board_certification_max_age')!;
}

describe('board_certification_max_age with a period', () => {
  it('fails when the whole period lies before the limit, quoting the period', () => {
    const o = judge({ boardCertificationPeriod: { from: '2016-03-01', to: '2016-03-31' } }, {
      boardCertificationPeriod: { pages: [7], snippet: 'passed the board examination in March 2016', section: 'board_certificate' },
    });
    expect(o.outcome).toBe('fail');
    expect(o.flag).toMatchObject({
      code: 'board_certification_too_old',
      severity: 'ineligible',
      section: 'board_certificate',
      evidence: { pages: [7], period: { from: '2016-03-01', to: '2016-03-31' }, limit: '2018-03-31' },
    });
    expect(o.flag!.message).toContain('March 2016');
    expect(o.flag!.message).not.toMatch(/\b1 March 2016\b/);
  });

  it('fails for a whole year before the limit', () => {
    const o = judge({ boardCertificationPeriod: { from: '2017-01-01', to: '2017-12-31' } });
    expect(o.outcome).toBe('fail');
    expect(o.flag!.message).toContain('dates from 2017;');
  });

  it('passes when the whole period lies on or after the limit', () => {
    expect(judge({ boardCertificationPeriod: { from: '2018-04-01', to: '2018-04-30' } }).outcome).toBe('pass');
    expect(judge({ boardCertificationPeriod: { from: '2019-01-01', to: '2019-12-31' } }).outcome).toBe('pass');
    expect(judge({ boardCertificationPeriod: { from: '2018-03-31', to: '2018-03-31' } }).outcome).toBe('pass');
  });

  it('cannot tell when the period straddles the limit: no flag, as with no date', () => {
    for (const period of [{ from: '2018-03-01', to: '2018-03-31' }, { from: '2018-01-01', to: '2018-12-31' }]) {
      const o = judge({ boardCertificationPeriod: period });
      expect(o.outcome).toBe('unknown');
      expect(o.flag).toBeUndefined();
      expect(o.detail).toMatch(/straddles 2018-03-31/);
    }
    expect(judge({}).outcome).toBe('unknown');
  });

  it('decides from the full date when there is one, as before', () => {
    expect(judge({ boardCertificationDate: '2018-03-30' }).outcome).toBe('fail');
    expect(judge({ boardCertificationDate: '2018-03-31' }).outcome).toBe('pass');
  });

  it('flags an old certificate printed with a month and year, from the documents to the verdict', () => {
    const labels = { dateOfBoardCertification: ['Date of board certification'] } as unknown as CvFieldLabels;
    const page = (num: number, text: string): PageText => ({ num, text, imageOnly: false });
    const report = extractFacts({
      cvLabels: labels,
      sections: [
        { id: 'cv', pages: [page(1, 'ESOR Curriculum Vitae\nDate of board certification: März 2016')] },
        { id: 'board_certificate', pages: [page(2, 'Facharztanerkennung Radiologie\nAnerkennung: März 2016\nAusgestellt am 03.05.2021')] },
      ],
    });
    const o = judge(report.facts, report.evidence);
    expect(o.outcome).toBe('fail');
    expect(o.flag!.evidence).toMatchObject({ pages: [2], snippet: expect.stringContaining('März 2016') });
  });
});

describe('formatPeriod', () => {
  it('names a month, a year, or both ends', () => {
    expect(formatPeriod('2016-03-01', '2016-03-31')).toBe('March 2016');
    expect(formatPeriod('2016-01-01', '2016-12-31')).toBe('2016');
    expect(formatPeriod('2016-01-01', '2017-12-31')).toBe('1 January 2016 to 31 December 2017');
    expect(formatPeriod('2016-03-14', '2016-03-14')).toBe('14 March 2016');
  });
});

describe('board_certification_max_age: examined before the limit, the title issued after it', () => {
  const LATVIAN = [
    'SPECIALIST CERTIFICATE',
    'Name: Laura Test',
    'Date of birth: 1 September 1987',
    'has passed the specialist examination and acquired the specialty "Radiology".',
    'Date of examination: 12 March 2018',
    'Date of issue: 20 April 2018',
  ].join('\n');
  const read = (text: string) => extractFacts({ sections: [{ id: 'board_certificate', pages: [{ num: 6, text, imageOnly: false } as PageText] }], cvLabels: {} as CvFieldLabels });

  it('keeps the examination as the date and names the later issue beside it', () => {
    const { facts, evidence } = read(LATVIAN);
    expect(facts.boardCertificationDate).toBe('2018-03-12');
    expect(evidence.boardCertificationDate?.issuedLater).toMatchObject({ iso: '2018-04-20' });
  });

  it('is a person\'s to decide when the two dates lie on either side of the limit', () => {
    const { facts, evidence } = read(LATVIAN);
    const o = judge(facts, evidence);
    expect(o.outcome).toBe('unknown');
    expect(o.flag).toMatchObject({ code: 'board_certification_unverified', severity: 'review' });
    expect(o.flag!.message).toContain('12 March 2018');
  });

  it('still fails when both dates are before the limit, and passes when the examination is after it', () => {
    const old = read(LATVIAN.replace('12 March 2018', '12 March 2016').replace('20 April 2018', '20 April 2016'));
    expect(judge(old.facts, old.evidence).flag?.code).toBe('board_certification_too_old');
    const recent = read(LATVIAN.replace('12 March 2018', '12 May 2018').replace('20 April 2018', '20 June 2018'));
    expect(judge(recent.facts, recent.evidence).outcome).toBe('pass');
  });

  it('a copy issued years later is no issue of the title', () => {
    const copy = read('Passed the state specialist examination and on 26 October 2015 obtained the title of specialist.\nCopy issued on 11 January 2021');
    expect(copy.evidence.boardCertificationDate?.issuedLater).toBeUndefined();
    expect(judge(copy.facts, copy.evidence).flag?.code).toBe('board_certification_too_old');
  });

  it('an award date with a later issue date is no examination: the award decides', () => {
    const conferred = read('Specialty conferred on: 12 June 2017\nDate of issue: 20 April 2018');
    expect(conferred.evidence.boardCertificationDate?.issuedLater).toBeUndefined();
    expect(judge(conferred.facts, conferred.evidence).flag?.code).toBe('board_certification_too_old');
  });
});

describe('a date in figures whose day and month could swap', () => {
  const ABR = 'AMERICAN BOARD OF EXAMPLE RADIOLOGY\nVerification of Board Certification\nSpecialty: Diagnostic Radiology\nInitial Certification Date 04/02/2018';
  const read = (text: string, cv?: string) => extractFacts({
    sections: [
      ...(cv ? [{ id: 'cv' as const, pages: [{ num: 2, text: `ESOR Curriculum Vitae\nDate of board certification: ${cv}`, imageOnly: false } as PageText] }] : []),
      { id: 'board_certificate', pages: [{ num: 5, text, imageOnly: false } as PageText] },
    ],
    cvLabels: { dateOfBoardCertification: ['Date of board certification'] } as unknown as CvFieldLabels,
  });

  it('reads an American board\'s date month first: 04/02/2018 is 2 April', () => {
    const { facts, evidence } = read(ABR);
    expect(facts.boardCertificationDate).toBe('2018-04-02');
    expect(evidence.boardCertificationDate).toMatchObject({ monthFirst: true });
    expect(evidence.boardCertificationDate?.otherReading).toBeUndefined();
    expect(judge(facts, evidence).outcome).toBe('pass');
  });

  it('goes to a person when the two readings fall on either side of the limit and either may be meant', () => {
    // As for an applicant in the United States whose certificate does not say where it is from.
    const o = judge({ boardCertificationDate: '2018-02-04' }, { boardCertificationDate: { pages: [5], snippet: 'Certified 04/02/2018', section: 'board_certificate', basis: 'certification', otherReading: '2018-04-02' } });
    expect(o.outcome).toBe('unknown');
    expect(o.flag).toMatchObject({ code: 'board_certification_unverified', severity: 'review' });
    expect(o.flag!.message).toContain('2 April 2018');
  });

  it('is settled by a CV that writes the date plainly, either way', () => {
    const april = read(ABR, '2 April 2018');
    expect(april.facts.boardCertificationDate).toBe('2018-04-02');
    expect(judge(april.facts, april.evidence).outcome).toBe('pass');
    const february = read(ABR, '4 February 2018');
    expect(february.evidence.boardCertificationDate?.otherReading).toBeUndefined();
    expect(judge(february.facts, february.evidence).flag?.code).toBe('board_certification_too_old');
  });

  it('reads day first, without doubt, where nothing is American: an Irish registration\'s 03/07/2018 is 3 July', () => {
    const irish = read('MEDICAL COUNCIL\nSpecialist Division of the Register\nSpecialty: Radiology\nDate of Specialist Registration: 03/07/2018');
    expect(irish.facts.boardCertificationDate).toBe('2018-07-03');
    expect(irish.evidence.boardCertificationDate?.otherReading).toBeUndefined();
    expect(judge(irish.facts, irish.evidence).outcome).toBe('pass');
  });

  it('decides when both readings lie on one side, or the figures cannot swap', () => {
    expect(judge(...asArgs(read(ABR.replace('04/02/2018', '04/02/2016')))).flag?.code).toBe('board_certification_too_old');
    expect(judge(...asArgs(read(ABR.replace('04/02/2018', '04/02/2019')))).outcome).toBe('pass');
    expect(read(ABR.replace('04/02/2018', '04.02.2018')).facts.boardCertificationDate).toBe('2018-02-04');
    expect(read(ABR.replace('04/02/2018', '14/02/2018')).facts.boardCertificationDate).toBe('2018-02-14');
  });
});

function asArgs(r: { facts: Facts; evidence: Partial<Record<keyof Facts, Evidence>> }): [Facts, Partial<Record<keyof Facts, Evidence>>] {
  return [r.facts, r.evidence];
}

describe('a board certificate that proves no date', () => {
  const found = (scanned: boolean): Partial<RuleInput> => ({ sections: new Map([['board_certificate', { pages: [5], scanned }]]) });

  it('found, with no date read from it: a person checks it, as a membership proof that shows no year', () => {
    const o = judge({}, {}, found(false));
    expect(o.outcome).toBe('unknown');
    expect(o.flag).toMatchObject({ code: 'board_certification_unverified', severity: 'review', section: 'board_certificate', evidence: { pages: [5] } });
    expect(o.flag!.message).toContain('no date of certification could be read');
    // Only scans, nothing read: the scans' own doubt (certainty) speaks, not this rule.
    expect(judge({}, {}, found(true)).flag).toBeUndefined();
    // Not found at all: missing_section says so, not this rule.
    expect(judge({}).flag).toBeUndefined();
  });

  it('a straddling period read only from the CV leaves the certificate unproved', () => {
    const o = judge({ boardCertificationPeriod: { from: '2018-03-01', to: '2018-03-31' } }, {
      boardCertificationPeriod: { pages: [2], snippet: 'Board certification: March 2018', section: 'cv' },
    }, found(false));
    expect(o.flag?.code).toBe('board_certification_unverified');
  });

  it('a recent year read only from the CV, the certificate showing no date: no pass without a person', () => {
    const cvOnly = { boardCertificationPeriod: { pages: [2], snippet: 'Date of board certification: 2019', section: 'cv' } };
    const scanned = judge({ boardCertificationPeriod: { from: '2019-01-01', to: '2019-12-31' } }, cvOnly, found(true));
    expect(scanned.outcome).toBe('unknown');
    expect(scanned.flag).toMatchObject({ code: 'board_certification_unverified', evidence: { pages: [5] } });
    // An old year on the applicant's own CV still says too old; with no certificate, missing_section speaks.
    expect(judge({ boardCertificationPeriod: { from: '2015-01-01', to: '2015-12-31' } }, cvOnly, found(false)).flag?.code).toBe('board_certification_too_old');
    expect(judge({ boardCertificationPeriod: { from: '2019-01-01', to: '2019-12-31' } }, cvOnly).outcome).toBe('pass');
  });

  it('dated after the mail was sent: a title not held yet, or a misread date', () => {
    const sent = { ...found(false), receivedAt: new Date('2021-03-15T10:00:00Z') };
    const o = judge({ boardCertificationDate: '2021-06-10' }, { boardCertificationDate: { pages: [5], snippet: 'Facharztprüfung: 10.06.2021', section: 'board_certificate' } }, sent);
    expect(o.outcome).toBe('unknown');
    expect(o.flag?.code).toBe('board_certification_unverified');
    expect(o.flag!.message).toContain('after the application was sent');
    // The CV puts the title after the mail, whatever the certificate says: the certificate is something else.
    const cvLater = judge({ boardCertificationDate: '2020-11-07' }, {
      boardCertificationDate: { pages: [5], snippet: 'held in Vienna on 7 November 2020', section: 'board_certificate', conflict: { cv: '2021-05-01/2021-05-31', certificate: '2020-11-07' } },
    }, sent);
    expect(cvLater.flag?.code).toBe('board_certification_unverified');
    expect(cvLater.flag!.message).toContain('after the application was sent');
    // Dated before the mail: as before.
    const before = judge({ boardCertificationDate: '2021-03-01' }, { boardCertificationDate: { pages: [5], snippet: '01.03.2021', section: 'board_certificate' } }, sent);
    expect(before.outcome).toBe('pass');
  });
});

describe('a board certificate of someone else', () => {
  const labels = { dateOfBirth: ['Date of birth'] } as unknown as CvFieldLabels;
  const read = (born: string) =>
    extractFacts({
      sections: [
        { id: 'cv', pages: [{ num: 2, text: 'ESOR Curriculum Vitae\nSurname: Example\nDate of birth: 22.04.1986\nNationality: German', imageOnly: false } as PageText] },
        { id: 'board_certificate', pages: [{ num: 5, text: `Landesärztekammer\nHiermit wird bescheinigt, dass Dr. med. Max Sample, geboren am ${born}, am 17.05.2019 die Facharztprüfung für Radiologie bestanden hat.`, imageOnly: false } as PageText] },
      ],
      cvLabels: labels,
    });

  it('born on another day than the applicant: a person checks whose certificate it is', () => {
    const { facts, evidence } = read('22.04.1988');
    expect(evidence.boardCertificationDate?.holderBornElsewhere).toBe(true);
    const o = judge(facts, evidence);
    expect(o.flag?.code).toBe('board_certification_unverified');
    expect(o.flag!.message).toContain('another person');
  });

  it('born on the applicant\'s day (either way round): the certificate decides as before', () => {
    for (const born of ['22.04.1986', '04.22.1986']) {
      const { facts, evidence } = read(born);
      expect(evidence.boardCertificationDate?.holderBornElsewhere).toBeUndefined();
      expect(judge(facts, evidence).outcome).toBe('pass');
    }
  });
});

describe('a CV that says the title is not held yet', () => {
  const labels = { dateOfBoardCertification: ['Date of board certification'] } as unknown as CvFieldLabels;
  const notHeld = compilePhrases(RULES.common.cv_template.board_not_held);
  const read = (field: string) =>
    extractFacts({
      sections: [
        { id: 'cv', pages: [{ num: 2, text: `ESOR Curriculum Vitae\nDate of board certification: ${field}\nESR membership number: M-1`, imageOnly: false } as PageText] },
        { id: 'board_certificate', pages: [{ num: 5, text: 'European Board of Radiology\nEuropean Diploma in Radiology\nhas passed the examination held in Vienna on 7 November 2020', imageOnly: false } as PageText] },
      ],
      cvLabels: labels,
      boardNotHeld: notHeld,
    });

  it('doubts whatever stands as the certificate, and reads no date from the field', () => {
    for (const field of ['specialist exam scheduled for May 2021 (EDiR 2020)', 'expected June 2022', 'noch nicht (Facharztprüfung 2022)']) {
      const { facts, evidence, boardNotHeld } = read(field);
      expect(facts.boardCertificationDate).toBe('2020-11-07');
      expect(evidence.boardCertificationDate?.conflict).toBeUndefined();
      expect(boardNotHeld).toMatchObject({ pages: [2], section: 'cv' });
      const o = judge(facts, evidence, { boardNotHeld, sections: new Map([['board_certificate', { pages: [5], scanned: false }]]) });
      expect(o.outcome).toBe('unknown');
      expect(o.flag?.code).toBe('board_certification_unverified');
      expect(o.flag!.message).toContain('not held yet');
    }
  });

  it('a date in the field decides as before', () => {
    const { facts, evidence, boardNotHeld } = read('07.11.2020');
    expect(boardNotHeld).toBeUndefined();
    expect(judge(facts, evidence).outcome).toBe('pass');
  });

  it('with a scanned certificate nothing was read from, or none at all', () => {
    const { boardNotHeld } = read('results pending');
    const scanned = judge({}, {}, { boardNotHeld, sections: new Map([['board_certificate', { pages: [5], scanned: true }]]) });
    expect(scanned.flag?.code).toBe('board_certification_unverified');
    // No certificate: the missing section says it; no second flag on a section that is not there.
    expect(judge({}, {}, { boardNotHeld }).flag).toBeUndefined();
  });
});
