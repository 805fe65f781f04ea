/**
 * Two programmes in the rules (the bundled Gustave Roussy, Villejuif, and the
 * invented Karolinska, Stockholm, of test/fixtures/programmes): the mail decides which one's rules apply; a mail naming
 * neither is for staff (programme_unknown) and judged on its documents only.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { readPdfPages } from '../../../adapters/pdf-reader';
import { loadRules } from '../../../adapters/rules-loader';
import { detectProgramme } from '../../../core/triage/detect-programme';
import { compileTriageRules, triageApplication, type TriageInput } from '../../../core/triage/triage-application';
import type { PageText } from '../../../core/types';
import { rulesWithSecondProgramme } from '../../fixtures/programmes/rules-with-second-programme';

const ROOT = path.resolve(__dirname, '../../..');
const RULES = compileTriageRules(loadRules(rulesWithSecondProgramme()));
const GR = 'gustave-roussy-hybrid-imaging-2022';
const KS = 'karolinska-abdominal-imaging-2022';

/** The names of the Gustave Roussy programme, taken out of a page (its motivation letter names it). */
const GR_NAMES = /gustave[-\s]+roussy(?:\s+cancer\s+campus(?:\s+grand\s+paris)?)?|villejuif|hybrid\s+(?:oncologic\s+)?imaging(?:\s+in\s+oncology)?|oncologic\s+hybrid\s+imaging|imagerie\s+hybride/gi;

let pages: PageText[];

beforeAll(async () => {
  const parsed = await simpleParser(readFileSync(path.join(ROOT, 'demo', 'applications', '01-complete.eml')));
  const pdf = parsed.attachments.find((a) => a.contentType === 'application/pdf')!;
  pages = await readPdfPages(pdf.content, 1);
}, 60_000);

function application(subject: string, text: string, receivedAt: string, pdfPages = pages): TriageInput {
  return {
    mail: { subject, text, from: { email: 'applicant@example.org', name: 'A. Applicant' }, otherAttachments: [] },
    receivedAt: new Date(receivedAt),
    pdfs: [{ filename: 'application.pdf', pages: pdfPages }],
  };
}

describe('programme detection with two programmes', () => {
  const detect = (mail: string, letter = '') => detectProgramme(RULES.programmes, mail, letter);

  it.each([
    ['Application – ESOR Research Fellowship in Abdominal Imaging', KS],
    ['Bewerbung: ESOR Fellowship am Karolinska, Stockholm', KS],
    ['Candidature – fellowship ESOR imagerie abdominale (Stockholm)', KS],
    ['Application for the abdominal imaging fellowship', KS],
    ['Application for the Clinical/Research Fellowship in Hybrid Imaging in Oncology', GR],
    ['Candidature ESOR Villejuif', GR],
  ])('%s → %s', (subject, id) => {
    expect(detect(subject)).toMatchObject({ programme: id, how: 'named', where: 'mail' });
  });

  it('ours by host and topic, but a call of another year, is "other": which call is meant is for a person', () => {
    expect(detect('Application ESOR Fellowship 2019/2020 – Gustave Roussy, hybrid imaging in oncology')).toMatchObject({ programme: null, how: 'other' });
    expect(detect('Bewerbung', 'Sehr geehrte Damen und Herren,\nanbei meine Bewerbung für das 2018-19 Fellowship in Villejuif (Hybrid Imaging in Oncology).')).toMatchObject({ how: 'named' });
    expect(detect('Candidature bourse 2019 – imagerie hybride, Gustave Roussy')).toMatchObject({ how: 'other' });
    // The call before (its deadline in 2021 too): "2020/2021" is not this fellowship's academic year.
    expect(detect('Bewerbung – Gustave Roussy Hybrid Imaging Fellowship 2020/2021')).toMatchObject({ how: 'other' });
    // The call's own years, and years that are no call's ("residency 2014–2019", "since 2019").
    expect(detect('Application – Hybrid Imaging in Oncology fellowship 2022/2023 (Gustave Roussy)')).toMatchObject({ programme: GR, how: 'named' });
    expect(detect('ESOR fellowship application 2021 – Gustave Roussy')).toMatchObject({ programme: GR, how: 'named' });
    expect(detect('Application Gustave Roussy fellowship\nI finished my residency 2014-2019 and have worked since 2019 as a consultant.')).toMatchObject({ programme: GR, how: 'named' });
    expect(detect('Question: am I eligible for the Hybrid Imaging in Oncology fellowship at Gustave Roussy (Master degree 2019, Egyptian Fellowship exam planned)?')).toMatchObject({ programme: GR, how: 'named' });
  });

  it('both named, or ours beside another topic, is "several"; neither named is "unnamed"', () => {
    expect(detect('Applications: Hybrid Imaging in Oncology (Gustave Roussy) and Abdominal Imaging fellowship (Karolinska)').how).toBe('several');
    expect(detect('Karolinska fellowship – and the Musculoskeletal Imaging fellowship in Leuven').how).toBe('several');
    // Two fields sharing one noun name both.
    expect(detect('ESOR fellowships – application', 'I would like to apply both for the Hybrid Imaging in Oncology fellowship at Gustave Roussy and for the Cardiac and Oncologic Imaging fellowship.').how).toBe('several');
    expect(detect('Application: Hybrid Imaging in Oncology fellowship, Gustave Roussy', 'My daily work is cardiac and thoracic imaging.').how).toBe('named');
    expect(detect('Application for both the Hybrid Imaging in Oncology fellowship at Gustave Roussy and the Cardiac Oncologic Imaging fellowship').how).toBe('several');
    expect(detect('Application: Hybrid Imaging in Oncology fellowship at Gustave Roussy – I apply with my experience in cardiac MR imaging').how).toBe('named');
    expect(detect('ESOR fellowship application', 'I have long been interested in radiology.')).toEqual({ programme: null, how: 'unnamed', evidence: [] });
  });

  it('the mail naming one programme and the letter another (or another fellowship) is "several", never the mail\'s', () => {
    expect(detect('Application: Abdominal Imaging fellowship, Karolinska', 'I apply for the Hybrid Imaging in Oncology fellowship at Gustave Roussy.')).toMatchObject({ programme: null, how: 'several' });
    expect(detect('Application – ESOR Musculoskeletal Imaging fellowship, Zurich', 'I apply for the fellowship in Hybrid Imaging in Oncology at Gustave Roussy.')).toMatchObject({ programme: null, how: 'several' });
    expect(detect('Application – ESOR Musculoskeletal Imaging fellowship, Zurich', 'I apply for the musculoskeletal imaging fellowship.')).toMatchObject({ programme: null, how: 'other' });
    expect(detect('ESOR fellowship application', 'My letter for the musculoskeletal imaging fellowship in Zurich.')).toMatchObject({ programme: null, how: 'other' });
  });

  it('another topic in a sentence that applies for it is another programme applied for', () => {
    const mail = 'My first choice is Hybrid Imaging in Oncology (Gustave Roussy), but I would also be glad to be considered for Cardiac Imaging in Zurich.';
    expect(detect(mail)).toMatchObject({ programme: null, how: 'several' });
    // In a sentence of its own, the topic is the applicant's work, not a programme.
    expect(detect('I apply for the Hybrid Imaging in Oncology fellowship. Cardiac imaging has been my daily work since 2019.')).toMatchObject({ programme: GR, how: 'named' });
  });

  it('a fellowship named by a modality and a body region is another programme', () => {
    const mail = 'I would like to apply for the Hybrid Imaging in Oncology fellowship at Gustave Roussy and also for the fellowship in abdominal and oncologic MRI.';
    expect(detect(mail)).toMatchObject({ programme: null, how: 'several' });
  });

  it('a programme\'s subject names it only beside a programme word', () => {
    expect(detect('ESOR fellowship application', 'I would bring hybrid imaging expertise back to my department.')).toMatchObject({ programme: null, how: 'unnamed' });
    expect(detect('ESOR fellowship application', 'I apply for the fellowship in hybrid imaging.')).toMatchObject({ programme: GR, how: 'named' });
    expect(detect('Candidature – bourse en imagerie hybride', '')).toMatchObject({ programme: GR, how: 'named', where: 'mail' });
  });

  it('a topic after an indefinite article is some such programme, not the one applied for, unless applied for', () => {
    expect(detect('ESOR fellowship application', 'I hope to bring back a structured hybrid imaging programme to my home institution.')).toMatchObject({ programme: null, how: 'unnamed' });
    expect(detect('ESOR fellowship application', 'I would like to apply for a hybrid imaging fellowship.')).toMatchObject({ programme: GR, how: 'named' });
    expect(detect('ESOR fellowship application', 'With this application I hope to join the hybrid imaging programme.')).toMatchObject({ programme: GR, how: 'named' });
    expect(detect('ESOR fellowship application. I lead our hybrid imaging programme at home.')).toMatchObject({ programme: null, how: 'unnamed' });
    expect(detect('ESOR fellowship application', 'With this application I hope to join your hybrid imaging programme.')).toMatchObject({ programme: GR, how: 'named' });
  });

  it('a letter under a mail that names nothing names a programme only as one it applies for, or by its full title', () => {
    expect(detect('ESOR fellowship application', 'Working with the AI research group in Villejuif would be an enormous step for me.')).toMatchObject({ programme: null, how: 'unnamed' });
    expect(detect('ESOR fellowship application', 'A fellowship in a cancer centre would allow me to subspecialise in hybrid imaging in oncology.')).toMatchObject({ programme: null, how: 'unnamed' });
    expect(detect('ESOR fellowship application', 'I am applying for the fellowship at Gustave Roussy.')).toMatchObject({ programme: GR, how: 'named', where: 'motivation' });
    expect(detect('ESOR fellowship', 'Re: Clinical/Research Fellowship in Hybrid Imaging in Oncology')).toMatchObject({ programme: GR, how: 'named', where: 'motivation' });
    // The mail's own naming stands, whatever the letter says in passing.
    expect(detect('Application – Gustave Roussy fellowship', 'Working in Villejuif would be a great step.')).toMatchObject({ programme: GR, how: 'named', where: 'mail' });
  });

  it('a topic that qualifies another noun names no fellowship, even beside a programme word', () => {
    const letter = 'My experience includes training courses of the ESOR programme and the ESR/EANM hybrid imaging sessions at ECR.';
    expect(detect('ESOR fellowship application', letter)).toMatchObject({ programme: null, how: 'unnamed' });
    expect(detect('ESOR fellowship application', 'I apply for the hybrid imaging fellowship.')).toMatchObject({ programme: GR, how: 'named' });
  });

  it('a fellowship at another host in a sentence that applies for it is another programme', () => {
    const mail = 'I would like to apply for the hybrid imaging fellowship at Gustave Roussy; if this is not possible, please also consider me for the oncologic imaging fellowship at NKI-AVL Amsterdam.';
    expect(detect(mail)).toMatchObject({ programme: null, how: 'several' });
    // Our own host, a field or a fellowship done before (no applying in its sentence) name no other host.
    expect(detect('I am applying for the fellowship at the Institut Gustave Roussy.')).toMatchObject({ programme: GR, how: 'named' });
    expect(detect('I apply for the ESOR Fellowship in Nuclear Medicine and Hybrid Imaging.')).toMatchObject({ programme: GR, how: 'named' });
    expect(detect('Application for the ESOR fellowship in Villejuif. I completed a fellowship at the Charité in Berlin in 2019.')).toMatchObject({ programme: GR, how: 'named' });
  });

  it('a letter naming ours and applying for another fellowship in the same sentence names two', () => {
    const letter = 'I would like to apply for the ESOR fellowship in Hybrid Imaging in Oncology at Gustave Roussy or, alternatively, the ESOR Fellowship in Cardiac Imaging.';
    expect(detect('ESOR application', letter)).toMatchObject({ programme: null, how: 'several' });
  });

  it('a letter applying for ours and, failing that, for another fellowship named as such far on in the sentence names two', () => {
    const letter =
      'I would like to apply for the ESOR fellowship in hybrid imaging in oncology at Gustave Roussy and, should that place be filled, for the ESOR Clinical Fellowship in Musculoskeletal Imaging at the Karolinska University Hospital, Stockholm.';
    expect(detect('ESOR application', letter)).toMatchObject({ programme: null, how: 'several' });
    // The same sentence telling of a fellowship done before applies for nothing else.
    const done = 'Having completed a fellowship in musculoskeletal imaging in 2019 at a university hospital in my country, I now apply for the Hybrid Imaging in Oncology fellowship at Gustave Roussy.';
    expect(detect('ESOR fellowship application', done)).toMatchObject({ programme: GR, how: 'named' });
  });

  it('a letter naming ours may tell of a fellowship done before', () => {
    const letter = 'During my residency I completed a fellowship in breast imaging. I now apply for the Hybrid Imaging in Oncology fellowship at Gustave Roussy.';
    expect(detect('ESOR fellowship application', letter)).toMatchObject({ programme: GR, how: 'named', where: 'motivation' });
  });

  it('"abdominal imaging" as experience in a letter does not name the programme', () => {
    expect(detect('ESOR fellowship application', 'During my residency I specialised in abdominal imaging and oncology.').how).toBe('unnamed');
  });
});

describe('triage with two programmes', () => {
  it('a complete application to the Karolinska programme is complete under its rules (after the Gustave Roussy deadline, before its own)', () => {
    // The demo's letter names Gustave Roussy: written for Karolinska, it names no other programme.
    const letterForKarolinska = pages.map((p) => ({ ...p, text: p.text.replace(GR_NAMES, 'the fellowship') }));
    const input = application('ESOR fellowship application – Abdominal Imaging, Karolinska', 'Dear ESOR office,\n\nplease find attached my application for the Research Fellowship in Abdominal Imaging at Karolinska University Hospital.\n\nKind regards', '2021-04-15T10:00:00Z', letterForKarolinska);
    const { result, outcomes } = triageApplication(input, RULES);
    expect(result.programme).toBe(KS);
    expect(result.flags).toEqual([]);
    expect(result.status).toBe('complete');
    expect(outcomes.map((o) => o.rule)).toEqual(expect.arrayContaining(['deadline-2021-04-30', 'english-b2', 'three-publications']));
    expect(outcomes.every((o) => o.outcome === 'pass')).toBe(true);
    // The same mail for Gustave Roussy that day is late.
    const late = triageApplication(application('ESOR application – Hybrid Imaging in Oncology, Gustave Roussy', 'Application attached.', '2021-04-15T10:00:00Z'), RULES).result;
    expect(late).toMatchObject({ programme: GR, status: 'ineligible' });
    expect(late.flags.map((f) => f.code)).toEqual(['late_submission']);
  });

  it('a mail naming neither programme (nor its letter): programme null, programme_unknown, needs_review, common checks only', () => {
    const anonymous = pages.map((p) => ({ ...p, text: p.text.replace(GR_NAMES, 'the programme') }));
    // Late for both programmes, yet no programme's deadline is applied.
    const { result, outcomes, programme } = triageApplication(application('ESOR fellowship application', 'Dear office, my application is attached.', '2021-06-01T10:00:00Z', anonymous), RULES);
    expect(programme).toMatchObject({ how: 'unnamed' });
    expect(result.programme).toBeNull();
    expect(result.flags.map((f) => f.code)).toEqual(['programme_unknown']);
    expect(result.status).toBe('needs_review');
    expect(outcomes).toEqual([]);
  });

  it('a mail naming neither still gets the document checks, but a person decides (contract § 6)', () => {
    const anonymous = pages.map((p) => ({ ...p, text: p.text.replace(GR_NAMES, 'the programme') }));
    const withoutLast = anonymous.slice(0, -1);
    const { result } = triageApplication(application('ESOR fellowship application', 'Attached.', '2021-03-01T10:00:00Z', withoutLast), RULES);
    expect(result.programme).toBeNull();
    expect(result.flags.map((f) => f.code)).toEqual(expect.arrayContaining(['programme_unknown', 'missing_section']));
    expect(result.status).toBe('needs_review');
  });
});
