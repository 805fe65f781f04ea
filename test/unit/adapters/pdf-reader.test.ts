/**
 * The PDF reader runs pdf.js in a sandbox child: a PDF over its time or
 * memory budget, or one that crashes the reader, is an unreadable PDF with a
 * reason, and the calling process goes on.
 */
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { MAX_PAGE_TEXT, PdfUnreadableError, TOO_BIG_REASON, TOO_SLOW_REASON, closePdfSandbox, readPdfPages } from '../../../adapters/pdf-reader';
import { deflatedZeros, ownerEncrypted, pagesPdf, stream } from '../../hostile/make-hostile';

async function pdfOf(words: string[], opts: { useObjectStreams?: boolean } = {}): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const w of words) doc.addPage([595, 842]).drawText(w, { x: 50, y: 780, size: 14, font });
  return Buffer.from(await doc.save(opts));
}

async function reasonOf(work: Promise<unknown>): Promise<string> {
  const err = await work.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(PdfUnreadableError);
  return (err as PdfUnreadableError).reason;
}

afterAll(closePdfSandbox);

describe('readPdfPages in the sandbox', () => {
  it('reads the pages of a normal PDF, numbered from the first page given, again and again', async () => {
    const pdf = await pdfOf(['Curriculum vitae', 'Letter of recommendation']);
    for (let i = 0; i < 3; i++) {
      const pages = await readPdfPages(pdf, 4);
      expect(pages.map((p) => [p.num, p.text.trim(), p.imageOnly])).toEqual([
        [4, 'Curriculum vitae', false],
        [5, 'Letter of recommendation', false],
      ]);
    }
  });

  it('says why a damaged or empty file cannot be read', async () => {
    expect(await reasonOf(readPdfPages(Buffer.alloc(0)))).toBe('the file is empty');
    expect(await reasonOf(readPdfPages(Buffer.from('hello, not a pdf')))).toBe('it is not a PDF file');
    const pdf = await pdfOf(['One', 'Two']);
    expect(await reasonOf(readPdfPages(pdf.subarray(0, 400)))).toBe('the file is damaged or incomplete');
  });

  it('a PDF that asks for a password is unreadable even where pdf.js rebuilds it without its /Encrypt', async () => {
    // A standard security handler whose password check fails, written after a damaged xref table: qpdf,
    // poppler and Acrobat ask for a password; pdf.js rebuilt the table and read the pages (cr23).
    const pdf = (await pdfOf(['Letter of motivation', 'Curriculum vitae'], { useObjectStreams: false })).toString('latin1');
    const at = pdf.lastIndexOf('trailer');
    const key = '<' + '0b30557a'.repeat(8) + '>';
    const locked = pdf.slice(0, at)
      + `9999 0 obj\n<< /Filter /Standard /V 2 /R 3 /Length 128 /P -1060 /O ${key} /U ${key} >>\nendobj\n`
      + pdf.slice(at).replace('<<', `<< /Encrypt 9999 0 R /ID [<${'ab'.repeat(16)}> <${'ab'.repeat(16)}>]`);
    expect(await reasonOf(readPdfPages(Buffer.from(locked, 'latin1')))).toBe('it is protected by a password');
  });

  it('reads a PDF with an owner password only: it opens without one', async () => {
    const pages = await readPdfPages(ownerEncrypted(await pdfOf(['Letter of motivation'])));
    expect(pages.map((p) => p.text.trim())).toEqual(['Letter of motivation']);
  });

  it('cuts a page of absurd length, so that no crafted stream sends hundreds of MB back', async () => {
    // Words drawn over each other inside the page box (text outside it is not read).
    const line = `BT /F1 10 Tf 40 700 Td ${'(Radiology1 ) Tj 0 0 Td '.repeat(40_000)}ET`;
    const pdf = pagesPdf(['/Contents 5 0 R'], [`<< /Length ${line.length} >>\nstream\n${line}\nendstream`]);
    const [page] = await readPdfPages(pdf);
    expect(page!.text.length).toBe(MAX_PAGE_TEXT);
  });

  it('stops a read that exceeds its time budget, and the next PDF is read as usual', async () => {
    // A page pdf.js needs seconds for, against a budget of a tenth of a second: a fast machine cannot finish
    // it in time (a one-page text PDF against 1 ms could, and did, on CI's machine).
    const slow = pagesPdf(['/Contents 5 0 R'], [stream('', Buffer.from('0 0 m 1 1 l S\n'.repeat(2_000_000)), true)]);
    expect(await reasonOf(readPdfPages(slow, 1, { limits: { timeoutMs: 100 } }))).toBe(TOO_SLOW_REASON);
    const pdf = await pdfOf(['Curriculum vitae']);
    expect((await readPdfPages(pdf)).map((p) => p.text.trim())).toEqual(['Curriculum vitae']);
  });

  it('stops a decompression bomb at its memory limit', async () => {
    const bomb = deflatedZeros(1200 * 1024 * 1024);
    const pdf = pagesPdf(['/Contents 5 0 R'], [Buffer.concat([Buffer.from(`<< /Filter /FlateDecode /Length ${bomb.length} >>\nstream\n`), bomb, Buffer.from('\nendstream')])]);
    // The inflating happens in the reading child: this process grows by far less than the bomb. (Its own
    // size says nothing: making the bomb and the other suites in this jest worker weigh on it too.)
    const before = process.memoryUsage().rss;
    expect(await reasonOf(readPdfPages(pdf, 1, { limits: { memoryMb: 256 } }))).toBe(TOO_BIG_REASON);
    expect(process.memoryUsage().rss - before).toBeLessThan(512 * 1024 * 1024);
  });
});
