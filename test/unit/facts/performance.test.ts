import {
  countPublications,
  findBoardCertificationDate,
  findCountries,
  findDates,
  findLanguageLevels,
  findPassportExpiry,
  readCvFields,
  readMembershipYear,
} from '../../../core/facts';

// A dense synthetic page (~3,000 characters) full of dates, languages and references.
const PAGE = (
  'Dr Anna Rossi, née le 12 mars 1985 à Milano, a réussi l’examen de spécialiste le 14 juin 2019. ' +
  'English C1, Français B2, Deutsch A2. Membership valid until 31/12/2021. ' +
  'Rossi A, Neri P. PET/CT in lymphoma. Radiology. 2019;290(2):456-463.\n'
).repeat(12);

const LABELS = {
  surname: ['Surname'], firstName: ['First name'], dateOfBirth: ['Date of birth'], nationality: ['Nationality'],
  countryOfResidence: ['Country of residence'], currentPosition: ['Current position'], institution: ['Institution'],
  country: ['Country'], dateOfBoardCertification: ['Date of board certification'],
  esrMembershipNumber: ['ESR membership number'], languages: ['Languages'],
};

describe('performance', () => {
  it.each([
    ['findDates', findDates],
    ['findCountries', findCountries],
    ['findLanguageLevels', findLanguageLevels],
    ['findPassportExpiry', findPassportExpiry],
    ['countPublications', countPublications],
    ['readMembershipYear', readMembershipYear],
    ['findBoardCertificationDate', findBoardCertificationDate],
    ['readCvFields', (t: string) => readCvFields(t, LABELS)],
  ] as Array<[string, (t: string) => unknown]>)('%s reads a dense page in about a millisecond', (_, fn) => {
    for (let i = 0; i < 10; i++) fn(`${PAGE}${i}`); // warm up
    const runs = 50;
    const start = process.hrtime.bigint();
    for (let i = 0; i < runs; i++) fn(`${PAGE}#${i}`); // distinct texts: no fold cache hits
    const ms = Number(process.hrtime.bigint() - start) / 1e6 / runs;
    // Typically 0.1-0.6 ms; the bound leaves room for a busy test machine.
    expect(ms).toBeLessThan(5);
  });
});
