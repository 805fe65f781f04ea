/**
 * What the dashboard needs from the rest of the service, injected by the
 * caller (services/service.ts wires the real ones; tests stub only the
 * rendering, re-deciding and reply-queue boundaries).
 */
import type { Logger } from 'pino';
import type { BlobStore } from '../../core/ports/blob-store';
import type { ApplicationView, Store } from '../../core/ports/store';
import type { StaffTemplate } from '../../core/reply/staff-message';
import type { RetentionSetting } from '../../core/retention/plan-retention';
import type { ErasureTarget } from '../common/erasure';
import type { TriageResult } from '../../core/types';

/** Error codes `renderPage` rejects with (on `err.code`). */
export type RenderErrorCode = 'PAGE_OUT_OF_RANGE' | 'RENDER_FAILED' | 'RENDER_TIMEOUT';

export interface RulesStatus {
  /** `committee`: the evaluation committee's members as the call names them (per-member pack links). */
  programmes: Array<{ id: string; title: string; deadline?: string; committee?: string[]; selectionDate?: string }>;
  /** The hash of the rule files in force. */
  hash: string;
  /** Every rule file loaded, with its validation result; `error` names file:line when it can. */
  files: Array<{ file: string; sha256: string; ok: boolean; error?: string }>;
  /** The last edit refused by the hot reload (the previous rules stayed in force). */
  lastError?: string;
}

export interface SectionOverride {
  id: string;
  pages: [number, number];
}

export interface DashboardDeps {
  store: Store;
  files: BlobStore;
  /**
   * A PNG of one page (1-based) of a PDF named by its BlobStore reference, `width` pixels wide, cached by
   * the renderer. Rejects with an error whose `code` is a RenderErrorCode.
   */
  renderPage(pdfRef: string, pdfSha256: string, page: number, width: number): Promise<Buffer>;
  rules(): RulesStatus;
  /** Re-decides a revision with the rules in force, optionally with staff-fixed section page ranges. Does not store. */
  redecide(
    applicationId: string,
    revision: number,
    opts?: { sections?: SectionOverride[] },
  ): Promise<{ result: TriageResult; rulesHash: string }>;
  /** Cuts and records one PDF per section range of a revision (after staff fixed the ranges). */
  cutSections?(applicationId: string, revision: number, sections: Array<{ id: string; pages: [number, number] }>): Promise<void>;
  /**
   * Queues the reply stage for this message; `hold` keeps the reply for approval; `key` makes the job
   * unique; `replyId` sends that approved reply record.
   */
  requestReply(messageId: string, opts: { hold: boolean; key: string; replyId?: string; staffMessage?: string }): Promise<void>;
  /** The staff message templates of rules/replies.yaml in force (none when absent). */
  staffTemplates?(): StaffTemplate[];
  /** Dry run of a rules directory against stored applications (admin page). */
  dryRun?(dir: string, onProgress: (done: number, total: number) => void): Promise<unknown>;
  exportCsv(apps: ApplicationView[]): string;
  /** The retention settings of the rules in force (services/common/erasure-runs.ts retentionSettingsOf). */
  retentionSettings?(): RetentionSetting[];
  /**
   * Opens what retention and erasure delete from, as the commands do (services/common/erasure.ts
   * withErasureTarget; no erasers for a dry run). Rejects with ErasureUnavailableError on PostgreSQL.
   * Absent: the admins' retention and erasure pages say this process cannot.
   */
  withErasure?<T>(dryRun: boolean, run: (target: ErasureTarget) => Promise<T>): Promise<T>;
  /**
   * Writes the committee pack of a programme as a zip through `write`, entry by entry
   * (services/common/committee-pack.ts): every complete application, or the ones `selected`.
   * Resolves undefined, having written nothing, when the programme is not in the rules in force.
   */
  committeePack?(programme: string, selected: readonly string[] | undefined, write: (chunk: Buffer) => Promise<void>): Promise<{ applications: number } | undefined>;
  now(): Date;
  /** pino; the dashboard never logs names, e-mail addresses, note texts or passwords. */
  logger: Logger;
  /** Secure cookies (true behind HTTPS); false for the local demo on http://127.0.0.1. */
  secureCookies: boolean;
}
