/**
 * Which words of a tesseract reading are kept: those read with at least the minimum confidence, and
 * every word shaped like a line of a passport's machine-readable zone. Tesseract's language models know
 * no words like "P<PRTOLIVEIRA<SANTOS<<CARMEN<<<<<<<<<<<<<<<<" and give them a confidence of 30 or so on
 * a clean scan, so the zone vanished with the noise and a passport's date of issue was read as its expiry.
 * An MRZ line needs no confidence from the reader: its check digits (ICAO 9303) reject a misread.
 */
const MRZ_LINE = /^[A-Za-z0-9<]{20,}$/;
const OCR_MARKS = /[()|'.,:;!]/g;
/** Fillers an MRZ line has plenty of (a name's and the optional data's); a misread '<' may be a 'c' or an 'l'. */
const MIN_FILLERS = 5;

export function keptWord(word: string, confidence: number, minConfidence: number): boolean {
  if (!word) return false;
  if (confidence >= minConfidence) return true;
  // A stray mark inside the zone ("…<<<<0)2") is OCR's, not the zone's; the MRZ reader drops it too.
  const bare = word.replace(OCR_MARKS, '');
  return word.length - bare.length <= 2 && MRZ_LINE.test(bare) && bare.split('<').length - 1 >= MIN_FILLERS;
}
