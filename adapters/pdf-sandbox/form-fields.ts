/**
 * The values of a filled PDF form (AcroForm) in the page text. Applicants fill the ESOR CV template
 * and exported certificates as PDF forms; the answers live in widget annotations' field values (`/V`),
 * not in the page's content stream, so pdf.js's text (and pdftotext's) holds the labels without them.
 *
 * Each widget's value is put where a human reads it: on the line whose text shares the widget's
 * vertical position, after the label to its left (or, for a check box or radio button, before the
 * label to its right), or as a line of its own at the widget's height. pdf.js's page text does not
 * include widgets' appearance streams (test/unit/adapters/pdf-form-fields.test.ts checks it), so a
 * value is added once; a value the page's content already prints on that line (a form whose
 * answers were also printed into the page) is not added again. A flattened form has no widgets.
 *
 * Runs in the PDF sandbox child, under its time and memory budgets: the widgets are read by a second
 * pdf.js in a worker thread of the child with its own small heap, a time limit and a watch on the
 * child's memory (readWidgets), their placement uses the document pdf-parse opened. The widgets looked
 * at are capped per page and per document, and a value's length.
 */

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** Widgets looked at on one page (a dense form page has some 100); the rest of a crafted page is ignored. */
export const MAX_WIDGETS_PER_PAGE = 400;
/** Widgets looked at in one document; pages after that keep their plain text. */
export const MAX_WIDGETS_PER_DOCUMENT = 4000;
/** A field's value is cut here (a multi-line "Work experience" box holds a few hundred characters). */
export const MAX_VALUE_CHARS = 2000;

/** The parts of pdf.js's PDFDocumentProxy / PDFPageProxy read here (pdf-parse does not type them). */
export interface FormDocument {
  getPage(num: number): Promise<FormPage>;
}
export interface FormPage {
  getViewport(params: { scale: number }): FormViewport;
  getTextContent(): Promise<{ items: unknown[] }>;
  cleanup(): unknown;
}
interface FormViewport {
  width: number;
  height: number;
  convertToViewportPoint(x: number, y: number): number[];
  convertToViewportRectangle(rect: number[]): number[];
}

/** A text item of the page in viewport space (y grows downwards), as pdf-parse reads it. */
export interface PlacedItem {
  str: string;
  x: number;
  y: number;
  width: number;
  height: number;
  hasEOL: boolean;
}

/** A field value to show and its widget's box in viewport space (top < bottom). */
export interface PlacedValue {
  text: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
  /** A check box or radio button: its label usually stands to its right, and its state is no printed answer. */
  button: boolean;
}

/** pdf.js's annotation flags Hidden (2) and NoView (32). */
const HIDDEN_FLAGS = 2 | 32;

/**
 * Check-box and radio on-state names that say nothing but "checked" (Acrobat's default "Yes", "On",
 * numbers, "Choice1"). A checked box is written as its on-state name, since that is the answer a form
 * author gave it ("Portugal", "Full-time", "C1") and a word the fact readers can match; these generic
 * names become "Yes", the word a reader takes as the answer to the label beside it. A glyph such as ☒
 * would be what a human sees, but folded text matching (core/normalize.ts) reads words, not symbols.
 * An unchecked box adds nothing: "Off" beside every unticked option would only be noise.
 */
const GENERIC_ON_STATE = /^(?:yes|on|true|checked|x|\d+|(?:choice|option|opt|value|button|check ?box|kontrollk[äa]stchen)[ _]?\d*)$/i;

/** The text a widget annotation (pdf.js's annotation data) shows, or undefined for none. */
export function widgetText(annotation: unknown): string | undefined {
  const a = annotation as Record<string, unknown>;
  if (a.subtype !== 'Widget' || a.hidden === true) return undefined;
  if (typeof a.annotationFlags === 'number' && (a.annotationFlags & HIDDEN_FLAGS) !== 0) return undefined;
  switch (a.fieldType) {
    case 'Tx':
      return a.password === true ? undefined : cleanValue(a.fieldValue);
    case 'Ch': {
      const chosen = Array.isArray(a.fieldValue) ? a.fieldValue : [a.fieldValue];
      const options = Array.isArray(a.options) ? (a.options as Array<{ exportValue?: unknown; displayValue?: unknown }>) : [];
      const shown = chosen
        .slice(0, 20)
        .map((v) => {
          const option = options.find((o) => o.exportValue === v);
          return cleanValue(option && typeof option.displayValue === 'string' ? option.displayValue : v);
        })
        .filter((v): v is string => v !== undefined);
      return shown.length > 0 ? cleanValue(shown.join(', ')) : undefined;
    }
    case 'Btn': {
      if (a.pushButton === true) return undefined;
      const onState = a.checkBox === true ? a.exportValue : a.radioButton === true ? a.buttonValue : undefined;
      if (typeof onState !== 'string' || onState === 'Off' || a.fieldValue !== onState) return undefined;
      const name = cleanValue(onState);
      return name === undefined || GENERIC_ON_STATE.test(name) ? 'Yes' : name;
    }
    default:
      return undefined; // signatures, and anything pdf.js does not know
  }
}

function cleanValue(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value)
    .slice(0, MAX_VALUE_CHARS * 2)
    .replace(/\r\n?/g, '\n')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/ ?\n[\n ]*/g, '\n')
    .trim()
    .slice(0, MAX_VALUE_CHARS)
    .trim();
  return text.length > 0 ? text : undefined;
}

/** pdf-parse 2.x's page text (its getPageText with default options), with where each item's text starts and ends. */
export function layoutText(items: readonly PlacedItem[]): { text: string; starts: number[]; ends: number[] } {
  // Its defaults: lineThreshold 4.6, cellThreshold 7, cellSeparator '\t', lineEnforce on.
  const parts: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let length = 0;
  const push = (s: string) => {
    parts.push(s);
    length += s.length;
  };
  let lastX: number | undefined;
  let lastY: number | undefined;
  let lineHeight = 0;
  for (const item of items) {
    let str = item.str;
    if (lastY !== undefined && Math.abs(lastY - item.y) > 4.6) {
      const last = parts.at(-1);
      const startsLine = str.startsWith('\n') || (str.trim() === '' && item.hasEOL);
      if (last?.endsWith('\n') === false && !startsLine && Math.abs(lastY - item.y) - 1 > lineHeight) {
        push('\n');
        lineHeight = 0;
      }
    }
    if (lastY !== undefined && Math.abs(lastY - item.y) < 4.6 && lastX !== undefined && Math.abs(lastX - item.x) > 7) str = `\t${str}`;
    starts.push(length);
    push(str);
    ends.push(length);
    lastX = item.x + item.width;
    lastY = item.y;
    lineHeight = Math.max(lineHeight, item.height);
    if (item.hasEOL) push('\n');
    if (item.hasEOL || str.endsWith('\n')) lineHeight = 0;
  }
  return { text: parts.join(''), starts, ends };
}

/** How far (pt) a baseline may lie outside a widget's box and still be on its line. */
const LINE_SLACK = 2;
/** A check box's label to its right is its label when it starts within 24 pt (or three box widths) of the box. */
const BUTTON_LABEL_GAP = 24;

const fold = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * The page text with the values inserted. `items` are the page's text items in viewport space,
 * `text` their text as laid out by layoutText; values are inserted in the order a reader meets them.
 */
export function insertValues(items: readonly PlacedItem[], values: readonly PlacedValue[]): string {
  const { text, starts, ends } = layoutText(items);
  if (text === '') return values.map((v) => v.text).join('\n');
  const inserts: Array<{ at: number; text: string; order: number }> = [];
  const written = items.map((item, i) => ({ item, i })).filter(({ item }) => item.str.trim() !== '');
  values.forEach((v, order) => {
    const line = written.filter(({ item }) => item.y >= v.top - LINE_SLACK && item.y <= v.bottom + LINE_SLACK);
    if (!v.button) {
      const printed = fold(line.map(({ item }) => item.str).join(' '));
      if (printed.includes(fold(v.text))) return; // the page already prints it
    }
    const left = line.filter(({ item }) => item.x + item.width <= v.left + LINE_SLACK);
    const right = line.filter(({ item }) => item.x >= v.right - LINE_SLACK);
    const nearestRight = right.reduce<(typeof right)[number] | undefined>((best, c) => (!best || c.item.x < best.item.x ? c : best), undefined);
    const label = left.reduce<(typeof left)[number] | undefined>(
      (best, c) => (!best || c.item.x + c.item.width > best.item.x + best.item.width || (c.item.x + c.item.width === best.item.x + best.item.width && c.item.y < best.item.y) ? c : best),
      undefined,
    );
    const buttonLabel = v.button && nearestRight && nearestRight.item.x - v.right <= Math.max(BUTTON_LABEL_GAP, 3 * (v.right - v.left)) ? nearestRight : undefined;
    if (buttonLabel) inserts.push({ at: starts[buttonLabel.i]!, text: `${v.text} `, order });
    else if (label) inserts.push({ at: ends[label.i]!, text: ` ${v.text}`, order });
    else if (nearestRight) inserts.push({ at: starts[nearestRight.i]!, text: `${v.text} `, order });
    else {
      // No text on its line: a line of its own after the nearest text above it.
      const above = written.filter(({ item }) => item.y < v.top);
      const prev = above.reduce<(typeof above)[number] | undefined>((best, c) => (!best || c.item.y > best.item.y ? c : best), undefined);
      if (!prev) inserts.push({ at: 0, text: `${v.text}\n`, order });
      else {
        const eol = text.indexOf('\n', ends[prev.i]!);
        inserts.push({ at: eol < 0 ? text.length : eol, text: `\n${v.text}`, order });
      }
    }
  });
  // Apply from the end so that earlier offsets stay valid; values at one offset in reading order.
  inserts.sort((a, b) => b.at - a.at || b.order - a.order);
  let out = text;
  for (const ins of inserts) out = out.slice(0, ins.at) + ins.text + out.slice(ins.at);
  return out;
}

/**
 * The page's text with its form values: pdf-parse's text of it (`text`) and the page's widgets as
 * readWidgets found them. Only the page's text items are read here (one more pass over its content).
 */
export async function withFormValues(page: FormPage, text: string, widgets: readonly unknown[]): Promise<string> {
  const viewport = page.getViewport({ scale: 1 });
  const values: PlacedValue[] = [];
  for (const widget of widgets.slice(0, MAX_WIDGETS_PER_PAGE)) {
    const value = widgetText(widget);
    const rect = (widget as { rect?: unknown }).rect;
    if (value === undefined || !Array.isArray(rect) || rect.length !== 4 || !rect.every((n) => typeof n === 'number' && Number.isFinite(n))) continue;
    const [x1, y1, x2, y2] = viewport.convertToViewportRectangle(rect as number[]) as [number, number, number, number];
    const box = { left: Math.min(x1, x2), right: Math.max(x1, x2), top: Math.min(y1, y2), bottom: Math.max(y1, y2) };
    // Off the page, or too small to see: nobody reads it.
    if (box.right <= 0 || box.bottom <= 0 || box.left >= viewport.width || box.top >= viewport.height || box.right - box.left < 1 || box.bottom - box.top < 1) continue;
    const w = widget as { checkBox?: unknown; radioButton?: unknown };
    values.push({ text: value, ...box, button: w.checkBox === true || w.radioButton === true });
  }
  if (values.length === 0) return text;
  const content = await page.getTextContent();
  const items: PlacedItem[] = [];
  for (const raw of content.items) {
    const item = raw as { str?: unknown; transform?: number[]; width?: number; height?: number; hasEOL?: boolean };
    if (typeof item.str !== 'string' || !item.transform) continue;
    const [x, y] = viewport.convertToViewportPoint(item.transform[4]!, item.transform[5]!) as [number, number];
    items.push({ str: item.str, x, y, width: item.width ?? 0, height: item.height ?? 0, hasEOL: item.hasEOL === true });
  }
  // Reading order of the values: top to bottom, then left to right.
  values.sort((a, b) => a.top - b.top || a.left - b.left);
  // Our layout must be pdf-parse's, or the offsets mean nothing (a changed pdf-parse): then the values go below the text.
  if (layoutText(items).text !== text) return [text, ...values.map((v) => v.text)].join('\n');
  return insertValues(items, values);
}

/** Wall time for reading a document's widgets; a form of a few hundred fields needs well under a second. */
export const FORM_READ_MS = 4000;
/** Heap of the thread that reads them (a widget costs pdf.js some 8 KB; 400 widgets fit many times). */
const FORM_READ_HEAP_MB = 24;
/**
 * The thread costs some 70 MB resident (its own pdf.js) besides its heap. In the sandbox child the
 * parent kills the child when it grows by more than its budget over its start; the thread is not
 * started when this much is not left, and is ended when less than FORM_READ_MARGIN is left, so that a
 * huge form costs its values and never the page text.
 */
const FORM_READ_RESERVE = 128 * 1024 * 1024;
const FORM_READ_MARGIN = 64 * 1024 * 1024;
const RSS_POLL_MS = 20;
/** Resident memory when this module loaded: in the sandbox child, about the parent's baseline for it. */
const START_RSS = process.memoryUsage().rss;

/** The child's memory budget: forkReadyChild gives it as the heap size (`--max-old-space-size`); undefined elsewhere. */
function memoryBudget(): number | undefined {
  const flag = process.execArgv.find((a) => a.startsWith('--max-old-space-size='));
  const mb = flag ? Number(flag.slice(flag.indexOf('=') + 1)) : NaN;
  return Number.isFinite(mb) && mb > 0 ? mb * 1024 * 1024 : undefined;
}

/**
 * The widget annotations of each page (page number → pdf.js annotation data, at most
 * MAX_WIDGETS_PER_PAGE a page and MAX_WIDGETS_PER_DOCUMENT in all), or undefined when they could not
 * be read in time. pdf.js parses every annotation of a page (and every field of the form) before it
 * answers, synchronously: 50,000 widgets hold its thread for 12 s and need 400 MB, and nothing tells
 * their number beforehand. So they are read by a second pdf.js in a worker thread with its own heap
 * limit, ended at FORM_READ_MS; a form too big for that loses its values, never the page text.
 */
export async function readWidgets(data: Uint8Array, timeoutMs = FORM_READ_MS): Promise<Map<number, unknown[]> | undefined> {
  const budget = memoryBudget();
  const grown = () => process.memoryUsage().rss - START_RSS;
  if (budget !== undefined && grown() + FORM_READ_RESERVE > budget) return undefined;
  let worker: Worker;
  try {
    // pdf-parse's own pinned pdfjs-dist (as test/setup/pdfjs-worker.js finds it); pdf-parse exports no package.json.
    const entry = require.resolve('pdf-parse');
    const marker = `${path.sep}node_modules${path.sep}pdf-parse${path.sep}`;
    const pdfParseDir = entry.slice(0, entry.lastIndexOf(marker) + marker.length - 1);
    const resolve = (file: string) => pathToFileURL(require.resolve(file, { paths: [pdfParseDir] })).href;
    worker = new Worker(WIDGET_READER, {
      eval: true,
      execArgv: [], // not the child's: no tsx loader, no heap size of its own (resourceLimits sets it)
      workerData: {
        data,
        pdfUrl: resolve('pdfjs-dist/legacy/build/pdf.mjs'),
        workerUrl: resolve('pdfjs-dist/legacy/build/pdf.worker.mjs'),
        perPage: MAX_WIDGETS_PER_PAGE,
        perDocument: MAX_WIDGETS_PER_DOCUMENT,
        valueChars: MAX_VALUE_CHARS * 2,
      },
      resourceLimits: { maxOldGenerationSizeMb: FORM_READ_HEAP_MB, maxYoungGenerationSizeMb: 4 },
      stdout: true,
      stderr: true,
    });
  } catch {
    return undefined;
  }
  return new Promise((resolvePages) => {
    const done = (pages: Map<number, unknown[]> | undefined) => {
      clearTimeout(timer);
      clearInterval(watch);
      worker.removeAllListeners();
      worker.on('error', () => undefined);
      void worker.terminate().catch(() => undefined);
      resolvePages(pages);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    const watch = setInterval(() => {
      if (budget !== undefined && grown() + FORM_READ_MARGIN > budget) done(undefined);
    }, RSS_POLL_MS);
    worker.on('message', (msg: unknown) => done(Array.isArray(msg) ? new Map(msg as Array<[number, unknown[]]>) : undefined));
    worker.on('error', () => done(undefined));
    worker.on('exit', () => done(undefined));
  });
}

/**
 * The worker thread's code, plain JavaScript (it runs the same from the sources and from dist/): opens
 * the PDF with pdf-parse's own pdf.js and posts [page number, widgets][] with the fields read here.
 */
const WIDGET_READER = `
const { parentPort, workerData: w } = require('node:worker_threads');
const cut = (v) => (typeof v === 'string' ? v.slice(0, w.valueChars) : typeof v === 'number' || typeof v === 'boolean' ? v : undefined);
const pick = (a) => ({
  subtype: a.subtype, fieldType: cut(a.fieldType), hidden: a.hidden === true, annotationFlags: cut(a.annotationFlags),
  fieldValue: Array.isArray(a.fieldValue) ? a.fieldValue.slice(0, 20).map(cut) : cut(a.fieldValue),
  options: Array.isArray(a.options) ? a.options.slice(0, 1000).map((o) => ({ exportValue: cut(o && o.exportValue), displayValue: cut(o && o.displayValue) })) : undefined,
  rect: Array.isArray(a.rect) ? a.rect.slice(0, 4).map(Number) : undefined,
  password: a.password === true, pushButton: a.pushButton === true, checkBox: a.checkBox === true, radioButton: a.radioButton === true,
  exportValue: cut(a.exportValue), buttonValue: cut(a.buttonValue),
});
(async () => {
  globalThis.pdfjsWorker = await import(w.workerUrl);
  const pdfjs = await import(w.pdfUrl);
  const doc = await pdfjs.getDocument({ data: w.data, verbosity: 0 }).promise;
  const out = [];
  let left = w.perDocument;
  for (let num = 1; num <= doc.numPages && left > 0; num++) {
    const page = await doc.getPage(num);
    const widgets = [];
    for (const a of (await page.getAnnotations({ intent: 'display' })) || []) {
      if (!a || a.subtype !== 'Widget') continue;
      if (widgets.length >= w.perPage || left <= 0) break;
      left--;
      widgets.push(pick(a));
    }
    if (widgets.length > 0) out.push([num, widgets]);
    page.cleanup();
  }
  parentPort.postMessage(out);
  await doc.destroy();
})().catch(() => parentPort.postMessage(null));
`;
