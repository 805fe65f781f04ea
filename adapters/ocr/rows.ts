/**
 * Lines of a tesseract TSV reading joined into the rows they sit on.
 *
 * Why: on a table, tesseract's page segmentation makes each cell (or each
 * group of cells) a block of its own, and its text comes out block by block:
 * "Listening Reading Writing Speaking", then "Overall", then "CEFR Level",
 * then the values on lines of their own, far from their labels. The fact
 * readers expect a row as a text layer gives it ("… Overall CEFR Level" above
 * "8.0 7.5 7.0 7.5 7.5 C1"). Tesseract's own lines are kept whole (it follows
 * a slightly rotated scan's baseline better than boxes would); lines whose
 * boxes share most of their height are joined left to right, and rows come
 * top to bottom.
 *
 * Only cells are joined: two columns of prose side by side stay as
 * tesseract read them, column after column.
 */
import { keptWord, withoutBorderMarks } from './kept-word';

/** One tesseract line: its confident words and the box around them (pixels). */
export interface LineBox {
  words: string[];
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** A line joins a row when their boxes overlap by this share of the lower one's height. */
const SAME_ROW_OVERLAP = 0.5;

/** Tesseract's lines (block.par.line) with their words of at least `minConfidence`, in TSV order; lines with none are left out. */
export function lineBoxes(tsv: string, minConfidence: number): LineBox[] {
  const lines = new Map<string, LineBox>();
  for (const row of tsv.split('\n').slice(1)) {
    const f = row.split('\t');
    if (f.length < 12 || f[0] !== '5') continue;
    const word = f[11]!.trim();
    if (!keptWord(word, Number(f[10]), minConfidence)) continue;
    const [left, top, width, height] = [Number(f[6]), Number(f[7]), Number(f[8]), Number(f[9])];
    const key = `${f[2]}.${f[3]}.${f[4]}`;
    const line = lines.get(key);
    if (!line) {
      lines.set(key, { words: [word], left, top, right: left + width, bottom: top + height });
      continue;
    }
    line.words.push(word);
    line.left = Math.min(line.left, left);
    line.top = Math.min(line.top, top);
    line.right = Math.max(line.right, left + width);
    line.bottom = Math.max(line.bottom, top + height);
  }
  return [...lines.values()];
}

/**
 * The lines joined into rows (see the header): a line joins an earlier row whose box shares most of its
 * height when it or every line of that row is a cell (at most MAX_CELL_WORDS words: two lines of prose side
 * by side stay apart, in tesseract's order). Rows keep tesseract's order; a row's lines go left to right.
 */
export function rowsText(lines: readonly LineBox[]): string {
  const rows: Array<{ top: number; bottom: number; lines: LineBox[] }> = [];
  const isCell = (l: LineBox) => l.words.length <= MAX_CELL_WORDS;
  for (const line of lines) {
    const height = line.bottom - line.top;
    const row = rows.find((r) => {
      const overlap = Math.min(r.bottom, line.bottom) - Math.max(r.top, line.top);
      return overlap >= SAME_ROW_OVERLAP * Math.min(height, r.bottom - r.top) && (isCell(line) || r.lines.every(isCell));
    });
    if (row) {
      row.lines.push(line);
      row.top = Math.min(row.top, line.top);
      row.bottom = Math.max(row.bottom, line.bottom);
    } else {
      rows.push({ top: line.top, bottom: line.bottom, lines: [line] });
    }
  }
  return rows.map((r) => withoutBorderMarks(r.lines.sort((a, b) => a.left - b.left).flatMap((l) => l.words)).join(' ')).join('\n');
}

/** A line of at most this many words can be a table cell ("CEFR Level", "C1", "Overall Band Score"). */
const MAX_CELL_WORDS = 3;
