import { computeCheckDigit } from '../../../core/facts/mrz';
import { extractFacts, type CvFieldLabels, type FactInput } from '../../../core/facts';
import type { PageText, SectionId } from '../../../core/types';

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

function mrz(): string {
  const cd = (s: string): string => String(computeCheckDigit(s));
  const doc = 'YA1234567';
  const body = `${doc}${cd(doc)}ITA850312${cd('850312')}F290430${cd('290430')}${'<'.repeat(14)}<`;
  const composite = cd(body.slice(0, 10) + body.slice(13, 20) + body.slice(21, 43));
  return `${'P<ITAROSSI<<ANNA'.padEnd(44, '<')}\n${body}${composite}`;
}

/** A page; application() numbers the pages in document order. */
function page(text: string, imageOnly = false): PageText {
  return { num: 0, text, imageOnly };
}

function application(overrides: Partial<Record<SectionId, PageText[]>> = {}): FactInput {
  const sections: Partial<Record<SectionId, PageText[]>> = {
    motivation: [page('Dear Committee,\nI am applying for the fellowship in hybrid imaging.')],
    cv: [
      page(
        [
          'ESOR Curriculum Vitae',
          'Surname: Rossi   First name: Anna',
          'Country of residence: Italy',
          'Institution: Ospedale San Carlo, Milano',
          'Country: Italia',
          'Date of board certification: 14/06/2019',
          'Languages: Italian (native)',
          'English C1, French B1, German A2',
        ].join('\n'),
      ),
    ],
    board_certificate: [page('Dr Anna Rossi, born on 12 March 1985, passed the board examination on 14 June 2019.')],
    language_certificates: [
      page("RÉPUBLIQUE FRANÇAISE\nDIPLÔME D'ÉTUDES EN LANGUE FRANÇAISE\nDELF B2"),
      page('IELTS Academic\nOverall Band Score 7.5'),
    ],
    publications: [
      page(
        [
          'List of publications',
          '1. Rossi A, Neri P. PET/CT in lymphoma. Radiology. 2019;290(2):456-463.',
          '2. Rossi A. Hybrid imaging of neuroendocrine tumours. Insights Imaging.',
          '2021;12:45.',
          '3. Blu G, Rossi A. Radiomics in breast cancer. Cancers. 2021;13(5):1001.',
        ].join('\n'),
      ),
      page('4. Gialli F, Rossi A. Mammography. Eur J Radiol. 2018;105:12-19.\n5. Rossi A. MRI. Eur Radiol. 2020;30:1-9.'),
    ],
    esr_membership: [page('MyESR\nMember since 2014\nMembership valid until 31/12/2021')],
    passport: [page(`PASSPORT\n${mrz()}`)],
    ...overrides,
  };
  let num = 0;
  return {
    sections: (Object.entries(sections) as Array<[SectionId, PageText[]]>).map(([id, pages]) => ({
      id,
      pages: pages.map((p) => ({ ...p, num: ++num })),
    })),
    cvLabels: LABELS,
  };
}

describe('extractFacts', () => {
  it('reads every fact of a complete application with evidence pages', () => {
    const report = extractFacts(application());
    expect(report.facts).toEqual({
      boardCertificationDate: '2019-06-14',
      countryOfResidence: 'IT',
      countryOfWork: 'IT',
      languageLevels: { fr: 'B2', en: 'C1', it: 'C2', de: 'A2' },
      publicationCount: 5,
      esrMembershipYear: 2021,
      passportExpiry: '2029-04-30',
    });
    expect(report.evidence.boardCertificationDate?.pages).toEqual([3]);
    expect(report.evidence.countryOfResidence?.pages).toEqual([2]);
    expect(report.evidence.languageLevels?.pages).toEqual([2, 4, 5]);
    expect(report.evidence.publicationCount?.pages).toEqual([6, 7]);
    expect(report.evidence.esrMembershipYear?.pages).toEqual([8]);
    expect(report.evidence.passportExpiry).toMatchObject({ pages: [9], snippet: 'MRZ expiry 290430 (check digits valid)' });
    expect(report.publicationEntries).toHaveLength(5);
  });

  it('lets certificates win over the CV and keeps every finding with its source', () => {
    const report = extractFacts(application());
    expect(report.languages).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ lang: 'fr', level: 'B2', source: 'certificate', page: 4 }),
        expect.objectContaining({ lang: 'en', level: 'C1', source: 'certificate', page: 5 }),
        expect.objectContaining({ lang: 'fr', level: 'B1', source: 'cv', page: 2 }),
      ]),
    );
    expect(report.facts.languageLevels?.fr).toBe('B2');
    expect(report.evidence.languageLevels?.sources).toMatchObject({ fr: 'certificate', de: 'cv' });
  });

  it.each([
    ['TOEIC Listening & Reading\nCandidate: Anna Rossi\nListening 450  Reading 420\nTotal score 870', 'B2'],
    ['PTE Academic Score Report\nOverall Score 79', 'C1'],
    ['C1 Advanced\nCambridge English Scale score 178', 'B2'],
  ])('reads an English level from an exam scored on its own scale: %s', (text, level) => {
    const report = extractFacts(application({ language_certificates: [page('DELF B2\nlangue française'), page(text)] }));
    expect(report.facts.languageLevels).toMatchObject({ en: level, fr: 'B2' });
    expect(report.evidence.languageLevels?.sources).toMatchObject({ en: 'certificate' });
  });

  it("reads a Europass self-assessment grid filed with the certificates as the applicant's own word, not a certificate", () => {
    const grid = 'Europass – Self-assessment grid (Language Passport)\nLanguage: French\nUnderstanding – Listening: B2 Reading: B2\nWriting: B1';
    const report = extractFacts(application({ language_certificates: [page('IELTS Test Report Form\nOverall Band Score 7.5 CEFR Level C1'), page(grid)] }));
    expect(report.evidence.languageLevels?.sources).toMatchObject({ en: 'certificate', fr: 'cv' });
  });

  it('takes the highest level among several certificates of one language', () => {
    const report = extractFacts(
      application({ language_certificates: [page('DELF B1\nlangue française'), page('DALF C1\nlangue française')] }),
    );
    expect(report.facts.languageLevels?.fr).toBe('C1');
  });

  it('falls back to the CV date when the certificate is a scan', () => {
    const report = extractFacts(application({ board_certificate: [page('', true)] }));
    expect(report.facts.boardCertificationDate).toBe('2019-06-14');
    expect(report.evidence.boardCertificationDate).toMatchObject({ section: 'cv', pages: [2] });
  });

  it('keeps a certificate that gives only a month and year as a period, never a made-up day', () => {
    const cv = page('ESOR Curriculum Vitae\nSurname: Rossi\nDate of board certification: 2016');
    const report = extractFacts(
      application({ cv: [cv], board_certificate: [page('Dr Anna Rossi passed the board examination in March 2016.\nIssued on 03/05/2021')] }),
    );
    expect(report.facts.boardCertificationDate).toBeUndefined();
    expect(report.facts.boardCertificationPeriod).toEqual({ from: '2016-03-01', to: '2016-03-31' });
    expect(report.evidence.boardCertificationPeriod).toMatchObject({ section: 'board_certificate', pages: [3], precision: 'month' });
    expect(report.evidence.boardCertificationPeriod?.snippet).toContain('March 2016');
  });

  it('takes the CV day when it lies within the certificate\'s month', () => {
    const cv = page('ESOR Curriculum Vitae\nSurname: Rossi\nDate of board certification: 14/03/2016');
    const report = extractFacts(application({ cv: [cv], board_certificate: [page('Specialist registration: March 2016')] }));
    expect(report.facts.boardCertificationDate).toBe('2016-03-14');
    expect(report.facts.boardCertificationPeriod).toBeUndefined();
    expect(report.evidence.boardCertificationDate).toMatchObject({ section: 'cv' });
  });

  it('believes the certificate over a CV day outside its period', () => {
    const cv = page('ESOR Curriculum Vitae\nSurname: Rossi\nDate of board certification: 14/03/2019');
    const report = extractFacts(application({ cv: [cv], board_certificate: [page('Specialist registration: March 2016')] }));
    expect(report.facts.boardCertificationDate).toBeUndefined();
    expect(report.facts.boardCertificationPeriod).toEqual({ from: '2016-03-01', to: '2016-03-31' });
  });

  it.each([
    ['March 2016', { from: '2016-03-01', to: '2016-03-31' }],
    ['mars 2016', { from: '2016-03-01', to: '2016-03-31' }],
    ['03/2016', { from: '2016-03-01', to: '2016-03-31' }],
    ['2016', { from: '2016-01-01', to: '2016-12-31' }],
  ])('reads the CV field "%s" as a period when the certificate is a scan', (value, period) => {
    const cv = page(`ESOR Curriculum Vitae\nSurname: Rossi\nDate of board certification: ${value}`);
    const report = extractFacts(application({ cv: [cv], board_certificate: [page('', true)] }));
    expect(report.facts.boardCertificationDate).toBeUndefined();
    expect(report.facts.boardCertificationPeriod).toEqual(period);
    expect(report.evidence.boardCertificationPeriod).toMatchObject({ section: 'cv', pages: [2] });
  });

  it('reads the country of work from the institution line when the Country field is empty', () => {
    const cv = page('Country of residence: Belgique\nInstitution: UZ Leuven, Belgium\nCountry:\nDate of birth: 01/01/1990');
    const report = extractFacts(application({ cv: [cv] }));
    expect(report.facts.countryOfResidence).toBe('BE');
    expect(report.facts.countryOfWork).toBe('BE');
  });

  it('reads the country of residence from a clear statement in the motivation letter when the CV lacks it', () => {
    const report = extractFacts(
      application({
        cv: [page('ESOR Curriculum Vitae\nSurname: Rossi')],
        motivation: [page('Dear Committee,\nI currently live and work in Thessaloniki, Greece, where I trained.')],
      }),
    );
    expect(report.facts.countryOfResidence).toBe('GR');
    expect(report.evidence.countryOfResidence).toMatchObject({ section: 'motivation' });
    expect(report.facts.countryOfWork).toBeUndefined();
  });

  it('omits what cannot be read and never guesses', () => {
    const report = extractFacts({ sections: [], cvLabels: LABELS });
    expect(report).toEqual({ facts: {}, evidence: {}, languages: [] });
  });

  it("counts the articles' own first pages sent instead of a list, and not the pages after them", () => {
    const first = (journal: string, title: string) => page([
      `${journal} (2019) 20:100–108`, 'https://doi.org/10.9999/example.2019.1', 'ORIGINAL ARTICLE', title, 'Example T., Rossi A.',
      'Received: 1 October 2018 / Accepted: 20 January 2019', 'Abstract', 'Objectives To evaluate hybrid imaging.', 'Keywords PET-CT · Oncology', 'Introduction', 'Accurate staging is essential [1, 2].',
    ].join('\n'));
    const second = page('Methods\nThis retrospective study included 142 patients [3].\nResults\nSensitivity was 91% (95% CI 85–95).');
    const papers = ['Eur Radiol', 'Insights Imaging', 'Eur J Nucl Med Mol Imaging', 'Cancer Imaging', 'EJNMMI Res'].map((j, i) => first(j, `Title of article ${i + 1}`));
    const report = extractFacts(application({ publications: [papers[0]!, second, ...papers.slice(1)] }));
    expect(report.facts.publicationCount).toBe(5);
    expect(report.evidence.publicationCount?.snippet).toMatch(/^5 articles' first pages; first: Eur Radiol \(2019\)/);
  });

  it('omits facts of scanned sections', () => {
    const scan = [page('', true)];
    const report = extractFacts(
      application({ passport: scan, esr_membership: scan, publications: scan, language_certificates: scan }),
    );
    expect(report.facts.passportExpiry).toBeUndefined();
    expect(report.facts.esrMembershipYear).toBeUndefined();
    expect(report.facts.publicationCount).toBeUndefined();
    expect(report.facts.languageLevels).toEqual({ it: 'C2', en: 'C1', fr: 'B1', de: 'A2' });
  });

  it('keeps every snippet within 160 characters and free of the MRZ and passport number', () => {
    const report = extractFacts(application());
    for (const ev of Object.values(report.evidence)) {
      expect(String(ev?.snippet).length).toBeLessThanOrEqual(160);
      expect(String(ev?.snippet)).not.toMatch(/YA1234567|<</);
    }
  });

  it('prefers a valid MRZ on a later page to a printed label on an earlier one', () => {
    const report = extractFacts(application({ passport: [page('Date of expiry: 01.01.2030'), page(mrz())] }));
    expect(report.facts.passportExpiry).toBe('2029-04-30');
    expect(report.evidence.passportExpiry?.pages).toEqual([10]);
  });
});

describe('residence from a CV that is not the template', () => {
  const labels = { ...LABELS, address: ['Address', 'Adresse'] };
  const cv = (text: string): FactInput => ({ sections: [{ id: 'cv' as SectionId, pages: [{ num: 2, text, imageOnly: false }] }], cvLabels: labels });

  it('reads the one country a Europass address names', () => {
    const r = extractFacts(cv('europass\nCurriculum Vitae\nPERSONAL INFORMATION\nName\nSara Nilsson\nAddress\nBlå stråket 5, Göteborg (Sweden)\nTelephone\n+46 31 000 00 00'));
    expect(r.facts.countryOfResidence).toBe('SE');
    expect(r.evidence.countryOfResidence?.pages).toEqual([2]);
  });

  it('prefers the country of residence field, and reads nothing from an address naming two countries', () => {
    expect(extractFacts(cv('Country of residence: Italy\nAddress: 1 Rue de Genève, Annemasse, France')).facts.countryOfResidence).toBe('IT');
    expect(extractFacts(cv('Address: Grenzweg 1, Basel (Switzerland), near France')).facts.countryOfResidence).toBeUndefined();
  });
});

describe('the applicant\'s birth date is never the certification date', () => {
  it('whatever words stand before it on the certificate (Lithuanian "gim.")', () => {
    const r = extractFacts({
      sections: [
        { id: 'cv' as SectionId, pages: [{ num: 2, text: 'ESOR Curriculum Vitae\nSurname: Petrauskas\nDate of birth: 13.10.1988', imageOnly: false }] },
        {
          id: 'board_certificate' as SectionId,
          pages: [{ num: 5, text: 'MEDICINOS PRAKTIKOS LICENCIJA\nIšduota Tomas Petrauskas, gim. 1988-10-13,\nGYDYTOJAS RADIOLOGAS\nLicencija išduota 2019-08-29', imageOnly: false }],
        },
      ],
      cvLabels: LABELS,
    });
    expect(r.facts.boardCertificationDate).toBe('2019-08-29');
  });
});

describe('extractFacts: the list of publications running onto the next document\'s page', () => {
  const four = page([
    'List of publications',
    '1. Rossi A, Neri P. PET/CT in lymphoma. Radiology. 2019;290(2):456-463.',
    '2. Rossi A. Hybrid imaging of neuroendocrine tumours. Insights Imaging. 2021;12:45.',
    '3. Blu G, Rossi A. Radiomics in breast cancer. Cancers. 2021;13(5):1001.',
    '4. Gialli F, Rossi A. Mammography. Eur J Radiol. 2018;105:12-19.',
  ].join('\n'));
  const fifthThenReferees = page('5. Rossi A, Verdi B. MRI of the liver. Eur Radiol.\n2020;30:1-9.\n\nReferees\nProf. Carlo Example, Head of Radiology\ncarlo.example@example.org +39 02 1234 5678');

  // The references right after the publications, pages numbered in document order.
  const withNext = (next: PageText): FactInput => {
    const a = application({ publications: [four] });
    const at = a.sections.findIndex((s) => s.id === 'publications') + 1;
    const sections = [...a.sections.slice(0, at), { id: 'references' as SectionId, pages: [next] }, ...a.sections.slice(at)];
    let num = 0;
    return { ...a, sections: sections.map((s) => ({ ...s, pages: s.pages.map((p) => ({ ...p, num: ++num })) })) };
  };

  it('counts the entries that continue the numbering above the next page\'s title', () => {
    const report = extractFacts(withNext(fifthThenReferees));
    expect(report.facts.publicationCount).toBe(5);
    expect(report.evidence.publicationCount?.pages).toEqual([6, 7]);
  });

  it('not a next page that starts with its own title, or numbers that do not continue the list', () => {
    const titled = page('Referees\n5. Prof. Carlo Example, carlo.example@example.org');
    expect(extractFacts(withNext(titled)).facts.publicationCount).toBe(4);
    const restart = page('1. Prof. Carlo Example, Head of Radiology, carlo.example@example.org');
    expect(extractFacts(withNext(restart)).facts.publicationCount).toBe(4);
  });
});
