/**
 * Decodes the page sequence against the required order. Pages are scored one
 * by one (classify-pages); here position helps where text is weak: a model
 * that walks the ten sections left to right, may skip a section, stay in one
 * for several pages, or pass through stray `other` pages. A second model that
 * may also walk backwards tells when the documents are really out of order.
 */
import { SECTION_IDS, type PageLabel, type SectionId, type SectionSpan } from '../types';
import { isBoardAndDegree, LABELS, namesItFirst, OTHER, OWN_WORDS, standsInFor, type PageScore } from './classify-pages';
import { computePosteriors, decodeViterbi, type Model } from './hmm';

// Transition log-potentials, in the same units as page scores.
const ADVANCE = -1; // starting the next document
const SKIP_REQUIRED = -2.5; // a required document absent is a strong claim: only pages with no evidence for it make it
const SKIP_OPTIONAL = -0.2;
const OTHER_START = -0.5; // a cover page or table of contents before the first document
const OTHER_ENTER = -3.5; // a stray text page between or after documents is rare; a short last page of a letter is not
const OTHER_STAY = -0.5;
// A document earlier in the order than the previous one costs about as much as skipping a required
// one: two swapped documents are as common as a missing one, and were taken for one missing document
// when walking back cost twice as much. What keeps the free model from inventing misorderings is the
// check below: every step back must land on a page that plainly is that document.
const BACKWARD = -2.5;
/** A page a step back lands on must score at least this for its label (a title at its head does) ... */
const BACKWARD_MIN_SCORE = 5;
/** ... and beat every other label by this much. */
const BACKWARD_MIN_MARGIN = 2;
/** A page that shows a moved document must beat every other label by this much. */
const CHANGE_MIN_MARGIN = 3;
/** Scores this close are a tie: the page reads as either document (a step back over such a page is no evidence). */
export const TIE_MARGIN = 0.5;

const N = SECTION_IDS.length;

export interface Segmentation {
  /** One label per page. */
  labels: PageLabel[];
  /** Posterior probability of the chosen label, per page. */
  pageConfidence: number[];
  spans: SectionSpan[];
  /** Required sections with no page, in the required order. */
  missing: SectionId[];
  /** The found documents are not in the required order. */
  outOfOrder: boolean;
  /** Documents in the order found (without `other`), for the out-of-order message. */
  foundOrder: SectionId[];
  /** Set when staff fixed the sections by hand: their word is sure, whatever the page scores say. */
  fixedByStaff?: true;
}

export interface SectionModel {
  required: boolean;
  /** Usual length in pages; staying in the document costs ln(1 - 1/L) per page (a geometric length model). */
  expectedPages: number;
}

/**
 * Documents no page is labelled as that share a page with the one it was labelled as (classify-pages'
 * holds), in their place in the order: right after or before it, nothing found between them. A publication
 * list that ends with the referees holds the list of references; an ESR confirmation scanned on one sheet
 * with the passport holds both, whichever the page was labelled. A CV's "Publications" or "References"
 * headings hold nothing: the call asks for those lists as documents of their own. Document index → page index.
 */
function documentsSharingPages(pages: readonly PageScore[], labels: readonly number[]): Map<number, number> {
  const found = new Set(labels);
  const held = new Map<number, number>();
  pages.forEach((page, t) => {
    const host = labels[t]!;
    if (host === OTHER || SECTION_IDS[host] === 'cv' || !page.holds?.includes(host)) return;
    for (const k of page.holds) {
      if (found.has(k) || held.has(k)) continue;
      const [lo, hi] = host < k ? [host, k] : [k, host];
      let between = false;
      for (let m = lo + 1; m < hi; m++) if (found.has(m)) between = true;
      if (!between) held.set(k, t);
    }
  });
  return held;
}

/** Segments scored pages against the sections' order, requiredness and usual length. */
export function segmentPages(pages: readonly PageScore[], sections: readonly SectionModel[]): Segmentation {
  const required = sections.map((s) => s.required);
  const stay = sections.map((s) => Math.log(1 - 1 / Math.max(s.expectedPages, 1.05)));
  const skipCost = (from: number, to: number) => {
    let c = 0;
    for (let m = from; m < to; m++) c += required[m] ? SKIP_REQUIRED : SKIP_OPTIONAL;
    return c;
  };

  const ordered = buildOrderedModel(skipCost, stay);
  const orderedEmit = pages.map((p) => [...p.scores.slice(0, N), ...new Array<number>(N + 1).fill(p.scores[OTHER]!)]);
  const change = pages.map((p) => p.startBonus);
  const best = decodeViterbi(ordered, orderedEmit, change);
  let labels: number[] = best.path.map((s) => (s < N ? s : OTHER));
  let posterior = foldOrderedPosteriors(computePosteriors(ordered, orderedEmit, change));

  const free = buildFreeModel(stay);
  const freeEmit = pages.map((p) => p.scores);
  // Repeats are settled before weak runs are joined too: joining a weak page to the document before it
  // could hide the repeat it was part of and leave its twin as a step back.
  const freeViterbi = decodeViterbi(free, freeEmit, change).path;
  const rawFree = settleRepeats(freeViterbi, labels, pages);
  const freePath = settleRepeats(keepSelfNamedPages(joinWeakRuns(rawFree, pages), labels, pages), labels, pages);
  const moved = movedDocuments(freePath);
  const movedSure = movedAreSure(moved, freePath, pages);
  const moves = stepsBack(freePath) > 0 && eachSectionOnce(freePath) && stepsBackAreSure(freePath, pages, moved.length > 0 && movedSure) && movedSure;
  // The free reading before repeats are settled keeps a document split by another.
  const splitPath = moves ? freePath : keepSelfNamedPages(joinWeakRuns(freeViterbi, pages), labels, pages);
  const outOfOrder = moves || isPlainInterruption(splitPath, pages);
  if (outOfOrder) {
    posterior = computePosteriors(free, freeEmit, change);
    labels = settleTiesForMissing(splitPath, pages, required, posterior);
  } else {
    labels = keepSpecialisationWithDegree(labels, pages, required, posterior);
    labels = fileSpecialistTitleAsBoard(labels, pages, required, posterior);
    labels = keepContinuations(labels, pages, posterior);
  }
  // A document sent in a required one's place (an identity card where the passport belongs, a logbook saying the
  // title is still pending) is not that document, wherever the order put it: the call's document is missing.
  // Held-out writers judged so 18 times of 19 (one left an identity card to the office).
  labels = labels.map((l, t) => (l < N && standsInFor(pages[t]!, l) ? OTHER : l));
  const swappedBoard = !outOfOrder && stepsBack(labels) > 0;

  const pageConfidence = labels.map((l, t) => posterior[t]![l]!);
  const spans: SectionSpan[] = [];
  for (let t = 0; t < labels.length; t++) {
    const prev = spans[spans.length - 1];
    const id = LABELS[labels[t]!]!;
    if (prev && prev.id === id && prev.pages[1] === pages[t - 1]!.num) {
      prev.pages[1] = pages[t]!.num;
    } else {
      spans.push({ id, pages: [pages[t]!.num, pages[t]!.num], confidence: 0 });
    }
  }
  for (const span of spans) {
    const idx = pages.findIndex((p) => p.num === span.pages[0]);
    const len = span.pages[1] - span.pages[0] + 1;
    let sum = 0;
    for (let t = idx; t < idx + len; t++) sum += pageConfidence[t]!;
    span.confidence = round2(sum / len);
  }
  const found = new Set(labels);
  for (const [k, t] of documentsSharingPages(pages, labels)) {
    const at = spans.findIndex((sp) => sp.pages[0] <= pages[t]!.num && pages[t]!.num <= sp.pages[1]);
    spans.splice(at + 1, 0, { id: SECTION_IDS[k]!, pages: [pages[t]!.num, pages[t]!.num], confidence: round2(pageConfidence[t]!) });
    found.add(k);
  }
  const missing = SECTION_IDS.filter((_, k) => required[k] && !found.has(k));
  const foundOrder = spans.filter((s) => s.id !== 'other').map((s) => s.id as SectionId);
  return {
    labels: labels.map((l) => LABELS[l]!),
    pageConfidence: pageConfidence.map(round2),
    spans,
    missing,
    outOfOrder: outOfOrder || swappedBoard,
    foundOrder,
  };
}

/**
 * States 0..N-1: inside section k. States N..2N: an `other` page after
 * section k-1 (state N: before any section), so the model remembers where
 * in the order a stray page stands.
 */
function buildOrderedModel(skipCost: (from: number, to: number) => number, stay: number[]): Model {
  const S = 2 * N + 1;
  const otherAfter = (k: number) => N + 1 + k; // k = -1 .. N-1
  const trans = Array.from({ length: S }, () => new Array<number>(S).fill(-Infinity));
  const start = new Array<number>(S).fill(-Infinity);
  const end = new Array<number>(S).fill(-Infinity);
  for (let k = 0; k < N; k++) {
    start[k] = skipCost(0, k);
    trans[k]![k] = stay[k]!;
    for (let j = k + 1; j < N; j++) trans[k]![j] = ADVANCE + skipCost(k + 1, j);
    trans[k]![otherAfter(k)] = OTHER_ENTER;
    end[k] = skipCost(k + 1, N);
  }
  for (let k = -1; k < N; k++) {
    const o = otherAfter(k);
    trans[o]![o] = OTHER_STAY;
    for (let j = k + 1; j < N; j++) trans[o]![j] = ADVANCE + skipCost(k + 1, j);
    end[o] = skipCost(k + 1, N);
  }
  start[otherAfter(-1)] = OTHER_START;
  return { start, trans, end };
}

/** Sums the `other` states of the ordered model into one label column. */
function foldOrderedPosteriors(post: number[][]): number[][] {
  return post.map((row) => {
    const out = row.slice(0, N);
    out.push(row.slice(N).reduce((a, b) => a + b, 0));
    return out;
  });
}

/**
 * Like the ordered model, but any section may follow any other, at a price.
 * It only has to tell whether walking backwards explains the pages better,
 * so it does not count skipped sections (after a backward step it could not).
 */
function buildFreeModel(stay: number[]): Model {
  const S = N + 1;
  const trans = Array.from({ length: S }, () => new Array<number>(S).fill(-Infinity));
  const start = new Array<number>(S).fill(0);
  const end = new Array<number>(S).fill(0);
  for (let k = 0; k < N; k++) {
    for (let j = 0; j < N; j++) {
      if (j === k) trans[k]![j] = stay[k]!;
      else if (j > k) trans[k]![j] = ADVANCE;
      else trans[k]![j] = ADVANCE + BACKWARD;
    }
    trans[k]![OTHER] = OTHER_ENTER;
    trans[OTHER]![k] = ADVANCE;
  }
  trans[OTHER]![OTHER] = OTHER_STAY;
  start[OTHER] = OTHER_START;
  return { start, trans, end };
}

/** The documents that moved: those outside every longest run of documents still in the required order. */
function movedDocuments(free: readonly number[]): number[] {
  const order: number[] = [];
  for (const s of free) if (s !== OTHER && s !== order[order.length - 1]) order.push(s);
  const n = order.length;
  const ending = new Array<number>(n).fill(1);
  const starting = new Array<number>(n).fill(1);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) if (order[j]! < order[i]!) ending[i] = Math.max(ending[i]!, ending[j]! + 1);
  for (let i = n - 1; i >= 0; i--) for (let j = i + 1; j < n; j++) if (order[j]! > order[i]!) starting[i] = Math.max(starting[i]!, starting[j]! + 1);
  const longest = Math.max(0, ...ending);
  return order.filter((_, i) => ending[i]! + starting[i]! - 1 !== longest);
}

/**
 * The documents that moved must each show a page that plainly is that document: a CV's second page
 * listing the applicant's papers ("ESOR Curriculum Vitae (continued) – Scientific activity") is no
 * publication list moved forward. Of two swapped documents either may be the one that moved, so neither
 * is asked for more than the step back.
 */
function movedAreSure(moved: readonly number[], free: readonly number[], pages: readonly PageScore[]): boolean {
  return moved.every((label) => free.some((s, t) => s === label && isPlainly(pages[t]!.scores, label, CHANGE_MIN_MARGIN)));
}

function isPlainly(scores: readonly number[], label: number, margin: number): boolean {
  const own = scores[label]!;
  const rival = Math.max(...scores.filter((_, k) => k !== label));
  return own >= BACKWARD_MIN_SCORE && own - rival >= margin;
}

/**
 * In the free reading, a run of text pages none of which speaks for its label (no score of 5 that is also
 * the page's best) continues the document before it: the signature page of a motivation letter read as a
 * second, one-page CV made a real swap look like an interruption, and the swap went unreported.
 */
function joinWeakRuns(path: number[], pages: readonly PageScore[]): number[] {
  const out = path.slice();
  let t = 0;
  while (t < out.length) {
    const label = out[t]!;
    let end = t;
    let anchored = false;
    for (; end < out.length && out[end] === label; end++) {
      // A scan has no words either way; its place is all the reading has, so it is kept.
      if (isAnchor(pages[end]!, label)) anchored = true;
    }
    // The only run of its document, on a page whose words name it before any other, is that document, however
    // few its words: a Czech specialist diploma (board certificate 3.4) joined to the letters before it, and a
    // real swap became a missing board certificate.
    if (!anchored && label !== OTHER && !out.some((s, u) => s === label && (u < t || u >= end))) {
      anchored = out.slice(t, end).some((_, k) => namesItFirst(pages[t + k]!, label));
    }
    if (!anchored && label !== OTHER && t > 0 && out[t - 1] !== OTHER) out.fill(out[t - 1]!, t, end);
    t = end;
  }
  return out;
}

/**
 * A page whose first lines carry the title of the document the ordered reading gave it keeps that label
 * in the free reading: "ESOR Curriculum Vitae (continued) – Scientific activity" lists papers and scores
 * as a publication list, but names itself a CV. Read as publications it was a second publication list
 * (an interruption), and a real swap further on went unreported.
 */
function keepSelfNamedPages(free: number[], ordered: readonly number[], pages: readonly PageScore[]): number[] {
  return free.map((s, t) => {
    const titled = pages[t]!.titledAs;
    // A title both documents use ("specialist certificate": board certificate and degree) settles nothing.
    return s !== ordered[t] && ordered[t] !== OTHER && titled?.includes(ordered[t]!) && !titled.includes(s) ? ordered[t]! : s;
  });
}

/**
 * A document the free reading finds twice is, where the ordered reading says otherwise, the ordered
 * reading's: a specialist accreditation that follows the degree diploma (the call files it with the
 * degree) reads as a second board certificate, the repeat made the whole reading an interruption, and
 * the real swap of two other documents went unreported. Only repeated documents are settled so; the
 * steps back that remain are still checked for plain pages.
 *
 * A run counts as a repeat only where one of its text pages has the document as its best label: a
 * motivation letter's second page with no words of any document, read as a CV between the letter and the
 * recommendation, made the real CV that came after the recommendation a repeat, the ordered reading called
 * that CV a board certificate, and the swap went unreported. Such a filler run is joined to the document
 * before it instead (joinWeakRuns). A run of unread scans of a document found in words elsewhere takes the
 * ordered reading's label where the two readings differ: a photographed diploma page between two degree
 * pages, read as a passport by the scan prior alone, turned the real passport further on into a repeat.
 */
function settleRepeats(free: number[], ordered: readonly number[], pages: readonly PageScore[]): number[] {
  const evidenced = new Map<number, number>();
  const scanOnly: Array<[number, number]> = [];
  let t = 0;
  while (t < free.length) {
    const s = free[t]!;
    let end = t;
    let words = false;
    let scans = true;
    let orderedAgrees = true;
    for (; end < free.length && free[end] === s; end++) {
      const page = pages[end]!;
      if (!page.imageOnly) scans = false;
      if (!page.imageOnly && page.scores[s] === Math.max(...page.scores)) words = true;
      if (ordered[end] !== s) orderedAgrees = false;
    }
    // Scans both readings put in the same document are its pages as much as any read page.
    if (s !== OTHER && (words || (scans && orderedAgrees))) evidenced.set(s, (evidenced.get(s) ?? 0) + 1);
    else if (s !== OTHER && scans) scanOnly.push([t, end]);
    t = end;
  }
  const out = free.map((s, i) => (s !== OTHER && (evidenced.get(s) ?? 0) > 1 && ordered[i] !== s ? ordered[i]! : s));
  for (const [from, to] of scanOnly) {
    const s = free[from]!;
    if ((evidenced.get(s) ?? 0) === 0) continue;
    for (let i = from; i < to; i++) out[i] = ordered[i]!;
  }
  return out;
}

/**
 * The free model counts no missing document (after a step back it could not), so where a page's words
 * tie two documents it keeps the one already running and the other goes missing: a Turkish "Uzmanlık
 * Tescil Belgesi" (a specialist title, which the call files as board certificate or with the degree)
 * right before the degree diploma, in an application whose passport came first, made the board
 * certificate missing. Such a page starts the missing required document instead when its words for it
 * are within the ordered model's price of a missing document, the document it leaves keeps other pages,
 * and the order gains no step back. Its confidence is the ordered model's odds of the two readings
 * (that price against the difference of the two scores), taken from the mass the free model gave both.
 */
function settleTiesForMissing(path: readonly number[], pages: readonly PageScore[], required: readonly boolean[], posterior: number[][]): number[] {
  const out = path.slice();
  for (let k = 0; k < N; k++) {
    if (!required[k] || out.includes(k)) continue;
    for (let t = 0; t < out.length; t++) {
      const s = out[t]!;
      const page = pages[t]!;
      // A page that starts its run, or ends one with the missing document next in the order: a Swedish
      // specialist certificate then the degree ("Läkarexamen", which reads as the certificate by 0.8)
      // made one two-page certificate, and the applicant was told the degree was missing.
      const endsRun = t > 0 && out[t - 1] === s && (t + 1 === out.length || out[t + 1] !== s) && k === s + 1;
      if (s === OTHER || page.imageOnly || (t > 0 && out[t - 1] === s && !endsRun)) continue;
      const gap = page.scores[s]! - page.scores[k]!;
      if (page.scores[k]! < BACKWARD_MIN_SCORE || gap > -SKIP_REQUIRED) continue;
      if (!out.some((l, i) => i !== t && l === s)) continue;
      const trial = out.slice();
      trial[t] = k;
      if (stepsBack(trial) > stepsBack(out)) continue;
      out[t] = k;
      shareBelief(posterior[t]!, page.scores, s, k);
      break;
    }
  }
  return out;
}

/** The two documents a specialist title reads as alike, by their place in the required order. */
export const BOARD = SECTION_IDS.indexOf('board_certificate');
export const DEGREE = SECTION_IDS.indexOf('medical_degree');

/**
 * A specialist's certificate right after the degree, with a board certificate already before it, is the
 * call's "copy of specialisation as radiologist", filed with the degree: a Dutch specialist-register entry
 * (RGS) after the degree, the BIG-register one in the board certificate's place, was opened as the language
 * certificates (it has none of their words, but it starts a document), and its board words then doubted a
 * complete application. Only a text page whose best words are the board certificate's or the degree's, and
 * that has no words of the document it was given, moves, and never the only page of a required one; the
 * ordered reading's belief moves with it.
 */
function keepSpecialisationWithDegree(labels: number[], pages: readonly PageScore[], required: readonly boolean[], posterior: number[][]): number[] {
  const out = labels.slice();
  let boardBefore = false;
  for (let t = 1; t < out.length; t++) {
    // Only degree pages are ever written below, so the board certificate's pages are the ordered reading's.
    if (out[t - 1] === BOARD) boardBefore = true;
    const given = out[t]!;
    const page = pages[t]!;
    if (out[t - 1] !== DEGREE || given === DEGREE || given === OTHER || page.imageOnly || !boardBefore) continue;
    const best = page.scores.indexOf(Math.max(...page.scores));
    if ((best !== BOARD && best !== DEGREE) || page.scores[given]! >= BACKWARD_MIN_SCORE) continue;
    // A required document this page alone stood for would go missing on the strength of a guess.
    if (required[given] && out.filter((l) => l === given).length === 1) continue;
    out[t] = DEGREE;
    moveBelief(posterior[t]!, given, DEGREE);
  }
  return out;
}

/**
 * With no board certificate anywhere, a page after the degree's first page that opens a document under a
 * specialist title reading as the board certificate at least as well as the degree (a Spanish "Título de
 * Médico Especialista", a Portuguese "Título de Especialista", a Serbian specialist diploma) is the board
 * certificate, sent after the degree: the required order alone filed it with the degree at 1.0 and called
 * the board certificate missing, which certainty then doubted, and every such application went to a person.
 * Held-out writers split on it (five said the board certificate is out of order, four that it is missing
 * and the title belongs with the degree), but both readings make the application incomplete; only
 * "missing" is a claim the page contradicts, and the reply shows the page taken for the board certificate.
 * Its belief is the odds of the two readings against the price of a missing required document. The pages
 * after it that read alike (a translation) go with it.
 */
function fileSpecialistTitleAsBoard(labels: number[], pages: readonly PageScore[], required: readonly boolean[], posterior: number[][]): number[] {
  if (!required[BOARD] || labels.includes(BOARD)) return labels;
  const readsAsBoard = (t: number) => !pages[t]!.imageOnly && pages[t]!.scores[BOARD]! >= BACKWARD_MIN_SCORE && pages[t]!.scores[BOARD]! >= pages[t]!.scores[DEGREE]! - TIE_MARGIN;
  const t = labels.findIndex((l, i) => i > 0 && l === DEGREE && labels[i - 1] === DEGREE && readsAsBoard(i) && pages[i]!.startBonus > 0 && pages[i]!.titled?.includes(BOARD) === true);
  if (t < 0) return labels;
  const out = labels.slice();
  for (let u = t; u < out.length && out[u] === DEGREE && readsAsBoard(u) && (u === t || !pages[u]!.titledAs?.includes(DEGREE)); u++) {
    out[u] = BOARD;
    shareBelief(posterior[u]!, pages[u]!.scores, DEGREE, BOARD);
  }
  return out;
}

/**
 * A page that opens no document, carries none of the words of the document the order filed it as, and
 * whose own words are those of the document before it, continues that document: the order had taken a CV's
 * "Professional experience" page for the missing recommendation letter (a missing required document costs
 * more than a weak page), and the application went to a person instead of being told the letter is missing.
 * Only where the document so filed has no other page: a document with a page of its own words keeps its run.
 */
function keepContinuations(labels: number[], pages: readonly PageScore[], posterior: number[][]): number[] {
  const out = labels.slice();
  // Pages per label, kept as pages are relabelled: a run is its label's only one when it holds them all
  // (linear, where looking through every label for each run was quadratic in the pages).
  const count = new Map<number, number>();
  for (const l of out) count.set(l, (count.get(l) ?? 0) + 1);
  for (let t = 1; t < out.length; t++) {
    const k = out[t]!;
    const j = out[t - 1]!;
    if (k === OTHER || j === OTHER || k === j) continue;
    let end = t;
    while (end + 1 < out.length && out[end + 1] === k) end++;
    if (count.get(k) !== end - t + 1) continue;
    let continues = true;
    for (let u = t; u <= end; u++) {
      const page = pages[u]!;
      if (page.imageOnly || page.unread || page.startBonus > 0 || page.scores[k]! >= OWN_WORDS || !namesItFirst(page, j)) continues = false;
    }
    if (!continues) continue;
    for (let u = t; u <= end; u++) {
      out[u] = j;
      moveBelief(posterior[u]!, k, j);
    }
    count.set(j, count.get(j)! + end - t + 1);
    count.set(k, 0);
    t = end;
  }
  return out;
}

/** A page relabelled from `from` to `to` on its own words: the belief in both goes to `to`. */
function moveBelief(belief: number[], from: number, to: number): void {
  belief[to] = belief[to]! + belief[from]!;
  belief[from] = 0;
}

/**
 * A page relabelled from `from` to a missing required document `to` on a near tie: the mass the model gave
 * both is shared by the odds of the two readings, the difference of their scores against the price of a
 * missing required document.
 */
function shareBelief(belief: number[], scores: readonly number[], from: number, to: number): void {
  const mass = belief[from]! + belief[to]!;
  const p = 1 / (1 + Math.exp(scores[from]! - scores[to]! + SKIP_REQUIRED));
  belief[to] = mass * p;
  belief[from] = mass * (1 - p);
}

/** How many times the path goes back to a document earlier in the required order than the one before. */
export function stepsBack(path: readonly number[]): number {
  let last = -1;
  let n = 0;
  for (const s of path) {
    if (s === OTHER) continue;
    if (s < last) n++;
    last = s;
  }
  return n;
}

/** A page that speaks for `label` by itself: a score of 5 that is also its best (a scan: its place is all there is). */
function isAnchor(page: PageScore, label: number): boolean {
  return page.imageOnly || (page.scores[label]! >= BACKWARD_MIN_SCORE && page.scores[label] === Math.max(...page.scores));
}

/**
 * Each step back lands on a page whose own words name that document (a score of 5, its best label), and
 * at least one of them clearly ahead of any other: once one document plainly stands out of place the
 * application is out of order, and a second step back may land between the two documents that share
 * specialist titles (a ministry's specialist certificate after the degree reads as board certificate and
 * degree nearly alike), which decides nothing about whether the order is wrong. A document that plainly
 * moved (`movedPlainly`: a scanned passport right after the CV, its page a passport by far) is that one:
 * the recommendation letter the path steps back to after it need only be its page's best label.
 */
function stepsBackAreSure(path: number[], pages: readonly PageScore[], movedPlainly: boolean): boolean {
  let last = -1;
  let plain = movedPlainly;
  for (let t = 0; t < path.length; t++) {
    const s = path[t]!;
    if (s === OTHER) continue;
    if (s < last && s !== path[t - 1]) {
      if (!isPlainly(pages[t]!.scores, s, 0)) return false;
      if (readsAsEarlier(path, pages, t, s)) return false;
      if (isPlainly(pages[t]!.scores, s, BACKWARD_MIN_MARGIN)) plain = true;
    }
    last = s;
  }
  return plain;
}

/**
 * Whether the first page after the documents that come before `label` (the document the path steps back to
 * at `t`), placed with a later document, reads as much as `label` as its own: then `label` may well stand in
 * its place, in order, and the page at `t` is a second page of it (or, for a specialist registration, the
 * degree's "confirmation of your specialisation"). A Spanish Título de Médico Especialista in the board
 * certificate's place reads as board certificate and as degree alike (8.8 each); the free reading joined it
 * to the degree after it, and the Colegio de Médicos' certificate after the degree made a step back: a false
 * out_of_order. A degree diploma in that place (a real swap) reads as a degree only.
 */
function readsAsEarlier(path: readonly number[], pages: readonly PageScore[], t: number, label: number): boolean {
  let u = t - 1;
  while (u >= 0 && (path[u] === OTHER || path[u]! > label)) u--;
  for (u++; u < t && path[u] === OTHER; u++);
  if (u >= t) return false;
  const scores = pages[u]!.scores;
  return scores[label]! >= BACKWARD_MIN_SCORE && scores[label]! >= scores[path[u]!]! - TIE_MARGIN;
}

/**
 * Whether the free reading has one document split by another, every piece of it saying so plainly: a CV's
 * second page after the recommendation letter (CV 9, board certificate 2.6), a degree diploma between two
 * recommendation letters, a passport scanned between two CV pages. The required order puts such a page
 * with the next document at low confidence and the application went out complete. The pages on both sides
 * and the document between must each have a page that is plainly theirs; two pieces of the board
 * certificate and degree prove nothing (the call files a specialist certificate with the degree, and the
 * two share titles), nor does a CV page listing what the CV lists (papers, referees, memberships,
 * languages), which reads as the document of that name.
 */
function isPlainInterruption(path: readonly number[], pages: readonly PageScore[]): boolean {
  const runs: Array<{ label: number; from: number; to: number }> = [];
  path.forEach((s, t) => {
    const last = runs[runs.length - 1];
    if (last && last.label === s && last.to === t - 1) last.to = t;
    else runs.push({ label: s, from: t, to: t });
  });
  const docs = runs.filter((r) => r.label !== OTHER);
  const plain = (r: { label: number; from: number; to: number }, margin = CHANGE_MIN_MARGIN) => {
    for (let t = r.from; t <= r.to; t++) if (!pages[t]!.imageOnly && isPlainly(pages[t]!.scores, r.label, margin)) return true;
    return false;
  };
  const opens = (r: { from: number }) => pages[r.from]!.startBonus > 0;
  for (let i = 0; i < docs.length; i++) {
    // One document inside another: pieces of one label further apart are two readings of different pages.
    const j = i + 2;
    if (j >= docs.length || docs[j]!.label !== docs[i]!.label) continue;
    const split = docs[i]!.label;
    const between = docs.slice(i + 1, j);
    // The split document opens plainly, far ahead of any other reading: a CV's "Education" page, headed
    // like a document, read as the board certificate (6.6 against CV 3.5) before the recommendation letter.
    if (!plain(docs[i]!, OPENS_PLAINLY_MARGIN) || !plain(docs[j]!) || !between.every((r) => plain(r))) continue;
    // The split document and the one inside it each open with a page that starts a document: a CV's
    // "Education" page read as the degree (10.4 against CV 6) before the recommendation is no degree split.
    if (!opens(docs[i]!) || !between.every(opens)) continue;
    if (between.some((r) => isBoardAndDegree(split, r.label) || (split === CV && CV_LISTS.includes(r.label)))) continue;
    return true;
  }
  return false;
}

/** How far the first piece of a split document must lead any other reading of its pages. */
const OPENS_PLAINLY_MARGIN = 2 * CHANGE_MIN_MARGIN;
const CV = SECTION_IDS.indexOf('cv');
/** What a CV lists under headings of the same name; a CV page listing them reads as that document. */
/** What a CV lists under its own headings, which the call also asks for as documents of their own. */
export const CV_LISTS = (['publications', 'references', 'esr_membership', 'language_certificates'] as const).map((id) => SECTION_IDS.indexOf(id));

/** A real misordering moves whole documents; a section that reappears is an interruption (e.g. a CV listing publications). */
function eachSectionOnce(path: number[]): boolean {
  const seen = new Set<number>();
  let prev = -1;
  for (const s of path) {
    if (s === OTHER || s === prev) {
      if (s !== OTHER) prev = s;
      continue;
    }
    if (seen.has(s)) return false;
    seen.add(s);
    prev = s;
  }
  return true;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
