/**
 * Which words of a tesseract reading are kept: those read with at least the minimum confidence, a
 * results cell read with less (RESULT_CELL), and every word shaped like a line of a passport's
 * machine-readable zone. Tesseract's language models know
 * no words like "P<PRTOLIVEIRA<SANTOS<<CARMEN<<<<<<<<<<<<<<<<" and give them a confidence of 30 or so on
 * a clean scan, so the zone vanished with the noise and a passport's date of issue was read as its expiry.
 * An MRZ line needs no confidence from the reader: its check digits (ICAO 9303) reject a misread.
 */
import { withoutStrayMarks } from '../../core/facts/mrz';

/** A zone line as OCR reads it: a misread '<' may be a 'c' or an 'l'. */
const MRZ_LINE = /^[A-Za-z0-9<]{20,}$/;

/**
 * A results cell: a CEFR level ("C1", OCR's "cl") or a band score ("7.0"). Printed light or in a shaded box
 * on a test report, tesseract reads them right with a confidence of 30 to 50: a scanned IELTS form lost its
 * "CEFR Level C1" and its overall band, and a readable certificate went to a person. Alone they say nothing;
 * the level reader still needs the exam or the language beside them.
 */
const RESULT_CELL = /^(?:[ABCabc][12lI|]\+?|\d\.[05])[.,;:]?$/;
const RESULT_CELL_MIN_CONFIDENCE = 20;

export function keptWord(word: string, confidence: number, minConfidence: number): boolean {
  if (!word) return false;
  if (confidence >= minConfidence) return true;
  if (confidence >= RESULT_CELL_MIN_CONFIDENCE && RESULT_CELL.test(word)) return true;
  // Stray marks inside the zone ("…<<<<0)2") are OCR's; the MRZ reader drops them by the same rule.
  const bare = withoutStrayMarks(word);
  return bare !== undefined && MRZ_LINE.test(bare);
}

/**
 * A line's words without the marks a table's or a page's border leaves at its ends ("| ESPECIALISTA EN
 * RADIOLOGIA", "2019. |"): read as words they split a title from the line before ("CONFIERE EL TITULO DE"
 * / "| ESPECIALISTA …" no longer read as "título de especialista"). Marks between words stay (a table's cells).
 */
export function withoutBorderMarks(words: readonly string[]): string[] {
  let a = 0;
  let b = words.length;
  while (a < b && BORDER_MARK.test(words[a]!)) a++;
  while (b > a && BORDER_MARK.test(words[b - 1]!)) b--;
  const kept = words.slice(a, b);
  // A speck before a line's first word is read as a mark glued to it ("`за призната специалност" under
  // "СВИДЕТЕЛСТВО"): the title across the two lines no longer matched, and a scanned Bulgarian specialist
  // certificate was read as nobody's document.
  if (kept.length > 0) kept[0] = kept[0]!.replace(LEADING_SPECK, '');
  // An S read as a dollar sign inside a word ("SPECIJALISTICKOM I$PIT"): no word holds one.
  return kept.map((w) => w.replace(DOLLAR_FOR_S, (_, next: string) => (next === next.toLowerCase() ? 's' : 'S') + next));
}

const DOLLAR_FOR_S = /(?<=\p{L})\$(\p{L})/gu;
/** Marks before a letter: the word itself always stays. */
const LEADING_SPECK = /^[`´'"‘’‚“”„«»~^]+(?=\p{L})/u;

const BORDER_MARK = /^[|[\]{}¦]+$/;
