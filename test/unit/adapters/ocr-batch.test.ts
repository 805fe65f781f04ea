/** Several pages in one tesseract run (adapters/ocr/batch): the list run's TSV cut back into pages. */
import { MIN_PAGES_PER_BATCH, pageRuns, renderedPages, splitBatch, splitTsvPages } from '../../../adapters/ocr/batch';
import { pageListing } from '../../../adapters/ocr/resolution';

const HEADER = 'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext';
const row = (level: number, page: number, text = '') => [String(level), String(page), '1', '1', '1', '1', '0', '0', '10', '10', level === 5 ? '90' : '-1', text].join('\t');

describe('OCR batches', () => {
  it("cuts a list run's TSV into one TSV per image, each with the header", () => {
    const tsv = [HEADER, row(1, 1), row(5, 1, 'Overall'), row(1, 2), row(1, 3), row(5, 3, 'C1'), ''].join('\n');
    expect(splitTsvPages(tsv, 3)).toEqual([[HEADER, row(1, 1), row(5, 1, 'Overall')].join('\n'), [HEADER, row(1, 2)].join('\n'), [HEADER, row(1, 3), row(5, 3, 'C1')].join('\n')]);
  });

  it('trusts no page of a run whose page numbers do not match its list', () => {
    expect(splitTsvPages([HEADER, row(1, 1), row(1, 2)].join('\n'), 3)).toBeUndefined(); // a page missing
    expect(splitTsvPages([HEADER, row(1, 1), row(1, 4)].join('\n'), 3)).toBeUndefined(); // one too many
    expect(splitTsvPages('Error opening data file', 1)).toBeUndefined();
  });

  it('splits a batch for the cores only where each part keeps enough pages to pay its model load', () => {
    const pages = (n: number) => Array.from({ length: n }, (_, i) => i);
    expect(splitBatch(pages(1), 2)).toEqual([[0]]);
    expect(splitBatch(pages(MIN_PAGES_PER_BATCH * 2 - 1), 2)).toEqual([pages(MIN_PAGES_PER_BATCH * 2 - 1)]);
    expect(splitBatch(pages(7), 2)).toEqual([[0, 1, 2, 3], [4, 5, 6]]);
    expect(splitBatch(pages(30), 2).map((b) => b.length)).toEqual([15, 15]);
    expect(splitBatch(pages(30), 1)).toEqual([pages(30)]);
  });

  it('groups consecutive pages of one resolution for one pdftoppm run each, split for the cores', () => {
    const at = (index: number, dpi = 200) => ({ index, dpi });
    expect(pageRuns([at(5), at(6), at(8), at(9, 150), at(10, 150), at(13)], 2).map((r) => r.map((p) => p.index))).toEqual([[5, 6], [8], [9, 10], [13]]);
    const long = [5, 6, 7, 8, 9, 10].map((i) => at(i));
    expect(pageRuns(long, 2).map((r) => r.map((p) => p.index))).toEqual([[5, 6, 7], [8, 9, 10]]);
  });

  it("finds each page's image among a run's files by the number pdftoppm gave it", () => {
    expect([...renderedPages(['p-07.pgm', 'p-08.pgm', 'p-07-ink.pgm', 'other.txt', 'p-10.pgm'])]).toEqual([[7, 'p-07.pgm'], [8, 'p-08.pgm'], [10, 'p-10.pgm']]);
  });

  it("picks one page's images out of pdfimages' listing of several pages", () => {
    const out = [
      'page   num  type   width height color comp bpc  enc interp  object ID x-ppi y-ppi size ratio',
      '--------------------------------------------------------------------------------------------',
      '   3     0 image    1240  1754  gray    1   8  jpeg   no         9  0   150   150  201K 9.5%',
      '  13     1 image    1654  2339  rgb     3   8  jpeg   no        12  0   200   200  388K 3.4%',
    ].join('\n');
    expect(pageListing(out, 3)).toMatch(/^ {3}3 +0 image +1240/);
    expect(pageListing(out, 13)).toMatch(/^ {2}13 +1 image +1654/);
    expect(pageListing(out, 1)).toBe('');
  });
});
