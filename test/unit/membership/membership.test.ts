/**
 * The ESR member list: parsing what spreadsheets export, and the check of an
 * application's membership numbers against it (flags with their evidence;
 * silence when no list was uploaded). Synthetic members only.
 */
import path from 'node:path';
import { loadRules } from '../../../adapters/rules-loader';
import { checkMembership, findMembershipNumbers, findReceiptNumbers } from '../../../core/membership/check-membership';
import { normaliseMemberNumber, parseMemberList, type EsrMemberList } from '../../../core/membership/member-list';
import { decideStored } from '../../../core/stored/decide-stored';
import type { StoredAnalysis } from '../../../core/stored/stored-analysis';
import type { StoredMail } from '../../../core/stored/stored-mail';
import { segmentationFromSpans } from '../../../core/analyse/segmentation-from-spans';
import { compileTriageRules, type DocumentAnalysis } from '../../../core/triage/triage-application';
import type { PageText, SectionSpan } from '../../../core/types';

const RULES = compileTriageRules(loadRules(path.join(__dirname, '../../../rules')));
const WORDING = RULES.rules.common.flags;

describe('parseMemberList', () => {
  it('reads a semicolon export with a header, a BOM, quoted cells and year ranges', () => {
    const csv = '\uFEFFMembership number;Name;E-mail;Paid years\r\n100234;"Doe, Jane";Jane.Doe@example.org;2020;2021\r\n"ESR-000777";Kai Berg;kai@example.org;"2019-2021"\r\n';
    const { members, problems } = parseMemberList(csv);
    expect(problems).toEqual([]);
    expect(members).toEqual([
      { number: '100234', name: 'Doe, Jane', email: 'jane.doe@example.org', paidYears: [2020, 2021] },
      { number: 'ESR-000777', name: 'Kai Berg', email: 'kai@example.org', paidYears: [2019, 2020, 2021] },
    ]);
  });

  it('reads a comma file without a header, merges a member listed once per year, and reports bad rows by line', () => {
    const csv = ['100234,Jane Doe,jane@example.org,2020', '100234,Jane Doe,jane@example.org,2021', ',No Number,x@example.org,2021', '555555,Bad Year,b@example.org,twenty'].join('\n');
    const { members, problems } = parseMemberList(csv);
    expect(members).toEqual([{ number: '100234', name: 'Jane Doe', email: 'jane@example.org', paidYears: [2020, 2021] }]);
    expect(problems).toEqual([
      { line: 3, message: 'no membership number' },
      { line: 4, message: 'paid years "twenty" are not years such as 2021 or 2020;2021' },
    ]);
  });

  it('refuses a file with no member in it', () => {
    expect(parseMemberList('').problems[0]).toEqual({ line: 0, message: 'the file is empty' });
    expect(parseMemberList('Name,E-mail\nJane,jane@example.org\n').problems[0]!.message).toMatch(/no membership number column/);
  });

  it('compares numbers by letters and digits, without leading zeros or an ESR prefix', () => {
    expect(normaliseMemberNumber('ESR-000777')).toBe(normaliseMemberNumber('777'));
    expect(normaliseMemberNumber(' 100 234 ')).toBe('100234');
  });
});

const LIST: EsrMemberList = {
  uploadedAt: '2021-03-01T09:00:00.000Z',
  uploadedBy: 'alice',
  members: [
    { number: '100234', name: 'Jane Doe', email: 'jane@example.org', paidYears: [2020, 2021] },
    { number: '100999', name: 'Old Member', email: 'old@example.org', paidYears: [2018, 2019] },
  ],
};

function application(receipt: string, cv = 'ESOR CURRICULUM VITAE\nSurname: Doe\nFirst name: Jane'): { pages: PageText[]; sections: SectionSpan[] } {
  return {
    pages: [
      { num: 1, text: cv, imageOnly: false },
      { num: 2, text: receipt, imageOnly: false },
    ],
    sections: [
      { id: 'cv', pages: [1, 1], confidence: 1 },
      { id: 'esr_membership', pages: [2, 2], confidence: 1 },
    ],
  };
}

describe('checkMembership', () => {
  const base = { cvLabels: RULES.cvFields, wording: WORDING, requiredYear: 2021 };

  it('says nothing when no list was uploaded', () => {
    expect(checkMembership({ ...base, list: undefined, ...application('Membership number: 424242\nMembership 2021') })).toEqual([]);
  });

  it('says nothing when the receipt number is on the list with the year paid', () => {
    expect(checkMembership({ ...base, list: LIST, ...application('European Society of Radiology\nMember ID: 0100234\nMembership fee 2021 paid') })).toEqual([]);
  });

  it('flags a receipt number that is not on the list, for review, with page and snippet', () => {
    const flags = checkMembership({ ...base, list: LIST, ...application('European Society of Radiology\nMembership number: 424242\nMembership 2021') });
    expect(flags).toEqual([
      expect.objectContaining({
        code: 'esr_member_not_on_list',
        severity: 'review',
        section: 'esr_membership',
        message: expect.stringContaining('424242'),
        evidence: { pages: [2], snippet: 'Membership number: 424242', number: '424242', source: 'receipt', listUploadedAt: LIST.uploadedAt },
      }),
    ]);
  });

  it('flags a member whose fee for the required year the list does not show', () => {
    const flags = checkMembership({ ...base, list: LIST, ...application('Membership no. 100999\nvalid until 31 December 2021') });
    expect(flags).toEqual([expect.objectContaining({ code: 'esr_membership_unpaid', severity: 'review', message: expect.stringMatching(/2018, 2019.*2021/) })]);
    expect(flags[0]!.evidence).toMatchObject({ number: '100999', paidYears: [2018, 2019], year: 2021 });
  });

  it('reads the numbers as receipts and CVs print them, and never a year beside them', () => {
    const pages = (text: string) => [{ num: 9, text, imageOnly: false }];
    const numbers = (text: string) => findReceiptNumbers(pages(text)).map((n) => n.number);
    expect(numbers('European Society of Radiology\nMember ID: 1234567\n2021 membership fee paid')).toEqual(['1234567']);
    expect(numbers('Member ID      M123456    Membership 2021')).toEqual(['M123456']);
    expect(numbers('ESR membership no. ESR-100 234 valid until 31.12.2021')).toEqual(['ESR-100 234']);
    expect(numbers('Mitgliedsnummer: 0100234 Mitgliedsbeitrag 2021')).toEqual(['0100234']);
    expect(numbers('Membership 2021, thank you for your payment')).toEqual([]);
  });

  it('reads the number from the CV template field as well', () => {
    const app = application('no number on this receipt', 'ESOR CURRICULUM VITAE\nSurname: Doe\nESR membership number: 777001\nLanguages: English');
    expect(findMembershipNumbers(app.pages, app.sections, RULES.cvFields)).toEqual([expect.objectContaining({ number: '777001', source: 'cv', page: 1 })]);
    expect(checkMembership({ ...base, list: LIST, ...app }).map((f) => f.code)).toEqual(['esr_member_not_on_list']);
  });

  it('reads a membership number a CV names in running text', () => {
    const app = application('no number here', 'Curriculum vitae\nMemberships: European Society of Radiology (ESR), member no. 100999\nLanguages: English');
    expect(findMembershipNumbers(app.pages, app.sections, RULES.cvFields)).toEqual([expect.objectContaining({ number: '100999', source: 'cv' })]);
    expect(checkMembership({ ...base, list: LIST, ...app }).map((f) => f.code)).toEqual(['esr_membership_unpaid']);
  });

  it('without any number, looks the applicant up by e-mail and reports only an unpaid year', () => {
    const app = application('a receipt without a number');
    expect(checkMembership({ ...base, list: LIST, ...app, applicantEmail: 'OLD@example.org' }).map((f) => f.code)).toEqual(['esr_membership_unpaid']);
    expect(checkMembership({ ...base, list: LIST, ...app, applicantEmail: 'stranger@example.org' })).toEqual([]);
  });
});

describe('decideStored with the member list', () => {
  it('adds the review flag beside the receipt and makes a person decide', () => {
    const ids = ['motivation', 'cv', 'recommendation', 'board_certificate', 'medical_degree', 'language_certificates', 'publications', 'references', 'esr_membership', 'passport'] as const;
    const pages: PageText[] = ids.map((id, i) => ({ num: i + 1, text: id === 'esr_membership' ? 'European Society of Radiology\nMembership number: 424242\nMembership fee 2021' : `Synthetic ${id}`, imageOnly: false }));
    // The pages' places as staff fixed them, so the test does not hang on how synthetic text is classified.
    const segmentation = segmentationFromSpans(pages.map((p) => p.num), ids.map((id, i) => ({ id, pages: [i + 1, i + 1] as [number, number] })), RULES.sectionModels);
    const analysis = { pages, pageScores: [], segmentation } as unknown as DocumentAnalysis;
    const mail = { subject: 'Application', text: 'My application for the Hybrid Imaging in Oncology fellowship is attached.', from: { email: 'a@example.org' }, headerMessageId: '<x@example.org>', references: [], receivedAt: '2021-03-10T10:00:00.000Z', noReplySender: false, otherAttachments: [], pdfs: [] } as unknown as StoredMail;
    const stored = { pdfs: [{ filename: 'a.pdf', pages }], analysis, sectionFiles: [] } as unknown as StoredAnalysis;
    const without = decideStored(mail, stored, RULES, undefined);
    const withList = decideStored(mail, stored, RULES, undefined, { esrMembers: LIST });
    expect(withList.sections.map((s) => s.id)).toContain('esr_membership');
    const added = withList.flags.filter((f) => !without.flags.some((g) => g.code === f.code));
    expect(added.map((f) => f.code)).toEqual(['esr_member_not_on_list']);
    expect(added[0]!.evidence).toMatchObject({ pages: [9], number: '424242', source: 'receipt' });
    expect(added[0]!.severity).toBe('review');
    // Synthetic pages leave flags more severe than review (incomplete): the status stays the most severe.
    expect(withList.status).toBe(without.status === 'complete' ? 'needs_review' : without.status);
  });
});
