/**
 * Sure or silent (contract § 6): where the document evidence of one
 * application is too weak for a verdict to go out by itself. Pure: the
 * page scores and the decoded sections in, the doubts out; the caller turns
 * each doubt into a flag the rule files mark `uncertain`.
 *
 * The decoder's posteriors alone are not enough: they are computed inside the
 * required order, so a page whose own words plainly name another document can
 * still get a posterior near 1 for the label the order forces on it. That is
 * how a swapped board certificate became "recommendation, 0.67" and a false
 * `complete`, and a misplaced recommendation letter "missing". A page's own
 * evidence is therefore read beside the posterior.
 */
import { LABELS, namesItFirst, OTHER, OWN_WORDS, standsInFor, standsInToJudge, type PageScore } from '../analyse/classify-pages';
import { BOARD, CV_LISTS, DEGREE, stepsBack, TIE_MARGIN, type Segmentation } from '../analyse/segment-pages';
import { SECTION_IDS, type SectionId } from '../types';

/**
 * A page plainly names a document when that label scores at least this much (a title at the head of
 * the page weighs 5 by itself) ...
 */
const PLAIN_SCORE = 5;
/** ... and beats the label it was given by this much. */
const PLAIN_MARGIN = 3;
/** A page the order places with at least this confidence is where its place says (see the tie in findDoubts). */
const PLACED_BY_ORDER = 0.9;
/**
 * An application shows documents of the call: a PDF in which fewer than this many required documents
 * are named by their own pages is something else (a paper, an invoice, a form) and its pages are not
 * forced into the ten sections.
 */
const MIN_RECOGNISED_SECTIONS = 3;

export type Doubt =
  /** A found required section whose best page is still unsure. */
  | { kind: 'weak_section'; section: SectionId; pages: [number, number]; confidence: number }
  /** A page was given one label while its own words plainly name another document. */
  | { kind: 'contradicted_page'; section: SectionId; page: number; given: string; score: number }
  /** A required section called missing while a page may well be it. */
  | { kind: 'missing_unsure'; section: SectionId; page: number; why: string }
  /** No document of the call is recognisable in the PDF. */
  | { kind: 'not_recognised'; recognised: number };

export interface CertaintyOptions {
  required: readonly boolean[];
  /** common.yaml classifier.low_confidence_below */
  lowConfidenceBelow: number;
}

/** The call's "list of references (people we may contact)". */
const REFERENCES = SECTION_IDS.indexOf('references');

/** Which label a page's own words name plainly, if any. */
export function plainLabel(page: PageScore): number | null {
  if (page.imageOnly) return null;
  let best = -1;
  for (let k = 0; k < page.scores.length; k++) if (best < 0 || page.scores[k]! > page.scores[best]!) best = k;
  return best >= 0 && best !== OTHER && page.scores[best]! >= PLAIN_SCORE ? best : null;
}

/** Pages whose own words name a section, per section. */
function countRecognised(scores: readonly PageScore[]): number {
  const seen = new Set<number>();
  for (const p of scores) {
    const k = plainLabel(p);
    if (k !== null) seen.add(k);
  }
  return seen.size;
}

/**
 * Documents that are mostly picture: a passport's data page or a membership card photographed in poor light
 * may give OCR no legible word and still be what its place says (ba40, c07). A certificate, a diploma or a
 * letter is text: one OCR reads nothing of (ce28: a faint photo with its title cut off, in the degree's
 * place) shows nothing of itself, and a person decides.
 */
const PICTURE_DOCUMENTS: ReadonlySet<number> = new Set([SECTION_IDS.indexOf('passport'), SECTION_IDS.indexOf('esr_membership')]);

/**
 * Documents an applicant sends alone, as a part of her application ("here is the missing copy of my
 * passport", "rest will follow", a corrected CV): such a PDF is her application as it stands, incomplete
 * by every other document. Every writer of the held-out sets judged it so (as37, bm18, bu15, bu16, cf29).
 * Not the recommendation letter (a referee sends it as often, core/triage referee_phrases), the ESR proof
 * (a fee receipt, a hotel invoice's "payment received" read as one) nor the publications (a journal
 * article attached by mistake reads as them, d38, q27): alone, those are a person's call.
 */
const SENT_ALONE: ReadonlySet<SectionId> = new Set<SectionId>(['motivation', 'cv', 'board_certificate', 'medical_degree', 'language_certificates', 'references', 'passport']);

/**
 * The PDF is one document of the call and nothing else: one document named plainly by its pages, every
 * text page placed in it, none plainly something else (a page of a paper or an invoice).
 */
function isOneDocumentSent(scores: readonly PageScore[], seg: Segmentation): boolean {
  const named = new Set<number>();
  for (const p of scores) {
    if (p.imageOnly) continue;
    const k = plainLabel(p);
    if (k !== null) named.add(k);
    else if (p.scores[OTHER]! >= PLAIN_SCORE) return false;
  }
  if (named.size !== 1) return false;
  const id = LABELS[[...named][0]!] as SectionId;
  return SENT_ALONE.has(id) && seg.labels.every((label, i) => label === id || scores[i]!.imageOnly);
}

/** Lists what keeps the document evidence from being sure. Staff-fixed sections are taken as sure. */
export function findDoubts(scores: readonly PageScore[], seg: Segmentation, opts: CertaintyOptions): Doubt[] {
  if (seg.fixedByStaff) return [];
  const doubts: Doubt[] = [];
  const textPages = scores.filter((p) => !p.imageOnly).length;
  const recognised = countRecognised(scores);
  // However short the PDF: one or two pages that read as one document (a hotel invoice's "payment
  // received" read as the ESR fee receipt, a referee's letter sent on its own) are no application to
  // list eight missing documents for; a person sees what it is.
  if (textPages > 0 && recognised < MIN_RECOGNISED_SECTIONS && !isOneDocumentSent(scores, seg)) {
    return [{ kind: 'not_recognised', recognised }];
  }
  for (const [k, id] of SECTION_IDS.entries()) {
    if (!opts.required[k]) continue;
    let best = -1;
    let first = 0;
    let last = 0;
    let ownWords = false;
    seg.labels.forEach((label, i) => {
      if (label !== id) return;
      if (best < 0) first = scores[i]!.num;
      last = scores[i]!.num;
      best = Math.max(best, seg.pageConfidence[i]!);
      if (showsItself(scores, seg, i, k)) ownWords = true;
    });
    // Found only by its place: text pages with nothing of the document in them (a letter with no
    // recommending words taken for the missing recommendation) are no proof that it is there.
    if (best >= 0 && (best < opts.lowConfidenceBelow || !ownWords) && !verdictHoldsEitherWay(k, scores, seg)) {
      doubts.push({ kind: 'weak_section', section: id, pages: [first, last], confidence: ownWords ? best : 0 });
    }
  }
  // "Missing" is a claim about every page: not sure while a page labelled without conviction carries words
  // of the missing document, or a scan (which shows no words) could be it as well as what its place made it.
  for (const id of seg.missing) {
    const k = SECTION_IDS.indexOf(id);
    // Sent in its place, a document clerks differ on (an identity card for the passport: the held-out sets'
    // writers called the passport missing 5 times, the card enough or a question for the office 4 times).
    const toJudge = scores.find((page) => standsInToJudge(page, k));
    if (toJudge) {
      doubts.push({ kind: 'missing_unsure', section: id, page: toJudge.num, why: `page ${toJudge.num} was sent in its place; whether the office takes it instead is a person's call` });
      continue;
    }
    // A document sent in its place (an identity card where the passport belongs) has been read: it is not the
    // document, and is no reason to doubt that the document is missing (segment-pages files it as other).
    const i = scores.findIndex((page, t) => {
      if (standsInFor(page, k)) return false;
      const given = LABELS.indexOf(seg.labels[t]!);
      // Not a blank sheet (OCR found no ink on it: a blank page after the references was doubted as the missing degree, et37).
      if (page.imageOnly) return !page.blank && page.scores[k]! >= page.scores[given]!;
      // A page whose words make it a page nobody asked for before any document (a doctor's registration
      // that names no specialism, titled "Certificate of Registration" like many board certificates) is not it.
      if (namesItFirst(page, OTHER)) return false;
      // A later page of the CV, placed there with conviction, names what a CV lists ("Memberships: European
      // Society of Radiology, full member since 2014") without being the proof the call asks for; only a
      // title would make it more (a missing ESR proof went to review for a CV's membership line).
      if (isCvContinuation(seg, t) && seg.pageConfidence[t]! >= PLACED_BY_ORDER && page.scores[k]! < PLAIN_SCORE) return false;
      // A specialist title the two documents share ("Szakorvosi bizonyítvány"), filed as the board certificate
      // and reading as the degree no more than as that, says nothing of the basic degree: whichever the
      // applicant meant it as, the degree diploma the call asks for is not there.
      if (isSharedTitleOnly(page, given, k)) return false;
      if (seg.pageConfidence[t]! < opts.lowConfidenceBelow && page.scores[k]! >= OWN_WORDS) return true;
      // Calling a document missing needs more than its absence from the labels: a page the order placed
      // without conviction (an Indian "Doctor of Medicine (M.D.) - Radio-Diagnosis", the specialist degree,
      // filed with the degree at 0.55 although half its words were the board certificate's) may be it.
      if (seg.pageConfidence[t]! < PLACED_BY_ORDER && page.scores[k]! >= PLAIN_SCORE / 2 && page.scores[k]! * 2 >= page.scores[given]!) return true;
      // A page whose own words name the missing document before any other, placed elsewhere by the order
      // alone (a Tunisian medical council's attestation read as the board certificate's words, filed with
      // the degree at 0.8), may well be it. (Not so a CV page that lists papers or referees: the call asks
      // for those lists as documents of their own.)
      if (namesItFirst(page, k)) return true;
      // A page whose title names the missing document as plainly as the one it was filed as (a Turkish
      // "Uzmanlık Tescil Belgesi" is a specialist title, which the call files with the degree or as the
      // board certificate alike) may be either: when the order hesitated, and when the page opens a document
      // of its own under that title, however sure the order (a Spanish "Título de Médico Especialista", the
      // board certificate in Spain, and a Serbian specialist diploma, each after the degree's diploma, were
      // filed with the degree at 1.0 and the board certificate told missing). A person says which is missing;
      // so also for a Latvian residency "apliecība" after the degree, which is not the board certificate.
      if (page.scores[k]! >= PLAIN_SCORE && page.scores[k]! >= page.scores[given]! && given !== k && (seg.pageConfidence[t]! < PLACED_BY_ORDER || opensTitledAs(page, k))) return true;
      // A page titled as the missing document (a title the two share: a Peruvian "Título de Segunda Especialidad
      // Profesional", awarded by a university whose words filed it with the degree at 0.77) may be it.
      return given !== k && page.titled?.includes(k) === true && seg.pageConfidence[t]! < PLACED_BY_ORDER;
    });
    if (i >= 0) {
      const why = scores[i]!.imageOnly ? 'a scanned page could be it' : `a page labelled ${seg.labels[i]} at confidence ${seg.pageConfidence[i]} has its words`;
      doubts.push({ kind: 'missing_unsure', section: id, page: scores[i]!.num, why });
      continue;
    }
    const inItsPlace = unreadScanInPlaceOf(k, scores, seg, opts);
    if (inItsPlace >= 0) {
      doubts.push({ kind: 'missing_unsure', section: id, page: scores[inItsPlace]!.num, why: 'a scanned page nobody could read stands where it belongs' });
      continue;
    }
    // A text page nothing recognises, placed without conviction (a diploma in a language the
    // vocabularies lack, read as "other"), could be the missing document as well as anything else.
    // A page whose words make it a page nobody asked for (a doctor's registration that names no specialism)
    // has been read: it is none of the ten documents.
    // Nor is a page whose words lean to one document, if not plainly (a certified translation of the Finnish
    // specialist degree before it, degree 3.1 and board certificate 2.7, doubted a missing passport).
    const unread = scores.findIndex((page, t) => !page.imageOnly && !standsInFor(page, k) && seg.pageConfidence[t]! < opts.lowConfidenceBelow && plainLabel(page) === null && !namesItFirst(page, OTHER) && !leansTo(page));
    if (unread >= 0) {
      doubts.push({ kind: 'missing_unsure', section: id, page: scores[unread]!.num, why: `page ${scores[unread]!.num} names no document and was placed at confidence ${seg.pageConfidence[unread]}` });
    }
  }
  // A page plainly naming a document matters only when that document has no plain page where it was
  // placed: then it may be missing for the wrong reason, or stand in the wrong place. A second page that
  // reads like the board certificate inside the degree (an Austrian Rasterzeugnis) changes no verdict; nor
  // does a specialist certificate filed with the degree while a board certificate stands in its place:
  // the call files "a confirmation of your specialisation" with the degree, and the two share their titles.
  const plainlyPlaced = new Set<number>();
  scores.forEach((page, i) => {
    const k = plainLabel(page);
    if (k !== null && LABELS.indexOf(seg.labels[i]!) === k) plainlyPlaced.add(k);
  });
  scores.forEach((page, i) => {
    const k = plainLabel(page);
    // A document sent in k's place names k's words (an identity card's surname, nationality, zone): it was read.
    if (k === null || standsInFor(page, k)) return;
    const given = LABELS.indexOf(seg.labels[i]!);
    if (given === k || page.scores[k]! - page.scores[given]! < PLAIN_MARGIN) return;
    // Found plainly elsewhere, it still matters when nothing but the order put this page where it stands,
    // first of what it was filed as, and its words name one document far ahead of any other: a second
    // recommendation letter after the publication list, with no word of a reference list, opened the
    // references at 0.45, and the split, misplaced letter made no flag (a false complete). A later page of
    // a document may well name another (a CV page listing papers), and a CV page that reads as papers and
    // membership alike names no one document.
    // A CV page listing what a CV lists (papers, memberships) under its own headings is still the CV's: "Publikationen
    // und Vorträge — siehe beigefügte Liste" heads a German CV's second page.
    const cvListing = seg.labels[i] === 'cv' && CV_LISTS.includes(k);
    // A page whose layout starts a document opens one, wherever the order filed it: a second recommendation
    // letter, headed and titled, after the publication list was kept with the list at 0.65 (a false complete).
    const opensItsSection = i === 0 || seg.labels[i - 1] !== seg.labels[i] || (page.startBonus > 0 && !cvListing);
    const runnerUp = Math.max(...page.scores.filter((_, j) => j !== k));
    // Where the order itself hesitated (a CV's "Education" page after the recommendation letter, CV 11 and degree
    // 8.5 for a dated "Medical degree" line, filed as the letter at 0.29), the page need not name one document
    // far ahead of the rest: it is plainly not what it was filed as (not so a CV's listing page).
    const orderHesitated = seg.pageConfidence[i]! < opts.lowConfidenceBelow && !cvListing;
    const placedByOrderAlone = opensItsSection && page.scores[given]! < OWN_WORDS && seg.pageConfidence[i]! < PLACED_BY_ORDER && (page.scores[k]! - runnerUp >= PLAIN_MARGIN || orderHesitated);
    if (plainlyPlaced.has(k) && !placedByOrderAlone) return;
    if (seg.labels[i] === 'medical_degree' && SECTION_IDS[k] === 'board_certificate' && seg.labels.includes('board_certificate')) return;
    doubts.push({ kind: 'contradicted_page', section: SECTION_IDS[k]!, page: page.num, given: seg.labels[i]!, score: Math.round(page.scores[k]! * 10) / 10 });
  });
  return doubts;
}

function isSharedTitleOnly(page: PageScore, given: number, missing: number): boolean {
  return given === BOARD && missing === DEGREE && page.titled?.includes(BOARD) === true && page.titled.includes(DEGREE) && page.scores[DEGREE]! <= page.scores[BOARD]!;
}

/**
 * Whether page `i`, filed as document `k`, shows it by itself rather than by its place alone. A scan has no
 * words to show; its place in the order is all there is (OCR gives it words). A blank scan (no ink: ocr/crop)
 * is no proof: a blank sheet scanned at the end was taken for the passport. Nor is a scan OCR read and could
 * not make out: a page with a photograph and a name, where the passport belonged. A text page needs words of
 * the document, and not:
 * - words that make it a page nobody asked for well before this document: a German trainer's "Zeugnis über
 *   die Weiterbildung" (exam still pending) in the board certificate's place, with one word of it
 *   ("Facharztprüfung", 1.9 against 4), went out complete (a letter's "Re: fellowship application", a cover
 *   page's title, against its "I recommend" is a tie, not that);
 * - to be a translation that reads as the document before it at least as well: the sworn translation of a
 *   Vietnamese specialist diploma (board certificate and degree 2.7 each) was the only "degree" of an
 *   application without one, and it went out complete. (Not any page that opens no document: a Polish degree
 *   diploma after the specialist examination reads as both too.)
 */
function showsItself(scores: readonly PageScore[], seg: Segmentation, i: number, k: number): boolean {
  const page = scores[i]!;
  if (page.imageOnly && !page.blank && !page.unread && !(page.nothingRead && !PICTURE_DOCUMENTS.has(k))) return true;
  // The call's references are "people we may contact": a page titled so that says nothing else of them (no
  // e-mail, no telephone, no "may be contacted", no hospital: bare names) is no such list (co12).
  if (k === REFERENCES && !page.imageOnly && page.untitled !== undefined && page.untitled[k]! < OWN_WORDS) return false;
  return page.scores[k]! >= OWN_WORDS && !readsAsUnasked(page, k) && !continuesAnother(scores, seg, i, k);
}

/**
 * Whether a board certificate or degree found only on pages that read as both alike (a specialist title the
 * two share, 13.3 each) leaves the verdict as it is whichever it is: the documents are out of order without
 * it (a passport sent first, a degree between two recommendation letters), or with it read as the other (a
 * specialist title before the recommendation letter), so the application is incomplete either way. The
 * reply lists the page as found; staff see its confidence.
 */
function verdictHoldsEitherWay(k: number, scores: readonly PageScore[], seg: Segmentation): boolean {
  if (!seg.outOfOrder || (k !== BOARD && k !== DEGREE)) return false;
  const other = k === BOARD ? DEGREE : BOARD;
  const tied = seg.labels.every((label, t) => {
    const s = scores[t]!.scores;
    return label !== SECTION_IDS[k] || (!scores[t]!.imageOnly && s[k]! >= PLAIN_SCORE && Math.abs(s[k]! - s[other]!) <= TIE_MARGIN);
  });
  if (!tied) return false;
  // Out of order without the page, or out of order still were it the other document (a specialist title
  // before the recommendation letter, the degree after it).
  const found = seg.foundOrder.map((id) => SECTION_IDS.indexOf(id));
  return stepsBack(found.filter((at) => at !== k)) > 0 || stepsBack(found.map((at) => (at === k ? other : at))) > 0;
}

/** Page `i`, filed as `k`, is a translation that reads as the document of the page before it (its original) at least as well. */
function continuesAnother(scores: readonly PageScore[], seg: Segmentation, i: number, k: number): boolean {
  if (i === 0 || !scores[i]!.translation) return false;
  const before = LABELS.indexOf(seg.labels[i - 1]!);
  return before !== k && before !== OTHER && scores[i]!.scores[before]! >= scores[i]!.scores[k]!;
}

/** The page's words make it a page nobody asked for, ahead of document `k` by more than a tie. */
function readsAsUnasked(page: PageScore, k: number): boolean {
  return namesItFirst(page, OTHER) && page.scores[OTHER]! - page.scores[k]! >= UNASKED_MARGIN;
}
const UNASKED_MARGIN = 2;

/** The page's words name one document before any other with half a plain page's weight. */
function leansTo(page: PageScore): boolean {
  return LABELS.some((_, j) => j !== OTHER && namesItFirst(page, j) && page.scores[j]! >= PLAIN_SCORE / 2);
}

/** The page opens a document and is titled as `k` at its head or on a title line. */
function opensTitledAs(page: PageScore, k: number): boolean {
  return page.startBonus > 0 && page.titled?.includes(k) === true;
}

function isCvContinuation(seg: Segmentation, t: number): boolean {
  return t > 0 && seg.labels[t] === 'cv' && seg.labels[t - 1] === 'cv';
}

/**
 * A scan nobody read (OCR off or failed: no words, not blank) standing in the missing document's place in
 * the order: after the last page read as an earlier document, before the first page whose words make it a
 * later one. Without OCR a scanned recommendation right after the CV was filed with the degree that
 * followed at 0.34, and "your recommendation letter is missing" would have gone out. A scan the order placed
 * with some conviction (its prior and its place agree) stays what it was placed as. Index of the first such
 * page, or -1.
 */
function unreadScanInPlaceOf(k: number, scores: readonly PageScore[], seg: Segmentation, opts: CertaintyOptions): number {
  let from = 0;
  let to = scores.length;
  seg.labels.forEach((label, t) => {
    const at = SECTION_IDS.indexOf(label as SectionId);
    if (at < 0) return;
    if (at < k) from = t + 1;
    else if (at > k && !scores[t]!.imageOnly && t < to && t >= from) to = t;
  });
  for (let t = from; t < to; t++) if (scores[t]!.imageOnly && !scores[t]!.blank && seg.pageConfidence[t]! < opts.lowConfidenceBelow) return t;
  return -1;
}

/**
 * A hard flag (ineligible, incomplete) read from a page must rest on a page the classifier is sure of:
 * a date on a stray page taken for the board certificate at 0.12 once made an application ineligible.
 */
const FACT_PAGE_MIN_CONFIDENCE = 0.8;

/**
 * Why the pages a flag's evidence names are not sure enough for a hard verdict, or null when they are
 * (or name no page: a late mail rests on the received time, not on a page). `corroborated`: the fact was
 * read alike from another document, so the page's confidence alone does not make it unsure.
 */
export function unsurePages(evidencePages: readonly number[], seg: Segmentation, pageNums: readonly number[], doubts: readonly Doubt[], corroborated = false): string | null {
  if (seg.fixedByStaff) return null;
  for (const num of evidencePages) {
    const i = pageNums.indexOf(num);
    if (i < 0) continue;
    const label = seg.labels[i]!;
    // A fact the CV states alike (the board date on the certificate and in the CV's field) does not rest on
    // the page's label alone: a Serbian specialist title's translation, read as board certificate or degree
    // at 0.71, still dates the title the CV dates.
    if (!corroborated && seg.pageConfidence[i]! < FACT_PAGE_MIN_CONFIDENCE) return `page ${num} was taken for ${label} at confidence ${seg.pageConfidence[i]}`;
    if (doubts.some((d) => d.kind !== 'not_recognised' && d.section === label)) return `where the ${label} section stands is not sure (page ${num})`;
  }
  return null;
}

