/**
 * Tesseract's lines joined into table rows (adapters/ocr/rows), from TSV
 * readings written by hand: what tesseract gives for a scanned IELTS form
 * whose cells it put into blocks of their own.
 */
import { scoreTsv } from '../../../adapters/ocr';
import { withoutBorderMarks } from '../../../adapters/ocr/kept-word';
import { lineBoxes, rowsText } from '../../../adapters/ocr/rows';

const HEADER = 'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext';

/** A TSV word row: block.par.line, box, confidence, text. */
const w = (block: number, line: number, left: number, top: number, width: number, height: number, text: string, conf = 95) =>
  [5, 1, block, 1, line, 1, left, top, width, height, conf, text].join('\t');

describe('rowsText', () => {
  it('joins the cells of a table row that tesseract read as separate blocks, left to right', () => {
    const tsv = [
      HEADER,
      w(1, 1, 37, 37, 290, 24, 'IELTS'),
      w(2, 1, 45, 480, 100, 27, 'Listening'), w(2, 1, 160, 480, 90, 27, 'Reading'), w(2, 1, 700, 482, 76, 25, 'Overall'),
      w(3, 1, 45, 535, 30, 14, '8.0'), w(3, 1, 700, 535, 30, 14, '7.5'),
      // The "CEFR Level" cell and its value, read last, far from their rows.
      w(4, 1, 878, 485, 50, 14, 'CEFR'), w(4, 1, 935, 485, 45, 14, 'Level'),
      w(5, 1, 878, 535, 23, 14, 'C1'),
    ].join('\n');
    expect(rowsText(lineBoxes(tsv, 60))).toBe('IELTS\nListening Reading Overall CEFR Level\n8.0 7.5 C1');
    expect(scoreTsv(tsv, 60, 'cells').text).toBe('IELTS\nListening Reading Overall CEFR Level\n8.0 7.5 C1');
    expect(scoreTsv(tsv, 60, 'never').text).toBe('IELTS\nListening Reading Overall\n8.0 7.5\nCEFR Level\nC1');
  });

  it('joins a label and its value ("Date of expiry:" | "03.09.2028")', () => {
    const tsv = [HEADER, w(1, 1, 40, 337, 60, 24, 'Date'), w(1, 1, 105, 337, 30, 24, 'of'), w(1, 1, 140, 337, 80, 24, 'expiry:'), w(2, 1, 600, 339, 150, 22, '03.09.2028')].join('\n');
    expect(rowsText(lineBoxes(tsv, 60))).toBe('Date of expiry: 03.09.2028');
  });

  it('leaves two columns of prose side by side in reading order, column after column', () => {
    const left = (line: number, top: number) => [w(1, line, 40, top, 60, 20, 'left'), w(1, line, 110, top, 60, 20, 'column'), w(1, line, 180, top, 60, 20, 'prose'), w(1, line, 250, top, 60, 20, 'here')];
    const right = (line: number, top: number) => [w(2, line, 640, top, 60, 20, 'right'), w(2, line, 710, top, 60, 20, 'column'), w(2, line, 780, top, 60, 20, 'prose'), w(2, line, 850, top, 60, 20, 'too')];
    const tsv = [HEADER, ...left(1, 100), ...left(2, 130), ...right(1, 101), ...right(2, 131)].join('\n');
    expect(rowsText(lineBoxes(tsv, 60))).toBe('left column prose here\nleft column prose here\nright column prose too\nright column prose too');
  });

  it('keeps lines that only touch apart (the line below a row is not part of it)', () => {
    const tsv = [HEADER, w(1, 1, 40, 100, 60, 24, 'Total'), w(2, 1, 300, 120, 60, 24, '95')].join('\n');
    expect(rowsText(lineBoxes(tsv, 60))).toBe('Total\n95');
  });

  it('drops words below the confidence, and lines left with none', () => {
    const tsv = [HEADER, w(1, 1, 40, 100, 60, 24, 'Score'), w(2, 1, 300, 100, 60, 24, '~~', 12)].join('\n');
    expect(lineBoxes(tsv, 60)).toHaveLength(1);
    expect(rowsText(lineBoxes(tsv, 60))).toBe('Score');
  });
});

describe('words kept from a reading', () => {
  it('keeps a machine-readable zone line tesseract is unsure of (its check digits judge it), not other unsure words', () => {
    const tsv = [
      HEADER,
      w(1, 1, 40, 40, 200, 20, 'PASSPORT'),
      w(1, 2, 40, 80, 60, 20, 'smudge', 31),
      w(2, 1, 40, 400, 900, 24, 'P<PRTEXEMPLO<SANTOS<<ANA<<<<<<<<<<<<<<<<<<<<<', 24),
      w(2, 2, 40, 430, 900, 24, 'X000001<<8PRT8901088F2301251l<<<<<<<<<<<<<<04', 51),
    ].join('\n');
    const text = scoreTsv(tsv, 60, 'never').text;
    expect(text).toContain('P<PRTEXEMPLO<SANTOS<<ANA');
    expect(text).toContain('X000001<<8PRT');
    expect(text).not.toContain('smudge');
    expect(scoreTsv(tsv, 60, 'cells').text).toContain('P<PRTEXEMPLO<SANTOS<<ANA');
  });
});

describe('border marks', () => {
  it("drops a table's or page's border marks at a line's ends, not between cells", () => {
    const tsv = [
      HEADER,
      w(1, 1, 40, 40, 400, 20, 'CONFIERE'), w(1, 1, 140, 40, 40, 20, 'EL'), w(1, 1, 190, 40, 80, 20, 'TITULO'), w(1, 1, 280, 40, 40, 20, 'DE'),
      w(1, 2, 20, 80, 6, 20, '|'), w(1, 2, 40, 80, 200, 20, 'ESPECIALISTA'), w(1, 2, 250, 80, 20, 20, 'EN'), w(1, 2, 280, 80, 120, 20, 'RADIOLOGIA'),
      w(1, 3, 40, 120, 60, 20, 'Overall'), w(1, 3, 110, 120, 6, 20, '|'), w(1, 3, 130, 120, 20, 20, 'C1'), w(1, 3, 160, 120, 6, 20, '|'),
    ].join('\n');
    expect(scoreTsv(tsv, 60, 'never').text).toBe('CONFIERE EL TITULO DE\nESPECIALISTA EN RADIOLOGIA\nOverall | C1');
    expect(scoreTsv(tsv, 60, 'cells').text).toContain('ESPECIALISTA EN RADIOLOGIA');
    expect(scoreTsv(tsv, 60, 'cells').text).not.toMatch(/^\|/m);
  });
});

describe('withoutBorderMarks', () => {
  it('drops a table border at a line\'s ends, a speck glued to its first word, and reads a dollar inside a word as S', () => {
    expect(withoutBorderMarks(['|', '`за', 'призната', 'специалност', '|'])).toEqual(['за', 'призната', 'специалност']);
    expect(withoutBorderMarks(['SPECIJALISTICKOM', 'I$PIT'])).toEqual(['SPECIJALISTICKOM', 'ISPIT']);
    expect(withoutBorderMarks(['fee', '$100', 'paid'])).toEqual(['fee', '$100', 'paid']);
  });
});
