/**
 * Letter-spaced text (wide character spacing, Tc): pdf.js gives it back one glyph at a time, word gaps lost;
 * pdftotext (poppler-utils, as OCR needs it) gives the words back for those pages only.
 */
import { PDFDocument, setCharacterSpacing, StandardFonts } from 'pdf-lib';
import { readPdfPages } from '../../../adapters/pdf-reader';
import { isLetterSpaced } from '../../../adapters/spaced-text';

async function letterSpacedPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const spaced = doc.addPage();
  spaced.pushOperators(setCharacterSpacing(2.5));
  const lines = ['Letter of motivation', 'Dear members of the selection committee,', 'I am writing to apply for the ESOR fellowship in hybrid imaging.', 'My experience in oncologic imaging is broad and my motivation strong.'];
  lines.forEach((line, i) => spaced.drawText(line, { x: 50, y: 760 - i * 20, size: 11, font }));
  const plain = doc.addPage();
  plain.drawText('Curriculum vitae of a synthetic applicant', { x: 50, y: 760, size: 11, font });
  return doc.save();
}

describe('letter-spaced pages', () => {
  it('tells letter-spaced text from prose', () => {
    expect(isLetterSpaced('L e t t e r o f m o t i v a t i o n D e a r m e m b e r s o f t h e c o m m i t t e e')).toBe(true);
    expect(isLetterSpaced('Letter of motivation. Dear members of the committee, I am writing to apply for a fellowship in hybrid imaging at a cancer centre in 2022, and I have 5 papers.')).toBe(false);
    expect(isLetterSpaced('A B C')).toBe(false);
  });

  it('reads a letter-spaced page with its words, and leaves the other pages as pdf.js read them', async () => {
    const pages = await readPdfPages(await letterSpacedPdf());
    expect(pages[0]!.text).toMatch(/Letter of motivation/);
    expect(pages[0]!.text).toMatch(/apply for the ESOR fellowship/);
    expect(pages[1]!.text).toBe('Curriculum vitae of a synthetic applicant');
  }, 30_000);
});
