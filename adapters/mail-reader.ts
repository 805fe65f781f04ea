/**
 * Reads one raw e-mail (RFC 5322 bytes, as fetched from IMAP or read from an
 * .eml file) into the `ReadMail` shape the core works on. The only code that
 * knows about mailparser.
 *
 * Mail from applicants is whatever their client produced: forwarded
 * messages, legacy charsets, PDFs sent as octet-stream or without a name,
 * truncated or garbled MIME. Parsing therefore never fails; what looks odd is
 * reported in `problems` with fixed wording (no names, addresses or file
 * names), and the rest is returned as well as it could be read.
 */
import { simpleParser } from 'mailparser';
import type { AddressObject, Attachment, EmailAddress, HeaderLines, ParsedMail, StructuredHeader } from 'mailparser';
import type { MailAddress, MailAttachment, MailHeaders, ReadMail } from '../core/mail-kind';
import { plausibleZone } from '../core/time';

export type { MailAddress, MailAttachment, MailHeaders, ReadMail } from '../core/mail-kind';

export const MAX_TEXT_LENGTH = 50_000;

/** Forwards of forwards exist; a message nested deeper than this is a trap, not an application. */
const MAX_EMBEDDED_DEPTH = 5;

/** HTML beyond this is not converted by mailparser (slow); a cheap tag strip stands in. */
const MAX_HTML_TO_CONVERT = 2_000_000;

/** Acrobat accepts the header anywhere in the first KiB, and so do the scanners that put junk before it. */
const PDF_MAGIC_WINDOW = 1024;

const PDF_TYPES = new Set([
  'application/pdf',
  'application/x-pdf',
  'application/acrobat',
  'applications/vnd.pdf',
  'application/vnd.pdf',
  'text/pdf',
  'text/x-pdf',
]);

const TNEF_TYPES = new Set(['application/ms-tnef', 'application/vnd.ms-tnef']);

const EMBEDDED_MESSAGE_TYPES = new Set(['message/rfc822', 'message/global']);

/** Formats people send instead of a PDF, recognised by their first bytes. */
const OTHER_FORMAT_SIGNATURES: Array<{ format: string; magic: number[] }> = [
  { format: 'zip', magic: [0x50, 0x4b, 0x03, 0x04] }, // also docx, xlsx, odt
  { format: 'ole', magic: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] }, // doc, xls, msg
  { format: 'jpeg', magic: [0xff, 0xd8, 0xff] },
  { format: 'png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { format: 'gif', magic: [0x47, 0x49, 0x46, 0x38] },
  { format: 'tiff', magic: [0x49, 0x49, 0x2a, 0x00] },
  { format: 'tiff', magic: [0x4d, 0x4d, 0x00, 0x2a] },
  { format: 'tnef', magic: [0x78, 0x9f, 0x3e, 0x22] },
  { format: 'rar', magic: [0x52, 0x61, 0x72, 0x21] },
  { format: 'gzip', magic: [0x1f, 0x8b] },
  { format: '7z', magic: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
];

const PROBLEMS = {
  notABuffer: 'input is not a byte buffer',
  empty: 'message is empty',
  unparseable: 'message could not be parsed as MIME; nothing was read',
  unexpected: 'message parsed but could not be read; nothing was read',
  noHeaders: 'message has no recognisable headers',
  noFrom: 'no usable From address',
  noDate: 'no Date header',
  badDate: 'Date header could not be parsed',
  noMessageId: 'no Message-ID header',
  truncated: 'multipart message ends without its closing boundary (probably truncated)',
  textTruncated: `body text truncated to ${MAX_TEXT_LENGTH} characters`,
  htmlNotConverted: 'HTML body could not be converted to text; tags were stripped instead',
  unnamedAttachment: 'attachment without a name',
  emptyAttachment: 'attachment with no content',
  pdfByContentOnly: 'PDF recognised by its content only (neither its type nor its name says PDF)',
  tnef: 'winmail.dat (TNEF) attachment is not decoded; it may hide the real attachments',
  embeddedUnreadable: 'embedded message could not be parsed; kept as an attachment',
  embeddedTooDeep: `embedded messages nested deeper than ${MAX_EMBEDDED_DEPTH} levels; kept as an attachment`,
  declaredPdfIsOther: (format: string) => `attachment declared as PDF but its content is ${format}`,
} as const;

/**
 * Parses raw e-mail bytes.
 *
 * Never throws and never rejects: garbage, an empty buffer, missing headers,
 * broken base64 or truncated MIME give a `ReadMail` with whatever could be
 * read and the oddities listed in `problems`. The whole message is held in
 * memory (simpleParser buffers every attachment): a 40 MB attachment costs
 * a few hundred MB of RSS for a moment, which the workers can afford.
 */
export async function readMail(raw: Buffer): Promise<ReadMail> {
  // Callers in plain JavaScript (or with a stray cast) may hand over anything.
  const input: unknown = raw;
  if (!Buffer.isBuffer(input)) {
    if (input instanceof Uint8Array) return readMail(Buffer.from(input));
    return makeEmptyMail([PROBLEMS.notABuffer]);
  }
  raw = normaliseLineEnds(stripBom(raw));
  if (raw.length === 0 || raw.every(isWhitespaceByte)) {
    return makeEmptyMail([PROBLEMS.empty]);
  }
  const parsed = await parseSafely(raw);
  if (!parsed) return makeEmptyMail([PROBLEMS.unparseable]);
  try {
    return await describeMail(parsed, raw);
  } catch {
    // A mailparser result shaped in a way not foreseen here must not stop the
    // pipeline: the message is still stored raw and a person can look at it.
    return makeEmptyMail([PROBLEMS.unexpected]);
  }
}

async function describeMail(parsed: ParsedMail, raw: Buffer): Promise<ReadMail> {
  const problems: string[] = [];

  const headerLines = parsed.headerLines ?? [];
  if (!headerLines.some((line) => KNOWN_MESSAGE_HEADERS.has(line.key))) problems.push(PROBLEMS.noHeaders);

  const from = pickFirstAddress(parsed.from);
  if (!from) problems.push(PROBLEMS.noFrom);
  const date = readDate(headerLines, problems);
  const messageId = cleanId(parsed.messageId);
  if (!messageId && headerLines.length > 0) problems.push(PROBLEMS.noMessageId);

  if (isTruncatedMultipart(parsed, raw)) problems.push(PROBLEMS.truncated);

  const body = { parts: [readBodyText(parsed, problems)] };
  const attachments = await collectAttachments(parsed.attachments ?? [], 0, false, body, problems);

  let text = body.parts.filter((part) => part.trim() !== '').join('\n\n');
  if (text.length > MAX_TEXT_LENGTH) {
    text = text.slice(0, MAX_TEXT_LENGTH);
    problems.push(PROBLEMS.textTruncated);
  }

  const replyTo = pickFirstAddress(parsed.replyTo);
  return {
    ...(messageId ? { messageId } : {}),
    ...(cleanId(parsed.inReplyTo) ? { inReplyTo: cleanId(parsed.inReplyTo) } : {}),
    references: readReferences(parsed.references),
    subject: (parsed.subject ?? '').normalize('NFC').trim(),
    ...(date ? { date } : {}),
    ...(from ? { from } : {}),
    ...(replyTo ? { replyTo } : {}),
    to: listAddresses(parsed.to),
    text,
    attachments,
    headers: readMachineHeaders(parsed, headerLines),
    problems: dedupe(problems),
  };
}

/**
 * Why nothing of the mail could be read, in words for the office, or undefined. Such a mail (a megabyte
 * of headers, past mailparser's limits; MIME it chokes on) reads like an empty mail, and an empty mail
 * is no application: without this it would be filed as `not_application` and nobody would open it.
 */
export function unreadableReason(mail: ReadMail): string | undefined {
  const nothingRead: readonly string[] = [PROBLEMS.unparseable, PROBLEMS.unexpected];
  return mail.problems.some((p) => nothingRead.includes(p)) ? 'its format is beyond what we can read' : undefined;
}

/** Headers every real message has one of; garbage parsed "as headers" has none of them. */
const KNOWN_MESSAGE_HEADERS = new Set([
  'from', 'to', 'subject', 'date', 'message-id', 'mime-version', 'content-type', 'received', 'return-path',
]);

function makeEmptyMail(problems: string[]): ReadMail {
  return { references: [], subject: '', to: [], text: '', attachments: [], headers: {}, problems };
}

/** A UTF-8 byte-order mark before the first header makes mailparser read `\uFEFFFrom` as an unknown field: the sender is lost. */
function stripBom(raw: Buffer): Buffer {
  return raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf ? raw.subarray(3) : raw;
}

/**
 * Mail saved with old Mac line ends (CR only) has no line break mailparser knows: it reads one endless
 * header and an empty body. Only a mail without a single LF is rewritten, so binary 8-bit parts of
 * ordinary mail are never touched.
 */
function normaliseLineEnds(raw: Buffer): Buffer {
  if (raw.indexOf(0x0a) !== -1 || raw.indexOf(0x0d) === -1) return raw;
  return Buffer.from(raw.toString('latin1').replace(/\r/g, '\r\n'), 'latin1');
}

function isWhitespaceByte(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

/** mailparser rejects on hard limits (1 MB of headers, 1000 parts) and may throw on exotic input. */
async function parseSafely(raw: Buffer): Promise<ParsedMail | undefined> {
  try {
    // ignoreEmbedded: attached messages are parsed here, recursively, so their
    // parts can be marked and kept in place whatever their disposition or encoding.
    return await simpleParser(raw, {
      ignoreEmbedded: true,
      checksumAlgo: false,
      keepCidLinks: true,
      skipTextToHtml: true,
      skipImageLinks: true,
      maxHtmlLengthToParse: MAX_HTML_TO_CONVERT,
    });
  } catch {
    return undefined;
  }
}

/**
 * mailparser quietly returns whatever arrived of a cut-off message; the
 * missing closing delimiter of the top-level multipart is what gives it away.
 */
function isTruncatedMultipart(parsed: ParsedMail, raw: Buffer): boolean {
  const structured = readContentTypeHeader(parsed);
  const boundary = structured?.params?.boundary;
  if (!structured || !/^multipart\//i.test(structured.value ?? '') || !boundary) return false;
  return raw.lastIndexOf(`--${boundary}--`, undefined, 'latin1') === -1;
}

function readBodyText(parsed: ParsedMail, problems: string[]): string {
  let text = parsed.text ?? '';
  if (parsed.textConversionError) {
    problems.push(PROBLEMS.htmlNotConverted);
    if (!text.trim() && typeof parsed.html === 'string') text = stripTags(parsed.html);
  }
  return text.normalize('NFC');
}

/** A rough fallback only for HTML too large or too broken for the real converter. */
function stripTags(html: string): string {
  return html
    .slice(0, MAX_TEXT_LENGTH * 4)
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<br\s*\/?>|<\/p\s*>|<\/div\s*>/gi, '\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&amp;/gi, '&')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n\s*\n+/g, '\n\n')
    .trim();
}

async function collectAttachments(
  parts: Attachment[],
  depth: number,
  embedded: boolean,
  body: { parts: string[] },
  problems: string[],
): Promise<MailAttachment[]> {
  const out: MailAttachment[] = [];
  for (const part of parts) {
    const content = Buffer.isBuffer(part.content) ? part.content : Buffer.alloc(0);
    const contentType = (part.contentType ?? '').toLowerCase().trim();

    if (EMBEDDED_MESSAGE_TYPES.has(contentType) && content.length > 0) {
      if (depth + 1 > MAX_EMBEDDED_DEPTH) {
        problems.push(PROBLEMS.embeddedTooDeep);
      } else {
        const inner = await parseSafely(content);
        if (inner) {
          body.parts.push(readBodyText(inner, problems));
          out.push(...(await collectAttachments(inner.attachments ?? [], depth + 1, true, body, problems)));
          continue;
        }
        problems.push(PROBLEMS.embeddedUnreadable);
      }
    }

    out.push(describeAttachment(part, content, contentType, embedded, problems));
  }
  return out;
}

function describeAttachment(
  part: Attachment,
  content: Buffer,
  contentType: string,
  embedded: boolean,
  problems: string[],
): MailAttachment {
  const filename = (part.filename ?? '').normalize('NFC').trim();
  // Report parts (text/rfc822-headers, delivery-status) never have names; files should.
  if (!filename && !/^(text|message)\//.test(contentType)) problems.push(PROBLEMS.unnamedAttachment);
  if (content.length === 0) problems.push(PROBLEMS.emptyAttachment);
  return {
    filename,
    contentType,
    size: content.length,
    content,
    isPdf: decideIsPdf(filename, contentType, content, problems),
    inline: (part.contentDisposition ?? '').toLowerCase() === 'inline' || part.related === true,
    fromEmbeddedMessage: embedded,
  };
}

/**
 * The bytes have the last word: a declared PDF that is really a ZIP (a .docx
 * renamed) is not a PDF, and a nameless octet-stream starting with %PDF- is.
 * A declared PDF whose bytes are unknown stays a PDF, so that the PDF stage
 * reports it as unreadable instead of it silently vanishing.
 */
function decideIsPdf(filename: string, contentType: string, content: Buffer, problems: string[]): boolean {
  // Another format's signature at the first byte wins over a %PDF- further on: a ZIP that stores a PDF
  // uncompressed holds "%PDF-" a few dozen bytes in, and was read as the application it packs although
  // the call asks for a PDF file (an archive is answered as "no PDF").
  const otherFormat = sniffOtherFormat(content);
  const hasPdfMagic = !otherFormat && findPdfMagic(content);
  // A .pdf name counts whatever the type says: clients label PDFs octet-stream,
  // binary/octet-stream, application/download and worse.
  const declaredPdf = PDF_TYPES.has(contentType) || /\.pdf$/i.test(filename);
  if (TNEF_TYPES.has(contentType) || otherFormat === 'tnef') problems.push(PROBLEMS.tnef);
  if (hasPdfMagic) {
    if (!declaredPdf) problems.push(PROBLEMS.pdfByContentOnly);
    return true;
  }
  if (declaredPdf) {
    if (otherFormat) {
      problems.push(PROBLEMS.declaredPdfIsOther(otherFormat));
      return false;
    }
    return true;
  }
  return false;
}

function findPdfMagic(content: Buffer): boolean {
  const window = content.subarray(0, PDF_MAGIC_WINDOW);
  return window.indexOf('%PDF-', 0, 'latin1') !== -1;
}

function sniffOtherFormat(content: Buffer): string | undefined {
  for (const { format, magic } of OTHER_FORMAT_SIGNATURES) {
    if (content.length >= magic.length && magic.every((byte, i) => content[i] === byte)) return format;
  }
  return undefined;
}

function toMailAddress(entry: EmailAddress): MailAddress | undefined {
  const email = (entry.address ?? '').trim();
  if (!email || !email.includes('@')) return undefined;
  const name = (entry.name ?? '').normalize('NFC').trim();
  return name ? { email, name } : { email };
}

function flattenAddresses(value: AddressObject | AddressObject[] | undefined): EmailAddress[] {
  const objects = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const entries: EmailAddress[] = [];
  for (const object of objects) {
    for (const entry of object?.value ?? []) {
      if (entry.group) entries.push(...entry.group);
      else entries.push(entry);
    }
  }
  return entries;
}

function listAddresses(value: AddressObject | AddressObject[] | undefined): MailAddress[] {
  return flattenAddresses(value)
    .map(toMailAddress)
    .filter((address): address is MailAddress => address !== undefined);
}

function pickFirstAddress(value: AddressObject | AddressObject[] | undefined): MailAddress | undefined {
  return listAddresses(value)[0];
}

function cleanId(value: string | undefined): string | undefined {
  const trimmed = (value ?? '').trim();
  return trimmed === '' ? undefined : trimmed;
}

function readReferences(value: string | string[] | undefined): string[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.flatMap((item) => item.split(/\s+/)).filter((item) => item !== '');
}

/** The unfolded raw value of a header (all occurrences joined), before mailparser reshapes it. */
function readRawHeader(headerLines: HeaderLines, key: string): string | undefined {
  const values = headerLines
    .filter((line) => line.key === key)
    .map((line) => {
      const colon = line.line.indexOf(':');
      return (colon >= 0 ? line.line.slice(colon + 1) : '').replace(/\r?\n[ \t]+/g, ' ').trim();
    });
  return values.length === 0 ? undefined : values.join(', ');
}

/**
 * mailparser turns an unparseable Date into "now", which would make a late
 * application look on time; the raw header is parsed here instead.
 */
function readDate(headerLines: HeaderLines, problems: string[]): Date | undefined {
  const raw = readRawHeader(headerLines, 'date');
  if (raw === undefined) {
    if (headerLines.length > 0) problems.push(PROBLEMS.noDate);
    return undefined;
  }
  const text = raw.replace(/\s*\([^)]*\)\s*$/, '');
  const date = new Date(text);
  if (Number.isNaN(date.getTime()) || !plausibleZone(text)) {
    problems.push(PROBLEMS.badDate);
    return undefined;
  }
  return date;
}

function readContentTypeHeader(parsed: ParsedMail): StructuredHeader | undefined {
  const value = parsed.headers?.get('content-type');
  if (!value || typeof value !== 'object' || Array.isArray(value) || !('value' in value)) return undefined;
  return value as StructuredHeader;
}

function describeContentType(parsed: ParsedMail): string | undefined {
  const structured = readContentTypeHeader(parsed);
  if (!structured) return undefined;
  const type = (structured.value ?? '').toLowerCase().trim();
  if (!type) return undefined;
  const reportType = structured.params?.['report-type'];
  return reportType ? `${type}; report-type=${reportType.toLowerCase().trim()}` : type;
}

function readMachineHeaders(parsed: ParsedMail, headerLines: HeaderLines): MailHeaders {
  const read = (key: string): string | undefined => readRawHeader(headerLines, key)?.toLowerCase();
  const headers: MailHeaders = {
    autoSubmitted: read('auto-submitted'),
    precedence: read('precedence'),
    xAutoreply: read('x-autoreply'),
    xAutorespond: read('x-autorespond'),
    xAutoResponseSuppress: read('x-auto-response-suppress'),
    listId: read('list-id'),
    listUnsubscribe: read('list-unsubscribe'),
    returnPath: read('return-path'),
    xFailedRecipients: read('x-failed-recipients'),
    contentType: describeContentType(parsed),
    xLoop: read('x-loop'),
    xEsorIntake: read('x-esor-intake'),
  };
  // Absent headers stay absent rather than present-but-undefined, so `in` and JSON agree.
  for (const key of Object.keys(headers) as Array<keyof MailHeaders>) {
    if (headers[key] === undefined) delete headers[key];
  }
  return headers;
}

function dedupe(values: string[]): string[] {
  return [...new Set(values)];
}
