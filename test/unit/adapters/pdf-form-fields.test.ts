/**
 * A filled PDF form's answers (AcroForm widget values) are read into the page text where a human
 * reads them: after the label on the widget's line, once, in reading order. All data synthetic.
 */
import { PDFBool, PDFDocument, PDFName, type PDFFont, type PDFPage, StandardFonts } from 'pdf-lib';
import { closePdfSandbox, readPdfPages } from '../../../adapters/pdf-reader';
import { MAX_WIDGETS_PER_PAGE, layoutText, widgetText } from '../../../adapters/pdf-sandbox/form-fields';
import { readTextLayer } from '../../../adapters/pdf-sandbox/text-layer';
import { buildPdf, stream } from '../../hostile/make-hostile';

afterAll(closePdfSandbox);

interface Cv {
  doc: PDFDocument;
  page: PDFPage;
  font: PDFFont;
}

/** A CV page with labels printed in its content; the answers are added as fields by each test. */
async function cvPage(): Promise<Cv> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595, 842]);
  page.drawText('ESOR Curriculum Vitae', { x: 50, y: 790, size: 16, font });
  page.drawText('Country of residence:', { x: 50, y: 740, size: 11, font });
  page.drawText('Date of board certification:', { x: 50, y: 710, size: 11, font });
  page.drawText('English level:', { x: 50, y: 680, size: 11, font });
  page.drawText('Member of the ESR', { x: 72, y: 650, size: 11, font });
  page.drawText('Member of the RSNA', { x: 272, y: 650, size: 11, font });
  page.drawText('Position:', { x: 50, y: 620, size: 11, font });
  page.drawText('Full-time', { x: 172, y: 620, size: 11, font });
  page.drawText('Part-time', { x: 272, y: 620, size: 11, font });
  page.drawText('Signature and date', { x: 50, y: 560, size: 11, font });
  return { doc, page, font };
}

function text(cv: Cv, name: string, value: string, x: number, y: number, width = 200): void {
  const field = cv.doc.getForm().createTextField(name);
  field.addToPage(cv.page, { x, y, width, height: 18, font: cv.font });
  field.setText(value);
}

async function filledCv(): Promise<Cv> {
  const cv = await cvPage();
  const form = cv.doc.getForm();
  text(cv, 'country', 'Portugal', 220, 735);
  text(cv, 'boardDate', '14/06/2021', 220, 705);
  const level = form.createDropdown('english');
  level.addOptions(['B2', 'C1', 'C2']);
  level.addToPage(cv.page, { x: 220, y: 675, width: 80, height: 18, font: cv.font });
  level.select('C1');
  const esr = form.createCheckBox('esr');
  esr.addToPage(cv.page, { x: 50, y: 647, width: 14, height: 14 });
  esr.check();
  const rsna = form.createCheckBox('rsna'); // not ticked: adds nothing
  rsna.addToPage(cv.page, { x: 250, y: 647, width: 14, height: 14 });
  const position = form.createRadioGroup('position');
  position.addOptionToPage('Full-time', cv.page, { x: 150, y: 617, width: 14, height: 14 });
  position.addOptionToPage('Part-time', cv.page, { x: 250, y: 617, width: 14, height: 14 });
  position.select('Full-time');
  text(cv, 'empty', '', 220, 590); // empty: adds nothing
  const hidden = form.createTextField('internal');
  hidden.addToPage(cv.page, { x: 400, y: 735, width: 100, height: 18, font: cv.font, hidden: true });
  hidden.setText('hidden note');
  const secret = form.createTextField('pin');
  secret.addToPage(cv.page, { x: 400, y: 705, width: 100, height: 18, font: cv.font });
  secret.setText('1234');
  secret.enablePassword();
  form.createButton('print').addToPage('Print', cv.page, { x: 400, y: 780, width: 80, height: 20, font: cv.font });
  return cv;
}

async function pageText(pdf: Uint8Array): Promise<string> {
  const [page] = await readTextLayer(pdf, 1);
  return page!.text;
}

const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;

describe('filled PDF forms in the text layer', () => {
  it('puts each answer after its label, in reading order, and nothing for empty, unticked, hidden or secret fields', async () => {
    const t = await pageText(await (await filledCv()).doc.save());
    expect(t.split('\n')).toEqual([
      'ESOR Curriculum Vitae',
      'Country of residence: Portugal',
      'Date of board certification: 14/06/2021',
      'English level: C1',
      // A box's label stands to its right; pdf-lib's radio on-states are '0', '1', read as "Yes".
      'Yes Member of the ESR Member of the RSNA',
      'Position: Yes Full-time Part-time',
      'Signature and date',
    ]);
    expect(t).not.toMatch(/hidden note|1234|Print|Off/);
  });

  it('reads the values in the sandbox child as well (its own pdf.js in a worker thread)', async () => {
    const [page] = await readPdfPages(Buffer.from(await (await filledCv()).doc.save()), 2);
    expect(page!.num).toBe(2);
    expect(page!.text).toContain('Country of residence: Portugal\nDate of board certification: 14/06/2021\nEnglish level: C1\n');
  });

  it("pdf.js's page text holds no widget appearance: a value with an appearance stream is added once", async () => {
    const cv = await cvPage();
    text(cv, 'country', 'Portugal', 220, 735);
    const pdf = await cv.doc.save(); // pdf-lib writes the field's appearance stream (its /AP) here
    expect(count(await pageText(pdf), 'Portugal')).toBe(1);
    // Without our reading the value is not in the page text at all: the test of the premise.
    const { PDFParse } = await import('pdf-parse');
    const parser = new PDFParse({ data: new Uint8Array(pdf), verbosity: 0 });
    expect((await parser.getText()).pages[0]!.text).not.toContain('Portugal');
    await parser.destroy();
  });

  it('adds nothing to a flattened form, whose values the page content prints', async () => {
    const cv = await filledCv();
    cv.doc.getForm().flatten();
    const pdf = await cv.doc.save();
    const t = await pageText(pdf);
    expect(count(t, 'Portugal')).toBe(1);
    expect(count(t, '14/06/2021')).toBe(1);
    const { PDFParse } = await import('pdf-parse');
    const parser = new PDFParse({ data: new Uint8Array(pdf), verbosity: 0 });
    expect(t).toBe((await parser.getText()).pages[0]!.text);
    await parser.destroy();
  });

  it('adds nothing a line already prints (a form printed into its page and left fillable)', async () => {
    const cv = await cvPage();
    cv.page.drawText('Portugal', { x: 224, y: 740, size: 11, font: cv.font });
    text(cv, 'country', 'Portugal', 220, 735);
    text(cv, 'boardDate', '14/06/2021', 220, 705);
    const t = await pageText(await cv.doc.save());
    expect(count(t, 'Portugal')).toBe(1);
    expect(t).toContain('Date of board certification: 14/06/2021');
  });

  it('reads a form with NeedAppearances and no appearance streams (values only in /V)', async () => {
    const cv = await cvPage();
    text(cv, 'country', 'Portugal', 220, 735);
    text(cv, 'boardDate', '14/06/2021', 220, 705);
    const form = cv.doc.getForm();
    form.acroForm.dict.set(PDFName.of('NeedAppearances'), PDFBool.True);
    for (const field of form.getFields()) for (const w of field.acroField.getWidgets()) w.dict.delete(PDFName.of('AP'));
    const t = await pageText(await cv.doc.save({ updateFieldAppearances: false }));
    expect(t).toContain('Country of residence: Portugal\nDate of board certification: 14/06/2021\n');
  });

  it('gives a field with no text on its line a line of its own below the label above it, on its page', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    doc.addPage([595, 842]).drawText('Page one', { x: 50, y: 780, size: 11, font });
    const page = doc.addPage([595, 842]);
    page.drawText('Institution where you trained', { x: 50, y: 760, size: 11, font });
    page.drawText('References', { x: 50, y: 650, size: 11, font });
    const field = doc.getForm().createTextField('institution');
    field.enableMultiline();
    field.addToPage(page, { x: 50, y: 690, width: 400, height: 50, font });
    field.setText('Hospital de Santa Maria,\r\nLisboa');
    const pages = await readTextLayer(await doc.save(), 3);
    expect(pages.map((p) => [p.num, p.text])).toEqual([
      [3, 'Page one'],
      [4, 'Institution where you trained\nHospital de Santa Maria,\nLisboa\nReferences'],
    ]);
  });

  it('keeps a page whose only text is form values image-only, so that OCR still reads the scan', async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage([595, 842]);
    const field = doc.getForm().createTextField('name');
    field.addToPage(page, { x: 50, y: 700, width: 200, height: 18 });
    field.setText('Maria Exemplo');
    const [read] = await readTextLayer(await doc.save(), 1);
    expect(read).toEqual({ num: 1, text: 'Maria Exemplo', imageOnly: true });
  });

  it('costs little for a page of 100,000 widgets, and its text is read as before', async () => {
    const n = 100_000;
    const refs = Array.from({ length: n }, (_, i) => `${7 + i} 0 R`).join(' ');
    const pdf = buildPdf([
      `<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [${refs}] >> >>`,
      '<< /Type /Pages /Kids [4 0 R] /Count 1 >>',
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R /Annots [${refs}] >>`,
      stream('', Buffer.from('BT /F1 11 Tf 50 740 Td (Country of residence:) Tj ET')),
      stream('/Type /XObject /Subtype /Form /BBox [0 0 250 18] /Resources << /Font << /F1 3 0 R >> >>', Buffer.from('BT /F1 10 Tf 2 4 Td (Portugal) Tj ET')),
      ...Array.from({ length: n }, (_, i) => `<< /Type /Annot /Subtype /Widget /FT /Tx /T (f${i}) /V (Portugal ${i}) /Rect [50 ${100 + (i % 600)} 300 ${118 + (i % 600)}] /F 4 /P 4 0 R /AP << /N 6 0 R >> >>`),
    ]);
    const started = Date.now();
    const [page] = await readPdfPages(pdf);
    // pdf.js alone needs ≈20 s and ≈800 MB for these widgets (over the sandbox's memory budget): the widget reader is stopped first.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(page!.text.startsWith('Country of residence:')).toBe(true);
    expect(page!.text.split('\n').length).toBeLessThanOrEqual(MAX_WIDGETS_PER_PAGE + 1);
  });

  it('caps the widgets of a page and the length of a value', async () => {
    const cv = await cvPage();
    for (let i = 0; i < MAX_WIDGETS_PER_PAGE + 100; i++) text(cv, `f${i}`, `Answer ${i}`, 50, 100 + (i % 400), 100);
    text(cv, 'long', 'x'.repeat(10_000), 220, 735);
    const t = await pageText(await cv.doc.save());
    expect(count(t, 'Answer ')).toBeLessThanOrEqual(MAX_WIDGETS_PER_PAGE);
    expect(t.length).toBeLessThan(MAX_WIDGETS_PER_PAGE * 12 + 3000);
  });
});

describe('form field values', () => {
  it('writes a ticked box by its on-state name, generic names as "Yes"', () => {
    const box = { subtype: 'Widget', fieldType: 'Btn', checkBox: true };
    expect(widgetText({ ...box, exportValue: 'Yes', fieldValue: 'Yes' })).toBe('Yes');
    expect(widgetText({ ...box, exportValue: 'Choice1', fieldValue: 'Choice1' })).toBe('Yes');
    expect(widgetText({ ...box, exportValue: 'Portugal', fieldValue: 'Portugal' })).toBe('Portugal');
    expect(widgetText({ ...box, exportValue: 'Yes', fieldValue: 'Off' })).toBeUndefined();
    expect(widgetText({ subtype: 'Widget', fieldType: 'Btn', radioButton: true, buttonValue: 'C1', fieldValue: 'C2' })).toBeUndefined();
    expect(widgetText({ subtype: 'Widget', fieldType: 'Sig', fieldValue: 'x' })).toBeUndefined();
    expect(widgetText({ subtype: 'Widget', fieldType: 'Tx', fieldValue: 'Lisboa', annotationFlags: 32 })).toBeUndefined();
  });

  it('lays out text as pdf-parse does', () => {
    const items = [
      { str: 'Name:', x: 50, y: 100, width: 30, height: 11, hasEOL: false },
      { str: 'Maria', x: 200, y: 100, width: 30, height: 11, hasEOL: true },
      { str: 'Country:', x: 50, y: 130, width: 40, height: 11, hasEOL: false },
    ];
    expect(layoutText(items)).toEqual({ text: 'Name:\tMaria\nCountry:', starts: [0, 5, 12], ends: [5, 11, 20] });
  });
});
