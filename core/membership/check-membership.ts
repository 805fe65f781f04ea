/**
 * Checks an application's ESR membership against the member list admins
 * uploaded (core/membership/member-list.ts), beside what the receipt shows:
 * the membership numbers the CV's "ESR membership number" field and the
 * membership proof print are looked up; one that is not on the list, or is
 * on it without the fee of the year the programme requires, is a `review`
 * flag with its evidence (page, snippet, number, the years the list shows).
 * A person decides: the list may be older than the applicant's payment.
 *
 * Pure. Without a list nothing is said (it was never uploaded); without a
 * number the applicant's e-mail is looked up instead, and only an unpaid year
 * is reported then (an e-mail not on the list may be another address of a
 * member).
 */
import { readCvFields, type CvFieldLabels } from '../facts/cv-fields';
import type { Flag, PageText, SectionSpan } from '../types';
import { MemberIndex, normaliseMemberNumber, type EsrMember, type EsrMemberList } from './member-list';

export const MEMBERSHIP_FLAG_CODES = { notOnList: 'esr_member_not_on_list', unpaid: 'esr_membership_unpaid' } as const;

export interface FlagWording {
  severity: Flag['severity'];
  message: string;
}

export interface MembershipCheckInput {
  list: EsrMemberList | undefined;
  pages: readonly PageText[];
  sections: readonly SectionSpan[];
  cvLabels: CvFieldLabels;
  applicantEmail?: string;
  /** The fee year the programme's `esr_membership_year` rule requires; undefined: only presence on the list is checked. */
  requiredYear?: number;
  /** The rule files' wording of the two codes (rules/common.yaml flags). Codes without wording raise nothing. */
  wording: Partial<Record<string, FlagWording>>;
}

export interface NumberFound {
  number: string;
  source: 'cv' | 'receipt';
  page: number;
  snippet: string;
}

// "Membership number: 123456", "Member ID 0012345", "ESR No. ESR-123456", "Mitgliedsnummer 123456", "N° d'adhérent 123456".
// The number stays on its line, and a digit group after a space joins it only in threes ("123 456"): a
// year on the next line or after a space ("Member ID 1234567 2021") is never read into it.
const NUMBER_LABEL =
  /(?:membership\s*(?:number|no\.?|nr\.?|id|#)|member\s*(?:number|no\.?|nr\.?|id|#)|esr\s*(?:id|no\.?|number|#)|mitglieds?nummer|mitglieds?-?nr\.?|n[°o]\s*(?:de\s*membre|d['’]adh[ée]rent)|numero\s*(?:di\s*)?socio|n[úu]mero\s*de\s*(?:socio|miembro))[ \t]*[:#.]?[ \t]*((?:ESR[ -]?)?[A-Z]{0,3}[ -]?\d{3,}(?:[ -]\d{3}(?!\d)){0,2})/giu;

/** Membership numbers printed on the membership proof, each once. */
export function findReceiptNumbers(pages: readonly PageText[]): NumberFound[] {
  const out: NumberFound[] = [];
  for (const page of pages) {
    NUMBER_LABEL.lastIndex = 0;
    for (let m = NUMBER_LABEL.exec(page.text); m; m = NUMBER_LABEL.exec(page.text)) {
      const number = m[1]!.replace(/\s+$/, '').trim();
      if (normaliseMemberNumber(number).replace(/\D/g, '').length < 4) continue;
      out.push({ number, source: 'receipt', page: page.num, snippet: page.text.slice(m.index, m.index + m[0].length).replace(/\s+/g, ' ').trim() });
    }
  }
  return out;
}

function pagesOf(pages: readonly PageText[], sections: readonly SectionSpan[], id: string): PageText[] {
  const spans = sections.filter((s) => s.id === id);
  return pages.filter((p) => spans.some((s) => p.num >= s.pages[0] && p.num <= s.pages[1]) && !p.imageOnly);
}

/** The number the CV's "ESR membership number" field gives, when it holds digits; else one a membership label names. */
function cvNumber(pages: readonly PageText[], labels: CvFieldLabels): NumberFound | undefined {
  for (const page of pages) {
    const field = readCvFields(page.text, labels).esrMembershipNumber;
    const m = field && /(?:ESR[ -]?)?[A-Z]{0,3}[ -]?\d{3,}(?:[ -]\d{3}(?!\d)){0,2}/i.exec(field.value);
    if (m && normaliseMemberNumber(m[0]).replace(/\D/g, '').length >= 4) return { number: m[0].trim(), source: 'cv', page: page.num, snippet: field!.snippet };
  }
  // Other CVs name it in running text ("Memberships: European Society of Radiology (ESR), member no. 1234567").
  const named = findReceiptNumbers(pages)[0];
  return named ? { ...named, source: 'cv' } : undefined;
}

/** The numbers an application gives, receipt first, each normalised number once. */
export function findMembershipNumbers(pages: readonly PageText[], sections: readonly SectionSpan[], cvLabels: CvFieldLabels): NumberFound[] {
  const found = [...findReceiptNumbers(pagesOf(pages, sections, 'esr_membership'))];
  const cv = cvNumber(pagesOf(pages, sections, 'cv'), cvLabels);
  if (cv) found.push(cv);
  const seen = new Set<string>();
  return found.filter((f) => {
    const key = normaliseMemberNumber(f.number);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The flags of the check (none when the list was never uploaded or everything agrees). Never throws. */
export function checkMembership(input: MembershipCheckInput): Flag[] {
  if (!input.list) return [];
  const index = new MemberIndex(input.list);
  const flags: Flag[] = [];
  const listed = { listUploadedAt: input.list.uploadedAt };
  const raise = (code: string, values: Record<string, string | number>, evidence: Record<string, unknown>) => {
    const w = input.wording[code];
    if (!w) return;
    const message = w.message.replace(/\{([a-z_]+)\}/g, (whole, k: string) => (values[k] === undefined ? whole : String(values[k])));
    flags.push({ code, severity: w.severity, message, section: 'esr_membership', evidence: { ...evidence, ...listed } });
  };
  const unpaid = (member: EsrMember, evidence: Record<string, unknown>) => {
    if (input.requiredYear === undefined || member.paidYears.includes(input.requiredYear)) return;
    raise(MEMBERSHIP_FLAG_CODES.unpaid, { number: member.number, year: input.requiredYear, paid: member.paidYears.join(', ') || 'none' }, { ...evidence, year: input.requiredYear, paidYears: member.paidYears });
  };
  const numbers = findMembershipNumbers(input.pages, input.sections, input.cvLabels);
  for (const n of numbers) {
    const evidence = { pages: [n.page], snippet: n.snippet, number: n.number, source: n.source };
    const member = index.findNumber(n.number);
    if (!member) raise(MEMBERSHIP_FLAG_CODES.notOnList, { number: n.number }, evidence);
    else unpaid(member, evidence);
  }
  if (numbers.length === 0 && input.applicantEmail) {
    const member = index.findEmail(input.applicantEmail);
    if (member) unpaid(member, { number: member.number, source: 'email' });
  }
  // One flag per code: two numbers not on the list are one question for a person.
  const byCode = new Map<string, Flag>();
  for (const f of flags) if (!byCode.has(f.code)) byCode.set(f.code, f);
  return [...byCode.values()];
}
