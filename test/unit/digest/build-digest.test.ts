import { buildDigest, daysToDeadline, type DigestInput } from '../../../core/digest/build-digest';
import type { Status } from '../../../core/types';

const NOW = new Date('2021-03-12T07:00:00.000Z');
const SINCE = new Date('2021-03-11T07:00:00.000Z');
const GR = 'gustave-roussy-hybrid-imaging-2022';

function counts(c: Partial<Record<Status, number>>): Record<Status, number> {
  return { complete: 0, incomplete: 0, ineligible: 0, needs_review: 0, not_application: 0, ...c };
}

function input(over: Partial<DigestInput> = {}): DigestInput {
  return {
    now: NOW,
    since: SINCE,
    programmes: [{ id: GR, title: 'Clinical/Research Fellowship in Hybrid Imaging in Oncology', deadline: '2021-03-31', timezone: 'Europe/Paris' }],
    counts: { [GR]: counts({ complete: 4, incomplete: 2, ineligible: 1, needs_review: 2 }), unknown: counts({ not_application: 3 }), other: counts({}) },
    newSince: 3,
    needsReview: [
      { id: 'app-0001', programme: GR, status: 'needs_review', flags: ['language_unverified', 'image_only_pages'], receivedAt: '2021-03-10T09:14:00.000Z' },
      { id: 'app-0002', programme: null, status: 'needs_review', flags: [], receivedAt: '2021-03-11T18:02:00.000Z' },
    ],
    heldReplies: [{ id: 'reply-9', applicationId: 'app-0003', status: 'ineligible', createdAt: '2021-03-11T05:00:00.000Z' }],
    dashboardUrl: 'https://intake.esor.example/staff/',
    ...over,
  };
}

describe('buildDigest', () => {
  it('writes the subject and the whole text from the input alone (fixed clock)', () => {
    const { subject, text } = buildDigest(input());
    expect(subject).toBe('ESOR intake digest, 12 March 2021: 3 received, 2 to review, 1 reply held');
    expect(text).toBe(
      [
        'ESOR intake: daily digest, 12 March 2021',
        'Period: 2021-03-11 07:00 UTC to 2021-03-12 07:00 UTC',
        '',
        'Received in this period (new or resubmitted): 3',
        'Waiting for review: 2',
        'Replies held for approval: 1',
        '',
        'PROGRAMMES',
        '',
        `Clinical/Research Fellowship in Hybrid Imaging in Oncology (${GR})`,
        '  deadline 31 March 2021: 19 days left',
        '  complete 4, incomplete 2, ineligible 1, needs review 2, not an application 0; total 9',
        '',
        'Programme unknown',
        '  complete 0, incomplete 0, ineligible 0, needs review 0, not an application 3; total 3',
        '',
        'WAITING FOR REVIEW (2)',
        '',
        '- app-0001',
        '  Clinical/Research Fellowship in Hybrid Imaging in Oncology; needs review; received 2021-03-10 09:14 UTC',
        '  flags: language_unverified, image_only_pages',
        '  https://intake.esor.example/staff/applications/app-0001',
        '',
        '- app-0002',
        '  programme unknown; needs review; received 2021-03-11 18:02 UTC',
        '  flags: none',
        '  https://intake.esor.example/staff/applications/app-0002',
        '',
        'REPLIES HELD FOR APPROVAL (1)',
        '',
        '- reply reply-9 to application app-0003',
        '  ineligible; held since 2021-03-11 05:00 UTC (26 hours)',
        '  https://intake.esor.example/staff/applications/app-0003',
        '',
        '--',
        'Sent automatically by esor-intake. Applicants are named only in the dashboard.',
        'https://intake.esor.example/staff',
        '',
      ].join('\n'),
    );
  });

  it('leaves links out without a dashboard URL and says when nothing waits', () => {
    const { subject, text } = buildDigest(input({ dashboardUrl: undefined, needsReview: [], heldReplies: [], newSince: 0 }));
    expect(subject).toBe('ESOR intake digest, 12 March 2021: 0 received, 0 to review, 0 replies held');
    expect(text).not.toContain('http');
    expect(text).toContain('WAITING FOR REVIEW (0)\n  Nothing waits for review.');
    expect(text).toContain('REPLIES HELD FOR APPROVAL (0)\n  No reply waits for approval.');
  });

  it('counts days to the deadline in the programme time zone: the deadline day is still open', () => {
    expect(daysToDeadline('2021-03-31', new Date('2021-03-30T12:00:00Z'), 'Europe/Paris')).toBe(1);
    expect(daysToDeadline('2021-03-31', new Date('2021-03-31T21:59:00Z'), 'Europe/Paris')).toBe(0); // 23:59 in Paris
    expect(daysToDeadline('2021-03-31', new Date('2021-03-31T22:30:00Z'), 'Europe/Paris')).toBe(-1); // 00:30 on 1 April in Paris
    expect(daysToDeadline('2021-03-31', new Date('2021-03-31T22:30:00Z'), 'UTC')).toBe(0);
    const line = (now: string) => buildDigest(input({ now: new Date(now) })).text.split('\n').find((l) => l.includes('deadline'));
    expect(line('2021-03-30T12:00:00Z')).toBe('  deadline 31 March 2021: 1 day left');
    expect(line('2021-03-31T12:00:00Z')).toBe('  deadline 31 March 2021: last day today');
    expect(line('2021-04-01T12:00:00Z')).toBe('  deadline 31 March 2021: closed 1 day ago');
    expect(line('2021-04-20T12:00:00Z')).toBe('  deadline 31 March 2021: closed 20 days ago');
  });

  it('shows applications of programmes no longer in the rules, and lists a programme without a deadline', () => {
    const text = buildDigest(
      input({
        programmes: [{ id: 'p-a', title: 'Programme A' }],
        counts: { 'p-a': counts({}), 'retired-2019': counts({ complete: 2 }), other: counts({ incomplete: 1 }), unknown: counts({}) },
      }),
    ).text;
    expect(text).toContain('Programme A (p-a)\n  complete 0, incomplete 0, ineligible 0, needs review 0, not an application 0; total 0\n');
    expect(text).not.toMatch(/Programme A \(p-a\)\n {2}deadline/);
    expect(text).toContain('retired-2019 (retired-2019)\n  complete 2,');
    expect(text).toContain('Other programmes\n  complete 0, incomplete 1,');
    expect(text).not.toContain('Programme unknown'); // all zero: left out
    expect(text.indexOf('retired-2019')).toBeLessThan(text.indexOf('Other programmes'));
  });

  it('lists at most maxItems and says how many more wait, with a link to the filtered list', () => {
    const many = Array.from({ length: 5 }, (_, i) => ({ id: `app-${i}`, programme: GR, status: 'needs_review' as const, flags: [], receivedAt: '2021-03-10T09:14:00.000Z' }));
    const { text, subject } = buildDigest(input({ needsReview: many, needsReviewTotal: 12, maxItems: 3 }));
    expect(subject).toContain('12 to review');
    expect(text).toContain('WAITING FOR REVIEW (12)');
    expect(text).toContain('- app-2\n');
    expect(text).not.toContain('- app-3\n');
    expect(text).toContain('  ... and 9 more: https://intake.esor.example/staff/applications?status=needs_review&unreviewed=1');
  });

  it('encodes application ids in links', () => {
    const { text } = buildDigest(input({ needsReview: [{ id: 'a/b c', programme: GR, status: 'needs_review', flags: [], receivedAt: '2021-03-10T09:14:00.000Z' }] }));
    expect(text).toContain('https://intake.esor.example/staff/applications/a%2Fb%20c');
  });

  it('never contains what the input does not give: no @ outside links, whatever the ids', () => {
    const { text, subject } = buildDigest(input({ dashboardUrl: undefined }));
    expect(`${subject}\n${text}`).not.toContain('@');
  });
});
