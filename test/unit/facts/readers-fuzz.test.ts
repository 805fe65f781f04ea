/**
 * Every reader of untrusted text, against generated hostile text: it never
 * throws, and what it returns points into the text it was given. The text is
 * built by a seeded generator from the pieces real readers react to (dates,
 * levels, exam names, MRZ lines, citations, cue words in several scripts),
 * shuffled with noise, long runs and odd Unicode, so every run tests the same
 * cases and a failure can be replayed by its seed. How long the readers take on
 * such text is measured by `npm run bench:text`, never here (contract: no
 * wall-clock assertion in the suite).
 */
import path from 'node:path';
import { loadRules } from '../../../adapters/rules-loader';
import { readDeliveryFailure } from '../../../core/mail/delivery-status';
import { listAuthenticationResultsHeaders, parseAuthenticationResults } from '../../../core/mail/authentication-results';
import {
  countPublications,
  findBoardCertificationDate,
  findCountries,
  findDates,
  findLanguageLevels,
  findPartialDates,
  findPassportExpiry,
  readCvFields,
  readMembershipYear,
  readPassportMrz,
} from '../../../core/facts';
import { compileClassifier, scorePages } from '../../../core/analyse/classify-pages';
import { compileTriageRules } from '../../../core/triage/triage-application';
import { Rng } from '../../corpus/random';

const RULES = loadRules(path.join(__dirname, '../../../rules'));
const CLASSIFIER = compileClassifier(RULES.common);
const CV_LABELS = compileTriageRules(RULES).cvFields;

const PIECES = [
  '12.03.2019', '2019-03-12', '03/2016', '14 juin 2019', '31 March 2021', '1.1.1900', '99.99.9999', '2016', '−', '–',
  'C1', 'B2', 'A1', 'Cl', 'niveau', 'CEFR Level', 'Overall Band Score', '7.5', 'IELTS', 'TOEFL', 'DELF', 'TCF', 'Total', '105',
  'P<FRAEXAMPLE<<ANNA<<<<<<<<<<<<<<<<<<<<<<<<<<<', 'AB12345674FRA8802011F2905306<<<<<<<<<<<<<<06', '<<<<', '<',
  'doi:10.1000/x', 'et al.', '2019;29(3):1-8', '1.', '[2]', '(3)', 'Eur Radiol.', 'PMID: 12345678',
  'Facharztprüfung', 'geboren am', 'Weiterbildungsordnung vom', 'Наредба № 1 от', 'специалност', 'born on', 'passed',
  'issued', 'Mitglied der Kammer seit', 'Surname', 'Country of residence', 'Nationality', 'Date of board certification',
  'ESR', 'membership', 'member', 'Full Member', '2021', 'France', 'Deutschland', 'საქართველო', 'Ελλάδα', 'Україна',
  '\n', '\n\n', '\t', '  ', ':', ';', '|', '(', ')', '"', '\u0000', '\u200b', '\ufeff', '\u202e', '🙂', 'é', 'e\u0301', 'ß', 'İ',
];

/** Text from seed `seed` (the corpus generator's seeded Rng), so a failing case replays from its seed. */
function hostileText(seed: number): string {
  const rng = new Rng(seed);
  const r = () => rng.next();
  const parts: string[] = [];
  const n = Math.floor(r() * 300);
  for (let i = 0; i < n; i++) {
    const pick = r();
    if (pick < 0.7) parts.push(PIECES[Math.floor(r() * PIECES.length)]!);
    else if (pick < 0.85) parts.push(String.fromCodePoint(Math.floor(r() * 0x2fff)));
    else if (pick < 0.95) parts.push(' ');
    // Long runs: a repeated piece, digits, or one character many times.
    else parts.push(PIECES[Math.floor(r() * PIECES.length)]!.repeat(1 + Math.floor(r() * 400)));
  }
  return parts.join(r() < 0.5 ? ' ' : '');
}

const CASES = Array.from({ length: 150 }, (_, i) => i + 1);

describe('text readers on generated hostile text (seeded)', () => {
  it.each([
    ['dates', (t: string) => findDates(t).forEach((d) => expect(t.slice(d.index, d.index + d.raw.length)).toBe(d.raw))],
    ['partial dates', (t: string) => void findPartialDates(t)],
    ['language levels', (t: string) => findLanguageLevels(t).forEach((l) => expect(['A1', 'A2', 'B1', 'B2', 'C1', 'C2']).toContain(l.level))],
    ['board certification date', (t: string) => {
      const d = findBoardCertificationDate(t);
      if (d?.iso) expect(d.iso).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }],
    ['countries', (t: string) => void findCountries(t)],
    ['CV fields', (t: string) => void readCvFields(t, CV_LABELS)],
    ['ESR membership year', (t: string) => void readMembershipYear(t)],
    ['passport MRZ and expiry', (t: string) => {
      readPassportMrz(t);
      findPassportExpiry(t);
    }],
    ['publications', (t: string) => expect(countPublications(t).count).toBeGreaterThanOrEqual(0)],
    ['page classifier', (t: string) => expect(scorePages([{ num: 1, text: t, imageOnly: false }], CLASSIFIER)[0]!.scores.every(Number.isFinite)).toBe(true)],
    ['delivery status (bounces)', (t: string) => void readDeliveryFailure([t])],
    ['Authentication-Results', (t: string) => {
      listAuthenticationResultsHeaders(t);
      parseAuthenticationResults(t);
    }],
  ])('%s: never throws, answers within the text', (_, read) => {
    for (const seed of CASES) {
      const text = hostileText(seed);
      try {
        read(text);
      } catch (err) {
        throw new Error(`seed ${seed}: ${(err as Error).message}`);
      }
    }
  });
});

describe('the passport zone reader on one enormous zone-like line', () => {
  it('never throws: a page line of 200,000 zone characters is read as any other', () => {
    const line = `${'0'.repeat(200_000)}<<`;
    expect(() => readPassportMrz(line)).not.toThrow();
    expect(() => findPassportExpiry(`Date of expiry\n${line}`)).not.toThrow();
  });
});
