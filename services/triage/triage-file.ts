/**
 * The edge around the pure triage: reads an .eml or a .pdf from disk, runs
 * the mail and PDF adapters, and hands plain data to the core.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readMail, unreadableReason } from '../../adapters/mail-reader';
import type { OcrEngine } from '../../adapters/ocr';
import { PdfUnreadableError, readPdfPages } from '../../adapters/pdf-reader';
import { toMachinePatterns } from '../../adapters/rules-loader';
import { judgeSenderAuthentication, listAuthenticationResultsHeaders } from '../../core/mail/authentication-results';
import { detectMachineMail } from '../../core/mail-kind';
import { topReceivedTime } from '../../core/mail/received-time';
import { triageApplication, type PdfInput, type TriageDetails, type TriageInput, type TriageRules } from '../../core/triage/triage-application';

export interface TriageFileOptions {
  /** Overrides the mail's received time (the contract's `--received YYYY-MM-DD`). */
  received?: Date;
  programme?: string;
  /** Reads scanned pages; without it they stay image-only. */
  ocr?: OcrEngine;
  /** The office's mail servers' authserv-ids (the service's setting); none: see judgeSenderAuthentication. */
  trustedAuthservIds?: readonly string[];
}

/**
 * Triages one file: an .eml (or anything that looks like a mail) or a PDF.
 * @throws only when the file cannot be read from disk (ENOENT, EACCES...).
 */
export async function triageFile(file: string, rules: TriageRules, options: TriageFileOptions = {}): Promise<TriageDetails> {
  const raw = await readFile(file);
  const input = looksLikePdfFile(file, raw)
    ? await toPdfInput(path.basename(file), raw, options)
    : await toMailInput(raw, rules, options);
  return triageApplication(input, rules);
}

/** Builds the core's input from a raw RFC 5322 message. Never throws. */
export async function toMailInput(raw: Buffer, rules: TriageRules, options: TriageFileOptions = {}): Promise<TriageInput> {
  const mail = await readMail(raw);
  const machine = detectMachineMail(mail, toMachinePatterns(rules.rules));
  const unreadable = unreadableReason(mail);
  // Headers end at the first empty line; 256 KiB is far beyond any real header block.
  const headerBlock = raw.subarray(0, 256 * 1024).toString('latin1');
  const senderAuth = judgeSenderAuthentication(listAuthenticationResultsHeaders(headerBlock), options.trustedAuthservIds ?? []);
  // A saved mail's arrival at the office is its topmost Received header (as the live service's is
  // IMAP's INTERNALDATE): the sender writes its own Date, and a mail held in the sender's queue past
  // the deadline was late whatever Date says. A mail saved without one (a draft, a sent copy) has Date.
  const serverReceivedAt = topReceivedTime(headerBlock);
  const pdfs: PdfInput[] = [];
  let next = 1;
  if (!machine.machine) {
    for (const a of mail.attachments.filter((x) => x.isPdf)) {
      const pdf = await readPdf(a.filename || `attachment-${pdfs.length + 1}.pdf`, a.content, next, options.ocr);
      if ('pages' in pdf) next += pdf.pages.length;
      pdfs.push(pdf);
    }
  }
  return {
    mail: {
      subject: mail.subject,
      text: mail.text,
      from: mail.from ? { email: mail.from.email, ...(mail.from.name ? { name: mail.from.name } : {}) } : undefined,
      machine: machine.machine ? { reason: machine.reason ?? machine.kind ?? 'machine mail' } : undefined,
      otherAttachments: mail.attachments.filter((a) => !a.isPdf).map((a) => ({ filename: a.filename, contentType: a.contentType })),
      senderAuth,
      ...(unreadable ? { unreadable } : {}),
      ...(serverReceivedAt && !options.received ? { serverReceivedAt: serverReceivedAt.toISOString() } : {}),
      ...(mail.date ? { headerDate: mail.date.toISOString() } : {}),
    },
    receivedAt: options.received ?? serverReceivedAt ?? mail.date ?? null,
    pdfs,
    programme: options.programme,
  };
}

async function toPdfInput(filename: string, raw: Buffer, options: TriageFileOptions): Promise<TriageInput> {
  return { receivedAt: options.received ?? null, pdfs: [await readPdf(filename, raw, 1, options.ocr)], programme: options.programme };
}

async function readPdf(filename: string, data: Uint8Array, firstPage: number, ocr?: OcrEngine): Promise<PdfInput> {
  try {
    return { filename, pages: await readPdfPages(data, firstPage, ocr ? { ocr } : {}) };
  } catch (err) {
    if (err instanceof PdfUnreadableError) return { filename, unreadable: err.reason };
    return { filename, unreadable: 'the file is damaged or incomplete' };
  }
}

/** A .pdf name or PDF magic bytes; anything else that does not look like a mail is a bad PDF, not a mail. */
function looksLikePdfFile(file: string, raw: Buffer): boolean {
  if (/\.pdf$/i.test(file)) return true;
  if (raw.subarray(0, 1024).includes('%PDF-')) return true;
  if (/\.(eml|msg|txt)$/i.test(file)) return false;
  // A mail starts with header lines; a zip or an image does not.
  const head = raw.subarray(0, 512).toString('latin1');
  return !/^(?:[\x21-\x39\x3b-\x7e]+:[^\r\n]*\r?\n)+/.test(head) && raw.length > 0;
}
