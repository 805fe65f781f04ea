/**
 * One application in, one verdict out: the pure heart of esor-intake. The
 * adapters have already read the mail and the PDFs; this module classifies
 * the pages, decodes the sections, reads the facts, runs the rules and
 * chooses the status (contract § 3). No I/O, no clock.
 */
import { extractFacts, type CvFieldLabels, type OtherSpecialtyWords, type TrainingCertificateWords } from '../facts';
import { compileWordStems } from '../facts/text-fold';
import { boundPageText } from '../analyse/bound-page-text';
import { compileClassifier, scorePages, standsInFor, type PageClassifier, type PageScore } from '../analyse/classify-pages';
import { segmentPages, type SectionModel, type Segmentation } from '../analyse/segment-pages';
import { ownWords } from '../mail/own-words';
import { documentsToFollow, type ToFollowVocabulary } from '../mail/to-follow';
import { compilePhrases, distinctMatches, foldText } from '../normalize';
import type { CommonRules, RuleSet } from '../rules/schema';
import { SECTION_IDS, SEVERITIES, type Flag, type PageText, type SectionId, type Status, type TriageResult } from '../types';
import { findDoubts, unsurePages } from './certainty';
import type { SenderAuthVerdict } from '../mail/authentication-results';
import { compileProgrammeMatcher, detectProgramme, type ProgrammeDetection, type ProgrammeMatcher } from './detect-programme';
import { evaluateRules, type LanguageFinding, type RuleOutcome } from './evaluate-rules';
import { fillMessage } from './fill-message';
import { receivedDateMismatch, type MailTimes } from './received-date';

/** A PDF as the adapter delivered it: its pages, or why it could not be read. */
export type PdfInput = { filename: string; pages: PageText[] } | { filename: string; unreadable: string };

export interface TriageInput {
  /** The mail, absent when a bare PDF is triaged. */
  mail?: {
    subject: string;
    text: string;
    from?: { email: string; name?: string };
    /** Set when the mail was written by a machine (auto-reply, bounce, list, our own reply). */
    machine?: { reason: string };
    /** Attachments that are not PDFs (a DOCX, images, a zip), by name and type only. */
    otherAttachments: Array<{ filename: string; contentType: string }>;
    /** What the office's mail server said of the sender (core/mail/authentication-results.ts). */
    senderAuth?: SenderAuthVerdict;
    /** Set when nothing of the mail could be read (the mail reader's reason): it is not an empty mail. */
    unreadable?: string;
  } & MailTimes;
  receivedAt: Date | null;
  /** PDFs in the order they appear; pages already numbered across all of them. */
  pdfs: PdfInput[];
  /** Programme chosen by the caller (e.g. `--programme`), overriding detection. */
  programme?: string;
}

/** Rules compiled once and reused for every application. */
export interface TriageRules {
  rules: RuleSet;
  classifier: PageClassifier;
  programmes: ProgrammeMatcher;
  cvTitles: RegExp | null;
  cvLabels: Array<RegExp | null>;
  cvFields: CvFieldLabels;
  /** Words of the CV's board certification date that say the title is not held yet. */
  boardNotHeld: RegExp | null;
  trainingCertificate: TrainingCertificateWords;
  otherSpecialty: OtherSpecialtyWords;
  /** Words of sending documents now: a mail that says them without a PDF forgot it. */
  attachmentWords: RegExp | null;
  /** The attachment words alone (not the submission phrases): a mail naming an attachment it lacks. */
  attachedWords: RegExp | null;
  /** Phrases of asking ("I would like to know whether"): a question without its question mark. */
  questionWords: RegExp | null;
  /** Phrases saying nothing is attached ("I have not attached anything"): their attachment word is none. */
  nothingAttached: RegExp | null;
  /** Phrases saying this mail replaces an application sent before ("please disregard my previous e-mail"). */
  replacementWords: RegExp | null;
  /** Phrases of a referee sending the letter written for a candidate ("my letter of recommendation for Dr …"). */
  refereeWords: RegExp | null;
  /** Phrases of a document coming later, and the section titles that say which (core/mail/to-follow.ts). */
  toFollow: ToFollowVocabulary;
  required: boolean[];
  sectionModels: SectionModel[];
}

export interface TriageDetails {
  result: TriageResult;
  outcomes: RuleOutcome[];
  pageScores: PageScore[];
  segmentation: Segmentation | null;
  programme: ProgrammeDetection | null;
}

export function compileTriageRules(rules: RuleSet): TriageRules {
  const c = rules.common;
  const f = c.cv_template.fields;
  const classifier = compileClassifier(c);
  return {
    rules,
    classifier,
    programmes: compileProgrammeMatcher(rules.programmes, c.other_programmes),
    cvTitles: compilePhrases(c.cv_template.titles),
    cvLabels: c.cv_template.labels.map((l) => compilePhrases([l])),
    boardNotHeld: compilePhrases(c.cv_template.board_not_held),
    trainingCertificate: {
      titles: compilePhrases(c.classifier.training_certificate.titles),
      says: compilePhrases(c.classifier.training_certificate.says),
      conferred: compilePhrases(c.classifier.training_certificate.conferred),
    },
    otherSpecialty: {
      names: compilePhrases(c.classifier.other_specialty.names),
      radiology: c.classifier.other_specialty.radiology.length > 0 ? compileWordStems(c.classifier.other_specialty.radiology) : null,
    },
    cvFields: {
      surname: f.surname,
      firstName: f.first_name,
      dateOfBirth: f.date_of_birth,
      nationality: f.nationality,
      countryOfResidence: f.country_of_residence,
      currentPosition: f.current_position,
      institution: f.institution,
      country: f.country,
      dateOfBoardCertification: f.date_of_board_certification,
      esrMembershipNumber: f.esr_membership_number,
      languages: f.languages,
      city: f.city,
      ...(f.address ? { address: f.address } : {}),
      // Every other label of the template ends the value before it.
      otherLabels: c.cv_template.labels,
    },
    attachmentWords: compilePhrases([...rules.mail.application_hints.attachment_words, ...rules.mail.application_hints.submission_phrases]),
    attachedWords: compilePhrases(rules.mail.application_hints.attachment_words),
    questionWords: compilePhrases(rules.mail.application_hints.question_phrases),
    nothingAttached: compilePhrases(rules.mail.application_hints.nothing_attached_phrases),
    replacementWords: compilePhrases(rules.mail.application_hints.replacement_phrases),
    refereeWords: compilePhrases(rules.mail.application_hints.referee_phrases),
    toFollow: {
      phrases: compilePhrases(rules.mail.application_hints.to_follow_phrases),
      titles: c.sections.map((s, k) => ({ id: s.id, re: classifier.labels[k]!.titles })),
    },
    required: c.sections.map((s) => s.required),
    sectionModels: c.sections.map((s) => ({ required: s.required, expectedPages: s.expected_pages })),
  };
}

/**
 * What the analyse stage learns from the PDFs: the pages' text, their scores
 * and the decoded sections. Plain data, so a queue stage can store it and
 * the triage stage (or a dry run with edited rules) can decide from it later.
 */
export interface DocumentAnalysis {
  pages: PageText[];
  pageScores: PageScore[];
  segmentation: Segmentation | null;
}

/** Classifies and segments the readable pages of all PDFs (pure; cheap next to reading the PDFs). */
export function analyseDocuments(input: Pick<TriageInput, 'pdfs'>, t: TriageRules): DocumentAnalysis {
  const pages: PageText[] = [];
  for (const p of input.pdfs) if ('pages' in p) pages.push(...p.pages.map(boundPageText));
  if (pages.length === 0) return { pages, pageScores: [], segmentation: null };
  const pageScores = scorePages(pages, t.classifier);
  return { pages, pageScores, segmentation: segmentPages(pageScores, t.sectionModels) };
}

/** Triages one application. Never throws on odd input: every input gets a verdict. */
export function triageApplication(input: TriageInput, t: TriageRules): TriageDetails {
  return decideApplication(input, analyseDocuments(input, t), t);
}

/** Decides an analysed application: document flags, facts, programme, rules, status. */
export function decideApplication(input: TriageInput, analysis: DocumentAnalysis, t: TriageRules): TriageDetails {
  const common = t.rules.common;
  const flags: Flag[] = [];
  const flag = (code: string, values: Record<string, string | number | undefined> = {}, extra: Partial<Flag> = {}) => {
    const w = common.flags[code]!;
    flags.push({ code, severity: w.severity, message: fillMessage(w.message, values), ...(w.uncertain ? { uncertain: true as const } : {}), ...extra });
  };
  const base: TriageResult = {
    status: 'complete',
    programme: null,
    applicant: input.mail?.from ? { ...input.mail.from } : null,
    receivedAt: input.receivedAt ? input.receivedAt.toISOString() : null,
    pdf: null,
    sections: [],
    missing: [],
    flags,
    facts: {},
  };
  const { pages, pageScores: scores, segmentation: seg } = analysis;
  const details: TriageDetails = { result: base, outcomes: [], pageScores: scores, segmentation: seg, programme: null };

  if (input.mail?.machine) {
    flag('auto_reply', { reason: input.mail.machine.reason });
    base.status = 'not_application';
    return details;
  }
  if (input.mail?.unreadable) {
    // Nothing was read, so nothing says it is not an application: a person opens it (contract § 6).
    flag('mail_unreadable', { reason: input.mail.unreadable }, { evidence: { reason: input.mail.unreadable } });
    base.status = chooseStatus(flags);
    return details;
  }
  const mailText = input.mail ? `${input.mail.subject}\n${input.mail.text}` : '';
  // What the sender wrote now (subject and body without what it quotes): what this mail itself says.
  const ownText = input.mail ? ownWords(input.mail.text) : '';
  const ownMail = input.mail ? `${input.mail.subject}\n${ownText}` : null;
  if (input.pdfs.length === 0 && input.mail) {
    // What this mail says, not what it quotes: "> Please find attached my application" under "Could you
    // confirm that you received it?" is the earlier mail's attachment, and this one is a question (ec16).
    const folded = t.nothingAttached ? foldText(ownMail!).replace(t.nothingAttached, ' ') : foldText(ownMail!);
    const saysAttached = distinctMatches(t.attachmentWords, folded).length > 0;
    // "Before I send my application for …, is a renewal receipt accepted?": a question that names the
    // application it will send is still a question, unless it says something is attached. Asking is a
    // question mark or a phrase of asking ("Before I prepare my documents I would like to ask whether …").
    // A link's query ("https://onedrive.example/s!Ak?e=Hj3", a shared PDF) asks nothing.
    const asks = ownText.replace(/\bhttps?:\/\/\S+/giu, ' ').includes('?') || distinctMatches(t.questionWords, folded).length > 0;
    const asksOnly = asks && distinctMatches(t.attachedWords, folded).length === 0;
    if (input.mail.otherAttachments.length === 0 && (!saysAttached || asksOnly)) {
      // A plain question or a thank-you: staff answer it, the machine does not.
      base.status = 'not_application';
      base.programme = detectProgramme(t.programmes, mailText, '').programme;
      return details;
    }
    flag('no_pdf', {}, { evidence: { attachments: input.mail.otherAttachments.map((a) => a.contentType) } });
  }

  const first = input.pdfs[0];
  if (first) base.pdf = { filename: first.filename, pages: pages.length };
  if (input.pdfs.length > 1) flag('multiple_pdfs', { count: input.pdfs.length }, { evidence: { files: input.pdfs.length } });
  const unreadable = input.pdfs.filter((p): p is { filename: string; unreadable: string } => 'unreadable' in p);
  for (const u of unreadable) flag('unreadable_pdf', { reason: u.unreadable }, { evidence: { reason: u.unreadable } });

  let sectionPages = new Map<SectionId, PageText[]>();
  const doubts = seg ? findDoubts(scores, seg, { required: t.required, lowConfidenceBelow: common.classifier.low_confidence_below }) : [];
  const notRecognised = doubts.find((d) => d.kind === 'not_recognised');
  if (seg && notRecognised) {
    // Not an application's documents: nothing is forced into the ten sections, nothing is called
    // missing, no fact is read; a person looks at it.
    base.sections = [{ id: 'other', pages: [pages[0]!.num, pages[pages.length - 1]!.num], confidence: 0 }];
    if (input.mail && refereeLetter(seg, t, input.mail).length > 0) {
      // A referee sends the letter written for a candidate, who applies herself (y22, cf23): no application,
      // nothing to answer by machine; staff file the letter with the candidate's application.
      base.status = 'not_application';
      base.programme = detectProgramme(t.programmes, mailText, '').programme;
      return details;
    }
    flag('pdf_not_recognised', {}, { evidence: { documentsRecognised: notRecognised.recognised, pageCount: pages.length } });
  } else if (seg) {
    base.sections = seg.spans.map((s) => ({ id: s.id, pages: [...s.pages] as [number, number], confidence: s.confidence }));
    sectionPages = groupPages(pages, seg);
    if (unreadable.length === 0) {
      base.missing = seg.missing;
      for (const id of seg.missing) {
        // Pages sent in its place (an identity card where the passport belongs): staff see which.
        const k = SECTION_IDS.indexOf(id);
        const instead = scores.filter((p) => standsInFor(p, k)).map((p) => p.num);
        flag('missing_section', { section: replyName(common, id) }, { section: id, ...(instead.length > 0 ? { evidence: { pages: instead, sentInstead: true } } : {}) });
      }
    }
    if (seg.outOfOrder) {
      flag(
        'out_of_order',
        { found: seg.foundOrder.map((id) => replyName(common, id)).join(', '), expected: common.sections.map((s) => s.reply_name).join(', ') },
        { evidence: { found: seg.foundOrder, pages: seg.spans.filter((s) => s.id !== 'other').map((s) => s.pages[0]) } },
      );
    }
    checkCvTemplate(sectionPages.get('cv'), scores, t, flag);
    const doubted = new Set<SectionId>();
    for (const d of doubts) {
      if (d.kind === 'not_recognised' || doubted.has(d.section)) continue;
      doubted.add(d.section);
      const evidence = d.kind === 'weak_section'
        ? { pages: d.pages, confidence: d.confidence }
        : d.kind === 'missing_unsure'
          ? { pages: [d.page, d.page], missing: true, why: d.why }
          : { pages: [d.page, d.page], labelledAs: d.given, ownScore: d.score };
      flag('low_confidence', { section: replyName(common, d.section) }, { section: d.section, evidence });
    }
    // "The board certificate will follow", yet a page stands in its place: the mail and the PDF disagree,
    // and that page may be another document (a master's diploma where the certificate is not issued yet).
    // A clause naming a document the PDF lacks agrees with it, whichever of its names it meant.
    const said = ownMail !== null && unreadable.length === 0 ? documentsToFollow(ownMail, t.toFollow) : [];
    for (const a of said) {
      if (a.sections.some((id) => seg.missing.includes(id))) continue;
      for (const id of a.sections) {
        const span = seg.spans.find((s) => s.id === id);
        if (!span || doubted.has(id)) continue;
        doubted.add(id);
        flag('low_confidence', { section: replyName(common, id) }, { section: id, evidence: { pages: [...span.pages], saidInMail: a.said } });
      }
    }
  }

  // Facts and rules.
  const report = extractFacts({
    sections: [...sectionPages.entries()].map(([id, pgs]) => ({ id, pages: pgs })),
    cvLabels: t.cvFields,
    boardNotHeld: t.boardNotHeld,
    trainingCertificate: t.trainingCertificate,
    otherSpecialty: t.otherSpecialty,
  });
  base.facts = report.facts;
  // Only an application's own letter names its programme: a congress programme or a paper sent instead
  // mentions hybrid imaging without applying for anything.
  const letterPages = notRecognised ? [] : (sectionPages.get('motivation') ?? pages.slice(0, 2));
  const motivationText = letterPages.map((p) => p.text).join('\n');
  const detection = input.programme
    ? { programme: input.programme, how: 'named' as const, evidence: ['chosen by the caller'] }
    : detectProgramme(t.programmes, mailText, motivationText);
  details.programme = detection;
  // An application is judged against a programme only when it names that programme (contract § 4):
  // the office runs many calls, so a mail naming none, several, or one we have no file for is for a
  // person to place, even when rules/ holds a single programme. Then only the common checks run
  // (documents, order, CV template); no programme's deadline or eligibility rules.
  const programmeId = detection.how === 'named' ? detection.programme : null;
  base.programme = programmeId;
  if (!programmeId) flag('programme_unknown', {}, { evidence: { how: detection.how, words: detection.evidence } });
  const programme = t.rules.programmes.find((p) => p.id === programmeId);
  if (programme && pages.length > 0 && unreadable.length === 0) {
    const sections = new Map<SectionId, { pages: number[]; scanned: boolean }>();
    for (const [id, pgs] of sectionPages) {
      sections.set(id, { pages: pgs.map((p) => p.num), scanned: pgs.every((p) => isScan(p, scores)) });
    }
    details.outcomes = evaluateRules(programme, common, {
      facts: report.facts,
      evidence: report.evidence,
      languages: report.languages as LanguageFinding[],
      sections,
      receivedAt: input.receivedAt,
      ...(report.boardNotHeld ? { boardNotHeld: report.boardNotHeld } : {}),
      ...(report.boardTrainingOnly ? { boardTrainingOnly: report.boardTrainingOnly } : {}),
      ...(report.boardOtherSpecialty ? { boardOtherSpecialty: report.boardOtherSpecialty } : {}),
    });
  } else if (programme && input.receivedAt) {
    // Without readable pages only the deadline can still be judged.
    details.outcomes = evaluateRules({ ...programme, rules: programme.rules.filter((r) => r.kind === 'deadline') }, common, {
      facts: {},
      evidence: {},
      languages: [],
      sections: new Map(),
      receivedAt: input.receivedAt,
    });
  }
  const pageNums = pages.map((p) => p.num);
  for (const o of details.outcomes) {
    if (!o.flag) continue;
    // The country fields are the ESOR template's: on a CV not on the template (incomplete for that, and
    // the reply asks for the template) "we could not read your country" says nothing the office needs.
    if (o.flag.code === 'country_unverified' && flags.some((f) => f.code === 'cv_not_esor_template')) continue;
    // No hard verdict on unsure pages (contract § 6): the flag stays, as something a person checks.
    const evidencePages = Array.isArray(o.flag.evidence?.pages) ? o.flag.evidence.pages : [];
    const unsure = seg && (o.flag.severity === 'ineligible' || o.flag.severity === 'incomplete') ? unsurePages(evidencePages, seg, pageNums, doubts, o.flag.evidence?.cvAgrees === true) : null;
    if (unsure) {
      o.flag = { ...o.flag, severity: 'review', uncertain: true, evidence: { ...o.flag.evidence, unsure } };
      o.outcome = 'unknown';
      o.detail = `${o.detail}; not sure: ${unsure}`;
    }
    flags.push(o.flag);
  }
  // The applicant says this mail replaces one sent before; the live service also knows it from the
  // applicant's history (decide-stored's flagHistory), a file on the command line only from this.
  const replaces = ownMail !== null ? distinctMatches(t.replacementWords, foldText(ownMail)) : [];
  if (replaces.length > 0) flag('resubmission', {}, { evidence: { saidInMail: replaces } });
  const mismatch = input.mail ? receivedDateMismatch(input.mail) : undefined;
  if (mismatch && common.flags.received_date_mismatch) flag('received_date_mismatch', {}, { evidence: mismatch });
  // From says who the sender claims to be; only the office's server can say it is so (contract flag).
  if (input.mail?.senderAuth?.sender === 'fail') flag('sender_unverified', {}, { evidence: { authentication: input.mail.senderAuth.reason ?? 'failed' } });
  if (flags.some((f) => f.code === 'multiple_pdfs')) {
    // Several PDFs are incomplete whatever their pages hold (the call asks for one), and the reply asks for
    // one PDF: a doubt about which document a page is stays for staff, but does not hold that verdict back.
    // (Every flag here was made by this call, so changing it in place touches no one else's.)
    for (const f of flags) if (f.code === 'low_confidence') delete f.uncertain;
  }
  base.status = chooseStatus(flags);
  return details;
}

/**
 * The most severe flag decides (contract § 3); only `info` flags, or none, mean complete. A flag that
 * says the machine is unsure (contract § 6) keeps a verdict that would reach the applicant by itself
 * (`complete`, `incomplete`) from going out: a person decides. `ineligible` replies are held for
 * staff anyway, and a hard flag resting on unsure evidence was already lowered to `review`.
 */
export function chooseStatus(flags: readonly Flag[]): Status {
  const worst = Math.min(...flags.map((f) => SEVERITIES.indexOf(f.severity)), SEVERITIES.length);
  const unsure = flags.some((f) => f.uncertain);
  switch (SEVERITIES[worst]) {
    case 'ineligible':
      return 'ineligible';
    case 'incomplete':
      return unsure ? 'needs_review' : 'incomplete';
    case 'review':
      return 'needs_review';
    default:
      return unsure ? 'needs_review' : 'complete';
  }
}

function replyName(common: CommonRules, id: SectionId): string {
  return common.sections.find((s) => s.id === id)!.reply_name;
}

function groupPages(pages: PageText[], seg: Segmentation): Map<SectionId, PageText[]> {
  const out = new Map<SectionId, PageText[]>();
  seg.labels.forEach((label, i) => {
    if (label === 'other') return;
    const list = out.get(label) ?? [];
    list.push(pages[i]!);
    out.set(label, list);
  });
  // A document that shares another's page (segment-pages' documentsSharingPages) reads its facts
  // there: the passport's expiry from an ESR confirmation and passport scanned on one sheet.
  for (const span of seg.spans) {
    if (span.id === 'other' || out.has(span.id)) continue;
    out.set(span.id, pages.filter((p) => p.num >= span.pages[0] && p.num <= span.pages[1]));
  }
  return out;
}

function isScan(page: PageText, scores: PageScore[]): boolean {
  return scores.find((s) => s.num === page.num)?.imageOnly ?? page.imageOnly;
}

type RaiseFlag = (code: string, values?: Record<string, string | number | undefined>, extra?: Partial<Flag>) => void;

/**
 * The ESOR template shows its title and its labels; any other CV does not.
 * Text extraction can lose letters of a title set in a decorative font, so
 * the labels alone also prove the template when nearly all are there.
 */
function checkCvTemplate(cvPages: PageText[] | undefined, scores: PageScore[], t: TriageRules, flag: RaiseFlag): void {
  if (!cvPages || cvPages.every((p) => isScan(p, scores))) return; // a scan cannot be judged without OCR
  const text = foldText(cvPages.map((p) => p.text).join('\n'));
  const hasTitle = distinctMatches(t.cvTitles, text).length > 0;
  const labels = t.cvLabels.filter((re) => distinctMatches(re, text).length > 0).length;
  const min = t.rules.common.cv_template.min_labels;
  if (labels >= min || (hasTitle && labels >= Math.ceil(min / 2))) return;
  // A CV page nothing could be read from (a phone photo OCR gave up on) may hold the title and labels: the
  // pages read say nothing of the template then, and a person looks (dj40, told its ESOR CV was another).
  const unread = cvPages.filter((p) => isScan(p, scores) || p.unread === true || p.nothingRead === true).map((p) => p.num);
  flag('cv_not_esor_template', {}, {
    section: 'cv',
    evidence: {
      pages: [cvPages[0]!.num, cvPages[cvPages.length - 1]!.num],
      titleFound: hasTitle,
      labelsFound: labels,
      labelsRequired: min,
      ...(unread.length > 0 ? { unreadPages: unread } : {}),
    },
    ...(unread.length > 0 ? { severity: 'review' as const, uncertain: true as const } : {}),
  });
}

/**
 * The referee's words of a mail whose PDF holds a recommendation letter and nothing else: the phrases
 * (mail.yaml referee_phrases) found in its subject and own words. Empty when the PDF holds any other
 * document, or the mail says none of them (an applicant sending her own letter late is not a referee).
 */
function refereeLetter(seg: Segmentation, t: TriageRules, mail: { subject: string; text: string }): string[] {
  const documents = seg.spans.filter((s) => s.id !== 'other');
  if (documents.length === 0 || documents.some((s) => s.id !== 'recommendation')) return [];
  return distinctMatches(t.refereeWords, foldText(`${mail.subject}\n${ownWords(mail.text)}`));
}
