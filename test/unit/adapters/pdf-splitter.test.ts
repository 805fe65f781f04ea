/**
 * Section PDFs cut with qpdf: owner-password PDFs are decrypted and page
 * numbers across several PDFs never shift.
 */
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { readPdfPages } from '../../../adapters/pdf-reader';
import { splitSections } from '../../../adapters/pdf-splitter';
import type { SectionSpan } from '../../../core/types';
import { deflatedZeros, ownerEncrypted, pagesPdf } from '../../hostile/make-hostile';

async function pdfOf(words: string[]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const w of words) doc.addPage([595, 842]).drawText(w, { x: 50, y: 780, size: 14, font });
  return Buffer.from(await doc.save());
}

const HELLO = 'BT /F1 12 Tf 40 800 Td (Hello) Tj ET';
const span = (id: string, from: number, to: number): SectionSpan => ({ id: id as SectionSpan['id'], pages: [from, to], confidence: 1 });

async function texts(data: Uint8Array): Promise<string[]> {
  return (await readPdfPages(data)).map((p) => p.text.trim());
}

describe('splitSections', () => {
  it('cuts across PDFs with an owner-password PDF first, and no page shifts', async () => {
    const first = ownerEncrypted(await pdfOf(['Alpha one', 'Alpha two', 'Alpha three']));
    const second = await pdfOf(['Bravo one', 'Bravo two']);
    const out = await splitSections([first, second], [span('cv', 1, 2), span('letter', 3, 4), span('passport', 5, 5)]);
    expect(out.map((o) => o.span.id)).toEqual(['cv', 'letter', 'passport']);
    expect(await texts(out[0]!.data)).toEqual(['Alpha one', 'Alpha two']);
    expect(await texts(out[1]!.data)).toEqual(['Alpha three', 'Bravo one']);
    expect(await texts(out[2]!.data)).toEqual(['Bravo two']);
  });

  it('gives no file for a span beyond the pages, and stops numbering at a PDF it cannot count', async () => {
    const good = await pdfOf(['Alpha one', 'Alpha two']);
    const out = await splitSections([Buffer.from('not a pdf at all'), good], [span('cv', 1, 1), span('letter', 3, 9)]);
    expect(out).toEqual([]);
    const counted = await splitSections([Buffer.from('not a pdf at all'), good], [span('cv', 1, 1)], { pageCounts: [0, 2] });
    expect(await texts(counted[0]!.data)).toEqual(['Alpha one']);
  });

  it('cuts a PDF carrying an unreferenced object-stream bomb without inflating it', async () => {
    const bomb = deflatedZeros(400 * 1024 * 1024, 0x30);
    const pdf = pagesPdf(['/Contents 5 0 R'], [
      `<< /Length ${HELLO.length} >>\nstream\n${HELLO}\nendstream`,
      Buffer.concat([Buffer.from(`<< /Type /ObjStm /N 150000000 /First 10 /Filter /FlateDecode /Length ${bomb.length} >>\nstream\n`), bomb, Buffer.from('\nendstream')]),
    ]);
    const out = await splitSections([pdf], [span('cv', 1, 1)]);
    expect(out).toHaveLength(1);
    expect(await texts(out[0]!.data)).toEqual(['Hello']);
  });
});
