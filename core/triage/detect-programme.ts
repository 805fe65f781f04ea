/**
 * Which programme an e-mail applies for: the programme files' aliases matched
 * in the subject and body, then in the motivation letter. Another ESOR topic
 * named as a fellowship beside ours counts as naming several programmes.
 */
import { compilePhrases, distinctMatches, foldText } from '../normalize';
import type { CommonRules, Programme } from '../rules/schema';

export interface ProgrammeMatcher {
  /** `years`: the call's own years (the deadline's, the fellowship's start and end): "fellowship 2022/2023", "2021 call". */
  programmes: Array<{ id: string; aliases: RegExp | null; topics: RegExp | null; title: RegExp | null; years: CallYears }>;
  otherTopics: RegExp | null;
  programmeWords: RegExp | null;
  applicationWords: RegExp | null;
  /** A topic directly followed by one of these qualifies it ("hybrid imaging sessions"), naming no fellowship. */
  qualifiedNouns: RegExp | null;
  /** Folded words of our programmes' names, hosts and cities, and of fields: a capitalised name made of them names no other host. */
  notHostWords: ReadonlySet<string>;
  /** "<programme word> at|in <Capitalised Name>", matched in the text as written (see findOtherHosts). */
  hostNames: RegExp | null;
}

export interface ProgrammeDetection {
  programme: string | null;
  /** named: exactly one of ours; several: more than one programme named; other: only a fellowship we have no file for; unnamed: none. */
  how: 'named' | 'several' | 'other' | 'unnamed';
  where?: 'mail' | 'motivation';
  evidence: string[];
}

/** How close (in characters) a programme word must stand to another topic to name it as a fellowship. */
const TOPIC_WINDOW = 60;

export function compileProgrammeMatcher(programmes: readonly Programme[], other: CommonRules['other_programmes']): ProgrammeMatcher {
  const compiled = programmes.map((p) => ({
    id: p.id,
    aliases: compilePhrases([...p.aliases, p.title]),
    topics: compilePhrases(p.topics),
    title: compilePhrases([p.title]),
    years: callYears(p),
  }));
  // A topic that is (part of) one of our own programmes' names is no foreign programme: with an
  // abdominal imaging programme in the rules, "abdominal imaging fellowship" names ours.
  const ownNames = programmes.flatMap((p) => [...p.aliases, ...p.topics, p.title]).map(foldText);
  const topics = other.topics.filter((topic) => {
    const folded = foldText(topic);
    return !ownNames.some((name) => name.includes(folded)) && !compiled.some((p) => distinctMatches(p.aliases, folded).length > 0);
  });
  const nameWords = programmes.flatMap((p) => [...p.aliases, ...p.topics, p.title, p.institution, p.city]);
  return {
    programmes: compiled,
    otherTopics: compilePhrases(topics),
    programmeWords: compilePhrases(other.programme_words),
    applicationWords: compilePhrases(other.application_words),
    qualifiedNouns: compilePhrases(other.qualified_nouns),
    notHostWords: new Set([...nameWords, ...other.field_words].flatMap((n) => foldText(n).split(/[^\p{L}\p{N}]+/u)).filter((w) => w.length > 1)),
    hostNames: other.programme_words.length > 0 ? hostPattern(other.programme_words) : null,
  };
}

/**
 * Detects the programme from the mail text and the motivation letter together (contract § 4): one of
 * our programmes named, and no other fellowship named beside it, is `named`; two of ours, or ours and
 * another fellowship, are `several`; another fellowship alone is `other` (a call we have no file for);
 * nothing is `unnamed`. A subject naming a Zurich musculoskeletal fellowship over a letter written for
 * Villejuif was judged by Villejuif's rules and told `complete`.
 */
export function detectProgramme(matcher: ProgrammeMatcher, mailText: string, motivationText: string): ProgrammeDetection {
  const mail = foldText(mailText);
  const letter = foldText(motivationText);
  const inMail = matchProgrammes(matcher, mail);
  const inLetter = matchProgrammes(matcher, letter);
  // A letter that names our programme may well tell of a fellowship done before ("I completed a
  // fellowship in breast imaging"); another fellowship counts there only when ours is not named in it.
  // Unless it is applied for in its own sentence: "… at Gustave Roussy or, alternatively, the ESOR Fellowship in
  // Cardiac Imaging" names two (a letter like that was judged by the first and told `complete`).
  const foreignInLetter =
    inLetter.length === 0 ? [...findOtherFellowships(matcher, letter), ...findOtherHosts(matcher, motivationText)] : findOtherFellowships(matcher, letter, true);
  const foreign = [...new Set([...findOtherFellowships(matcher, mail), ...findOtherHosts(matcher, mailText), ...foreignInLetter])];
  // A mail that names nothing leaves the letter to name the programme, as one applied for: see appliedForInLetter.
  const named = inMail.length > 0 ? inLetter : appliedForInLetter(matcher, inLetter, letter);
  const ids = [...new Set([...inMail, ...named].map((m) => m.id))];
  const where = inMail.length > 0 ? 'mail' : 'motivation';
  const words = [...inMail, ...named].flatMap((m) => m.words);
  if (ids.length > 1 || (ids.length === 1 && foreign.length > 0)) {
    return { programme: null, how: 'several', where, evidence: [...new Set([...words, ...foreign])].slice(0, 6) };
  }
  if (ids.length === 1) {
    const first = (inMail[0] ?? named[0])!;
    // "ESOR Fellowship 2019/2020 at Gustave Roussy": the host and topic of ours, but a call of another year,
    // which one the office cannot assume (a writer of the held-out sets judged it so). Read in the mail, where
    // applicants say what they apply for; a letter tells of fellowships done in other years.
    const own = matcher.programmes.find((p) => p.id === first.id)!.years;
    const calls = callYearsNamed(matcher, mail);
    if (calls.length > 0 && !calls.some(([from, to]) => own.all.has(from) && own.all.has(to) && (from === to || from >= own.fellowshipFrom))) {
      return { programme: null, how: 'other', where, evidence: [...new Set([...first.words.slice(0, 3), ...calls.map(([from, to]) => (from === to ? `${from}` : `${from}/${to}`))])] };
    }
    return { programme: first.id, how: 'named', where, evidence: first.words.slice(0, 3) };
  }
  if (foreign.length > 0) return { programme: null, how: 'other', evidence: foreign.slice(0, 6) };
  return { programme: null, how: 'unnamed', evidence: [] };
}

/**
 * Of the programmes a letter names, those it applies for: its full title anywhere, or a name of it in a
 * sentence with a word of applying ("I am applying for the fellowship at Gustave Roussy"). A letter under a
 * mail that says only "ESOR fellowship" may speak of the host or the topic in passing ("working with the AI
 * research group in Villejuif would be an enormous step"; "a fellowship in a high-volume cancer centre would
 * allow me to subspecialise in hybrid imaging in oncology"): two writers judged such letters to name no
 * programme, and the engine told both `complete` (ci22, ak28).
 */
function appliedForInLetter(matcher: ProgrammeMatcher, inLetter: ReadonlyArray<{ id: string; words: string[] }>, letter: string): Array<{ id: string; words: string[] }> {
  return inLetter.filter((found) => {
    const p = matcher.programmes.find((q) => q.id === found.id)!;
    if (p.title && distinctMatches(p.title, letter).length > 0) return true;
    for (const re of [p.aliases, p.topics]) {
      if (!re) continue;
      re.lastIndex = 0;
      for (const m of letter.matchAll(re)) {
        if (!found.words.includes(m[0])) continue;
        if (distinctMatches(matcher.applicationWords, sentenceAround(letter, m.index)).length > 0) return true;
      }
    }
    return false;
  });
}

function matchProgrammes(matcher: ProgrammeMatcher, folded: string): Array<{ id: string; words: string[] }> {
  return matcher.programmes
    .map((p) => ({ id: p.id, words: [...distinctMatches(p.aliases, folded), ...topicsAsFellowship(matcher, p.topics, folded)] }))
    .filter((p) => p.words.length > 0);
}

/**
 * A programme's topics that stand beside a programme word: "the fellowship in hybrid imaging" names it,
 * "bring hybrid imaging expertise back to my department" does not (a letter naming no programme was
 * judged by the hybrid imaging programme and told `complete`).
 */
function topicsAsFellowship(matcher: ProgrammeMatcher, topics: RegExp | null, folded: string): string[] {
  if (!topics || !matcher.programmeWords) return [];
  const found: string[] = [];
  topics.lastIndex = 0;
  for (const m of folded.matchAll(topics)) {
    if (qualifiesANoun(matcher, folded, m.index + m[0].length)) continue;
    // Within its own sentence, as for other topics: "… of the ESOR programme. Hybrid imaging …" names none.
    const { sentence, at, window } = topicInSentence(folded, m.index, m[0]);
    if (distinctMatches(matcher.programmeWords, window).length === 0) continue;
    if (INDEFINITE_BEFORE.test(sentence.slice(0, at)) && !appliedForBefore(matcher, sentence.slice(0, at))) continue;
    found.push(m[0]);
  }
  return [...new Set(found)];
}

/**
 * An indefinite article or the applicant's own possessive just before a topic ("a structured hybrid imaging
 * programme", "our hybrid imaging programme") speaks of some such programme or of her own hospital's, not of
 * the one applied for, unless a word of applying stands before it ("I apply for a hybrid imaging
 * fellowship"): a letter hoping "to bring back a structured hybrid imaging programme to my home
 * institution", naming no fellowship anywhere, was judged by the hybrid imaging programme and told `complete`.
 * ("your hybrid imaging programme" is the host's, and names it.)
 */
const INDEFINITE_BEFORE =
  /(?:^|\s)(?:a|an|un|una|une|ein|eine|einen|um|uma|een|my|our|mon|ma|notre|nos|mio|mia|nostro|nostra|nuestro|nuestra|mein|meine|meinem|meiner|unser|unsere|unserem|meu|minha|nosso|nossa|mijn|onze)\s+(?:[\p{L}-]+\s+){0,2}$/u;

/**
 * True when the topic ending at `end` qualifies the noun after it: "the ESR/EANM hybrid imaging sessions",
 * "hybrid imaging expertise". A letter that named its programme nowhere was judged by the hybrid imaging
 * programme because "ESOR programme" stood in the same sentence as such sessions, and told `complete`.
 */
function qualifiesANoun(matcher: ProgrammeMatcher, folded: string, end: number): boolean {
  if (!matcher.qualifiedNouns) return false;
  const next = /^[\s-]*([\p{L}]+)/u.exec(folded.slice(end, end + 40));
  if (!next) return false;
  return distinctMatches(matcher.qualifiedNouns, next[1]!).some((w) => w === next[1]);
}

/**
 * Fellowships at another host, named in a sentence that applies for them: "please also consider me for
 * the oncologic imaging fellowship at NKI-AVL Amsterdam" (a mail naming two programmes, the second by
 * its host alone, was judged by the first and told `complete`). The host is a capitalised name after
 * "at"/"in" that is none of our programmes' names, hosts or cities and no field ("in Nuclear Medicine").
 * Read in the text as written: capitals are what tell a host from a topic.
 */
function findOtherHosts(matcher: ProgrammeMatcher, text: string): string[] {
  if (!matcher.applicationWords || !matcher.hostNames) return [];
  const folded = foldText(text);
  const found: string[] = [];
  for (const m of text.matchAll(matcher.hostNames)) {
    const hostWords = foldText(m[1]!).split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 1 && !FOLDED_CONNECTORS.has(w));
    if (hostWords.length === 0 || hostWords.some((w) => matcher.notHostWords.has(w))) continue;
    const sentence = sentenceAround(folded, foldText(text.slice(0, m.index)).length);
    if (distinctMatches(matcher.applicationWords, sentence).length === 0) continue;
    found.push(foldText(m[1]!));
  }
  return [...new Set(found)];
}

/** Small words inside a host's name ("Klinik für Radiologie", "Institut de …"), never a host word by themselves. */
const HOST_CONNECTORS = ['of', 'de', 'du', 'des', 'di', 'der', 'für', 'and'];
const FOLDED_CONNECTORS = new Set(HOST_CONNECTORS.map(foldText));

/** "<programme word> at|in [the] <Capitalised Name …>", the programme word in either case of its first letter. */
function hostPattern(programmeWords: readonly string[]): RegExp {
  const either = (w: string) => `[${w[0]!.toLowerCase()}${w[0]!.toUpperCase()}]${w.slice(1).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
  const word = `\\p{Lu}[\\p{L}\\p{N}'’-]*`;
  return new RegExp(
    `(?<![\\p{L}])(?:${programmeWords.map(either).join('|')})\\s+(?:[Aa]t|[Ii]n)\\s+(?:[Tt]he\\s+)?(${word}(?:[ \\t]+(?:${word}|${HOST_CONNECTORS.join('|')}|&))*)`,
    'gu',
  );
}

/**
 * Other topics that stand next to a programme word ("… Musculoskeletal Imaging fellowship …"), or in a
 * sentence that applies for them ("I would also be glad to be considered for Abdominal Imaging in Leuven":
 * a mail naming three fellowships was judged by one of them and told `complete`).
 */
function findOtherFellowships(matcher: ProgrammeMatcher, text: string, appliedForOnly = false): string[] {
  if (!matcher.otherTopics || !matcher.programmeWords) return [];
  const folded = text.replace(COORDINATED_TOPIC, (_, first: string, second: string | undefined, adjective: string | undefined, noun: string) => `${first} ${noun} ${second ?? adjective} ${noun}`);
  const found: string[] = [];
  matcher.otherTopics.lastIndex = 0;
  for (const m of folded.matchAll(matcher.otherTopics)) {
    // Within its own sentence: "… the Hybrid Imaging fellowship. Cardiac imaging has been my daily work" names one.
    const { sentence, at, window } = topicInSentence(folded, m.index, m[0]);
    const appliedFor = appliedForOnly
      ? appliedForBefore(matcher, sentence.slice(Math.max(0, at - APPLIED_REACH), at)) || namedAsAppliedFellowship(matcher, sentence, at, m[0])
      : distinctMatches(matcher.applicationWords, sentence).length > 0;
    if (appliedFor || (!appliedForOnly && distinctMatches(matcher.programmeWords, window).length > 0)) found.push(m[0]);
  }
  return [...new Set(found)];
}

/**
 * Two fields sharing one noun ("the Abdominal and Oncologic Imaging fellowship", "the Abdominal Oncologic
 * Imaging fellowship") are read as both spelt out ("abdominal imaging and oncologic imaging"), so each topic
 * is found whole: two mails applying for two programmes, the second named so, were judged by the first and
 * told `complete` (ct37, cy36). Without "and" the second word must be an adjective's ("oncologic"): "cardiac
 * MR imaging" stays as it is. A match starts only where a word does, never after a hyphen: from inside a
 * hyphenated run ("a-a-a-…", 200,000 characters in a hostile mail) every start rescanned the run, 83 s.
 */
const COORDINATED_TOPIC = /(?<![\p{L}-])([\p{L}-]+) (?:(?:and|&|et|und|e|y|en|i) ([\p{L}-]+)|([\p{L}-]+(?:ic|al|ive|ar))) (imaging|radiology)(?![\p{L}])/gu;

/** How far before a topic (in characters) a word of applying must stand to apply for it beside ours. */
const APPLIED_REACH = 120;

/**
 * Whether `before` (the text just before a topic) applies for it: a word of applying, and no department
 * between ("… Klinik für Diagnostische und Interventionelle Radiologie. Dear members, I am applying" runs
 * letterhead and letter together; "applying … at the Department of Interventional Radiology" is a place).
 */
function appliedForBefore(matcher: ProgrammeMatcher, before: string): boolean {
  if (distinctMatches(matcher.applicationWords, before).length === 0) return false;
  return !/(?:department|dept|institute|institut|klinik|clinic|division|unit|service|servizio|servicio|abteilung|zentrum|centre|center)\s+(?:of|for|fur|de|du|des|di|della|del)?\s*(?:the\s+)?(?:[\p{L}-]+\s+){0,3}$/u.test(before);
}

/** How close (in characters) a programme word must stand to a topic to name a fellowship by it ("Fellowship in Musculoskeletal Imaging"). */
const FELLOWSHIP_REACH = 30;

/**
 * A fellowship named as such ("the ESOR Clinical Fellowship in Musculoskeletal Imaging") after a word of
 * applying earlier in its sentence, however long: "I would like to apply for the ESOR fellowship in hybrid
 * imaging in oncology at Gustave Roussy and, should that place be filled, for the ESOR Clinical Fellowship in
 * Musculoskeletal Imaging at the Karolinska" names two, the second 160 characters after "apply". A
 * fellowship done before ("I completed a fellowship in breast imaging") has no word of applying before it.
 */
function namedAsAppliedFellowship(matcher: ProgrammeMatcher, sentence: string, at: number, topic: string): boolean {
  const near = sentence.slice(Math.max(0, at - FELLOWSHIP_REACH), at + topic.length + FELLOWSHIP_REACH);
  return distinctMatches(matcher.programmeWords, near).length > 0 && distinctMatches(matcher.applicationWords, sentence.slice(0, at)).length > 0;
}

/** The sentence holding a topic found at `index`, where the topic stands in it, and the TOPIC_WINDOW around it there. */
function topicInSentence(folded: string, index: number, topic: string): { sentence: string; at: number; window: string } {
  const sentence = sentenceAround(folded, index);
  const at = sentence.indexOf(topic);
  return { sentence, at, window: sentence.slice(Math.max(0, at - TOPIC_WINDOW), at + topic.length + TOPIC_WINDOW) };
}

/** The sentence (at most 300 characters each way) holding position `at`, from its first character. */
function sentenceAround(text: string, at: number): string {
  const before = text.slice(Math.max(0, at - 300), at);
  const start = Math.max(before.lastIndexOf('. '), before.lastIndexOf('\n\n'), before.lastIndexOf('! '), before.lastIndexOf('? ')) + 1;
  const after = text.slice(at, at + 300);
  const end = after.search(/[.!?](?:\s|$)|\n\n/u);
  return before.slice(start) + (end < 0 ? after : after.slice(0, end));
}

/** The years a call goes by (`all`): its deadline's, and the fellowship's from start to end; `fellowshipFrom`, its first. */
interface CallYears {
  all: ReadonlySet<number>;
  fellowshipFrom: number;
}

/**
 * "ESOR Fellowship 2022/2023", "the 2021 call", "fellowship 2022": a year of the call (its deadline's) or of the
 * fellowship; an academic year only as the fellowship's ("2020/2021" is the call before, whose deadline is 2021's
 * too: cr28).
 */
function callYears(p: Programme): CallYears {
  const start = Number(p.start.slice(0, 4));
  const end = start + Math.floor((Number(p.start.slice(5, 7)) + p.duration_months - 2) / 12);
  const all = new Set([Number(p.deadline.slice(0, 4))]);
  for (let y = start; y <= end; y++) all.add(y);
  return { all, fellowshipFrom: start };
}

/**
 * Years the text gives a fellowship or call, each as [from, to]: a year or an academic year right beside a programme word
 * ("fellowship 2019/2020", "2020-2021 programme", "bourse 2019"). Not years elsewhere in a sentence.
 */
function callYearsNamed(matcher: ProgrammeMatcher, folded: string): Array<[number, number]> {
  if (!matcher.programmeWords) return [];
  const years: Array<[number, number]> = [];
  for (const m of folded.matchAll(CALL_YEAR)) {
    // In the same phrase: "(Master degree 2019, Egyptian Fellowship exam planned …)" dates a degree.
    const before = folded.slice(Math.max(0, m.index - YEAR_REACH), m.index).split(PHRASE_END).at(-1)!;
    const after = folded.slice(m.index + m[0].length, m.index + m[0].length + YEAR_REACH).split(PHRASE_END)[0]!;
    if (distinctMatches(matcher.programmeWords, `${lastWords(before)} ${firstWords(after)}`).length === 0) continue;
    const from = Number(m[1]);
    const to = m[2] ? Number(m[2].length === 2 ? `${m[1]!.slice(0, 2)}${m[2]}` : m[2]) : from;
    if (to < from || to - from > 1) continue; // a span of years is a period, not a call
    years.push([from, to]);
  }
  return years;
}

/** A year, or an academic year ("2019/2020", "2019-20", "2019–2020"). */
const CALL_YEAR = /(?<![\p{L}\p{N}/.-])((?:19|20)\d{2})(?:\s?[/\u2013-]\s?((?:19|20)?\d{2}))?(?![\p{L}\p{N}/.-])/gu;
const PHRASE_END = /[,;:.!?\n]/;
/** How far (characters) a programme word may stand from the year: "fellowship (2019/2020)", "2020 ESOR fellowship". */
const YEAR_REACH = 24;
function lastWords(text: string): string {
  return text.split(/\s+/).slice(-3).join(' ');
}
function firstWords(text: string): string {
  return text.split(/\s+/).slice(0, 3).join(' ');
}
