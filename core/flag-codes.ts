/** The canonical flag codes of the triage contract (§ 4). Rule files word them and may add codes of their own. */
export const CANONICAL_FLAG_CODES = [
  'no_pdf',
  'multiple_pdfs',
  'unreadable_pdf',
  'missing_section',
  'out_of_order',
  'cv_not_esor_template',
  'late_submission',
  'board_certification_too_old',
  // Added by rules/common.yaml (contract § 4 lets rule files add codes): the date that would fail is not sure.
  'board_certification_unverified',
  'same_country',
  // Added by rules/common.yaml: a CV is there but no country of residence or work was read (contract § 6).
  'country_unverified',
  'language_below_required',
  'language_unverified',
  'fewer_than_five_publications',
  'esr_membership_not_current',
  'programme_unknown',
  'low_confidence',
  // Added by rules/common.yaml: a PDF in which no documents of the call are recognisable (contract § 6).
  'pdf_not_recognised',
  // Added by rules/common.yaml: the e-mail itself could not be read (MIME past mailparser's limits); a person looks.
  'mail_unreadable',
  'duplicate_application',
  'resubmission',
  'auto_reply',
  // The live service took the received time from the office server, and the Date header is more than 24 h off (contract § 4).
  'received_date_mismatch',
  // The office's mail server says the sender failed authentication (contract § 4): no reply, never merged.
  'sender_unverified',
] as const;
export type CanonicalFlagCode = (typeof CANONICAL_FLAG_CODES)[number];
