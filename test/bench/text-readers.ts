/**
 * `npm run bench:text`: the fact readers on a dense page and on hostile
 * pages (one huge line, repeated labels, level codes, digits) bounded as the
 * engine bounds them, each beside a
 * baseline run in the same process on the same text: folding it and one
 * linear pass of a simple pattern. A reader that is linear in its input keeps
 * a steady ratio as the text doubles; a quadratic one shows it at once.
 * Speed is measured here, never asserted in the unit suite (a busy machine
 * would fail it).
 */
import {
  countPublications,
  findBoardCertificationDate,
  findCountries,
  findDates,
  findLanguageLevels,
  findPassportExpiry,
  readCvFields,
  readMembershipYear,
} from '../../core/facts';
import { boundPageText } from '../../core/analyse/bound-page-text';
import { foldText } from '../../core/normalize';

const DENSE = (
  'Dr Anna Rossi, née le 12 mars 1985 à Milano, a réussi l’examen de spécialiste le 14 juin 2019. ' +
  'English C1, Français B2, Deutsch A2. Membership valid until 31/12/2021. ' +
  'Rossi A, Neri P. PET/CT in lymphoma. Radiology. 2019;290(2):456-463.\n'
).repeat(12);

const HOSTILE: Array<[string, (n: number) => string]> = [
  ['digits on one line', (n) => '1'.repeat(n)],
  ['repeated score labels', (n) => 'Listening Reading Writing Speaking Overall Band Score CEFR Level '.repeat(Math.ceil(n / 64))],
  ['level codes', (n) => 'TOEFL iBT ' + 'C1 B2 '.repeat(Math.ceil(n / 6))],
  ['dates', (n) => '12.03.2019 '.repeat(Math.ceil(n / 11))],
  ['citations', (n) => 'Rossi A, et al. Radiology. 2019;290(2):456-463. '.repeat(Math.ceil(n / 48))],
];

const LABELS = {
  surname: ['Surname'], firstName: ['First name'], dateOfBirth: ['Date of birth'], nationality: ['Nationality'],
  countryOfResidence: ['Country of residence'], currentPosition: ['Current position'], institution: ['Institution'],
  country: ['Country'], dateOfBoardCertification: ['Date of board certification'],
  esrMembershipNumber: ['ESR membership number'], languages: ['Languages'],
};

const READERS: Array<[string, (t: string) => unknown]> = [
  ['findDates', findDates],
  ['findCountries', findCountries],
  ['findLanguageLevels', findLanguageLevels],
  ['findPassportExpiry', findPassportExpiry],
  ['countPublications', countPublications],
  ['readMembershipYear', readMembershipYear],
  ['findBoardCertificationDate', findBoardCertificationDate],
  ['readCvFields', (t) => readCvFields(t, LABELS)],
];

function baseline(text: string): number {
  return (foldText(text).match(/\d+/g) ?? []).length;
}

function time(fn: (t: string) => unknown, text: string, runs: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) fn(`${text}#${i}`); // distinct texts: no cache hits
  return Number(process.hrtime.bigint() - start) / 1e6 / runs;
}

function main(): void {
  const base = time(baseline, DENSE, 50);
  process.stdout.write(`dense page (${DENSE.length} chars): baseline fold+scan ${base.toFixed(3)} ms\n`);
  for (const [name, fn] of READERS) {
    time(fn, DENSE, 5);
    const ms = time(fn, DENSE, 50);
    process.stdout.write(`  ${name.padEnd(28)} ${ms.toFixed(3).padStart(8)} ms  ${(ms / base).toFixed(1).padStart(6)}× baseline\n`);
  }
  for (const [what, make] of HOSTILE) {
    process.stdout.write(`hostile: ${what}\n`);
    for (const n of [20_000, 40_000, 80_000]) {
      // As the engine reads a page: bounded first (core/analyse/bound-page-text.ts).
      // Broken into lines of 900 characters, so the page cap (not the line cap) is what bounds it.
      const text = boundPageText({ num: 1, text: make(n).replace(/.{900}/g, '$&\n'), imageOnly: false }).text;
      const b = time(baseline, text, 3);
      const worst = READERS.map(([name, fn]) => [name, time(fn, text, 1)] as const).sort((a, z) => z[1] - a[1])[0]!;
      process.stdout.write(`  ${String(n).padStart(6)} chars sent, ${String(text.length).padStart(6)} read: slowest ${worst[0].padEnd(28)} ${worst[1].toFixed(1).padStart(8)} ms  ${(worst[1] / b).toFixed(1).padStart(7)}× baseline (${b.toFixed(2)} ms)\n`);
    }
  }
}

main();
