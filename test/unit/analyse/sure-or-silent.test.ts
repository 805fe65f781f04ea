/**
 * Contract § 6: a verdict reaches an applicant by itself only when the
 * documents it rests on are sure. Regressions named after what broke on
 * applications written by others: a swapped board certificate taken for a
 * recommendation (false `complete`), a letter with no recommending words
 * taken for the missing recommendation, a PDF that is no application.
 */
import path from 'node:path';
import { loadRules } from '../../../adapters/rules-loader';
import { findDoubts, unsurePages } from '../../../core/triage/certainty';
import { LABELS, OTHER, type PageScore } from '../../../core/analyse/classify-pages';
import type { Segmentation } from '../../../core/analyse/segment-pages';
import { chooseStatus, compileTriageRules, triageApplication, type TriageInput } from '../../../core/triage/triage-application';
import type { Flag, PageText } from '../../../core/types';

const RULES = compileTriageRules(loadRules(path.resolve(__dirname, '../../../rules')));

const TEXT: Record<string, string> = {
  motivation: 'Letter of motivation\nDear members of the selection committee,\nI am writing to apply for the ESOR fellowship in Hybrid Imaging in Oncology at Gustave Roussy. My motivation is strong and my previous experience in oncologic imaging is broad.\nSincerely, Dr. Ana Test',
  cv: 'ESOR Curriculum Vitae\nSurname: Test\nFirst name: Ana\nDate of birth: 01.02.1988\nNationality: Portuguese\nCountry of residence: Portugal\nCurrent position: Radiologist\nInstitution: Hospital Example\nCity: Porto\nCountry: Portugal\nDate of board certification: 12.05.2020\nESR membership number: 123456\nLanguages: English C1, French B2\nEducation: MD\nProfessional experience: radiology',
  recommendation: 'Letter of recommendation\nTo whom it may concern,\nI am pleased to recommend Dr. Ana Test, who has worked in our department since 2016. I recommend her without reservation.\nProf. Example, Head of the Department of Radiology',
  board_certificate: 'Board certificate\nCertificate of specialist registration\nThis is to certify that Dr. Ana Test passed the board examination in radiology and was certified as a specialist in radiology on 12 May 2020.\nMedical Council',
  medical_degree: 'Diploma\nUniversity of Example, Faculty of Medicine\nDoctor of Medicine\nThe degree of Doctor of Medicine was conferred on Ana Test on 1 July 2012.',
  language_certificates: 'Certificate of English language proficiency\nCommon European Framework of Reference level C1\nThe candidate achieved level C1 in English.\nDiplôme d\'études en langue française DELF B2\nniveau B2 du Cadre européen commun de référence',
  publications: 'List of five most important publications\n1. Test A, Example B. PET/CT in lymphoma. Eur Radiol. 2019;29(3):1-8. doi:10.1000/er.2019.1\n2. Test A, et al. Hybrid imaging. Radiology. 2020;295:10-18. doi:10.1000/rad.2020.2\n3. Test A, et al. PET/MR. Insights Imaging. 2018;9:5-9. PMID: 12345678\n4. Test A, et al. Staging. Eur J Radiol. 2021;130:1-5. doi:10.1000/ejr.2021.4\n5. Test A, et al. Response. Cancer Imaging. 2017;17:2. doi:10.1000/ci.2017.5',
  references: 'List of references\nThe following persons have agreed to be contacted:\n1. Prof. One, Head of Radiology, one@example.org, +351 22 000 0000\n2. Dr. Two, Nuclear Medicine, two@example.org, +351 22 000 0001',
  esr_membership: 'European Society of Radiology\nESR membership confirmation\nMembership number 123456\nFull membership 2021, fee paid for 2021.',
  passport: 'Passport\nPassaporte\nP<PRTTEST<<ANA<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<\nAB12345674PRT8802011F2905306<<<<<<<<<<<<<<06',
};

function application(order: string[], text: Record<string, string> = TEXT): TriageInput {
  const pages: PageText[] = order.map((id, i) => ({ num: i + 1, text: text[id] ?? id, imageOnly: false }));
  return {
    mail: { subject: 'Application: ESOR fellowship Hybrid Imaging in Oncology, Gustave Roussy', text: 'Please find my application attached.', from: { email: 'ana@example.test' }, otherAttachments: [] },
    receivedAt: new Date('2021-03-01T10:00:00Z'),
    pdfs: [{ filename: 'application.pdf', pages }],
  };
}

const ALL = ['motivation', 'cv', 'recommendation', 'board_certificate', 'medical_degree', 'language_certificates', 'publications', 'references', 'esr_membership', 'passport'];

describe('sure or silent', () => {
  it('an uncertain flag keeps complete and incomplete from going out, not ineligible', () => {
    const flag = (severity: Flag['severity'], uncertain = false): Flag => ({ code: 'x', severity, message: 'm', ...(uncertain ? { uncertain: true as const } : {}) });
    expect(chooseStatus([flag('review', true)])).toBe('needs_review');
    expect(chooseStatus([flag('incomplete'), flag('review', true)])).toBe('needs_review');
    expect(chooseStatus([flag('incomplete'), flag('review')])).toBe('incomplete');
    expect(chooseStatus([flag('ineligible'), flag('review', true)])).toBe('ineligible');
    expect(chooseStatus([flag('info')])).toBe('complete');
  });

  it('a plain application in order is complete', () => {
    const { result } = triageApplication(application(ALL), RULES);
    expect(result.flags.map((f) => f.code)).toEqual([]);
    expect(result.status).toBe('complete');
  });

  it('two swapped documents are out of order, not one missing document', () => {
    const swapped = ['motivation', 'cv', 'board_certificate', 'recommendation', 'medical_degree', ...ALL.slice(5)];
    const { result } = triageApplication(application(swapped), RULES);
    expect(result.missing).toEqual([]);
    expect(result.flags.map((f) => f.code)).toContain('out_of_order');
  });

  it('a letter with no recommending words is no proof the recommendation is there', () => {
    const text = { ...TEXT, recommendation: 'Porto, 1 February 2021\nDr. Ana Test\nRadiologist\nHospital Example' };
    const { result } = triageApplication(application(ALL, text), RULES);
    expect(result.status).toBe('needs_review');
    expect(result.flags.find((f) => f.code === 'low_confidence')?.section).toBe('recommendation');
  });

  it('a PDF that is no application is not forced into the ten sections', () => {
    const paper = [
      'Abstract\nWe studied the effect of contrast agents in 200 patients. Methods: retrospective cohort. Results: no difference.',
      'Introduction\nContrast agents are used widely. Previous work has shown mixed results in the literature.',
      'Discussion\nOur findings agree with earlier cohorts. Limitations include the retrospective design.',
    ];
    const input = application([]);
    input.pdfs = [{ filename: 'paper.pdf', pages: paper.map((text, i) => ({ num: i + 1, text, imageOnly: false })) }];
    const { result } = triageApplication(input, RULES);
    expect(result.sections).toEqual([{ id: 'other', pages: [1, 3], confidence: 0 }]);
    expect(result.missing).toEqual([]);
    expect(result.status).toBe('needs_review');
    expect(result.flags.map((f) => f.code)).toContain('pdf_not_recognised');
  });

  it('a scan OCR read nothing of is no proof of a certificate in its place, but may be the passport photographed dark', () => {
    const withBlankAt = (id: string) => {
      const input = application(ALL);
      const pages = (input.pdfs[0] as { pages: PageText[] }).pages;
      const at = ALL.indexOf(id);
      pages[at] = { num: at + 1, text: '', imageOnly: true, nothingRead: true };
      return triageApplication(input, RULES).result;
    };
    const degree = withBlankAt('medical_degree');
    expect(degree.status).toBe('needs_review');
    expect(degree.flags).toContainEqual(expect.objectContaining({ code: 'low_confidence', section: 'medical_degree' }));
    expect(withBlankAt('passport').status).toBe('complete');
  });

  it('one document sent alone is the application as it stands: incomplete by every other document', () => {
    const { result } = triageApplication(application(['passport']), RULES);
    expect(result.sections.map((s) => s.id)).toEqual(['passport']);
    expect(result.status).toBe('incomplete');
    expect(result.missing).toEqual(['motivation', 'cv', 'recommendation', 'board_certificate', 'medical_degree', 'publications', 'references', 'esr_membership']);
    expect(result.flags.map((f) => f.code)).not.toContain('pdf_not_recognised');
    // A CV of two pages, its second page plain text of the CV.
    const cv = triageApplication(application(['cv', 'cv'], { ...TEXT, cv: TEXT.cv! }), RULES).result;
    expect(cv.status).toBe('incomplete');
  });

  it('an ESR fee receipt, a recommendation letter or a paper alone stays for a person: each may be something else', () => {
    for (const alone of ['esr_membership', 'recommendation', 'publications']) {
      const { result } = triageApplication(application([alone]), RULES);
      expect(result.status).toBe('needs_review');
      expect(result.flags.map((f) => f.code)).toContain('pdf_not_recognised');
    }
  });

  it('a mail naming no programme is a person\'s to place, even with one programme file (contract § 4)', () => {
    const input = application(ALL);
    input.mail!.subject = 'ESOR Exchange Programme for Fellowships';
    input.mail!.text = 'Please find my application attached.';
    const text = { ...TEXT, motivation: TEXT.motivation!.replace('in Hybrid Imaging in Oncology at Gustave Roussy', '') };
    input.pdfs = application(ALL, text).pdfs;
    const { result } = triageApplication(input, RULES);
    expect(result.programme).toBeNull();
    expect(result.status).toBe('needs_review');
    expect(result.flags.map((f) => f.code)).toContain('programme_unknown');
  });

  it('a hard flag whose page the classifier is unsure of is not a hard verdict (a date on a stray page at 0.12)', () => {
    const seg: Segmentation = {
      labels: ['motivation', 'board_certificate', 'medical_degree'],
      pageConfidence: [0.99, 0.12, 0.97],
      spans: [],
      missing: [],
      outOfOrder: false,
      foundOrder: [],
    };
    expect(unsurePages([2], seg, [1, 2, 3], [])).toMatch(/page 2 .*board_certificate.*0\.12/);
    expect(unsurePages([3], seg, [1, 2, 3], [])).toBeNull();
    expect(unsurePages([], seg, [1, 2, 3], [])).toBeNull();
    expect(unsurePages([2], { ...seg, fixedByStaff: true }, [1, 2, 3], [])).toBeNull();
    const doubt = { kind: 'weak_section' as const, section: 'medical_degree' as const, pages: [3, 3] as [number, number], confidence: 0.4 };
    expect(unsurePages([3], seg, [1, 2, 3], [doubt])).toMatch(/medical_degree/);
    // The CV dates the title alike: the page's label is not all the fact rests on; a section doubt still counts.
    expect(unsurePages([2], seg, [1, 2, 3], [], true)).toBeNull();
    expect(unsurePages([3], seg, [1, 2, 3], [doubt], true)).toMatch(/medical_degree/);
  });

  it('a CV page listing the applicant\'s papers is no publication list moved forward (missing stays missing)', () => {
    const text = {
      ...TEXT,
      cv2: 'ESOR Curriculum Vitae (continued)\nScientific activity\nPublications: Test A, Example B. PET/CT in lymphoma. Eur Radiol. 2019;29(3):1-8.\nTest A, et al. Hybrid imaging. Radiology. 2020;295:10-18.\nCongress presentations: ECR 2019, ECR 2020.\nProfessional experience: radiologist since 2018; resident 2013-2018.',
    };
    const order = ['motivation', 'cv', 'cv2', ...ALL.slice(2).filter((id) => id !== 'publications')];
    const { result } = triageApplication(application(order, text), RULES);
    expect(result.flags.map((f) => f.code)).not.toContain('out_of_order');
    expect(result.missing).toEqual(['publications']);
  });

  it('a passport called missing while an unreadable scan could be it is not sure', () => {
    const input = application(ALL.filter((id) => id !== 'passport'));
    const pages = (input.pdfs[0] as { pages: PageText[] }).pages;
    pages.splice(4, 0, { num: 0, text: '', imageOnly: true });
    pages.forEach((p, i) => (p.num = i + 1));
    const { result } = triageApplication(input, RULES);
    expect(result.missing).toEqual(['passport']);
    expect(result.status).toBe('needs_review');
    expect(result.flags.find((f) => f.code === 'low_confidence')).toMatchObject({ section: 'passport', evidence: { missing: true } });
  });

  it('a document called missing while a text page nothing recognises was placed without conviction is not sure', () => {
    // A Vietnamese diploma the vocabularies could not read, put after the CV as "other" at 0.3.
    const page = (num: number, scores: number[]): PageScore => ({ num, imageOnly: false, scores, reasons: LABELS.map(() => []), head: '', startBonus: 0 });
    const plain = (label: string) => LABELS.map((l) => (l === label ? 12 : 0));
    const unread = LABELS.map((l) => (l === 'other' ? 1 : 0));
    const pages = [page(1, plain('motivation')), page(2, plain('cv')), page(3, plain('recommendation')), page(4, unread)];
    const seg: Segmentation = { labels: ['motivation', 'cv', 'recommendation', 'other'], pageConfidence: [1, 1, 1, 0.3], spans: [], missing: ['board_certificate'], outOfOrder: false, foundOrder: ['motivation', 'cv', 'recommendation'] };
    const opts = { required: LABELS.slice(0, OTHER).map(() => false), lowConfidenceBelow: 0.55 };
    expect(findDoubts(pages, seg, opts)).toEqual([expect.objectContaining({ kind: 'missing_unsure', section: 'board_certificate', page: 4 })]);
    // Placed with conviction, it proves nothing either way: the missing document stays missing.
    expect(findDoubts(pages, { ...seg, pageConfidence: [1, 1, 1, 0.9] }, opts)).toEqual([]);
    // A page whose words lean to one document (a certified translation of the degree before it) is read.
    const leaning = LABELS.map((l) => (l === 'medical_degree' ? 3.1 : l === 'board_certificate' ? 2.7 : l === 'other' ? 1 : 0));
    const passportMissing = { ...seg, missing: ['passport' as const] };
    expect(findDoubts(pages, passportMissing, opts)).toEqual([expect.objectContaining({ kind: 'missing_unsure', section: 'passport', page: 4 })]);
    expect(findDoubts([...pages.slice(0, 3), page(4, leaning)], passportMissing, opts)).toEqual([]);
  });

  it("a document found only on a page whose words make it a page nobody asked for is not sure (a trainer's certificate, exam pending)", () => {
    const page = (num: number, scores: number[]): PageScore => ({ num, imageOnly: false, scores, reasons: LABELS.map(() => []), head: '', startBonus: 0 });
    const plain = (label: string) => LABELS.map((l) => (l === label ? 12 : 0));
    // "Zeugnis über die Weiterbildung … Zulassung zur Facharztprüfung beantragt": other 4, board certificate 1.9.
    const training = LABELS.map((l) => (l === 'other' ? 4 : l === 'board_certificate' ? 1.9 : 0));
    const pages = [page(1, plain('cv')), page(2, plain('recommendation')), page(3, training), page(4, plain('medical_degree'))];
    const seg: Segmentation = { labels: ['cv', 'recommendation', 'board_certificate', 'medical_degree'], pageConfidence: [1, 1, 0.91, 1], spans: [], missing: [], outOfOrder: false, foundOrder: ['cv', 'recommendation', 'board_certificate', 'medical_degree'] };
    const opts = { required: LABELS.slice(0, OTHER).map((l) => l === 'board_certificate'), lowConfidenceBelow: 0.55 };
    expect(findDoubts(pages, seg, opts)).toEqual([expect.objectContaining({ kind: 'weak_section', section: 'board_certificate', confidence: 0 })]);
    // With the board certificate's words ahead of the rest, its place is proof enough.
    const board = LABELS.map((l) => (l === 'other' ? 1 : l === 'board_certificate' ? 1.9 : 0));
    expect(findDoubts([pages[0]!, pages[1]!, page(3, board), pages[3]!], seg, opts)).toEqual([]);
    // Nor is a near tie a page nobody asked for (a letter's "Re: fellowship application" against its words).
    const near = LABELS.map((l) => (l === 'other' ? 4 : l === 'board_certificate' ? 3.9 : 0));
    expect(findDoubts([pages[0]!, pages[1]!, page(3, near), pages[3]!], seg, opts)).toEqual([]);
  });

  it('a document called missing while a page filed elsewhere names it before anything else is not sure; a tie only where the order hesitated', () => {
    // A Tunisian medical council's attestation filed with the degree at 0.8: its words say board certificate.
    const page = (num: number, scores: number[]): PageScore => ({ num, imageOnly: false, scores, reasons: LABELS.map(() => []), head: '', startBonus: 0 });
    const plain = (label: string) => LABELS.map((l) => (l === label ? 12 : 0));
    const mixed = (board: number, degree: number) => LABELS.map((l) => (l === 'board_certificate' ? board : l === 'medical_degree' ? degree : 0));
    const pages = [page(1, plain('cv')), page(2, plain('recommendation')), page(3, plain('medical_degree')), page(4, mixed(3.8, 1.9))];
    const seg: Segmentation = { labels: ['cv', 'recommendation', 'medical_degree', 'medical_degree'], pageConfidence: [1, 1, 1, 0.8], spans: [], missing: ['board_certificate'], outOfOrder: false, foundOrder: ['cv', 'recommendation', 'medical_degree'] };
    const opts = { required: LABELS.slice(0, OTHER).map(() => false), lowConfidenceBelow: 0.55 };
    expect(findDoubts(pages, seg, opts)).toEqual([expect.objectContaining({ kind: 'missing_unsure', section: 'board_certificate', page: 4 })]);
    // A residency diploma scoring the two alike, placed with the degree by the order with conviction:
    // the board certificate stays missing.
    const tie = [...pages.slice(0, 3), page(4, mixed(6.4, 6.4))];
    expect(findDoubts(tie, { ...seg, pageConfidence: [1, 1, 1, 0.97] }, opts)).toEqual([]);
    // The same page where the order hesitated (a Turkish specialist registration between the letter and
    // the degree, at 0.56): it may be the board certificate, so "missing" is not sure.
    expect(findDoubts(tie, { ...seg, pageConfidence: [1, 1, 1, 0.56] }, opts)).toEqual([expect.objectContaining({ kind: 'missing_unsure', section: 'board_certificate', page: 4 })]);
  });

  it("a CV's later page naming the ESR membership leaves a missing ESR proof missing; a first page, or a weak place, does not", () => {
    const page = (num: number, scores: number[]): PageScore => ({ num, imageOnly: false, scores, reasons: LABELS.map(() => []), head: '', startBonus: 0 });
    const plain = (label: string) => LABELS.map((l) => (l === label ? 12 : 0));
    // "Memberships: European Society of Radiology (full member since 2014)" on the CV's second page.
    const memberships = LABELS.map((l) => (l === 'esr_membership' ? 4.8 : l === 'publications' ? 3.3 : l === 'cv' ? 3.1 : 0));
    const pages = [page(1, plain('motivation')), page(2, plain('cv')), page(3, memberships), page(4, plain('passport'))];
    const seg: Segmentation = { labels: ['motivation', 'cv', 'cv', 'passport'], pageConfidence: [1, 1, 0.99, 1], spans: [], missing: ['esr_membership'], outOfOrder: false, foundOrder: ['motivation', 'cv', 'passport'] };
    const opts = { required: LABELS.slice(0, OTHER).map(() => false), lowConfidenceBelow: 0.55 };
    expect(findDoubts(pages, seg, opts)).toEqual([]);
    expect(findDoubts(pages, { ...seg, pageConfidence: [1, 1, 0.8, 1] }, opts)).toEqual([expect.objectContaining({ kind: 'missing_unsure', section: 'esr_membership', page: 3 })]);
  });

  it('a missing degree stays missing beside a specialist title the two share, filed as the board certificate', () => {
    // A Hungarian "Szakorvosi bizonyítvány" (board certificate 6.9, degree 5.8 from the shared title alone) at 0.75.
    const page = (num: number, scores: number[], titled?: number[]): PageScore => ({ num, imageOnly: false, scores, reasons: LABELS.map(() => []), head: '', startBonus: 0, titled });
    const plain = (label: string) => LABELS.map((l) => (l === label ? 12 : 0));
    const both = [LABELS.indexOf('board_certificate'), LABELS.indexOf('medical_degree')];
    const specialist = (board: number, degree: number) => LABELS.map((l) => (l === 'board_certificate' ? board : l === 'medical_degree' ? degree : 0));
    const pages = [page(1, plain('cv')), page(2, plain('recommendation')), page(3, specialist(6.9, 5.8), both), page(4, plain('language_certificates'))];
    const seg: Segmentation = { labels: ['cv', 'recommendation', 'board_certificate', 'language_certificates'], pageConfidence: [1, 1, 0.75, 1], spans: [], missing: ['medical_degree'], outOfOrder: false, foundOrder: ['cv', 'recommendation', 'board_certificate', 'language_certificates'] };
    const opts = { required: LABELS.slice(0, OTHER).map(() => false), lowConfidenceBelow: 0.55 };
    expect(findDoubts(pages, seg, opts)).toEqual([]);
    // Words of the degree beyond the shared title (an Indian "Doctor of Medicine (M.D.) - Radio-Diagnosis"): not sure.
    const md = [...pages.slice(0, 2), page(3, specialist(6.9, 9.5), both), pages[3]!];
    expect(findDoubts(md, seg, opts)).toEqual([expect.objectContaining({ kind: 'missing_unsure', section: 'medical_degree', page: 3 })]);
  });

  it('a document called missing while a page filed elsewhere is titled as it (a title the two share) is not sure', () => {
    // A Peruvian "Título de Segunda Especialidad Profesional" from a university, filed with the degree at 0.77.
    const page = (num: number, scores: number[], titled?: number[]): PageScore => ({ num, imageOnly: false, scores, reasons: LABELS.map(() => []), head: '', startBonus: 0, titled });
    const plain = (label: string) => LABELS.map((l) => (l === label ? 12 : 0));
    const both = [LABELS.indexOf('board_certificate'), LABELS.indexOf('medical_degree')];
    const specialist = LABELS.map((l) => (l === 'board_certificate' ? 8.8 : l === 'medical_degree' ? 13.7 : 0));
    const pages = [page(1, plain('cv')), page(2, plain('recommendation')), page(3, specialist, both), page(4, plain('medical_degree'))];
    const seg: Segmentation = { labels: ['cv', 'recommendation', 'medical_degree', 'medical_degree'], pageConfidence: [1, 1, 0.77, 1], spans: [], missing: ['board_certificate'], outOfOrder: false, foundOrder: ['cv', 'recommendation', 'medical_degree'] };
    const opts = { required: LABELS.slice(0, OTHER).map(() => false), lowConfidenceBelow: 0.55 };
    expect(findDoubts(pages, seg, opts)).toEqual([expect.objectContaining({ kind: 'missing_unsure', section: 'board_certificate', page: 3 })]);
    // Without the title, words alone this far behind leave it missing; so does a place the order was sure of.
    const untitled = LABELS.map((l) => (l === 'board_certificate' ? 4.8 : l === 'medical_degree' ? 9.7 : 0));
    expect(findDoubts([pages[0]!, pages[1]!, page(3, untitled), pages[3]!], seg, opts)).toEqual([]);
    expect(findDoubts(pages, { ...seg, pageConfidence: [1, 1, 0.95, 1] }, opts)).toEqual([]);
    // Unless the page opens a document under that title (a Spanish "Título de Médico Especialista" after the degree).
    // Its title shared, the board certificate's score is raised to the degree's (classify-pages shareTitledScores).
    const tied = LABELS.map((l) => (l === 'board_certificate' || l === 'medical_degree' ? 7.3 : 0));
    const opening = [pages[0]!, pages[1]!, { ...page(3, tied, both), startBonus: 1.5 }, pages[3]!];
    expect(findDoubts([pages[0]!, pages[1]!, page(3, tied, both), pages[3]!], { ...seg, pageConfidence: [1, 1, 1, 1] }, opts)).toEqual([]);
    expect(findDoubts(opening, { ...seg, pageConfidence: [1, 1, 1, 1] }, opts)).toEqual([expect.objectContaining({ kind: 'missing_unsure', section: 'board_certificate', page: 3 })]);
  });

  it('a document found only on a scan OCR saw no ink on (a blank sheet at the end) is not sure; an unread scan still is', () => {
    const page = (num: number, scores: number[], extra: Partial<PageScore> = {}): PageScore => ({ num, imageOnly: false, scores, reasons: LABELS.map(() => []), head: '', startBonus: 0, ...extra });
    const plain = (label: string) => LABELS.map((l) => (l === label ? 12 : 0));
    const scan = LABELS.map((l) => (l === 'passport' ? 1.2 : 0));
    const pages = [page(1, plain('cv')), page(2, plain('recommendation')), page(3, plain('esr_membership')), page(4, scan, { imageOnly: true, blank: true })];
    const seg: Segmentation = { labels: ['cv', 'recommendation', 'esr_membership', 'passport'], pageConfidence: [1, 1, 1, 0.99], spans: [], missing: [], outOfOrder: false, foundOrder: ['cv', 'recommendation', 'esr_membership', 'passport'] };
    const opts = { required: LABELS.slice(0, OTHER).map((l) => l === 'passport'), lowConfidenceBelow: 0.55 };
    expect(findDoubts(pages, seg, opts)).toEqual([expect.objectContaining({ kind: 'weak_section', section: 'passport', confidence: 0 })]);
    expect(findDoubts([...pages.slice(0, 3), page(4, scan, { imageOnly: true })], seg, opts)).toEqual([]);
    // OCR read a few words on it and no page of text (a photograph page and a name): its place is no proof either.
    expect(findDoubts([...pages.slice(0, 3), page(4, scan, { imageOnly: true, unread: true })], seg, opts)).toEqual([
      expect.objectContaining({ kind: 'weak_section', section: 'passport', confidence: 0 }),
    ]);
  });

  it('a document called missing while an unread scan stands in its place in the order is not sure', () => {
    // OCR off: a scanned recommendation right after the CV, filed with the degree the order put after it.
    const page = (num: number, scores: number[], extra: Partial<PageScore> = {}): PageScore => ({ num, imageOnly: false, scores, reasons: LABELS.map(() => []), head: '', startBonus: 0, ...extra });
    const plain = (label: string) => LABELS.map((l) => (l === label ? 12 : 0));
    const scan = LABELS.map((l) => (l === 'medical_degree' ? 0.7 : l === 'recommendation' ? -2 : 0));
    const rest = [page(3, plain('medical_degree')), page(4, plain('publications')), page(5, plain('references'))];
    const pages = [page(1, plain('cv')), page(2, scan, { imageOnly: true }), ...rest];
    const seg: Segmentation = { labels: ['cv', 'medical_degree', 'medical_degree', 'publications', 'references'], pageConfidence: [1, 0.34, 1, 1, 1], spans: [], missing: ['recommendation'], outOfOrder: false, foundOrder: ['cv', 'medical_degree', 'publications', 'references'] };
    const opts = { required: LABELS.slice(0, OTHER).map(() => false), lowConfidenceBelow: 0.55 };
    expect(findDoubts(pages, seg, opts)).toEqual([expect.objectContaining({ kind: 'missing_unsure', section: 'recommendation', page: 2 })]);
    // After the degree's own words, a scan is out of the recommendation's place; a blank sheet is none.
    expect(findDoubts([pages[0]!, rest[0]!, page(3, scan, { imageOnly: true }), rest[1]!, rest[2]!], seg, opts)).toEqual([]);
    expect(findDoubts([pages[0]!, page(2, scan, { imageOnly: true, blank: true }), ...rest], seg, opts)).toEqual([]);
    // Placed with the degree with conviction (the order and its scan prior agree), it is the degree's.
    expect(findDoubts(pages, { ...seg, pageConfidence: [1, 0.8, 1, 1, 1] }, opts)).toEqual([]);
  });

  it('a diploma whose title stands on a line of its own under a preamble is titled by it', () => {
    const diploma = ['UNIVERSIDAD NACIONAL DE EJEMPLO', 'Facultad de Medicina', 'A NOMBRE DE LA NACION', 'El Rector de la Universidad, por cuanto', 'ANA TEST',
      'ha concluido el Programa de Residentado Médico y cumplido los requisitos exigidos, le', 'confiere el', 'TITULO DE SEGUNDA ESPECIALIDAD PROFESIONAL EN RADIOLOGIA', 'Lima, 30 de agosto de 2019'].join('\n');
    const { pageScores } = triageApplication(application(ALL, { ...TEXT, board_certificate: diploma }), RULES);
    expect(pageScores[3]!.reasons[3]).toContain('title "titulo de segunda especialidad profesional"');
    expect(pageScores[3]!.titled).toEqual(expect.arrayContaining([3, 4]));
  });

  it('a letter whose title stands under its letterhead, address and date is titled by it', () => {
    const letter = ['Hospital Example', 'Department of Radiology', 'Example Street 1, Porto', 'Tel. +351 22 000 0000', 'Porto, 1 March 2021',
      'To the ESOR Evaluation Committee', 'Letter of Recommendation', 'It is my pleasure to recommend Dr Ana Test for an ESOR fellowship.', 'Prof. Example'].join('\n');
    const { pageScores } = triageApplication(application(ALL, { ...TEXT, recommendation: letter }), RULES);
    expect(pageScores[2]!.reasons[2]).toContain('title "letter of recommendation"');
  });

  it('a CV continuation page that lists papers does not hide a real swap further on', () => {
    const text = {
      ...TEXT,
      cv2: 'ESOR Curriculum Vitae (continued)\nScientific activity\n1. Test A, Example B. PET/CT in lymphoma. Eur Radiol. 2019;29(3):1-8. doi:10.1000/er.2019.1\n2. Test A, et al. Hybrid imaging. Radiology. 2020;295:10-18. doi:10.1000/rad.2020.2\n3. Test A, et al. PET/MR. Insights Imaging. 2018;9:5-9. PMID: 12345678',
    };
    const order = ['motivation', 'cv', 'cv2', 'recommendation', 'board_certificate', 'medical_degree', 'language_certificates', 'references', 'publications', 'esr_membership', 'passport'];
    const { result } = triageApplication(application(order, text), RULES);
    expect(result.missing).toEqual([]);
    expect(result.flags.map((f) => f.code)).toContain('out_of_order');
    expect(result.sections.find((s) => s.id === 'cv')?.pages).toEqual([2, 3]);
  });

  it('a swap does not turn a board certificate of few words into a missing document', () => {
    const text = { ...TEXT, board_certificate: 'Institut postgraduálního vzdělávání ve zdravotnictví\nAtestační zkouška z oboru radiologie, složena dne 12.05.2020.' };
    const order = ['motivation', 'cv', 'publications', 'references', 'recommendation', 'board_certificate', 'medical_degree', 'language_certificates', 'esr_membership', 'passport'];
    const { result } = triageApplication(application(order, text), RULES);
    expect(result.missing).toEqual([]);
    expect(result.flags.map((f) => f.code)).toContain('out_of_order');
    expect(result.sections.find((s) => s.id === 'board_certificate')?.pages).toEqual([6, 6]);
  });

  it('a second recommendation letter after the publication list, placed there by the order alone, is not sure', () => {
    const text = {
      ...TEXT,
      recommendation2: 'Faculty of Medicine, Department of Nuclear Medicine\nLetter of recommendation\nDear colleagues,\nI am pleased to recommend Dr. Ana Test for the fellowship. She worked with us on PET/CT for two years and I recommend her warmly.\nProf. Other, Head of Nuclear Medicine',
    };
    const order = [...ALL.slice(0, 7), 'recommendation2', ...ALL.slice(7)];
    const { result } = triageApplication(application(order, text), RULES);
    expect(result.status).not.toBe('complete');
    if (!result.flags.some((f) => f.code === 'out_of_order')) {
      expect(result.flags.find((f) => f.code === 'low_confidence')).toMatchObject({ section: 'recommendation', evidence: { pages: [8, 8] } });
    }
  });
  it('a board certificate found only on a specialist title the degree shares leaves an out-of-order verdict as it is, not a swap it is part of', () => {
    const page = (num: number, scores: number[]): PageScore => ({ num, imageOnly: false, scores, reasons: LABELS.map(() => []), head: '', startBonus: 1.5 });
    const plain = (label: string) => LABELS.map((l) => (l === label ? 20 : 0));
    const shared = LABELS.map((l) => (l === 'board_certificate' || l === 'medical_degree' ? 13.3 : 0));
    // Passport first, then the specialist title (board certificate or degree alike) before the recommendation.
    const pages = [page(1, plain('passport')), page(2, plain('motivation')), page(3, plain('cv')), page(4, shared), page(5, plain('recommendation')), page(6, plain('medical_degree'))];
    const labels = ['passport', 'motivation', 'cv', 'board_certificate', 'recommendation', 'medical_degree'] as const;
    const seg: Segmentation = { labels: [...labels], pageConfidence: [1, 1, 1, 0.5, 1, 1], spans: [], missing: [], outOfOrder: true, foundOrder: [...labels] };
    const opts = { required: LABELS.slice(0, OTHER).map(() => true), lowConfidenceBelow: 0.55 };
    expect(findDoubts(pages, seg, opts).filter((d) => d.kind === 'weak_section')).toEqual([]);
    // Where the title's place is the only thing out of order, which document it is decides the verdict.
    const inPlace = ['motivation', 'cv', 'recommendation', 'medical_degree', 'board_certificate'] as const;
    const seg2: Segmentation = { labels: [...inPlace], pageConfidence: [1, 1, 1, 1, 0.5], spans: [], missing: [], outOfOrder: true, foundOrder: [...inPlace] };
    const pages2 = [page(1, plain('motivation')), page(2, plain('cv')), page(3, plain('recommendation')), page(4, plain('medical_degree')), page(5, shared)];
    expect(findDoubts(pages2, seg2, opts)).toEqual([expect.objectContaining({ kind: 'weak_section', section: 'board_certificate' })]);
    // Before the recommendation letter, the title is out of order whichever of the two it is.
    const early = ['motivation', 'cv', 'board_certificate', 'recommendation', 'medical_degree'] as const;
    const seg3: Segmentation = { labels: [...early], pageConfidence: [1, 1, 0.5, 1, 1], spans: [], missing: [], outOfOrder: true, foundOrder: [...early] };
    const pages3 = [page(1, plain('motivation')), page(2, plain('cv')), page(3, shared), page(4, plain('recommendation')), page(5, plain('medical_degree'))];
    expect(findDoubts(pages3, seg3, opts)).toEqual([]);
  });

  it("a document found only on a translation that reads as the document before it (its original) is not sure", () => {
    const page = (num: number, scores: number[], startBonus = 1.5): PageScore => ({ num, imageOnly: false, scores, reasons: LABELS.map(() => []), head: '', startBonus });
    const plain = (label: string) => LABELS.map((l) => (l === label ? 20 : 0));
    const shared = (n: number) => LABELS.map((l) => (l === 'board_certificate' || l === 'medical_degree' ? n : 0));
    // The Vietnamese specialist diploma, then its sworn translation (2.7 each), filed as the degree.
    const translation = (scores: number[]): PageScore => ({ ...page(4, scores, 0), translation: true });
    const pages = [page(1, plain('cv')), page(2, plain('recommendation')), page(3, shared(6.9)), translation(shared(2.7)), page(5, plain('language_certificates'))];
    const labels = ['cv', 'recommendation', 'board_certificate', 'medical_degree', 'language_certificates'] as const;
    const seg: Segmentation = { labels: [...labels], pageConfidence: [1, 1, 0.9, 0.96, 1], spans: [], missing: [], outOfOrder: false, foundOrder: [...labels] };
    const opts = { required: LABELS.slice(0, OTHER).map((l) => l === 'medical_degree'), lowConfidenceBelow: 0.55 };
    expect(findDoubts(pages, seg, opts)).toEqual([expect.objectContaining({ kind: 'weak_section', section: 'medical_degree', confidence: 0 })]);
    // A page that is no translation (a Polish degree diploma after the specialist examination reads as both
    // too), or a translation that reads as the degree more than as what went before, is proof.
    expect(findDoubts([...pages.slice(0, 3), page(4, shared(2.7), 0), pages[4]!], seg, opts)).toEqual([]);
    const degree = LABELS.map((l) => (l === 'medical_degree' ? 4 : l === 'board_certificate' ? 2.7 : 0));
    expect(findDoubts([...pages.slice(0, 3), translation(degree), pages[4]!], seg, opts)).toEqual([]);
  });

  it('a headed recommendation letter kept with the publication list before it by the order is not sure', () => {
    const page = (num: number, scores: number[], startBonus = 1.5): PageScore => ({ num, imageOnly: false, scores, reasons: LABELS.map(() => []), head: '', startBonus });
    const plain = (label: string) => LABELS.map((l) => (l === label ? 20 : 0));
    const letter = LABELS.map((l) => (l === 'recommendation' ? 8.5 : l === 'motivation' ? 1.6 : l === 'publications' ? 1.2 : 0));
    const pages = [page(1, plain('cv')), page(2, plain('recommendation')), page(3, plain('publications')), page(4, letter), page(5, plain('references'))];
    const seg: Segmentation = { labels: ['cv', 'recommendation', 'publications', 'publications', 'references'], pageConfidence: [1, 1, 1, 0.65, 1], spans: [], missing: [], outOfOrder: false, foundOrder: ['cv', 'recommendation', 'publications', 'references'] };
    const opts = { required: LABELS.slice(0, OTHER).map(() => false), lowConfidenceBelow: 0.55 };
    expect(findDoubts(pages, seg, opts)).toEqual([expect.objectContaining({ kind: 'contradicted_page', section: 'recommendation', page: 4 })]);
    // A later page of the list that names a letter (no document starts on it) changes nothing.
    expect(findDoubts([...pages.slice(0, 3), page(4, letter, -2), pages[4]!], seg, opts)).toEqual([]);
    // Nor does a CV's second page headed "Publikationen und Vorträge — siehe beigefügte Liste".
    const heading = LABELS.map((l) => (l === 'publications' ? 5 : l === 'other' ? 1 : 0));
    const cvSeg: Segmentation = { ...seg, labels: ['cv', 'cv', 'recommendation', 'publications', 'references'], pageConfidence: [1, 0.37, 1, 1, 1] };
    expect(findDoubts([pages[0]!, page(2, heading), page(3, plain('recommendation')), page(4, plain('publications')), pages[4]!], cvSeg, opts)).toEqual([]);
  });

  it("a CV's page filed as the recommendation letter after it, where the order hesitated, is not sure though a degree line reads close behind", () => {
    const page = (num: number, scores: number[], startBonus = 1.5): PageScore => ({ num, imageOnly: false, scores, reasons: LABELS.map(() => []), head: '', startBonus });
    const plain = (label: string) => LABELS.map((l) => (l === label ? 20 : 0));
    const cvPage = LABELS.map((l) => (l === 'cv' ? 11 : l === 'medical_degree' ? 8.5 : 0));
    const pages = [page(1, plain('motivation')), page(2, plain('cv')), page(3, plain('recommendation')), page(4, cvPage), page(5, plain('board_certificate'))];
    const labels = ['motivation', 'cv', 'recommendation', 'recommendation', 'board_certificate'] as const;
    const seg: Segmentation = { labels: [...labels], pageConfidence: [1, 1, 1, 0.29, 1], spans: [], missing: [], outOfOrder: false, foundOrder: ['motivation', 'cv', 'recommendation', 'board_certificate'] };
    const opts = { required: LABELS.slice(0, OTHER).map(() => false), lowConfidenceBelow: 0.55 };
    expect(findDoubts(pages, seg, opts)).toEqual([expect.objectContaining({ kind: 'contradicted_page', section: 'cv', page: 4 })]);
    // Placed there with some conviction, a page reading as two documents names neither plainly enough.
    expect(findDoubts(pages, { ...seg, pageConfidence: [1, 1, 1, 0.7, 1] }, opts)).toEqual([]);
    // A CV's second page listing papers and memberships (publications 6.9, ESR 6.3) is the CV's, however hesitant.
    const listing = LABELS.map((l) => (l === 'publications' ? 6.9 : l === 'esr_membership' ? 6.3 : 0));
    const cvLabels = ['motivation', 'cv', 'cv', 'recommendation', 'board_certificate', 'publications', 'esr_membership'] as const;
    const cvSeg: Segmentation = { ...seg, labels: [...cvLabels], pageConfidence: [1, 1, 0.46, 1, 1, 1, 1] };
    const cvPages = [pages[0]!, pages[1]!, page(3, listing), page(4, plain('recommendation')), pages[4]!, page(6, plain('publications')), page(7, plain('esr_membership'))];
    expect(findDoubts(cvPages, cvSeg, opts)).toEqual([]);
  });
});

describe('a language level OCR mended', () => {
  const withFrench = (line: string) => ({ ...TEXT, language_certificates: `Certificate of English language proficiency\nCommon European Framework of Reference level C1\nThe candidate achieved level C1 in English.\nDiplôme d'études en langue française\n${line}` });
  it('rules nobody out alone: "DELF Bl" read on a scan is below B2 for a person to check, "DELF B1" is ineligible', () => {
    const mended = triageApplication(application(ALL, withFrench('DELF Bl')), RULES).result;
    expect(mended.status).toBe('needs_review');
    expect(mended.flags).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'language_below_required', severity: 'review', uncertain: true })]));
    expect(triageApplication(application(ALL, withFrench('DELF B1')), RULES).result.status).toBe('ineligible');
    // Read plainly as well ("niveau B1" on the same attestation), the mended reading is sure.
    expect(triageApplication(application(ALL, withFrench('DELF Bl\nniveau B1 du Cadre européen commun de référence')), RULES).result.status).toBe('ineligible');
    // So it is when the applicant's own CV states the same level.
    const cvSaysB1 = { ...withFrench('DELF Bl'), cv: TEXT.cv!.replace('French B2', 'French B1') };
    expect(triageApplication(application(ALL, cvSaysB1), RULES).result.status).toBe('ineligible');
  });
});

describe('a mail without a PDF', () => {
  const mail = (text: string): TriageInput => ({
    mail: { subject: 'ESR membership for the fellowship application', text, from: { email: 'q@example.test' }, otherAttachments: [] },
    receivedAt: new Date('2021-03-01T10:00:00Z'),
    pdfs: [],
  });

  it('is a question for the office when it asks one, even naming the application it will send', () => {
    const { result } = triageApplication(mail('Before I send my application for the Gustave Roussy fellowship: is a renewal receipt accepted as ESR proof?'), RULES);
    expect(result.status).toBe('not_application');
  });

  it('is a question when it asks in words, without a question mark, naming the documents it will prepare', () => {
    const { result } = triageApplication(mail('Before I prepare my documents I would like to ask whether a DELF B2 from 2016 is still accepted.'), RULES);
    expect(result.status).toBe('not_application');
    const { result: french } = triageApplication(mail("Je voudrais savoir si mon certificat de spécialité de 2017 est accepté pour ma candidature."), RULES);
    expect(french.status).toBe('not_application');
  });

  it('is a question when it asks whether the application arrived, quoting the earlier mail that had it attached', () => {
    const text = 'Dear ESOR Office,\n\nI sent my application on 20 March. Could you please confirm that you received it?\n\nKind regards\n\n> On Sat, 20 Mar 2021 at 18:02, A. Applicant wrote:\n> Please find attached my application.';
    expect(triageApplication(mail(text), RULES).result.status).toBe('not_application');
    // Its own words saying something is attached, with no PDF: the PDF went missing, and the applicant hears so.
    const lost = 'Please find attached my application. Could you confirm you received it?\n\n> On Sat, 20 Mar 2021 at 18:02, ESOR Office wrote:\n> Is your application on its way?';
    expect(triageApplication(mail(lost), RULES).result.flags.map((f) => f.code)).toContain('no_pdf');
  });

  it('is a question when it asks about an application sent before and says nothing is attached', () => {
    const text = 'Last week I sent my application for the Hybrid Imaging fellowship. Could you confirm it was received? I have not attached anything to this message.';
    expect(triageApplication(mail(text), RULES).result.status).toBe('not_application');
    const german = 'Ich habe meine Bewerbung letzte Woche geschickt, diese Nachricht ist ohne Anhang. Ist sie angekommen?';
    expect(triageApplication(mail(german), RULES).result.status).toBe('not_application');
  });

  it('is an application without its PDF when it applies and gives a link, whose query asks nothing', () => {
    const text = 'Ana Test has shared a file with you: "application.pdf"\nOpen: https://onedrive.example/s!AkF8rT2?e=Hj3kLp\nI am applying for the ESOR Fellowship in Hybrid Imaging in Oncology at Gustave Roussy. All documents are in this one PDF.';
    expect(triageApplication(mail(text), RULES).result.flags.map((f) => f.code)).toContain('no_pdf');
  });

  it('is an application without its PDF when it says something is attached, question or not', () => {
    const { result } = triageApplication(mail('Please find attached my application for the Gustave Roussy fellowship. Is anything else needed?'), RULES);
    expect(result.flags.map((f) => f.code)).toContain('no_pdf');
  });
});

describe('a mail nothing could be read of', () => {
  it('goes to a person with mail_unreadable, not to "not an application", whatever the stored mail held', () => {
    const input: TriageInput = {
      mail: { subject: '', text: '', otherAttachments: [], unreadable: 'its format is beyond what we can read' },
      receivedAt: new Date('2021-03-01T10:00:00Z'),
      pdfs: [],
    };
    const { result } = triageApplication(input, RULES);
    expect(result.status).toBe('needs_review');
    expect(result.flags.map((f) => f.code)).toEqual(['mail_unreadable']);
    expect(result.flags[0]!.message).toContain('its format is beyond what we can read');
  });

  it('still answers nothing for machine mail, read or not', () => {
    const input: TriageInput = {
      mail: { subject: '', text: '', otherAttachments: [], machine: { reason: 'Auto-Submitted: auto-replied' }, unreadable: 'its format is beyond what we can read' },
      receivedAt: null,
      pdfs: [],
    };
    expect(triageApplication(input, RULES).result.status).toBe('not_application');
  });
});


describe('several PDFs', () => {
  it('are incomplete whatever their pages hold: a doubt about a page stays for staff but does not hold the verdict back', () => {
    // A letter with no recommending words: in one PDF a person decides.
    const text = { ...TEXT, recommendation: 'Porto, 1 February 2021\nDr. Ana Test\nRadiologist\nHospital Example' };
    const one = triageApplication(application(ALL, text), RULES).result;
    expect(one.status).toBe('needs_review');
    expect(one.flags.find((f) => f.code === 'low_confidence')?.uncertain).toBe(true);
    const single = application(ALL, text);
    const pages = (single.pdfs[0] as { pages: PageText[] }).pages;
    const split: TriageInput = { ...single, pdfs: [{ filename: 'part-1.pdf', pages: pages.slice(0, 5) }, { filename: 'part-2.pdf', pages: pages.slice(5) }] };
    const several = triageApplication(split, RULES).result;
    expect(several.status).toBe('incomplete');
    expect(several.flags.map((f) => f.code)).toEqual(expect.arrayContaining(['multiple_pdfs', 'low_confidence']));
    expect(several.flags.some((f) => f.uncertain)).toBe(false);
  });
});
