/**
 * The office's words for what the machine stores as codes: section names and
 * flag wordings from the rule files, programme titles instead of ids, flag
 * names for staff, evidence keys and event actions in plain English, and
 * every date and time in the office's time zone ("12 Apr 2021, 13:35").
 * Views print these; a code (flag, programme id, rule id, ISO time) reaches a
 * page only inside an attribute (a link's query, `datetime`), never as text.
 *
 * One OfficeWords is built per request from the rules in force, so an
 * edited rule file's wording shows on the next page load.
 */
import { CANONICAL_FLAG_CODES } from '../../core/flag-codes';
import type { RuleSet } from '../../core/rules/schema';
import { STATUSES, type Status } from '../../core/types';
import { html, type SafeHtml } from './html';
import { SECTION_LABELS, STATUS_LABELS } from './views/common';

/** What the rule files say that a person reads; every part optional (tests and old wiring give less). */
export interface OfficeVocabulary {
  programmes?: ReadonlyArray<{ id: string; title: string }>;
  /** Section id -> the call's name of the document (rules/common.yaml `name`). */
  sections?: Readonly<Record<string, string>>;
  /** Flag code -> its wording in the rule files (placeholders in braces) and severity. */
  flags?: Readonly<Record<string, { message: string; severity: string }>>;
  /** The classifier's threshold below which a document's place goes to a person (0..1). */
  lowConfidenceBelow?: number;
}

/** The words a person reads, taken from a loaded rule set. */
export function vocabularyOf(rules: RuleSet): OfficeVocabulary {
  const c = rules.common;
  return {
    programmes: rules.programmes.map((p) => ({ id: p.id, title: p.title })),
    sections: Object.fromEntries(c.sections.map((s) => [s.id, s.name])),
    flags: Object.fromEntries(Object.entries(c.flags).map(([code, f]) => [code, { message: f.message, severity: f.severity }])),
    lowConfidenceBelow: c.classifier.low_confidence_below,
  };
}

/** Short names of the flags for staff (the rule files word them for the applicant). */
const FLAG_NAMES: Record<string, string> = {
  no_pdf: 'No PDF attached',
  multiple_pdfs: 'Several PDFs',
  unreadable_pdf: 'PDF cannot be opened',
  missing_section: 'Document missing',
  out_of_order: 'Documents out of order',
  cv_not_esor_template: 'CV not on the ESOR template',
  late_submission: 'Arrived after the deadline',
  board_certification_too_old: 'Board certification too old',
  board_certification_unverified: 'Board certification date to check',
  same_country: 'Lives or works in the host country',
  country_unverified: 'Country of residence and work not read',
  language_below_required: 'Language level too low',
  language_unverified: 'Language level not confirmed',
  fewer_than_five_publications: 'Fewer than five publications',
  esr_membership_not_current: 'ESR membership not current',
  esr_member_not_on_list: 'ESR number not on the member list',
  esr_membership_unpaid: 'ESR fee not on the member list',
  programme_unknown: 'Programme not clear',
  low_confidence: 'Unsure where a document is',
  pdf_not_recognised: 'Documents not recognised',
  duplicate_application: 'Also applied to another programme',
  resubmission: 'Sent again (replaces the earlier one)',
  auto_reply: 'Automatic message',
  received_date_mismatch: 'Date in the mail differs from arrival',
  sender_unverified: 'Sender not confirmed by the mail server',
};

/**
 * Flags a person must look at when the rules in force give no severities (the wording of
 * rules/common.yaml when this was written): severity `review`.
 */
const REVIEW_FLAGS = [
  'board_certification_unverified',
  'country_unverified',
  'language_unverified',
  'fewer_than_five_publications',
  'esr_membership_not_current',
  'programme_unknown',
  'low_confidence',
  'pdf_not_recognised',
  'mail_unreadable',
  'duplicate_application',
  'received_date_mismatch',
  'sender_unverified',
];

/** Evidence keys as the office says them; an unknown key is spelled out from its camelCase. */
const EVIDENCE_LABELS: Record<string, string> = {
  pages: 'Pages',
  snippet: 'Text',
  receivedAt: 'Received',
  serverReceivedAt: 'Received by our mail server',
  headerDate: 'Date written in the mail',
  hoursApart: 'Hours apart',
  deadline: 'Deadline',
  timezone: 'Time zone of the deadline',
  min: 'Level required',
  level: 'Level shown',
  limit: 'Earliest date allowed',
  date: 'Date read',
  period: 'Between',
  precision: 'Written as',
  host: 'Host country',
  fields: 'Where',
  year: 'Year',
  count: 'Count',
  confidence: 'Confidence',
  missing: 'Missing',
  why: 'Why',
  labelledAs: 'Taken for',
  ownScore: 'Score as this document',
  unsure: 'Not sure because',
  found: 'Order found',
  files: 'PDF files',
  attachments: 'Attachments',
  reason: 'Reason',
  documentsRecognised: 'Documents recognised',
  pageCount: 'Pages in the PDF',
  how: 'How it was read',
  words: 'Words found',
  authentication: 'Mail server said',
  previousStatus: 'Status before',
  revisions: 'Submissions',
  programmes: 'Other programmes',
  titleFound: 'Template title found',
  labelsFound: 'Template labels found',
  labelsRequired: 'Template labels required',
  source: 'Read from',
  basis: 'Based on',
  section: 'Document',
  scanned: 'Scanned',
  number: 'Membership number',
  paidYears: 'Paid years on the list',
  listUploadedAt: 'Member list of',
};

/** Coded evidence values in words: where a date or a level was read, and on what grounds. */
const VALUE_WORDS: Record<string, Record<string, string>> = {
  basis: {
    certification: 'words saying it is the certification date',
    unlabelled: 'a date with no words saying what it is',
    issue: 'the date the certificate was issued',
    signature: 'the date the certificate was signed',
    registration: 'the date of registration',
  },
  source: { certificate: 'the certificate', cv: 'the CV' },
  how: { named: 'the mail names it', several: 'the mail names several', other: 'the mail names another programme', unnamed: 'the mail names none' },
};

/** Evidence that names the machine's internals, not the application: never shown. */
const HIDDEN_EVIDENCE = new Set(['rule']);

/** Fact keys (evidence `fields`) in words. */
export const FACT_LABELS: Record<string, string> = {
  boardCertificationDate: 'Board certification',
  boardCertificationPeriod: 'Board certification (month or year only)',
  countryOfResidence: 'Country of residence',
  countryOfWork: 'Country of work',
  languageLevels: 'Languages',
  publicationCount: 'Publications',
  esrMembershipYear: 'ESR membership year',
  passportExpiry: 'Passport expiry',
};

/** What happened, for the event log. */
const EVENT_LABELS: Record<string, string> = {
  'mail.parsed': 'Mail read',
  'mail.moved': 'Mail filed in the mailbox',
  'mail.no_source': 'Mail source missing',
  'application.triaged': 'Triaged',
  'application.retriaged': 'Triage re-run',
  'application.reviewed': 'Marked reviewed',
  'status.overridden': 'Status overridden',
  'sections.overridden': 'Section pages fixed',
  'note.added': 'Note added',
  'reply.held': 'Reply held for approval',
  'reply.sent': 'Reply sent',
  'reply.none': 'No reply',
  'reply.approved': 'Reply approved',
  'reply.edited': 'Reply edited and approved',
  'reply.discarded': 'Reply discarded',
  'reply.bounced': 'Reply bounced',
  'bounce.cleared': 'Bounce mark cleared',
  'message.requested': 'Message to the applicant written',
  'message.sent': 'Message to the applicant sent',
  'message.none': 'Message to the applicant not sent',
  'message.failed': 'Message to the applicant not sent (failed)',
  'message.retried': 'Message to the applicant tried again',
  'message.send_interrupted': 'Message to the applicant sent again after an interrupted attempt',
  'application.merged': 'Merged with another application of this person',
  'application.unmerged': 'Merge undone',
  'stage.failed': 'Processing failed',
};

/** Who did it, when it was not a member of staff (their username stands as it is). */
const ACTORS: Record<string, string> = {
  'worker:ingest': 'Machine (reading the mail)',
  'worker:analyse': 'Machine (reading the PDF)',
  'worker:triage': 'Machine (triage)',
  'worker:reply': 'Machine (replies)',
  poller: 'Machine (mailbox)',
  system: 'Machine',
  filesystem: 'Rule files',
  cli: 'Command line',
};

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** `labelsFound` -> `Labels found`. */
export function spellKey(key: string): string {
  const words = key.replace(/[_.]/g, ' ').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : key;
}

const REGIONS = new Intl.DisplayNames(['en'], { type: 'region' });
const LANGUAGES = new Intl.DisplayNames(['en'], { type: 'language' });

export const DEFAULT_TIME_ZONE = 'Europe/Paris';

export class OfficeWords {
  private readonly timeFormat: Intl.DateTimeFormat;
  private readonly dayFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });
  private readonly programmes: Map<string, string>;
  private readonly reviewCodes: Set<string>;

  /** @throws RangeError when `timeZone` is not one Intl knows (config validation catches it first). */
  constructor(
    readonly timeZone: string = DEFAULT_TIME_ZONE,
    private readonly vocabulary: OfficeVocabulary = {},
  ) {
    this.timeFormat = new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    this.programmes = new Map((vocabulary.programmes ?? []).map((p) => [p.id, p.title]));
    const flags = vocabulary.flags;
    this.reviewCodes = new Set(flags ? Object.entries(flags).filter(([, f]) => f.severity === 'review').map(([c]) => c) : REVIEW_FLAGS);
  }

  /** `12 Apr 2021, 13:35` in the office's time zone; '–' for nothing. */
  time(iso: string | null | undefined): string {
    if (!iso) return '–';
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? '–' : this.timeFormat.format(d);
  }

  /** A `<time>` element: the office time as text, the exact instant for machines. */
  timeTag(iso: string | null | undefined): SafeHtml {
    if (!iso) return html`–`;
    return html`<time datetime="${iso}" title="Office time (${this.timeZone})">${this.time(iso)}</time>`;
  }

  /** A calendar day (YYYY-MM-DD, as rule files write deadlines) as `31 Mar 2021`. */
  day(ymd: string | null | undefined): string {
    if (!ymd || !ISO_DAY.test(ymd.slice(0, 10))) return ymd ?? '–';
    const d = new Date(`${ymd.slice(0, 10)}T00:00:00.000Z`);
    return Number.isNaN(d.getTime()) ? ymd : this.dayFormat.format(d);
  }

  /** The programme's title; `null` (the mail did not say) reads "Programme not known". */
  programme(id: string | null | undefined): string {
    if (!id) return 'Programme not known';
    return this.programmes.get(id) ?? 'A programme no longer in the rules';
  }

  /** The call's name of a document (from the rule files), else the dashboard's short one. */
  section(id: string): string {
    return this.vocabulary.sections?.[id] ?? SECTION_LABELS[id] ?? 'Another document';
  }

  /** The short name of a document, for tight places (page labels, legends). */
  sectionShort(id: string): string {
    return SECTION_LABELS[id] ?? this.section(id);
  }

  /** A flag's name for staff; a flag a rule file added is named by its wording there. */
  flagName(code: string): string {
    const known = FLAG_NAMES[code];
    if (known) return known;
    const message = this.vocabulary.flags?.[code]?.message;
    if (message) {
      const first = message.replace(/\s*\([^)]*\{[^}]*\}[^)]*\)/g, '').replace(/\{[^}]*\}/g, '…').split(/(?<=[.;])\s/)[0]!;
      return first.replace(/[.;]$/, '');
    }
    return 'Another flag';
  }

  /** Every flag code a filter may offer, with its name: the canonical ones and those the rule files add. */
  flagChoices(): Array<{ code: string; name: string }> {
    const codes = new Set<string>([...CANONICAL_FLAG_CODES, ...Object.keys(this.vocabulary.flags ?? {})]);
    return [...codes].map((code) => ({ code, name: this.flagName(code) })).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Flags that send an application to a person (severity `review` in the rules in force). */
  needsPerson(code: string): boolean {
    return this.reviewCodes.has(code);
  }

  /** `IT` -> `Italy`; a code Intl does not know stays as written. */
  country(code: string): string {
    try {
      return REGIONS.of(code) ?? code;
    } catch {
      return code;
    }
  }

  /** `fr` -> `French`. */
  language(code: string): string {
    try {
      return LANGUAGES.of(code) ?? code;
    } catch {
      return code;
    }
  }

  status(s: string): string {
    return (STATUSES as readonly string[]).includes(s) ? STATUS_LABELS[s as Status] : spellKey(s);
  }

  /** A staff username as it is; the machine's own actors in words. */
  actor(actor: string): string {
    if (ACTORS[actor]) return ACTORS[actor];
    if (actor.startsWith('worker:')) return 'Machine';
    if (actor.startsWith('command:')) return 'Command line';
    if (actor.startsWith('committee:')) return 'Evaluation committee';
    return actor;
  }

  eventName(action: string): string {
    return EVENT_LABELS[action] ?? spellKey(action);
  }

  /** The confidence threshold as a percentage, when the rules give one. */
  lowConfidencePercent(): number | undefined {
    const t = this.vocabulary.lowConfidenceBelow;
    return t === undefined ? undefined : Math.round(t * 100);
  }

  /** Evidence rows in words: internal keys dropped, each value said as the office says it. */
  evidenceRows(evidence: Record<string, unknown>): Array<[string, string]> {
    const rows: Array<[string, string]> = [];
    for (const [key, value] of Object.entries(evidence)) {
      if (HIDDEN_EVIDENCE.has(key) || value === undefined || value === null || value === '') continue;
      if (key === 'pages' && Array.isArray(value)) {
        const pages = [...new Set(value as number[])];
        if (pages.length) rows.push(['Pages', pages.join(', ')]);
        continue;
      }
      rows.push([EVIDENCE_LABELS[key] ?? spellKey(key), this.value(key, value)]);
    }
    return rows;
  }

  /** One evidence or event value in words. */
  value(key: string, value: unknown): string {
    if (typeof value === 'boolean') return value ? 'yes' : 'no';
    if (typeof value === 'number') return key === 'confidence' && value <= 1 ? `${Math.round(value * 100)} %` : String(value);
    if (typeof value === 'string') return this.text(key, value);
    if (Array.isArray(value)) return value.map((v) => this.value(key, v)).join(', ');
    if (typeof value === 'object') {
      const o = value as Record<string, unknown>;
      if (typeof o.from === 'string' && typeof o.to === 'string') return `${this.day(o.from)} and ${this.day(o.to)}`;
      return Object.entries(o)
        .filter(([, v]) => v !== undefined && v !== null)
        .map(([k, v]) => `${EVIDENCE_LABELS[k] ?? spellKey(k)}: ${this.value(k, v)}`)
        .join('; ');
    }
    return String(value);
  }

  private text(key: string, value: string): string {
    if (ISO_TIME.test(value)) return this.time(value);
    if (ISO_DAY.test(value)) return this.day(value);
    if (key === 'host' && /^[A-Z]{2}$/.test(value)) return this.country(value);
    const coded = VALUE_WORDS[key]?.[value];
    if (coded) return coded;
    if (key === 'fields' || key === 'source') return FACT_LABELS[value] ?? spellKey(value);
    if (key === 'found') return this.sectionShort(value);
    if (key === 'section' || key === 'labelledAs') return this.section(value);
    if (key === 'status' || key === 'previousStatus') return this.status(value);
    if (key === 'programme' || key === 'programmes') return this.programme(value);
    if (key === 'flags' || key === 'flag') return this.flagName(value);
    return value;
  }
}
