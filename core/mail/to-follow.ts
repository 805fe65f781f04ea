/**
 * Documents a mail says come later: "the letter of recommendation will follow",
 * "die Facharzturkunde reiche ich nach", "my board certificate has not been
 * issued yet". Read per clause, so "attached are my CV and passport, the rest
 * will follow" names nothing to follow. A clause names the sections whose titles
 * (common.yaml) it holds; a title two sections share ("Facharzturkunde": the
 * board certificate, or the specialisation beside the degree) names both.
 */
import { distinctMatches, foldText } from '../normalize';
import type { SectionId } from '../types';

export interface ToFollow {
  /** The sections the clause's titles name. */
  sections: SectionId[];
  /** The phrase of coming later, folded. */
  said: string;
}

export interface ToFollowVocabulary {
  phrases: RegExp | null;
  titles: Array<{ id: SectionId; re: RegExp | null }>;
}

/** Clause ends: sentence ends, and the commas, semicolons, colons, brackets and dashes inside a sentence. */
const CLAUSE_END = /[.!?;:,()\u2013\u2014]+|\s-\s|\n\s*\n/u;

/** What the sender's own words (`text`: subject and body without quotes) say will follow. */
export function documentsToFollow(text: string, v: ToFollowVocabulary): ToFollow[] {
  if (!v.phrases) return [];
  const out: ToFollow[] = [];
  for (const clause of foldText(text).split(CLAUSE_END)) {
    const said = distinctMatches(v.phrases, clause);
    if (said.length === 0) continue;
    const sections = v.titles.filter((t) => distinctMatches(t.re, clause).length > 0).map((t) => t.id);
    if (sections.length > 0) out.push({ sections, said: said[0]! });
  }
  return out;
}
