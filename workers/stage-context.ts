/**
 * What every queue stage gets: the adapters it may use, passed in (the
 * stages import no configuration and open no connection of their own).
 */
import type { Logger } from 'pino';
import type { BlobStore } from '../core/ports/blob-store';
import type { OcrEngine } from '../adapters/ocr';
import type { ReplyRate } from '../core/ports/reply-rate';
import type { Store } from '../core/ports/store';
import type { TriageRules } from '../core/triage/triage-application';

export const STAGE_NAMES = ['ingest', 'analyse', 'triage', 'reply'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

/** A job carries the ledger id (the raw mail's SHA-256) and nothing personal. */
export interface StageJob {
  messageId: string;
  /** Reply stage: hold the reply for staff approval whatever the rules say (after a staff amendment). */
  hold?: boolean;
  /** Reply stage: send this reply record, which staff approved (pending or failed), whatever the rules say now. */
  replyId?: string;
  /** Reply stage: send the message staff wrote under this key (core/reply/staff-message.ts), not a reply of the rules. */
  staffMessage?: string;
}

export interface OutgoingMail {
  from: { email: string; name?: string };
  to: { email: string; name?: string };
  subject: string;
  text: string;
  inReplyTo?: string;
  references: string[];
  messageId: string;
  /** false for a message a person wrote: sent without the automatic-reply headers. */
  automatic?: boolean;
}

export interface StageContext {
  store: Store;
  files: BlobStore;
  /** The rules in force (a function: rules can be reloaded while workers run). */
  rules: () => TriageRules;
  /** Hash of the rule files in force, recorded with each verdict. */
  rulesHash: () => string;
  enqueue: (stage: StageName, messageId: string) => Promise<void>;
  /** Sends a reply; resolves with the raw message sent. Rejects with a `transient` flag on the error. */
  sendMail: (mail: OutgoingMail) => Promise<{ raw: Buffer }>;
  /** Appends a copy of a sent reply to the office's Sent folder (best effort). */
  saveSentCopy: (raw: Buffer) => Promise<void>;
  /** Who replies. */
  replyFrom: { email: string; name?: string };
  /** The hourly reply caps (adapters/reply-rate.ts); over a cap a reply is held for staff. */
  replyRate: ReplyRate;
  /**
   * How long a worker holds a reply's send lease (longer than the slowest send the SMTP timeouts allow):
   * no other worker sends that reply meanwhile. Default 5 minutes.
   */
  replySendLeaseMs?: number;
  /** A bounce stops replies to its address for this many days. Default 30. */
  bounceExpiryDays?: number;
  /** authserv-ids of the office's own mail server (RFC 8601); empty: no Authentication-Results is read. */
  trustedAuthservIds?: readonly string[];
  /** Reads scanned pages in the analyse stage; without it they stay image-only. */
  ocr?: OcrEngine;
  /** A mail larger than this is not parsed: its PDF gets an `unreadable_pdf` verdict saying why. */
  maxMessageBytes?: number;
  /** Where the received time comes from (contract § 5): the office server's arrival time, or the Date header. Default `server`. */
  receivedTime?: 'server' | 'header';
  logger: Logger;
  now: () => Date;
  observe?: {
    /** Times one attempt of a stage (and counts its failure under the error's code). */
    timeStage?: <T>(stage: StageName, work: () => Promise<T>) => Promise<T>;
    verdict?: (programme: string | null, status: string) => void;
    reply?: (status: string, outcome: 'sent' | 'held' | 'skipped' | 'failed') => void;
  };
}

export interface Stage {
  name: StageName;
  /** Processes one job; throws StageInputError for input that can never succeed. */
  run(job: StageJob, ctx: StageContext): Promise<void>;
}
