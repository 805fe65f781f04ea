/**
 * Synthetic mails for the fault and bad-input tests: invented applicants on
 * example.* domains, the PDF of the demo's complete application (itself
 * synthetic) re-sent under their names, and the odd shapes real mail
 * clients produce. Every mail carries a unique Message-ID, so a test can
 * find it again in any folder.
 */
import { randomBytes } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import { PDFDocument } from 'pdf-lib';
import { simpleParser } from 'mailparser';
import { encryptPdf } from '../corpus/attachments';
import { demoMail } from './harness';

export interface TestMail {
  raw: Buffer;
  /** The sender, lowercased: where any reply goes. */
  from: string;
  /** The Message-ID header, with angle brackets. */
  messageId: string;
}

/** A run-unique tag so that mails of different tests (and runs) never collide. */
export function uniqueTag(): string {
  return randomBytes(3).toString('hex');
}

let pdfCache: Buffer | undefined;

/** The ten-document PDF of demo/applications/01-complete.eml (complete, in order, before the deadline). */
export async function applicationPdf(): Promise<Buffer> {
  if (!pdfCache) {
    const parsed = await simpleParser(demoMail('01-complete.eml'));
    const pdf = parsed.attachments.find((a) => a.contentType === 'application/pdf');
    if (!pdf) throw new Error('demo 01-complete.eml lost its PDF');
    pdfCache = pdf.content;
  }
  return pdfCache;
}

export const APPLICATION_TEXT = [
  'Dear ESOR Office,',
  '',
  'please find attached my application for the ESOR fellowship "Hybrid Imaging in Oncology" at Gustave Roussy (Villejuif).',
  '',
  'Attached you will find my complete application as a single PDF.',
  '',
  'Kind regards,',
].join('\n');

/** Before the programme's deadline (31 March 2021), so a complete PDF stays complete. */
export const APPLICATION_DATE = new Date('2021-03-04T20:35:51Z');

type Attachment = { filename?: string; content: Buffer; contentType?: string; contentDisposition?: 'attachment' | 'inline' };

export interface ComposeOptions {
  /** Local part of the sender; the mail comes from `<local>@example.org`. */
  sender: string;
  name?: string;
  subject?: string;
  text?: string;
  attachments?: Attachment[];
  headers?: Record<string, string>;
  date?: Date;
  inReplyTo?: string;
  references?: string[];
}

/** A mail as a mail client would write it (MailComposer, CRLF). */
export async function composeMail(o: ComposeOptions): Promise<TestMail> {
  const from = `${o.sender}@example.org`.toLowerCase();
  const messageId = `<${randomBytes(8).toString('hex')}@example.org>`;
  const composer = new MailComposer({
    from: { name: o.name ?? 'Test Applicant', address: from },
    to: 'ESOR Office <esor.fellowships@example.org>',
    subject: o.subject ?? 'ESOR fellowship application',
    text: o.text ?? `${APPLICATION_TEXT}\n${o.name ?? 'Test Applicant'}\n`,
    messageId,
    date: o.date ?? APPLICATION_DATE,
    ...(o.inReplyTo ? { inReplyTo: o.inReplyTo } : {}),
    ...(o.references ? { references: o.references } : {}),
    ...(o.headers ? { headers: o.headers } : {}),
    attachments: (o.attachments ?? []).map((a) => ({ ...a })),
    newline: 'windows',
  });
  const raw = await composer.compile().build();
  return { raw, from, messageId };
}

/** A complete application from `sender` (the demo's PDF), optionally with extra headers. */
export async function applicationMail(sender: string, headers: Record<string, string> = {}): Promise<TestMail> {
  return composeMail({
    sender,
    name: `Applicant ${sender}`,
    subject: `ESOR fellowship application - ${sender}`,
    attachments: [{ filename: `${sender}_application.pdf`, content: await applicationPdf(), contentType: 'application/pdf' }],
    headers,
  });
}

/** The same PDF with a 40 MB incompressible file embedded in it (an attachment inside the PDF, as scanners produce). */
export async function hugePdf(bytes = 40 * 1024 * 1024): Promise<Buffer> {
  const doc = await PDFDocument.load(await applicationPdf());
  await doc.attach(randomBytes(bytes), 'scan-raw.bin', { mimeType: 'application/octet-stream', description: 'raw scanner output' });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** The PDF encrypted with a user password (qpdf). */
export async function encryptedPdf(): Promise<Buffer> {
  return encryptPdf(await applicationPdf(), 'secret');
}

/** Starts like a PDF, then garbage: no cross-reference table, no pages. */
export function corruptPdf(): Buffer {
  return Buffer.concat([Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R', 'latin1'), randomBytes(20_000)]);
}

/**
 * multipart/alternative whose HTML branch is itself a multipart/mixed holding
 * the PDF (some webmailers do this): the PDF sits two levels down, inside an
 * "alternative" a naive reader would skip.
 */
export async function nestedMultipartMail(sender: string): Promise<TestMail> {
  const from = `${sender}@example.org`;
  const messageId = `<${randomBytes(8).toString('hex')}@example.org>`;
  const pdf = (await applicationPdf()).toString('base64').replace(/.{76}/g, '$&\r\n');
  const text = `${APPLICATION_TEXT}\nApplicant ${sender}\n`.split('\n').join('\r\n');
  const lines = [
    `From: Applicant ${sender} <${from}>`,
    'To: ESOR Office <esor.fellowships@example.org>',
    `Subject: ESOR fellowship application - ${sender}`,
    `Message-ID: ${messageId}`,
    'Date: Thu, 04 Mar 2021 20:35:51 +0000',
    'MIME-Version: 1.0',
    'Content-Type: multipart/alternative; boundary="outer-alt"',
    '',
    '--outer-alt',
    'Content-Type: text/plain; charset=utf-8',
    '',
    text,
    '--outer-alt',
    'Content-Type: multipart/mixed; boundary="inner-mixed"',
    '',
    '--inner-mixed',
    'Content-Type: text/html; charset=utf-8',
    '',
    `<p>${text.replace(/\r\n/g, '<br>')}</p>`,
    '--inner-mixed',
    'Content-Type: application/pdf; name="application.pdf"',
    'Content-Disposition: attachment; filename="application.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    pdf,
    '--inner-mixed--',
    '--outer-alt--',
    '',
  ];
  return { raw: Buffer.from(lines.join('\r\n'), 'utf8'), from: from.toLowerCase(), messageId };
}

/**
 * What an applicant's auto-responder sends back for each mail it gets. Three
 * kinds in the wild: RFC 3834 (Auto-Submitted), Exchange (X-Auto-Response-Suppress
 * and "Automatic reply:"), and a vacation program that only says so in the subject.
 */
export async function outOfOfficeMail(sender: string, answering: { messageId?: string; subject: string }, kind: 'rfc3834' | 'exchange' | 'subject-only'): Promise<TestMail> {
  const headers: Record<string, string> =
    kind === 'rfc3834' ? { 'Auto-Submitted': 'auto-replied' } : kind === 'exchange' ? { 'X-Auto-Response-Suppress': 'All' } : {};
  const subject = kind === 'exchange' ? `Automatic reply: ${answering.subject}` : `Out of Office: ${answering.subject}`;
  return composeMail({
    sender,
    name: `Applicant ${sender}`,
    subject,
    text: 'Thank you for your message. I am out of the office with limited access to e-mail and will answer when I am back.\n',
    headers,
    date: new Date(),
    ...(answering.messageId ? { inReplyTo: answering.messageId, references: [answering.messageId] } : {}),
  });
}
