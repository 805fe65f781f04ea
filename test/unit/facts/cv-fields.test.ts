import { readCvFields, type CvFieldLabels } from '../../../core/facts/cv-fields';

const LABELS: CvFieldLabels = {
  surname: ['Surname'],
  firstName: ['First name'],
  dateOfBirth: ['Date of birth'],
  nationality: ['Nationality'],
  countryOfResidence: ['Country of residence'],
  currentPosition: ['Current position'],
  institution: ['Institution'],
  country: ['Country'],
  dateOfBoardCertification: ['Date of board certification'],
  esrMembershipNumber: ['ESR membership number'],
  languages: ['Languages'],
};

const TEMPLATE = [
  'ESOR Curriculum Vitae',
  'Surname: Rossi            First name: Anna',
  'Date of birth: 12/03/1985',
  'Nationality: Italian',
  'Country of residence: Italy',
  'Current position',
  'Consultant radiologist',
  'Institution   Ospedale San Carlo, Department of Radiology',
  'City  Milano',
  'Country',
  'Italy',
  'Date of board certification: 14 June 2019',
  'ESR membership number: Click here to enter text.',
  'Languages: Italian (mother tongue)',
  'English C1',
  'French B2 (DELF)',
  'Education',
  '2004-2010 MD, University of Milan',
].join('\n');

describe('readCvFields', () => {
  const fields = readCvFields(TEMPLATE, { ...LABELS, city: ['City'], otherLabels: ['Education', 'Professional experience'] });

  it('reads "Label: value" lines', () => {
    expect(fields.dateOfBirth?.value).toBe('12/03/1985');
    expect(fields.nationality?.value).toBe('Italian');
    expect(fields.dateOfBoardCertification?.value).toBe('14 June 2019');
  });

  it('reads two fields printed on one line', () => {
    expect(fields.surname?.value).toBe('Rossi');
    expect(fields.firstName?.value).toBe('Anna');
  });

  it('reads a scanned table\'s rows, where OCR reads the cell border as | or [', () => {
    const scan = readCvFields('Surname [ Quintero Lobato\nCountry of residence | Spain\nCountry [ Spain\nNationality [enter text]', LABELS);
    expect(scan.surname?.value).toBe('Quintero Lobato');
    expect(scan.countryOfResidence?.value).toBe('Spain');
    expect(scan.country?.value).toBe('Spain');
    expect(scan.nationality).toBeUndefined();
  });

  it('reads "Label   value" lines (wide gap, no colon)', () => {
    expect(fields.institution?.value).toBe('Ospedale San Carlo, Department of Radiology');
    expect(fields.city?.value).toBe('Milano');
  });

  it('reads a value printed on the line after its label', () => {
    expect(fields.currentPosition?.value).toBe('Consultant radiologist');
    expect(fields.country?.value).toBe('Italy');
  });

  it('does not let "Country" match inside "Country of residence"', () => {
    expect(fields.countryOfResidence?.value).toBe('Italy');
    expect(fields.country?.snippet).toBe('Country Italy');
  });

  it('omits a field left with the word-processor placeholder', () => {
    expect(fields.esrMembershipNumber).toBeUndefined();
  });

  it('reads languages over several lines, up to the next label', () => {
    expect(fields.languages?.value).toBe('Italian (mother tongue)\nEnglish C1\nFrench B2 (DELF)');
  });

  it('gives the index of the value in the text', () => {
    expect(fields.countryOfResidence?.index).toBe(TEMPLATE.indexOf('Italy'));
  });

  it('does not read "of residence Italy" as the Country when only "Country" is a label', () => {
    const only = { ...LABELS, countryOfResidence: [] };
    expect(readCvFields('Country of residence: Italy', only)).toEqual({});
    expect(readCvFields('Country of residence   Italy', only)).toEqual({});
  });

  it('never takes another label as a value', () => {
    const r = readCvFields('Surname\nFirst name\nAnna', LABELS);
    expect(r.surname).toBeUndefined();
    expect(r.firstName?.value).toBe('Anna');
  });

  it('matches labels whatever the case, accents and spacing', () => {
    const r = readCvFields('COUNTRY  OF  RESIDENCE :  Deutschland\nnationality - German', LABELS);
    expect(r.countryOfResidence?.value).toBe('Deutschland');
    expect(r.nationality?.value).toBe('German');
  });

  it('accepts a qualifier after the label', () => {
    const r = readCvFields('Languages (with CEFR level): English C1, French B2\nDate of birth (dd/mm/yyyy): 12/03/1985', LABELS);
    expect(r.languages?.value).toBe('English C1, French B2');
    expect(r.dateOfBirth?.value).toBe('12/03/1985');
  });

  it('accepts label variants from the rule file, longest first', () => {
    const r = readCvFields('Pays de résidence : France\nPays : Belgique', {
      ...LABELS,
      countryOfResidence: ['Country of residence', 'Pays de résidence'],
      country: ['Country', 'Pays'],
    });
    expect(r.countryOfResidence?.value).toBe('France');
    expect(r.country?.value).toBe('Belgique');
  });

  it('reads labels marked as required with an asterisk', () => {
    const r = readCvFields('Surname*: Rossi\nFirst name *  Anna', LABELS);
    expect(r.surname?.value).toBe('Rossi');
    expect(r.firstName?.value).toBe('Anna');
  });

  it('reads a label followed by a single space and a capitalised value', () => {
    expect(readCvFields('Nationality Greek', LABELS).nationality?.value).toBe('Greek');
  });

  it('returns an empty object for empty input', () => {
    expect(readCvFields('', LABELS)).toEqual({});
  });
});

describe('values that begin with an article or a surname particle', () => {
  it('reads "the Netherlands" and "de Vries" after a single space', () => {
    const text = 'ESOR Curriculum Vitae\nSurname de Vries\nFirst name Sanne\nCountry of residence the Netherlands\nCity Leiden\nCountry the Netherlands';
    const f = readCvFields(text, { ...LABELS, city: ["City"] });
    expect(f.surname?.value).toBe('de Vries');
    expect(f.countryOfResidence?.value).toBe('the Netherlands');
    expect(f.country?.value).toBe('the Netherlands');
  });

  it('still does not read the rest of a longer label as a value', () => {
    const f = readCvFields('Country of work and study Italy', { ...LABELS, city: ["City"] });
    expect(f.country).toBeUndefined();
  });
});

describe('readCvFields: a template laid out in two columns (form fields)', () => {
  const TWO_COLUMNS = [
    'ESOR Curriculum Vitae',
    'Surname Institution',
    'Example',
    'Centre Hospitalier Exemple',
    'Date of birth Country',
    '15.09.1987',
    'Luxembourg',
    'Country of residence ESR membership number',
    'Luxembourg',
    'M-0000001',
    'Nationality Date of board certification',
    'Luxembourgish',
    '01.12.2020',
  ].join('\n');

  it('reads each label of a two-label line from the two lines below, the left one first', () => {
    const f = readCvFields(TWO_COLUMNS, LABELS);
    expect(f.surname?.value).toBe('Example');
    expect(f.institution?.value).toBe('Centre Hospitalier Exemple');
    expect(f.country?.value).toBe('Luxembourg');
    expect(f.countryOfResidence?.value).toBe('Luxembourg');
    expect(f.esrMembershipNumber?.value).toBe('M-0000001');
    expect(f.dateOfBoardCertification?.value).toBe('01.12.2020');
  });

  it('not where a label follows: those are two empty fields', () => {
    const f = readCvFields('Surname Institution\nNationality\nItalian', LABELS);
    expect(f.surname).toBeUndefined();
    expect(f.institution).toBeUndefined();
    expect(f.nationality?.value).toBe('Italian');
  });
});
