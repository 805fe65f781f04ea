/**
 * Strict schemas for the YAML rule files. Rule files are data: they choose,
 * parameterise and word a closed set of rule kinds implemented in code; no
 * expression or code from a file is ever evaluated.
 */
import { z } from 'zod';
import type { ReplyRules } from '../reply/reply-rules-schema';
import { CEFR_LEVELS, SECTION_IDS, SEVERITIES } from '../types';

const sectionId = z.enum(SECTION_IDS);
const severity = z.enum(SEVERITIES);
const cefr = z.enum(CEFR_LEVELS);
const phrase = z.string().trim().min(1);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expected a date written YYYY-MM-DD' });
const countryCode = z.string().regex(/^[A-Z]{2}$/, { error: 'expected an ISO 3166-1 alpha-2 code such as FR' });
const languageCode = z.string().regex(/^[a-z]{2}$/, { error: 'expected an ISO 639-1 code such as fr' });

/** Words that identify a document; titles weigh more when they stand near the top of a page. */
const vocabulary = z.strictObject({
  titles: z.array(phrase).default([]),
  strong: z.array(phrase).default([]),
  words: z.array(phrase).default([]),
  /** Words that speak against this section (e.g. "recommend" on a motivation letter). */
  against: z.array(phrase).default([]),
});

/** Language-neutral layout cues computed in code; the rule file weighs them per section. */
export const CUE_KINDS = [
  'mrz',
  'citation_lines',
  'doi_or_pmid',
  'numbered_entries',
  'email_addresses',
  'phone_numbers',
  'cefr_level',
  'few_words',
  'many_section_titles',
  'dated_entries',
  // A doctor's registration or licence that names no specialism (core/analyse/registration-only.ts).
  'registration_only',
  // Lines that are each only one of the section's own words ("EXPERIENCE", "EDUCATION", "SKILLS"): its headings.
  'own_headings',
] as const;
export type CueKind = (typeof CUE_KINDS)[number];

const sectionRule = z.strictObject({
  id: sectionId,
  name: phrase,
  required: z.boolean(),
  /** How a reply names the document to the applicant. */
  reply_name: phrase,
  /** The document's usual length; the decoder keeps a page in a longer document more readily. */
  expected_pages: z.number().min(1).max(50).default(1.5),
  /** How likely a scanned (image-only) page is this document, relative to the others (0 = never). */
  scan_prior: z.number().min(0).max(1).default(0.1),
  /**
   * How far down the page a line that is only the document's title still counts as its title (a letter's
   * title stands under a letterhead, an address and a date); elsewhere titles count in the first 6 lines.
   */
  title_within_lines: z.number().int().min(6).max(30).default(6),
  vocabulary,
  cues: z.partialRecord(z.enum(CUE_KINDS), z.number()).default({}),
});

const flagWording = z.strictObject({
  severity,
  message: phrase,
  /**
   * The flag says the machine is unsure (of the programme, a page, a fact): while it stands the status
   * is needs_review instead of complete or incomplete (contract § 6, "sure or silent").
   */
  uncertain: z.boolean().default(false),
});

const cvFieldLabels = z.strictObject({
  surname: z.array(phrase).min(1),
  first_name: z.array(phrase).min(1),
  date_of_birth: z.array(phrase).min(1),
  nationality: z.array(phrase).min(1),
  country_of_residence: z.array(phrase).min(1),
  current_position: z.array(phrase).min(1),
  institution: z.array(phrase).min(1),
  city: z.array(phrase).min(1),
  country: z.array(phrase).min(1),
  date_of_board_certification: z.array(phrase).min(1),
  esr_membership_number: z.array(phrase).min(1),
  languages: z.array(phrase).min(1),
  /** The postal address field of common CV forms (Europass "Address"): its country is where one lives. */
  address: z.array(phrase).optional(),
});

export const commonRulesSchema = z.strictObject({
  kind: z.literal('common'),
  sections: z
    .array(sectionRule)
    .refine((list) => list.length === SECTION_IDS.length && list.every((s, i) => s.id === SECTION_IDS[i]), {
      error: `list the ${SECTION_IDS.length} sections of the contract, in the required order: ${SECTION_IDS.join(', ')}`,
    }),
  other_page: z.strictObject({
    vocabulary,
    cues: z.partialRecord(z.enum(CUE_KINDS), z.number()).default({}),
    scan_prior: z.number().min(0).max(1).default(0.1),
  }),
  cv_template: z.strictObject({
    titles: z.array(phrase).min(1),
    labels: z.array(phrase).min(1),
    /** How many of the labels the CV's pages must show to count as the template. */
    min_labels: z.number().int().min(1),
    fields: cvFieldLabels,
    /**
     * Words in the CV's "Date of board certification" that say the title is not held yet ("exam scheduled for
     * May 2021", "expected 2023"): the applicant's own word that whatever stands as the certificate is not one.
     */
    board_not_held: z.array(phrase).default([]),
  }),
  classifier: z.strictObject({
    /** A required section whose best page is less sure than this raises low_confidence. */
    low_confidence_below: z.number().min(0).max(1),
    /**
     * Pages with less text than this many letters are treated as scans (no text layer), unless their
     * few words are real ones (a divider titled "Passport"): those are scored on their words.
     */
    min_text_letters: z.number().int().min(0),
    /**
     * The words of the `registration_only` cue: a doctor's registration or licence (`registration`) that
     * names no specialism (`specialism`, word stems), not counting a specialism only negated
     * (`negations`: "does not certify any specialist") or an empty field ("Specialist Register: —").
     */
    doctor_registration: z
      .strictObject({
        registration: z.array(phrase),
        specialism: z.array(phrase),
        negations: z.array(phrase).default([]),
        empty_field: z.array(phrase).default([]),
      })
      .default({ registration: [], specialism: [], negations: [], empty_field: [] }),
    /** Words by which a page says, at its head, that it translates a document: a sworn translation of the one before it. */
    translation_phrases: z.array(phrase).default([]),
    /**
     * Documents applicants send in a required one's place (a passport photograph for the passport, references
     * "on request" for the list): titled so at its head, or saying so, a page is none of the ten documents,
     * and the document is missing. Where clerks differ on whether the office would take it instead
     * (`person_decides`: an identity card for the passport), that verdict does not go out by itself.
     */
    stand_ins: z
      .array(
        z
          .strictObject({
            section: sectionId,
            titles: z.array(phrase).default([]),
            /** Words anywhere on the page saying the document itself is not held yet ("title not yet awarded"). */
            says: z.array(phrase).default([]),
            /** Words in its first lines saying it is sent instead ("References available upon request"): not a title. */
            head_says: z.array(phrase).default([]),
            person_decides: z.boolean().default(false),
          })
          .refine((s) => s.titles.length + s.says.length + s.head_says.length > 0, { message: 'a stand-in needs titles, says or head_says' }),
      )
      .default([]),
    /**
     * Documents only one body issues (the ESR's membership proof): a page that names another body of the kind
     * (`bodies`) and none of the names of the one asked for (`own`) stands in for it, as a stand-in above.
     */
    issued_by: z.array(z.strictObject({ section: sectionId, own: z.array(phrase).min(1), bodies: z.array(phrase).min(1) })).default([]),
    /**
     * A hospital's certificate that residency training was completed (`titles` at a page's head, or `says` anywhere) where the board
     * certificate belongs: whether it certifies the title is for a person, unless the page says a specialist
     * title or qualification was conferred (`conferred`).
     */
    training_certificate: z
      .strictObject({ titles: z.array(phrase).default([]), says: z.array(phrase).default([]), conferred: z.array(phrase).default([]) })
      .default({ titles: [], says: [], conferred: [] }),
    /**
     * A board certificate in another specialty (`names`: ultrasound diagnostics, radiotherapy) that names none
     * of the call's (`radiology`, word stems): a person decides whether it is the certification the call means.
     */
    other_specialty: z.strictObject({ names: z.array(phrase).default([]), radiology: z.array(phrase).default([]) }).default({ names: [], radiology: [] }),
  }),
  /** Another programme's topic named as a fellowship (a programme word near it) means the mail names several programmes. */
  other_programmes: z.strictObject({
    topics: z.array(phrase),
    programme_words: z.array(phrase).min(1),
    /** Words of applying ("considered for", "first choice"): a topic in the same sentence is a programme applied for. */
    application_words: z.array(phrase).default([]),
    /** Nouns a topic may qualify without naming a fellowship: "the ESR/EANM hybrid imaging sessions". */
    qualified_nouns: z.array(phrase).default([]),
    /** Words of a field, not a place: "a fellowship in Nuclear Medicine" names no host. */
    field_words: z.array(phrase).default([]),
  }),
  flags: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), flagWording),
});

/** A rule kind from the closed set; `id` names it in evidence, `severity`/`message` override the flag's wording. */
const ruleBase = {
  id: z.string().regex(/^[a-z][a-z0-9_-]*$/).optional(),
  severity: severity.optional(),
  message: phrase.optional(),
};

export const programmeRuleSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('deadline'), ...ruleBase }),
  z.strictObject({ kind: z.literal('board_certification_max_age'), years: z.number().int().min(1), ...ruleBase }),
  z.strictObject({ kind: z.literal('outside_host_country'), ...ruleBase }),
  z.strictObject({
    kind: z.literal('language_level'),
    language: languageCode,
    language_name: phrase,
    min: cefr,
    /** A mandatory language that no certificate shows raises language_unverified. */
    mandatory: z.boolean(),
    /**
     * For a call whose word for the level CEFR does not pin down ("advanced knowledge of English"): a
     * certificate at `min` or above but below this is read, and a person decides (language_unverified).
     */
    sure_from: cefr.optional(),
    ...ruleBase,
  }),
  z.strictObject({ kind: z.literal('esr_membership_year'), year: z.number().int().min(2000).max(2100), ...ruleBase }),
  z.strictObject({ kind: z.literal('min_publications'), count: z.number().int().min(1), ...ruleBase }),
]);
export type ProgrammeRule = z.infer<typeof programmeRuleSchema>;

export const programmeSchema = z.strictObject({
  kind: z.literal('programme'),
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  title: phrase,
  institution: phrase,
  city: phrase,
  host_country: countryCode,
  /** Last day to apply, in the programme's time zone; mail received after that day is late. */
  deadline: isoDate,
  timezone: phrase,
  start: isoDate,
  duration_months: z.number().int().min(1),
  places: z.number().int().min(1),
  /** Words by which applicants refer to the programme (matched in subject, body, then the motivation letter). */
  aliases: z.array(phrase).min(1),
  /**
   * The programme's subject ("hybrid imaging"): it names the programme only beside a programme word
   * ("fellowship in hybrid imaging"); alone it describes an applicant's experience.
   */
  topics: z.array(phrase).default([]),
  /** How this programme's call names a document to applicants, where it differs from common.yaml's `reply_name`. */
  section_names: z.partialRecord(sectionId, phrase).optional(),
  rules: z.array(programmeRuleSchema),
  /** The evaluation committee as the call names its members: each may get a download link of their own for the pack. */
  committee: z.array(phrase).max(20).default([]),
  /** The day the committee selects the fellow (YYYY-MM-DD): the retention period counts from it. */
  selection_date: isoDate.optional(),
  /**
   * How long applications are kept after the selection date (GDPR storage limitation), run by
   * `esor-intake retention`: identity documents and certificates (and the mail and PDF that contain
   * them) after the first period, everything of the application after the second. Without it, kept.
   */
  retention: z
    .strictObject({
      documents_days_after_selection: z.number().int().min(0).max(36500),
      days_after_selection: z.number().int().min(0).max(36500),
    })
    .optional(),
  replies: z.strictObject({
    /** `hold` keeps an ineligible reply for staff approval; `send` sends it at once. */
    ineligible: z.enum(['hold', 'send']).default('hold'),
    /** An application a person must decide gets a receipt by default: silence would leave the applicant guessing. */
    needs_review: z.enum(['none', 'receipt']).default('receipt'),
  }),
});

export const mailRulesSchema = z.strictObject({
  kind: z.literal('mail').optional(),
  machine_mail: z.strictObject({
    out_of_office_subjects: z.array(phrase),
    bounce_subjects: z.array(phrase),
    machine_senders: z.array(phrase),
    no_reply_senders: z.array(phrase),
  }),
  application_hints: z.strictObject({
    attachment_words: z.array(phrase),
    application_words: z.array(phrase),
    submission_phrases: z.array(phrase).default([]),
    question_phrases: z.array(phrase).default([]),
    nothing_attached_phrases: z.array(phrase).default([]),
    replacement_phrases: z.array(phrase).default([]),
    referee_phrases: z.array(phrase).default([]),
    to_follow_phrases: z.array(phrase).default([]),
  }),
});

export type CommonRules = z.infer<typeof commonRulesSchema>;
export type Programme = z.infer<typeof programmeSchema>;
export type MailRules = z.infer<typeof mailRulesSchema>;
export type SectionRule = CommonRules['sections'][number];

/** Everything the core needs, loaded and checked once. */
export interface RuleSet {
  common: CommonRules;
  mail: MailRules;
  programmes: Programme[];
  /** The wording of the automatic replies (rules/replies.yaml, core/reply/reply-rules-schema.ts). */
  replies: ReplyRules;
  /** file -> sha256, so every verdict can say which rules produced it. */
  sources: Record<string, string>;
}
