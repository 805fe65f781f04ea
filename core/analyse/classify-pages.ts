/**
 * Scores every page against the ten sections and `other`, from the rule
 * files' vocabularies and language-neutral layout cues. Pure: the page text
 * in, one score per label out, with the phrases that decided (evidence).
 */
import { compilePhrases, distinctMatches, foldText } from '../normalize';
import type { CommonRules, CueKind } from '../rules/schema';
import { mapIcaoCode } from '../facts/countries';
import { compileRegistrationMatcher, isRegistrationOnly, type RegistrationMatcher } from './registration-only';
import { SECTION_IDS, type PageLabel, type PageText } from '../types';

/** Labels in model order: the ten sections, then `other` (index 10). */
export const LABELS: readonly PageLabel[] = [...SECTION_IDS, 'other'];
export const OTHER = LABELS.length - 1;

// Weights of the vocabulary tiers. A title at the top of a page is the
// strongest single signal a document gives; everything else only adds up.
const HEAD_LINES = 6;
/** A translation says so in its first lines (a translator's heading or certificate above the text). */
const TRANSLATION_HEAD_LINES = 3;
/** A document sent in another's place says what it is in its first lines (an identity card's title). */
const STAND_IN_HEAD_LINES = 3;
const W_HEAD_TITLE = 5;
const W_EXTRA_HEAD_TITLE = 1;
const W_BODY_TITLE = 1;
const W_STRONG = 1.5;
const CAP_STRONG = 7.5;
const W_WORD = 0.4;
const CAP_WORDS = 3;
const W_AGAINST = -1.5;
const CAP_AGAINST = -4.5;
/** An `other` page must earn its label: most unlabelled pages continue a document. */
const OTHER_TEXT_BIAS = -1;
/**
 * A cue weighing this much against a label rules the label out: no title it shares with a later document
 * lifts it back (a Norwegian "Autorisasjon som lege", a doctor's licence naming no specialism, shares its
 * title words with degrees and specialist approvals alike, and was read as the board certificate).
 */
const CUE_RULES_OUT = -20;
/** A page on which this many sections' titles start a line is a table of contents. */
const TOC_MIN_SECTIONS = 5;
// How strongly a page looks like the first page of a document (added when
// the decoder changes document on this page) or like a continuation.
const START_TITLE = 1.5;
const CONTINUATION_PAGE_NUMBER = -2;
const START_PAGE_ONE = 1;
const CONTINUATION_LOWERCASE = -1;

interface CompiledLabel {
  titles: RegExp | null;
  strong: RegExp | null;
  words: RegExp | null;
  against: RegExp | null;
  cues: Partial<Record<CueKind, number>>;
  scanPrior: number;
  /** Lines down the page where a line that is only this document's title still is its title. */
  titleLines: number;
}

export interface PageClassifier {
  labels: CompiledLabel[];
  minTextLetters: number;
  registration: RegistrationMatcher;
  translation: RegExp | null;
  /** Titles of documents sent in a required one's place, by label (common.yaml classifier.stand_ins). */
  standIns: Array<{ label: number; titles: RegExp | null; says: RegExp | null; headSays: RegExp | null; personDecides: boolean }>;
  /** Documents only one body issues, by label: its names, and the words naming other such bodies (common.yaml classifier.issued_by). */
  issuedBy: Array<{ label: number; own: RegExp | null; bodies: RegExp | null }>;
}

export interface PageScore {
  num: number;
  imageOnly: boolean;
  /** One log-potential per LABELS entry. */
  scores: number[];
  /** The phrases and cues behind each label's score, for evidence. */
  reasons: string[][];
  /** The first words of the page (folded), for evidence snippets. */
  head: string;
  /** Log-potential that a new document starts on this page (positive) or that it continues one (negative). */
  startBonus: number;
  /** Labels whose title stands on the page's first line (the page names itself); absent in analyses stored before it. */
  titledAs?: number[];
  /** A scan with no ink on it (OCR looked: blank paper, dust): it shows no document, whatever its place. */
  blank?: true;
  /** A scan on which OCR read a few words and no page of text (PageText.unread): its place is no proof of it. */
  unread?: true;
  /** A scan OCR read no word of (PageText.nothingRead). */
  nothingRead?: true;
  /** Labels whose title stands at the page's head or on a title line of its own; absent in analyses stored before it. */
  titled?: number[];
  /** The two documents a page holds, each under its own heading (see findTwoDocuments). */
  holds?: number[];
  /** The page says at its head that it is a translation ("Certified translation from Vietnamese into English"). */
  translation?: true;
  /** Labels of the required documents this page is titled as sent in place of (an identity card: the passport's). */
  standsInFor?: number[];
  /** Of those, the ones a person must judge (classifier.stand_ins person_decides: an identity card for the passport). */
  standsInToJudge?: number[];
  /** Each label's score without its titles: what the page says of the document besides naming it. */
  untitled?: number[];
}

/** A text page speaks for a label when it scores at least this for it (one phrase the document uses). */
export const OWN_WORDS = 1.5;

/**
 * Whether a text page's own words name `label` before any other: at least one phrase of it (OWN_WORDS) and a
 * score above every other label's. A tie is no answer: a Latvian residency diploma scores the same for the
 * degree and the board certificate (the two share their titles).
 */
export function namesItFirst(page: PageScore, label: number): boolean {
  return !page.imageOnly && scoresNameFirst(page.scores, label);
}

function scoresNameFirst(scores: readonly number[], label: number): boolean {
  return scores[label]! >= OWN_WORDS && scores.every((s, k) => k === label || s < scores[label]!);
}

/** Compiles the vocabularies of the common rule file once; reuse it for every application. */
export function compileClassifier(common: CommonRules): PageClassifier {
  const compile = (v: CommonRules['other_page']['vocabulary'], cues: CompiledLabel['cues'], scanPrior: number, titleLines = HEAD_LINES) => ({
    titles: compilePhrases(v.titles),
    strong: compilePhrases(v.strong),
    words: compilePhrases(v.words),
    against: compilePhrases(v.against),
    cues,
    scanPrior,
    titleLines,
  });
  const standIns = common.classifier.stand_ins;
  // A stand-in is a page nobody asked for: its titles are the other page's titles too.
  const other = { ...common.other_page.vocabulary, titles: [...common.other_page.vocabulary.titles, ...standIns.flatMap((s) => s.titles)] };
  return {
    labels: [
      ...common.sections.map((s) => compile(s.vocabulary, s.cues, s.scan_prior, s.title_within_lines)),
      compile(other, common.other_page.cues, common.other_page.scan_prior),
    ],
    minTextLetters: common.classifier.min_text_letters,
    registration: compileRegistrationMatcher(common.classifier.doctor_registration),
    translation: compilePhrases(common.classifier.translation_phrases),
    standIns: standIns.map((s) => ({ label: common.sections.findIndex((c) => c.id === s.section), titles: compilePhrases(s.titles), says: compilePhrases(s.says), headSays: compilePhrases(s.head_says), personDecides: s.person_decides })),
    issuedBy: common.classifier.issued_by.map((s) => ({ label: common.sections.findIndex((c) => c.id === s.section), own: compilePhrases(s.own), bodies: compilePhrases(s.bodies) })),
  };
}

/**
 * Scores each page. A page with no words at all (no text layer, or only
 * digits, marks and stray letters) counts as a scan. A page with fewer
 * letters than the rule file's minimum but a few real words (a "Photograph"
 * page with a name, a divider titled "Passport") is a short text page: it is
 * scored on its words like any text page - its few words are weak evidence,
 * so position decides unless they match a vocabulary - and never as a scan.
 */
export function scorePages(pages: readonly PageText[], classifier: PageClassifier): PageScore[] {
  const totalPages = pages.length;
  const meanPrior = classifier.labels.reduce((a, l) => a + l.scanPrior, 0) / classifier.labels.length;
  return pages.map((page) => {
    const folded = foldText(page.text);
    const letters = countLetters(folded);
    const imageOnly = page.imageOnly || (letters < classifier.minTextLetters && !hasRealWords(folded));
    if (imageOnly) {
      // No text: only how often each document arrives as a scan speaks.
      return {
        num: page.num,
        imageOnly: true,
        ...(page.ocr ? { blank: true as const } : {}),
        ...(page.unread ? { unread: true as const } : {}),
        ...(page.nothingRead ? { nothingRead: true as const } : {}),
        scores: classifier.labels.map((l) => Math.log(Math.max(l.scanPrior, 1e-3) / meanPrior)),
        reasons: classifier.labels.map(() => ['page has no text layer']),
        head: '',
        startBonus: 0,
      };
    }
    const lines = folded.split('\n').filter((l) => l.trim() !== '');
    const { scores, untitled, reasons, headTitles } = scoreLines(lines, folded, letters, page.ocr === true, classifier);
    const firstLine = page.text.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
    const startBonus = measureStart(lines, firstLine, headTitles.some((t) => t.length > 0), totalPages);
    const topLine = lines[0] ?? '';
    const titledAs = classifier.labels.flatMap((l, k) => (headTitles[k]!.length > 0 && distinctMatches(l.titles, topLine).length > 0 ? [k] : []));
    const titled = headTitles.flatMap((t, k) => (t.length > 0 ? [k] : []));
    const holds = findTwoDocuments(lines, titled, page.ocr === true, classifier);
    const translation = distinctMatches(classifier.translation, lines.slice(0, TRANSLATION_HEAD_LINES).join('\n')).length > 0;
    // At the very head: a certificate's body names identity documents ("con DNI n.º", "portador do cartão de cidadão").
    const head = lines.slice(0, STAND_IN_HEAD_LINES).join('\n');
    // A passport's own machine-readable zone ("P<…") makes the page the passport, whatever identity card shares
    // the sheet with it.
    const ownMrz = lines.some(opensMrz);
    const sentInstead = classifier.standIns
      .filter((s) => s.label >= 0 && !(s.label === PASSPORT && ownMrz))
      .filter((s) => distinctMatches(s.titles, head).length > 0 || distinctMatches(s.headSays, head).length > 0 || (readsAs(scores, headTitles, s.label) && distinctMatches(s.says, folded).length > 0));
    // Titled as that document ("Membership certificate"), and naming another body anywhere but never its own
    // (a Swiss board certificate names the "Fédération des médecins suisses", and is no membership proof at all).
    const otherBody = classifier.issuedBy
      .filter((s) => s.label >= 0 && readsAs(scores, headTitles, s.label) && distinctMatches(s.bodies, folded).length > 0 && distinctMatches(s.own, folded).length === 0)
      .map((s) => s.label);
    const standsInFor = [...sentInstead.map((s) => s.label), ...otherBody];
    // A person judges it only when nothing else the page is makes the document plainly absent.
    const plainlyAbsent = new Set([...otherBody, ...sentInstead.filter((s) => !s.personDecides).map((s) => s.label)]);
    const standsInToJudge = [...new Set(sentInstead.filter((s) => s.personDecides && !plainlyAbsent.has(s.label)).map((s) => s.label))];
    return {
      num: page.num, imageOnly: false, scores, reasons, head: lines.slice(0, 2).join(' ').slice(0, 80), startBonus, titledAs, titled,
      ...(holds.length > 0 ? { holds } : {}),
      ...(translation ? { translation: true as const } : {}),
      ...(standsInFor.length > 0 ? { standsInFor } : {}),
      ...(standsInToJudge.length > 0 ? { standsInToJudge } : {}),
      untitled,
    };
  });
}

/**
 * The page says it is sent in place of required document `k` (an identity card for the passport), or that `k` is
 * not given ("References — available upon request"), whatever title stands above.
 */
export function standsInFor(page: PageScore, k: number): boolean {
  return page.standsInFor?.includes(k) === true;
}

/** The page stands in for document `k` as one a person must judge: whether the office takes it instead (an identity card for the passport). */
export function standsInToJudge(page: PageScore, k: number): boolean {
  return page.standsInToJudge?.includes(k) === true;
}

/**
 * Whether a page reads as the document `label` itself: titled so, or scored highest for it. What such a page
 * says of itself ("the title is not awarded yet", another society's name) makes it a stand-in; the same words
 * on a CV ("French certificate pending") or a board certificate (the "Fédération des médecins suisses") do not.
 */
function readsAs(scores: readonly number[], headTitles: readonly string[][], label: number): boolean {
  return headTitles[label]!.length > 0 || scores[label]! >= Math.max(...scores);
}

interface LineScores {
  scores: number[];
  /** The scores without their title weights. */
  untitled: number[];
  reasons: string[][];
  headTitles: string[][];
}

/** One score per label for a page's (folded, non-empty) lines: titles, vocabularies and cues. */
function scoreLines(lines: string[], folded: string, letters: number, ocr: boolean, classifier: PageClassifier): LineScores {
  // A line that starts with a year or a span of years is an entry of a dated list (a CV's "2019  European
  // Diploma in Radiology (EDiR) – Part 1"), not a document's title: read as one, a CV's second page
  // became a board certificate and its signature date the certification date.
  // Nor is a bulleted line of a sentence's length ("• Since board certification: radiologist, Regionaal
  // Ziekenhuis Leuven"): a CV's second page opening on its experience was doubted as the board certificate.
  // Nor is a letter's addressee ("To," / "The Evaluation Committee," / "ESOR Office, European Society of
  // Radiology"): a motivation letter with no title of its own, so addressed, read as the ESR proof's words
  // first, and a missing ESR proof went to a person.
  const addressee = addresseeLines(lines);
  const head = lines.slice(0, HEAD_LINES).filter((l, i) => !DATED_ENTRY.test(l) && !continuesSentence(lines, i) && !isBulletedSentence(l) && !addressee.has(i)).map(headPart).join('\n');
  // OCR may lose the one word that names a specialism: only a text layer is read for the registration cue.
  const cues = measureCues(folded, lines, letters, ocr ? null : classifier.registration);
  const headTitles = classifier.labels.map((l) => [...distinctMatches(l.titles, head), ...titleLinesBelowHead(l, lines)]);
  const lineStarts = lines.map((l) => l.replace(LIST_MARKER, '')).join('\n');
  const titledLines = classifier.labels
    .slice(0, OTHER)
    .filter((l) => distinctMatches(l.titles, lineStarts).some((t) => startsALine(lineStarts, t))).length;
  cues.many_section_titles = titledLines >= TOC_MIN_SECTIONS ? 1 : 0;

  const scores: number[] = [];
  const untitled: number[] = [];
  const reasons: string[][] = [];
  const ruledOut = new Set<number>();
  classifier.labels.forEach((label, i) => {
    const why: string[] = [];
    let s = i === OTHER ? OTHER_TEXT_BIAS : 0;
    let titles = 0;
    const inHead = headTitles[i]!;
    if (inHead.length > 0) {
      titles = W_HEAD_TITLE + W_EXTRA_HEAD_TITLE * Math.min(inHead.length - 1, 2);
      why.push(...inHead.map((t) => `title "${t}"`));
    } else {
      const anywhere = distinctMatches(label.titles, folded);
      if (anywhere.length > 0) {
        titles = W_BODY_TITLE;
        why.push(`mentions "${anywhere[0]}"`);
      }
    }
    s += titles;
    const strong = distinctMatches(label.strong, folded);
    s += Math.min(strong.length * W_STRONG, CAP_STRONG);
    why.push(...strong.slice(0, 5).map((t) => `"${t}"`));
    const words = distinctMatches(label.words, folded);
    s += Math.min(words.length * W_WORD, CAP_WORDS);
    const against = distinctMatches(label.against, folded);
    s += Math.max(against.length * W_AGAINST, CAP_AGAINST);
    if (against.length > 0) why.push(...against.slice(0, 2).map((t) => `against "${t}"`));
    for (const [cue, weight] of Object.entries(label.cues) as [CueKind, number][]) {
      const v = cue === 'own_headings' ? ownHeadings(label, lines) : cues[cue];
      if (v > 0) {
        s += weight * v;
        if (weight <= CUE_RULES_OUT) ruledOut.add(i);
        why.push(`${cue.replace(/_/g, ' ')}${v > 1 ? ` ×${v}` : ''}`);
      }
    }
    scores.push(s);
    untitled.push(s - titles);
    reasons.push(why);
  });
  shareTitledScores(headTitles, scores, reasons, ruledOut);
  if (cues.many_section_titles) {
    // A table of contents names every document and is none of them.
    for (let i = 0; i < OTHER; i++) scores[i] = Math.min(scores[i]!, 0) - 2;
  }
  return { scores, untitled, reasons, headTitles };
}

/** Each part of a page holding two documents must name its own this plainly (a title at its head weighs 5). */
const PART_PLAIN_SCORE = 5;
/** Lines from the top above which a heading is the page's own head, not a second document's. */
const SPLIT_FROM_LINE = 3;
/** Headings tried as the split of one page: a bound on the work a hostile page of headings can cause. */
const MAX_SPLITS = 4;
/** A heading line that names a document among other words ("REPUBBLICA ITALIANA - PASSAPORTO / PASSPORT"). */
const MAX_HEADING_CHARS = 60;

/**
 * Two documents on one page, each under its own heading: a publication list ending in "List of references"
 * and the referees; an ESR confirmation and the passport scanned on one sheet. The page is split at a
 * heading below its head, and each part must name its document before any other, plainly. The page keeps
 * the label the segmentation gives it; the other document is on it too (segment-pages'
 * documentsSharingPages), so it is not missing: a false "your list of references is missing" went out for a
 * page holding both. The board certificate and the degree are never found this way: a specialist title names
 * the degree it builds on ("Licenciado en Medicina" on a Spanish "Título de Especialista"), so one page
 * proves only one of them. Both documents (label indices, ascending), or none.
 */
function findTwoDocuments(lines: string[], titled: readonly number[], ocr: boolean, classifier: PageClassifier): number[] {
  // Only a page whose head titles a document can hold a second one below it (and the work stays with those
  // few pages); a CV's headings name the lists it holds as parts of itself.
  const cv = LABELS.indexOf('cv');
  const heads = titled.filter((k) => k !== OTHER);
  if (heads.length === 0 || heads.includes(cv)) return [];
  const plainFirst = (part: string[]): number => {
    const folded = part.join('\n');
    const { scores } = scoreLines(part, folded, countLetters(folded), ocr, classifier);
    const k = scores.indexOf(Math.max(...scores));
    return k !== OTHER && scores[k]! >= PART_PLAIN_SCORE && scoresNameFirst(scores, k) ? k : -1;
  };
  let tried = 0;
  for (let i = SPLIT_FROM_LINE; i < lines.length - 1 && tried < MAX_SPLITS; i++) {
    // A heading stands on a line of its own: after a long line that ends without a stop, the line goes on with a
    // sentence ("… and obtained his" / "board certification in 2020.": a recommendation letter held a board certificate).
    if (runsOn(lines[i - 1]!)) continue;
    const k = classifier.labels.findIndex((l, j) => j !== OTHER && isHeadingOf(l, lines[i]!));
    if (k < 0 || heads.every((h) => h === k)) continue;
    tried++;
    if (plainFirst(lines.slice(i)) !== k) continue;
    const h = plainFirst(lines.slice(0, i));
    if (h < 0 || h === k || isBoardAndDegree(h, k)) continue;
    return [h, k].sort((a, b) => a - b);
  }
  return [];
}

/** A line of running text that a sentence goes on from: long, and ending in a word or a comma. */
function runsOn(line: string): boolean {
  return line.length >= RUNNING_LINE_CHARS && /[\p{L},]\s*$/u.test(line);
}
const RUNNING_LINE_CHARS = 50;

/** The board certificate and the degree, in either order: the two documents that share specialist titles. */
export function isBoardAndDegree(a: number, b: number): boolean {
  const pair = [LABELS[a], LABELS[b]];
  return pair.includes('board_certificate') && pair.includes('medical_degree');
}

/** A line that is a document's title, or a short heading that names it ("… - PASSAPORTO / PASSPORT"). */
function isHeadingOf(label: CompiledLabel, line: string): boolean {
  const bare = line.trim();
  // A short heading names its document anywhere in it (which covers a title line as short); a longer line only
  // as a title line. Either way the line's titles are looked up once.
  const short = bare.length <= MAX_HEADING_CHARS && !/[.,;:]\s/u.test(bare) && !DATED_ENTRY.test(bare);
  return short ? distinctMatches(label.titles, bare).length > 0 : titleOfLine(label, line) !== undefined;
}

/** The title a line is, when it is only a document's title with at most a few words qualifying it (its field). */
function titleOfLine(label: CompiledLabel, line: string): string | undefined {
  const bare = line.trim().replace(/[\s:.|]+$/, '');
  if (DATED_ENTRY.test(bare)) return undefined;
  const title = distinctMatches(label.titles, bare).find((t) => bare.startsWith(t));
  if (!title) return undefined;
  const rest = bare.slice(title.length).trim();
  // Its field qualifies a title, never a year: "board certification in 2020." is a letter's sentence run onto
  // a line of its own ("… and obtained his" / "board certification in 2020."), which made a recommendation
  // letter hold a board certificate, dated by the letter.
  if (YEAR.test(rest)) return undefined;
  return rest.length <= MAX_TITLE_QUALIFIER && rest.split(/\s+/).filter(Boolean).length <= 4 ? title : undefined;
}

/**
 * A page titled by a title two documents share (a specialist title: "Título de Especialista", "Diplôme de
 * médecin spécialiste" is the board certificate in one country and the call's "confirmation of your
 * specialisation", filed with the degree, in another) gives the later document of the required order no
 * lead over the earlier one: the order decides, as rules/common.yaml says. What gave the later one (the
 * degree) its lead is a university's name and its rector's signature, which stand on specialist diplomas as
 * on basic degrees: a Colombian specialist title in the board certificate's place was filed with the degree,
 * and the board certificate was a false "missing". The earlier one's own lead stays: the board certificate's
 * words are those of the authority the call asks for, and they place it even after the degree (out of order).
 */
function shareTitledScores(headTitles: readonly string[][], scores: number[], reasons: string[][], ruledOut: ReadonlySet<number>): void {
  for (let a = 0; a < OTHER; a++) {
    if (ruledOut.has(a)) continue;
    for (let b = a + 1; b < OTHER; b++) {
      if (!headTitles[a]!.some((t) => headTitles[b]!.includes(t)) || scores[a]! >= scores[b]!) continue;
      scores[a] = scores[b]!;
      reasons[a]!.push('shares its title');
    }
  }
}

/**
 * Titles on a line of their own below the head, as far down as the label allows (a letter under its
 * letterhead; a diploma's title under its preamble: "A nombre de la Nación … confiere el" / "TÍTULO DE
 * SEGUNDA ESPECIALIDAD PROFESIONAL EN RADIOLOGÍA"). The line may go on with a few words that qualify the
 * title (its field), no more: a sentence that mentions a title is no title.
 */
function titleLinesBelowHead(label: CompiledLabel, lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const line of lines.slice(HEAD_LINES, label.titleLines)) {
    const title = titleOfLine(label, line);
    if (title) out.push(title);
  }
  return out;
}

/** What may follow a title on its own line: its field ("en radiología", "in Diagnostic Radiology"). */
const MAX_TITLE_QUALIFIER = 40;
const YEAR = /(?<!\d)(?:19|20)\d\d(?!\d)/u;

/**
 * What of a head line can title the page. A long line that ends in a comma is inside a sentence, and a
 * document named in it is mentioned, not titled: "D. …, con DNI/pasaporte AB…," made a Spanish specialist
 * certificate a passport. Its first words still count, for a letter's "Dear Professor Smith and members of
 * the committee,"; a short one ("To whom it may concern,") is the letter's salutation, whole.
 */
function headPart(line: string): string {
  if (!/[,;]\s*$/u.test(line)) return line;
  const words = line.trim().split(/\s+/u);
  return words.length > 6 ? words.slice(0, 3).join(' ') : line;
}

/**
 * A long line after one that ends in a comma, or leaves a parenthesis open, goes on with that
 * sentence: a document it names is mentioned, not titled ("portador da cédula profissional n.º 55102," /
 * "concluiu o Mestrado Integrado em Medicina na Faculdade de Medicina …" made the Ordem dos Médicos'
 * specialist certificate a degree diploma; "Radiologist, … Groningen (since" / "board certification).
 * Oncologic imaging, CT, MRI, …" made a CV's second page the board certificate).
 */
function continuesSentence(lines: readonly string[], i: number): boolean {
  return i > 0 && (/,\s*$/u.test(lines[i - 1]!) || opensParenthesis(lines[i - 1]!)) && lines[i]!.trim().split(/\s+/u).length > SENTENCE_LINE_WORDS;
}

/** A line that leaves a parenthesis open: the next line goes on inside it. */
function opensParenthesis(line: string): boolean {
  return line.lastIndexOf('(') > line.lastIndexOf(')');
}
const SENTENCE_LINE_WORDS = 6;

/** A list's bulleted entry as long as a sentence. Numbered lines are not meant: "1. Letter of motivation" may be a title. */
function isBulletedSentence(line: string): boolean {
  return BULLET.test(line) && line.trim().split(/\s+/u).length > SENTENCE_LINE_WORDS + 1;
}
const BULLET = /^\s*[-•*–·▪●◦]\s/u;

/**
 * Head lines of a letter's addressee block: a line opened by "To"/"An"/"À"/"Attn." and its words, and,
 * after a bare marker or a line ending in a comma, the lines after it up to the subject or the salutation
 * (at most ADDRESSEE_LINES). The block names whom the letter goes to, not what it is.
 */
function addresseeLines(lines: readonly string[]): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < Math.min(lines.length, HEAD_LINES); i++) {
    const m = ADDRESSEE_MARKER.exec(lines[i]!);
    if (!m) continue;
    const bare = lines[i]!.trim().length <= m[0].trim().length;
    if (!bare) out.add(i);
    // "To the ESOR Office and the Evaluation Committee" is the whole block: the line after it may be the
    // letter's title ("Letter of recommendation"). A bare "To," or a line ending in a comma goes on.
    if (!bare && !/,\s*$/u.test(lines[i]!)) break;
    for (let j = i + 1; j <= i + ADDRESSEE_LINES && j < lines.length && !LETTER_OPENING.test(lines[j]!); j++) out.add(j);
    break;
  }
  return out;
}
const ADDRESSEE_LINES = 3;
// "To," alone, "To: …", "To the …"; "An:", "À :", "A:", "Para:"; "Attn.", "À l'attention de", "Zu Händen",
// "All'attenzione di", "A la atención de". A word alone is no marker: "A nombre de la Nación" opens a diploma.
const ADDRESSEE_MARKER = /^(?:(?:to|an|à|a|para)\s*(?:[:,]|$)|to the\s|attn\.?\s*:?|attention\s*:|à l'attention d|zu händen|z\. ?hd\.|all'attenzione d|a la atención d)/u;
/** The subject or the salutation: where an addressee block ends. */
const LETTER_OPENING = /^(?:subject|re\s*:|objet|betreff|oggetto|asunto|assunto|dear|respected|sehr geehrte|madame|monsieur|estimad|gentile|egregi|geachte|szanown)/u;

/** Dated lines that make a chronology (a CV's education and experience), not a certificate's one or two dates. */
const MIN_DATED_ENTRIES = 4;
/**
 * A year, or a span of years ("2015–2020", "2020-present", "09/2015 - 06/2020"), opening a line, also
 * with a colon: "2013 - 2019: Residency in radiology, board certification 14.07.2019" (a CV's second page),
 * or a dash: "2013 — Medical degree, Coimbra".
 */
const DATED_ENTRY = /^\s*(?:\d{1,2}[./]\s?)?(?:19|20)\d\d\b\s*(?:(?:-|to|bis|a|–|—)\s*(?:(?:\d{1,2}[./]\s?)?(?:19|20)\d\d\b|present|today|now|heute|aujourd'hui|actualidad|oggi))?(?:[:,]|\s*[-–—](?=\s))?\s+\p{L}/u;
const LIST_MARKER = /^\s*(?:[-•*–·]|\(?\d{1,2}[.)]|\[\d{1,2}\])\s*/;
// "page 2 of 3", "seite 2 von 3", "page 2 sur 3", "pagina 2 di 3", "página 2 de 3", "strona 2 z 3", "2 / 3".
const PAGE_NUMBER = /(?:^|\s)(?:p(?:age|agina|ágina|\.)?|seite|strona|blz\.?|σελ(?:ίδα)?\.?)?\s*(\d{1,3})\s*(?:of|von|sur|di|de|z|van|από|\/)\s*(\d{1,3})\s*$/u;

function startsALine(text: string, phrase: string): boolean {
  const at = text.indexOf(phrase);
  return at === 0 || (at > 0 && text[at - 1] === '\n');
}

/**
 * Whether a page opens a document: a title at its head, "page 1 of n";
 * or continues one: "page 2 of n", a first line that starts mid-sentence.
 * A number that counts the whole PDF's pages is the PDF's own stamp and says nothing.
 */
function measureStart(lines: string[], firstLine: string, titledHead: boolean, totalPages: number): number {
  let bonus = titledHead ? START_TITLE : 0;
  for (const line of [...lines.slice(0, 2), ...lines.slice(-3)]) {
    const m = PAGE_NUMBER.exec(line);
    if (!m) continue;
    const [n, of] = [Number(m[1]), Number(m[2])];
    if (of === totalPages || n > of || of > 50) continue;
    bonus += n === 1 ? START_PAGE_ONE : CONTINUATION_PAGE_NUMBER;
    break;
  }
  if (!titledHead && MID_SENTENCE.test(firstLine)) bonus += CONTINUATION_LOWERCASE;
  return bonus;
}

/**
 * A first line starting in lower case continues a sentence. Georgian is written in Mkhedruli, which
 * Unicode files as lower case since it added the Mtavruli capitals (2018); every Georgian diploma's
 * first line read as a continuation and was glued to the document before it.
 */
const MID_SENTENCE = /^(?!\p{Script=Georgian})\p{Ll}/u;

/** Words of three letters or more; a short page needs two of them, or one of five letters or more, to be text. */
const REAL_WORD = /\p{L}{3,}/gu;
const MIN_SHORT_PAGE_WORDS = 2;
const MIN_LONE_WORD_LETTERS = 5;

/** Whether a page with few letters still carries words (not only a page number, initials or a stray glyph). */
function hasRealWords(folded: string): boolean {
  const words = folded.match(REAL_WORD) ?? [];
  return words.length >= MIN_SHORT_PAGE_WORDS || words.some((w) => w.length >= MIN_LONE_WORD_LETTERS);
}

function countLetters(s: string): number {
  let n = 0;
  for (const ch of s) if (/\p{L}/u.test(ch)) n++;
  return n;
}

const PASSPORT = SECTION_IDS.indexOf('passport');
const MRZ_LINE = /^[a-z0-9<]{28,46}$/;
/**
 * A passport's machine-readable zone opens with "P", its type or "<", and the issuing state (ICAO 9303):
 * "P<SWELINDQVIST<<ERIK<<…". OCR of a phone photo keeps that opening when it loses the rest ("P<SWEL").
 */
const MRZ_OPENING = /^p[a-z<]([a-z<]{3})[a-z<]*$/;

function opensMrz(line: string): boolean {
  const bare = line.replace(/ /g, '');
  const m = MRZ_OPENING.exec(bare);
  return m !== null && bare.includes('<') && mapIcaoCode(m[1]!) !== undefined;
}
const CITATION = /(\b(19|20)\d{2}\s*[;:]\s*\d+)|(\bet al\b)|(\b(19|20)\d{2}\s*\.\s*\d+\s*\(\d+\))|(\d+\s*\(\d+\)\s*:\s*\d+)/;
const DOI_PMID = /\b(doi\s*:?\s*10\.\d{4,}|10\.\d{4,9}\/\S+|pmid\s*:?\s*\d{6,})/g;
const NUMBERED = /^\s*(\[\d{1,2}\]|\(\d{1,2}\)|\d{1,2}[.)])\s+\S/;
const EMAIL = /[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}/g;
const PHONE = /(\+\d{1,3}[\s\d().\/-]{7,}\d)|(\b0\d([\s.\/-]?\d{2}){4}\b)/g;
const CEFR = /(?<![\p{L}\p{N}])[abc][12](?![\p{L}\p{N}])/gu;

function measureCues(folded: string, lines: string[], letters: number, registration: RegistrationMatcher | null): Record<CueKind, number> {
  const mrzLines = lines.filter((l) => MRZ_LINE.test(l.replace(/ /g, '')) && l.includes('<<')).length;
  const cefrHits = (folded.match(CEFR) ?? []).length;
  return {
    mrz: mrzLines >= 2 || lines.some(opensMrz) ? 1 : 0,
    citation_lines: Math.min(lines.filter((l) => CITATION.test(l)).length, 6),
    doi_or_pmid: Math.min((folded.match(DOI_PMID) ?? []).length, 6),
    numbered_entries: lines.filter((l) => NUMBERED.test(l)).length >= 3 ? 1 : 0,
    email_addresses: Math.min((folded.match(EMAIL) ?? []).length, 4),
    phone_numbers: Math.min((folded.match(PHONE) ?? []).length, 4),
    cefr_level: cefrHits > 0 ? 1 : 0,
    few_words: letters < 400 ? 1 : 0,
    many_section_titles: 0,
    // A chronology: lines that open with a year or a span of years ("2014–2019  Residency in radiology").
    dated_entries: lines.filter((l) => DATED_ENTRY.test(l)).length >= MIN_DATED_ENTRIES ? 1 : 0,
    registration_only: registration && isRegistrationOnly(folded, registration) ? 1 : 0,
    own_headings: 0, // per label: ownHeadings
  };
}

/** Distinct lines, each only one of a label's own words, that make its headings. */
const MIN_OWN_HEADINGS = 3;
const MAX_HEADING_LINE = 40;

/**
 * 1 when at least three lines are each nothing but one of the label's words or strong phrases: the section
 * headings of a CV written freely ("PROFILE", "EXPERIENCE", "EDUCATION" / "LANGUAGES", "SKILLS", "INTERESTS"),
 * whose words alone weigh little (an Estonian CV's first page, which names the board certification, was read
 * as the board certificate and the CV found only by its place).
 */
function ownHeadings(label: CompiledLabel, lines: readonly string[]): number {
  const seen = new Set<string>();
  for (const line of lines) {
    const bare = line.trim().replace(/[\s:.|]+$/u, '');
    if (bare.length === 0 || bare.length > MAX_HEADING_LINE) continue;
    if (distinctMatches(label.words, bare).includes(bare) || distinctMatches(label.strong, bare).includes(bare)) seen.add(bare);
  }
  return seen.size >= MIN_OWN_HEADINGS ? 1 : 0;
}
