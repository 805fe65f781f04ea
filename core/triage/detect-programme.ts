/**
 * Which programme an e-mail applies for: the programme files' aliases matched
 * in the subject and body, then in the motivation letter. Another ESOR topic
 * named as a fellowship beside ours counts as naming several programmes.
 */
import { compilePhrases, distinctMatches, foldText } from '../normalize';
import type { CommonRules, Programme } from '../rules/schema';

export interface ProgrammeMatcher {
  programmes: Array<{ id: string; aliases: RegExp | null }>;
  otherTopics: RegExp | null;
  programmeWords: RegExp | null;
}

export interface ProgrammeDetection {
  programme: string | null;
  /** named: exactly one; several: more than one programme named; unnamed: none. */
  how: 'named' | 'several' | 'unnamed';
  where?: 'mail' | 'motivation';
  evidence: string[];
}

/** How close (in characters) a programme word must stand to another topic to name it as a fellowship. */
const TOPIC_WINDOW = 60;

export function compileProgrammeMatcher(programmes: readonly Programme[], other: CommonRules['other_programmes']): ProgrammeMatcher {
  const compiled = programmes.map((p) => ({ id: p.id, aliases: compilePhrases([...p.aliases, p.title]) }));
  // A topic that is (part of) one of our own programmes' names is no foreign programme: with an
  // abdominal imaging programme in the rules, "abdominal imaging fellowship" names ours.
  const ownNames = programmes.flatMap((p) => [...p.aliases, p.title]).map(foldText);
  const topics = other.topics.filter((topic) => {
    const folded = foldText(topic);
    return !ownNames.some((name) => name.includes(folded)) && !compiled.some((p) => distinctMatches(p.aliases, folded).length > 0);
  });
  return {
    programmes: compiled,
    otherTopics: compilePhrases(topics),
    programmeWords: compilePhrases(other.programme_words),
  };
}

/** Detects the programme from the mail text first, then from the motivation letter. */
export function detectProgramme(matcher: ProgrammeMatcher, mailText: string, motivationText: string): ProgrammeDetection {
  const mail = foldText(mailText);
  const inMail = matchProgrammes(matcher, mail);
  const foreign = inMail.length === 1 ? findOtherFellowships(matcher, mail) : [];
  if (inMail.length > 1 || foreign.length > 0) {
    return { programme: inMail[0]!.id, how: 'several', where: 'mail', evidence: [...inMail.flatMap((m) => m.words), ...foreign].slice(0, 6) };
  }
  if (inMail.length === 1) return { programme: inMail[0]!.id, how: 'named', where: 'mail', evidence: inMail[0]!.words.slice(0, 3) };
  const inLetter = matchProgrammes(matcher, foldText(motivationText));
  if (inLetter.length === 1) {
    return { programme: inLetter[0]!.id, how: 'named', where: 'motivation', evidence: inLetter[0]!.words.slice(0, 3) };
  }
  if (inLetter.length > 1) {
    return { programme: null, how: 'several', where: 'motivation', evidence: inLetter.flatMap((m) => m.words).slice(0, 6) };
  }
  return { programme: null, how: 'unnamed', evidence: [] };
}

function matchProgrammes(matcher: ProgrammeMatcher, folded: string): Array<{ id: string; words: string[] }> {
  return matcher.programmes
    .map((p) => ({ id: p.id, words: distinctMatches(p.aliases, folded) }))
    .filter((p) => p.words.length > 0);
}

/** Other topics that stand next to a programme word ("… Musculoskeletal Imaging fellowship …"). */
function findOtherFellowships(matcher: ProgrammeMatcher, folded: string): string[] {
  if (!matcher.otherTopics || !matcher.programmeWords) return [];
  const found: string[] = [];
  matcher.otherTopics.lastIndex = 0;
  for (const m of folded.matchAll(matcher.otherTopics)) {
    const from = Math.max(0, m.index - TOPIC_WINDOW);
    const window = folded.slice(from, m.index + m[0].length + TOPIC_WINDOW);
    if (distinctMatches(matcher.programmeWords, window).length > 0) found.push(m[0]);
  }
  return [...new Set(found)];
}
