/**
 * Page scoring on the office's rule files: short text pages (a few words,
 * fewer letters than classifier.min_text_letters) are text, not scans.
 */
import path from 'node:path';
import { loadRules } from '../../../adapters/rules-loader';
import { compileClassifier, LABELS, OTHER, scorePages } from '../../../core/analyse/classify-pages';
import { segmentPages } from '../../../core/analyse/segment-pages';
import type { PageText } from '../../../core/types';

const RULES = loadRules(path.join(__dirname, '../../../rules'));
const CLASSIFIER = compileClassifier(RULES.common);
const SECTIONS = RULES.common.sections.map((s) => ({ required: s.required, expectedPages: 1.5 }));

function text(num: number, body: string): PageText {
  return { num, text: body, imageOnly: false };
}

function best(scores: number[]): string {
  return LABELS[scores.indexOf(Math.max(...scores))]!;
}

describe('scorePages: short pages', () => {
  it('is about pages with fewer letters than the rule file minimum', () => {
    expect('PhotographDrAnnaBernardi'.length).toBeLessThan(CLASSIFIER.minTextLetters);
  });

  it('scores a photo page with a title and a name as text, and as `other`', () => {
    const [p] = scorePages([text(15, 'Photograph\nDr Anna Bernardi')], CLASSIFIER);
    expect(p!.imageOnly).toBe(false);
    expect(best(p!.scores)).toBe('other');
    expect(p!.reasons[OTHER]).toContain('title "photograph"');
  });

  it('scores a divider page titled with a section as that section', () => {
    const [p] = scorePages([text(3, 'Passport\nAnna Rossi')], CLASSIFIER);
    expect(p!.imageOnly).toBe(false);
    expect(best(p!.scores)).toBe('passport');
  });

  it('gives a page of words that match no vocabulary only weak evidence, never a scan prior', () => {
    const [p] = scorePages([text(4, 'Dr Anna Bernardi')], CLASSIFIER);
    expect(p!.imageOnly).toBe(false);
    expect(p!.reasons.flat()).not.toContain('page has no text layer');
    expect(Math.max(...p!.scores)).toBeLessThan(2);
  });

  it.each([
    ['an empty text layer', ''],
    ['a page number', '3 / 12'],
    ['initials', 'A. R.'],
    ['a stray glyph and digits', 'x 12 of 14'],
  ])('still counts %s as a scan', (_, body) => {
    const [p] = scorePages([text(5, body)], CLASSIFIER);
    expect(p!.imageOnly).toBe(true);
    expect(p!.reasons[0]).toEqual(['page has no text layer']);
  });

  it('counts a page the reader found no text on as a scan, whatever its text', () => {
    const [p] = scorePages([{ num: 1, text: 'Photograph Anna', imageOnly: true }], CLASSIFIER);
    expect(p!.imageOnly).toBe(true);
  });

  it('does not absorb a photo page after a scanned passport into the passport', () => {
    const titles = RULES.common.sections.map((s) => s.vocabulary.titles[0]!);
    const filler = 'The undersigned confirms the information given in this document on behalf of the institution named below.';
    const pages: PageText[] = titles.slice(0, 9).map((t, i) => text(i + 1, `${t}\n${filler}`));
    pages.push({ num: 10, text: '', imageOnly: true }); // the passport, scanned
    pages.push(text(11, 'Photograph\nDr Anna Bernardi'));
    const seg = segmentPages(scorePages(pages, CLASSIFIER), SECTIONS);
    expect(seg.labels.slice(9)).toEqual(['passport', 'other']);
    expect(seg.missing).toEqual([]);
  });
});

describe('scorePages: where a document starts', () => {
  it('takes a first line in lower case for a continuation, but not one in Georgian (Mkhedruli counts as lower case)', () => {
    const [latin, georgian] = scorePages([
      text(1, 'and for these reasons I support the application of Dr Example without reservation.'),
      text(2, 'თბილისის სახელმწიფო სამედიცინო უნივერსიტეტი\nTbilisi State Medical University'),
    ], CLASSIFIER);
    expect(latin!.startBonus).toBeLessThan(0);
    expect(georgian!.startBonus).toBeGreaterThanOrEqual(0);
  });
});

describe('scorePages: dated list entries are no titles', () => {
  it("a CV page's dated entry naming a diploma is a mention, not the page's title", () => {
    const cvPage = [
      'Education',
      '2008–2014            Medical school, Universidad de Ejemplo',
      '2015–2020            Residency in radiology, Hospital Universitario Ejemplo',
      '2020                 National board examination in radiology (see certificate)',
      '2019                 European Diploma in Radiology (EDiR) – Part 1',
      'Professional experience',
      '2020–present         Attending radiologist, Servicio de Radiodiagnóstico',
    ].join('\n');
    const [p] = scorePages([text(3, cvPage)], CLASSIFIER);
    const board = LABELS.indexOf('board_certificate');
    expect(p!.reasons[board]!.some((r) => r.startsWith('title'))).toBe(false);
    // The same words as the page's own title are one.
    const [cert] = scorePages([text(5, 'European Diploma in Radiology\nThis is to certify that Dr Ana Ejemplo passed the examination on 14 June 2019.')], CLASSIFIER);
    expect(cert!.reasons[board]!.some((r) => r.startsWith('title'))).toBe(true);
  });
});

describe('scorePages: a title two documents share', () => {
  it('scores a page titled by a specialist title the same for board certificate and degree, whatever university words it has', () => {
    const diploma = ['REPUBLICA DE EJEMPLO', 'UNIVERSIDAD PONTIFICIA DE EJEMPLO', 'Y EN SU NOMBRE EL RECTOR, CONFIERE EL', 'TITULO DE ESPECIALISTA EN RADIOLOGIA', 'A', 'ANA TEST', 'Medellín, 2 de febrero de 2019', 'Rector  Secretario General  Decano'].join('\n');
    const [p] = scorePages([text(6, diploma)], CLASSIFIER);
    const [board, degree] = [LABELS.indexOf('board_certificate'), LABELS.indexOf('medical_degree')];
    expect(p!.scores[board]).toBe(p!.scores[degree]);
    expect(p!.reasons[board]).toContain('shares its title');
    // A basic degree's own title is the degree's alone.
    const [basic] = scorePages([text(7, 'UNIVERSIDAD PONTIFICIA DE EJEMPLO\nconfiere el título profesional de\nMÉDICO CIRUJANO\na Ana Test')], CLASSIFIER);
    expect(basic!.scores[degree]).toBeGreaterThan(basic!.scores[board]!);
  });
});

describe('scorePages: a chronology is a CV', () => {
  it('gives a CV page of dated entries its CV cue, not a certificate with two dates', () => {
    const cv = ['Education', '2008–2014  Medical school, Universidad de Ejemplo', '2014–2019  Residency in radiology', '2019  National board examination in radiology', 'Professional experience', '2019–present  Consultant radiologist', '2018  Observership, nuclear medicine'].join('\n');
    const [p] = scorePages([text(3, cv)], CLASSIFIER);
    expect(p!.reasons[LABELS.indexOf('cv')]).toContain('dated entries');
    const [cert] = scorePages([text(5, 'Specialist certificate\nThis is to certify that Ana Test passed the examination.\n2019 Exam session\nIssued 2020 in Lisbon')], CLASSIFIER);
    expect(cert!.reasons[LABELS.indexOf('cv')]).not.toContain('dated entries');
  });

  it("reads a CV's 'YYYY - YYYY:' lines as a chronology, and the board certification in one as no title", () => {
    const cv = ['Education', '2006 - 2012: Medical school, degree in medicine (20.11.2012)', '2013 - 2019: Residency in radiology, board certification 14.07.2019', 'Professional experience', '2019 - present: Consultant radiologist, University Hospital', '2013 - 2019: Resident in radiology, University Hospital'].join('\n');
    const [p] = scorePages([text(3, cv)], CLASSIFIER);
    expect(p!.reasons[LABELS.indexOf('cv')]).toContain('dated entries');
    expect(p!.scores[LABELS.indexOf('cv')]).toBeGreaterThan(p!.scores[LABELS.indexOf('board_certificate')]!);
  });
});

describe('scorePages: a document named inside a sentence is no title', () => {
  const certificate = [
    'MINISTERIO DE SANIDAD',
    'Dirección General de Ordenación Profesional',
    'CERTIFICADO',
    'D./Dña. Ana Ejemplo Ruiz, con DNI/pasaporte XX0000000,',
    'ha completado el periodo de formación sanitaria especializada',
    'por el sistema de residencia (MIR) en la especialidad de',
    'RADIODIAGNÓSTICO',
  ].join('\n');

  it('does not take "pasaporte" in a comma-ended head line for a passport title', () => {
    const [p] = scorePages([text(5, certificate)], CLASSIFIER);
    expect(p!.reasons[LABELS.indexOf('passport')]).not.toContain('title "pasaporte"');
    expect(best(p!.scores)).toBe('board_certificate');
  });

  it('keeps a short salutation that ends in a comma as the letter\'s opening', () => {
    const letter = 'University Hospital, Example\nDepartment of Radiology\nTo whom it may concern,\nIt is my pleasure to recommend Dr Example for the fellowship.';
    const [p] = scorePages([text(4, letter)], CLASSIFIER);
    expect(best(p!.scores)).toBe('recommendation');
    expect(p!.reasons[LABELS.indexOf('recommendation')]!.some((r) => r.startsWith('title'))).toBe(true);
  });
});


describe('scorePages: a second document lower on a page', () => {
  const publications = [
    'List of the five most important publications',
    '1. Novak J, Test A, et al. Whole-body PET-MRI versus PET-CT in lymphoma. Eur Radiol. 2020;30(4):2101-2110.',
    '2. Test A, Rossi M, et al. Diffusion-weighted MRI in rectal cancer. Insights Imaging. 2019;10:88.',
    '3. Novak J, Test A, et al. Radiomics of FDG PET-CT in lung cancer. Eur J Nucl Med Mol Imaging. 2021;48(2):512-521.',
    '4. Test A, Rossi M, et al. Contrast-enhanced mammography. Eur J Radiol. 2020;126:108930.',
    '5. Novak J, Test A, et al. PSMA PET-CT for recurrence of prostate cancer. Eur Radiol. 2019;29(12):6510-6518.',
  ];
  const referees = [
    'List of references',
    'The following persons can be contacted if necessary:',
    '1. Prof. Radu Example, Head of Department of Radiology, Example Hospital - r.example@hospital.example.ro',
    '2. Dr. Sofia Example, Nuclear Medicine, Example Hospital - s.example@hospital.example.ro, +40 232 000 000',
  ];

  it('finds the referees under their own title at the end of a publication list', () => {
    const [p] = scorePages([text(10, [...publications, ...referees].join('\n'))], CLASSIFIER);
    expect(best(p!.scores)).toBe('publications');
    expect(p!.holds).toEqual([LABELS.indexOf('publications'), LABELS.indexOf('references')]);
  });

  it('finds an ESR confirmation and a passport scanned on one sheet, whichever comes first', () => {
    const esr = [
      'EUROPEAN SOCIETY OF RADIOLOGY',
      'Am Gestade 1, 1010 Vienna, Austria',
      'Confirmation of Membership',
      'This is to confirm that Test Example (member ID M000000) is a Full Member of the European Society of Radiology',
      'for the membership year 2021 (valid 01.01.2021 - 31.12.2021).',
    ];
    const passport = [
      'REPUBBLICA ITALIANA - PASSAPORTO / PASSPORT',
      'Type/Type:P Passport No.: YA0000000',
      'Surname: EXAMPLE',
      'Date of expiry: 01 JUL 2030',
      'P<ITAEXAMPLE<<TEST<<<<<<<<<<<<<<<<<<<<<<<<<<',
      'YA00000000ITA8811144M3007012<<<<<<<<<<<<<<00',
    ];
    const both = [LABELS.indexOf('esr_membership'), LABELS.indexOf('passport')];
    expect(scorePages([text(12, [...esr, ...passport].join('\n'))], CLASSIFIER)[0]!.holds).toEqual(both);
  });

  it('never finds a board certificate and a degree on one page: a specialist title names the degree it builds on', () => {
    const page = [
      'MINISTERIO DE SANIDAD',
      'TÍTULO DE MÉDICO ESPECIALISTA',
      'en Radiodiagnóstico, expedido a favor de Test Example,',
      'Licenciado en Medicina y Cirugía',
      'por la Universidad de Example, que ha superado la formación sanitaria especializada.',
    ];
    expect(scorePages([text(5, page.join('\n'))], CLASSIFIER)[0]!.holds).toBeUndefined();
  });

  it('reads a CV written freely by its headings, though it names the board certification', () => {
    const first = ['KADRI TAMM', 'Radiologist · Tartu · k.tamm@example.ee', 'PROFILE', 'Board-certified radiologist with a focus on oncologic imaging.', 'EXPERIENCE', '2020–now: Radiologist, University Clinic.', '2015–2020: Residency in radiology.', 'EDUCATION', '2014: MD, Tartu University. Board certification: 30.06.2020.'];
    const second = ['LANGUAGES', 'English C2; French B2; Estonian (native).', 'SKILLS', 'CT, MRI, PET-CT reading.', 'INTERESTS', 'Trail running, photography.'];
    const [p, q] = scorePages([text(2, first.join('\n')), text(3, second.join('\n'))], CLASSIFIER);
    expect(best(p!.scores)).toBe('cv');
    expect(best(q!.scores)).toBe('cv');
    // Two headings are not yet a CV's.
    const [r] = scorePages([text(3, second.slice(0, 4).join('\n'))], CLASSIFIER);
    expect(best(r!.scores)).not.toBe('cv');
  });

  it("reads a French motivation letter by its own turns, and a doctor's licence as no degree", () => {
    const letter = ['Thomas Test', 'À l\'attention du Comité d\'évaluation ESOR', 'Objet : candidature — ESOR Fellowship', 'Madame, Monsieur,', 'Je souhaite me former à l\'imagerie hybride. Mon niveau de français (B2) me permettra de participer.', 'Je vous prie d\'agréer, Madame, Monsieur, l\'expression de mes salutations distinguées.'];
    expect(best(scorePages([text(1, letter.join('\n'))], CLASSIFIER)[0]!.scores)).toBe('motivation');
    const licence = ['NACZELNA RADA LEKARSKA – OKRĘGOWA RADA LEKARSKA W KRAKOWIE', 'PRAWO WYKONYWANIA ZAWODU LEKARZA', 'Nr prawa wykonywania zawodu: 2941187', 'Na podstawie uchwały Okręgowej Rady Lekarskiej z dnia 12.09.2013 r. stwierdza się prawo wykonywania zawodu lekarza.'];
    const [p] = scorePages([text(6, licence.join('\n'))], CLASSIFIER);
    expect(p!.scores[LABELS.indexOf('medical_degree')]).toBeLessThan(0);
  });

  it("titles a Danish specialist permission (autorisationsloven § 14) as the board certificate, not the degree", () => {
    const page = ['Styrelsen for Patientsikkerhed', 'Tilladelse til at betegne sig som speciallæge', 'Autorisation som læge: 01-08-2012', 'Tilladelsen er givet den 3. april 2018.'];
    const [p] = scorePages([text(5, page.join('\n'))], CLASSIFIER);
    expect(p!.scores[LABELS.indexOf('board_certificate')]).toBeGreaterThan(p!.scores[LABELS.indexOf('medical_degree')]! + 3);
  });

  it('finds no document in a sentence a letter runs onto a line of its own ("… obtained his" / "board certification in 2020.")', () => {
    const letter = [
      'HOSPITAL UNIVERSITARIO EJEMPLO',
      'Zaragoza, 22 February 2021',
      'Letter of recommendation',
      'To the ESOR Evaluation Committee,',
      'It is my pleasure to recommend Javier Test for the ESOR fellowship in hybrid',
      'imaging in oncology. He has worked in my department since 2016 and obtained his',
      'board certification in 2020.',
      'Dr. Test is a reliable and curious radiologist. I recommend his application without reservation.',
    ];
    const [p] = scorePages([text(4, letter.join('\n'))], CLASSIFIER);
    expect(p!.holds).toBeUndefined();
    expect(p!.titled).not.toContain(LABELS.indexOf('board_certificate'));
  });

  it('reads a passport photo whose MRZ OCR kept only the opening and the issuing state ("P<SWEL") as the passport', () => {
    const [p] = scorePages([text(12, 'SVERIGE — PASS\nP SWE SE1440648 } Typ Me\nLINDQVIST\nERIK\n30 NOV 1986\n09 AUG\n08 AUG\nP<SWEL')], CLASSIFIER);
    expect(best(p!.scores)).toBe('passport');
    // Not any line that opens with "P<": the state must be one (ICAO 9303).
    const [q] = scorePages([text(12, 'SVERIGE — PASS\nP SWE SE1440648 } Typ Me\nLINDQVIST\nERIK\n30 NOV 1986\n09 AUG\n08 AUG\nP<QQQL')], CLASSIFIER);
    expect(q!.scores[LABELS.indexOf('passport')]).toBeLessThan(p!.scores[LABELS.indexOf('passport')]! - 10);
  });

  it('reads a driving licence sent in the passport\'s place as a page nobody asked for, and a Europass CV\'s "Driving licence" line as the CV', () => {
    const [p] = scorePages([text(12, "CEADÚNAS TIOMÁNA\nDRIVING LICENCE\nIRL\n1. O'SULLIVAN\n2. AOIFE\n3. 14.03.1988 IRELAND\n4a. 02.05.2019 4b. 01.05.2029")], CLASSIFIER);
    expect(best(p!.scores)).toBe('other');
    const cv = 'Europass Curriculum Vitae\nPersonal information\nName: Aoife O\'Sullivan\nWork experience\n2019-present Consultant radiologist, Example University Hospital\nEducation and training\n2006-2012 MB BCh BAO\nLanguage skills\nEnglish mother tongue; French B2\nDriving licence\nB';
    const [c] = scorePages([text(2, cv)], CLASSIFIER);
    expect(best(c!.scores)).toBe('cv');
  });

  it('reads an internship certificate and a vaccination certificate as pages nobody asked for, not the board certificate or the degree', () => {
    const internship = 'Certificate of Internship / Attestation de stage\nThis is to certify that Test Example completed an observership in the Department of\nNuclear Medicine from 2 September 2019 to 29 November 2019.\nProf. Test Head, Head of Nuclear Medicine';
    const vaccination = 'Certificato di vaccinazione / Vaccination certificate\nHepatitis B – 3 doses – anti-HBs > 100 mIU/ml\nData: 01/10/2020';
    for (const page of [internship, vaccination]) {
      const [p] = scorePages([text(5, page)], CLASSIFIER);
      expect(best(p!.scores)).toBe('other');
    }
  });

  it('reads a CV page whose first entry is "2013 — Medical degree, Coimbra" as the CV, with no degree title', () => {
    const [p] = scorePages([text(4, 'Education\n2013 — Medical degree, Coimbra\n2014–2018 — Residency in radiology, University Hospital\n2007–2013 — Medical school\nProfessional experience\n2018–present — Consultant radiologist\nResearch interests\nHybrid imaging')], CLASSIFIER);
    expect(best(p!.scores)).toBe('cv');
    expect(p!.reasons[LABELS.indexOf('medical_degree')]!.some((r) => r.startsWith('title'))).toBe(false);
  });

  it('titles no page by a document a running sentence goes on to name on the next line (a CV\'s "(since" / "board certification). …")', () => {
    const [p] = scorePages([text(4, 'Professional experience\nRadiologist, Example Universitair Medisch Centrum Groningen, Groningen (since\nboard certification). Oncologic imaging, CT, MRI, PET-CT reading sessions, tumour\nboards.\nResident, Department of Radiology, same institution. Rotations: neuroradiology.\nResearch and teaching\nCo-investigator in two retrospective studies.')], CLASSIFIER);
    expect(p!.reasons[LABELS.indexOf('board_certificate')]!.some((r) => r.startsWith('title'))).toBe(false);
  });

  it("titles no page by a document its sentence mentions on a line after a comma (the Ordem dos Médicos' certificate naming the degree)", () => {
    const body = 'ORDEM DOS MÉDICOS\nConselho Regional do Norte\nCERTIFICADO\nCertifica-se que Test Example, nascido em 23/11/1988,\nportador da cédula profissional n.º 55102,\nconcluiu o Mestrado Integrado em Medicina na Faculdade de Medicina da Universidade\nde Exemplo em 18/07/2013, e detém o título de Especialista em RADIOLOGIA, atribuído em 10/04/2019.';
    const [p] = scorePages([text(5, body)], CLASSIFIER);
    expect(p!.reasons[LABELS.indexOf('medical_degree')]!.some((r) => r.startsWith('title'))).toBe(false);
  });

  it("titles no page by its addressee: a motivation letter to the European Society of Radiology is no ESR proof", () => {
    const letter = (to: string) =>
      `Date: 10/03/2021\n${to}\nSubject: Application for the ESOR Fellowship in Hybrid Imaging in Oncology\nRespected Sir/Madam,\nI wish to submit my application for the fellowship. I completed my residency in 2019.\nYours faithfully,`;
    const esr = LABELS.indexOf('esr_membership');
    const [p] = scorePages([text(1, letter('To,\nThe Evaluation Committee,\nESOR Office, European Society of Radiology'))], CLASSIFIER);
    expect(best(p!.scores)).toBe('motivation');
    expect(p!.reasons[esr]!.some((r) => r.startsWith('title'))).toBe(false);
    // The same line as a letterhead, with no addressee marker before it, still titles the page.
    const [h] = scorePages([text(1, 'European Society of Radiology\nAm Gestade 1, 1010 Vienna\nConfirmation of membership\nDr Test Example is a full member for 2021.')], CLASSIFIER);
    expect(h!.reasons[esr]!.some((r) => r.startsWith('title'))).toBe(true);
    // A one-line addressee leaves the letter's title below it a title.
    const [r] = scorePages([text(3, 'Klinikum Example\nExampletown, 13 March 2021\nTo the ESOR Office and the Evaluation Committee\nLetter of recommendation\nIt is my pleasure to recommend Dr. Test Example for the fellowship.')], CLASSIFIER);
    expect(r!.reasons[LABELS.indexOf('recommendation')]!.some((x) => x.startsWith('title'))).toBe(true);
    // "A nombre de la Nación" opens a diploma: a word alone is no addressee marker.
    const [d] = scorePages([text(1, 'A nombre de la Nación\nla Universidad de Ejemplo confiere el\nTÍTULO DE MÉDICO CIRUJANO')], CLASSIFIER);
    expect(d!.reasons[LABELS.indexOf('medical_degree')]!.some((r) => r.startsWith('title'))).toBe(true);
  });

  it.each([
    ['PL', 'Uniwersytet Medyczny w Exemplu\nStudium Języków Obcych\nZAŚWIADCZENIE\nZaświadcza się, że Test Example zdał(a) egzamin z języka angielskiego na poziomie C1 (ESOKJ) z oceną bardzo dobrą.'],
    ['HU', 'ÁLLAMILAG ELISMERT NYELVVIZSGA-BIZONYÍTVÁNY\nNév: Test Example\nNyelv: angol\nFok: felsőfok (C1)\nTípus: komplex'],
    ['BE', 'SELOR - Selectiebureau van de Federale Overheid\nGETUIGSCHRIFT taalkennis\nTest Example is geslaagd voor het examen over de elementaire kennis van de tweede taal (Frans), artikel 12 van het KB van 8 maart 2001.\nDatum examen: 20 februari 2018'],
  ])('reads a %s university or state language exam certificate as a language certificate with words of its own', (_, body) => {
    const [p] = scorePages([text(7, body)], CLASSIFIER);
    expect(best(p!.scores)).toBe('language_certificates');
    expect(p!.scores[LABELS.indexOf('language_certificates')]).toBeGreaterThanOrEqual(5);
  });

  it('marks a page that says at its head it is a certified translation, and no other', () => {
    const [t] = scorePages([text(6, 'Certified translation from Vietnamese into English. Sworn translator reg. no. T-1.\nSpecialist Level I Diploma\nHanoi Medical University. Specialty: Diagnostic Imaging.')], CLASSIFIER);
    expect(t!.translation).toBe(true);
    const [d] = scorePages([text(6, 'Hanoi Medical University\nSpecialist Level I Diploma\nSpecialty: Diagnostic Imaging.\nAwarded 20 December 2019.')], CLASSIFIER);
    expect(d!.translation).toBeUndefined();
  });

  it('finds nothing below in a publication list whose last lines mention referees in passing', () => {
    const [p] = scorePages([text(10, [...publications, 'References available on request.'].join('\n'))], CLASSIFIER);
    expect(p!.holds).toBeUndefined();
  });
});
