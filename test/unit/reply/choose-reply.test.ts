import { chooseReply, listChecklistItems, stripReplyMarkers, type ReplyDecision } from '../../../core/reply';
import {
  PROGRAMME,
  RULES,
  completeResult,
  contextFor,
  flag,
  incompleteResult,
  ineligibleResult,
  listInternalWords,
  notApplicationResult,
  programmeWith,
  reviewResult,
} from './reply-fixtures';

type Sent = Extract<ReplyDecision, { action: 'send' | 'hold' }>;

function expectReply(decision: ReplyDecision): Sent {
  if (decision.action === 'none') throw new Error(`expected a reply, got none (${decision.reason})`);
  return decision;
}

function expectCleanText(reply: Sent): void {
  expect(reply.text).not.toMatch(/\{[a-z_]*\}/);
  for (const word of listInternalWords()) expect(reply.text).not.toMatch(new RegExp(`\\b${word}\\b`));
  expect(reply.text).toMatch(/automatic message/);
  expect(reply.text.endsWith('\n')).toBe(true);
}

describe('chooseReply: a programme names a document its own way', () => {
  it("the programme's section_names replace common.yaml's reply_name in the checklist", () => {
    const programme = { ...PROGRAMME, section_names: { language_certificates: 'English language certificate' } };
    const reply = expectReply(chooseReply(contextFor(completeResult(), { programme })));
    expect(reply.text).toContain('6. English language certificate: found, pages 13–14');
    expect(reply.text).not.toContain('English and French');
  });
});

describe('chooseReply: per status', () => {
  it('complete: sends the acknowledgement with every document found', () => {
    const reply = expectReply(chooseReply(contextFor(completeResult())));
    expect(reply).toMatchObject({ action: 'send', template: 'acknowledgement', to: { email: 'a.rossi@example.test', name: 'Anna Rossi' } });
    expect(reply.text).toMatch(/^Dear Anna Rossi,\n/);
    expect(reply.text).toContain('Clinical/Research Fellowship in Hybrid Imaging in Oncology');
    expect(reply.text).toContain('We received your e-mail on 12 March 2021.');
    expect(reply.text).toContain('"Rossi_application.pdf" (21 pages)');
    expect(reply.text).toContain('1. Letter of motivation: found, pages 2–3');
    expect(reply.text).toContain('6. Language certificates for English and French: found, pages 13–14');
    expect(reply.text).toContain('10. Copy of your passport: found, pages 19–21');
    expect(reply.text).toContain('31 March 2021');
    expect(reply.text).not.toMatch(/not found|out of order/);
    expectCleanText(reply);
  });

  it('incomplete: lists what to fix, then the ten documents as a checklist, then how to fix it', () => {
    const reply = expectReply(chooseReply(contextFor(incompleteResult())));
    expect(reply).toMatchObject({ action: 'send', template: 'incomplete' });
    const text = reply.text;
    expect(text).toContain('- We could not find the copy of your passport in your PDF.');
    expect(text).toContain('- Your documents are not in the required order (letter of motivation, ');
    // The review flag is for staff, not a thing to fix.
    expect(text).not.toContain('your level of French');

    const checklist = text.split('\n').filter((l) => /^\d+\. /.test(l));
    expect(checklist).toEqual([
      '1. Letter of motivation: found, pages 1–2',
      '2. CV on the ESOR Curriculum Vitae template: found, pages 3–6',
      '3. Letter of recommendation from your head of department: found (pages 8–9) but out of order',
      '4. Certificate of board certification: found, page 7',
      '5. Copy of your medical degree and of your specialisation as radiologist: found, pages 10–11',
      '6. Language certificates for English and French: not sent (optional)',
      '7. List of your five most important publications: found, pages 12–13',
      '8. List of references (people we may contact): found, page 14',
      '9. Proof of your ESR membership: found, page 15',
      '10. Copy of your passport: not found',
    ]);
    // Problems first, then the checklist, then the way to fix it.
    expect(text.indexOf('- We could not find')).toBeLessThan(text.indexOf('1. Letter of motivation'));
    expect(text.indexOf('10. Copy of your passport')).toBeLessThan(text.indexOf('ONE new e-mail'));
    expect(text).toContain('ONE PDF file');
    expect(text).toContain('before the application deadline, 31 March 2021');
    expectCleanText(reply);
  });

  it('incomplete without a readable PDF: the checklist says what the PDF must hold', () => {
    const result = completeResult({ status: 'incomplete', pdf: null, sections: [], missing: [], flags: [flag('no_pdf')] });
    const reply = expectReply(chooseReply(contextFor(result)));
    expect(reply.text).toContain('We could not find a PDF file in your e-mail.');
    expect(reply.text).toContain('1. Letter of motivation: required (not checked)');
    expect(reply.text).toContain('6. Language certificates for English and French: optional, if available (not checked)');
    // No PDF: the sentence naming it is left out, not shown half empty.
    expect(reply.text).not.toContain('We checked your PDF file');
    expectCleanText(reply);
  });

  it('ineligible: gives the reason and is held for staff approval by default', () => {
    expect(PROGRAMME.replies.ineligible).toBe('hold');
    const reply = expectReply(chooseReply(contextFor(ineligibleResult())));
    expect(reply).toMatchObject({ action: 'hold', template: 'ineligible' });
    expect(reply.text).toContain('- The programme is hosted in France, where you live or work;');
    // Only what made the status; the review note and the evidence stay internal.
    expect(reply.text).not.toContain('publication');
    expect(reply.text).not.toContain('Country of residence: France');
    expectCleanText(reply);
  });

  it('ineligible: sent at once when the programme file says send', () => {
    const reply = expectReply(chooseReply(contextFor(ineligibleResult(), { programme: programmeWith({ ineligible: 'send' }) })));
    expect(reply).toMatchObject({ action: 'send', template: 'ineligible' });
  });

  it('ineligible without a known programme is held', () => {
    const reply = expectReply(chooseReply(contextFor(ineligibleResult(), { programme: undefined })));
    expect(reply.action).toBe('hold');
    expect(reply.text).toContain('ESOR fellowship programme');
  });

  it('needs_review: a neutral receipt by default, also with no programme; nothing when the programme turns it off', () => {
    expect(chooseReply(contextFor(reviewResult(), { programme: programmeWith({ needs_review: 'none' }) }))).toEqual({
      action: 'none',
      reason: 'needs_review_without_receipt',
    });
    expect(expectReply(chooseReply(contextFor(reviewResult(), { programme: undefined })))).toMatchObject({ action: 'send', template: 'receipt' });
    const reply = expectReply(chooseReply(contextFor(reviewResult())));
    expect(reply).toMatchObject({ action: 'send', template: 'receipt' });
    // Neutral: no verdict, no problem, no checklist.
    expect(reply.text).not.toMatch(/publication|not found|found,/);
    expect(reply.text).toContain('We received your e-mail on 12 March 2021.');
    expectCleanText(reply);
  });

  it('not_application: never answered', () => {
    expect(chooseReply(contextFor(notApplicationResult()))).toEqual({ action: 'none', reason: 'not_application' });
  });

  it('doNotAnswer wins over every status', () => {
    for (const result of [completeResult(), incompleteResult(), ineligibleResult()]) {
      expect(chooseReply(contextFor(result, { doNotAnswer: 'no-reply sender' }))).toEqual({
        action: 'none',
        reason: 'do_not_answer: no-reply sender',
      });
    }
  });
});

describe('chooseReply: addressing and threading', () => {
  it('threads under the original: In-Reply-To its Message-ID, References its References then its Message-ID', () => {
    const reply = expectReply(
      chooseReply(
        contextFor(completeResult(), {
          mail: {
            subject: 'Application',
            messageId: '<msg-2@mail.example.test>',
            references: ['<root@mail.example.test>', '<msg-1@mail.example.test>'],
            from: { email: 'a.rossi@example.test' },
          },
        }),
      ),
    );
    expect(reply.inReplyTo).toBe('<msg-2@mail.example.test>');
    expect(reply.references).toEqual(['<root@mail.example.test>', '<msg-1@mail.example.test>', '<msg-2@mail.example.test>']);
  });

  it('without a Message-ID: no In-Reply-To, the References kept; ids get their angle brackets; repeats dropped', () => {
    const a = expectReply(chooseReply(contextFor(completeResult(), { mail: { subject: 'x', references: ['<r@h>'], from: { email: 'a@example.test' } } })));
    expect(a.inReplyTo).toBeUndefined();
    expect(a.references).toEqual(['<r@h>']);
    const b = expectReply(
      chooseReply(contextFor(completeResult(), { mail: { subject: 'x', messageId: 'm@h', references: ['<m@h>', 'r@h'], from: { email: 'a@example.test' } } })),
    );
    expect(b.inReplyTo).toBe('<m@h>');
    expect(b.references).toEqual(['<m@h>', '<r@h>']);
  });

  it('answers Reply-To only in the same domain as From, greeting its name; else From', () => {
    const mail = {
      subject: 'Application',
      references: [],
      from: { email: 'secretary@hospital.example.test', name: 'Radiology Secretariat' },
      replyTo: { email: 'a.rossi@Hospital.Example.test', name: 'Anna Rossi' },
    };
    const reply = expectReply(chooseReply(contextFor(completeResult(), { mail })));
    expect(reply.to).toEqual({ email: 'a.rossi@Hospital.Example.test', name: 'Anna Rossi' });
    expect(reply.text).toMatch(/^Dear Anna Rossi,/);

    const broken = expectReply(chooseReply(contextFor(completeResult(), { mail: { ...mail, replyTo: { email: 'not an address' } } })));
    expect(broken.to.email).toBe('secretary@hospital.example.test');
  });

  it('a Reply-To in another domain is not answered: the reply goes to From (a third party cannot be made a target)', () => {
    const mail = {
      subject: 'Application',
      references: [],
      from: { email: 'a.rossi@example.test', name: 'Anna Rossi' },
      replyTo: { email: 'victim@elsewhere.example.net', name: 'Victim' },
    };
    const reply = expectReply(chooseReply(contextFor(completeResult(), { mail })));
    expect(reply.to).toEqual({ email: 'a.rossi@example.test', name: 'Anna Rossi' });
    // A look-alike subdomain is another domain too.
    const sub = expectReply(chooseReply(contextFor(completeResult(), { mail: { ...mail, replyTo: { email: 'x@example.test.evil.example' } } })));
    expect(sub.to.email).toBe('a.rossi@example.test');
    // Without a usable From there is nobody to answer, whatever Reply-To says.
    expect(chooseReply(contextFor(completeResult(), { mail: { subject: 'x', references: [], replyTo: { email: 'victim@elsewhere.example.net' } } }))).toEqual({
      action: 'none',
      reason: 'no_recipient',
    });
  });

  it('an unverified sender: no display name, no subject, no file name echoed; threading kept', () => {
    const mail = {
      subject: 'Your account is locked: log in at http://phish.example.net',
      messageId: '<m-1@mail.example.test>',
      references: ['<root@mail.example.test>'],
      from: { email: 'a.rossi@example.test', name: 'Urgent: call +00 000 000' },
      senderVerified: false,
    };
    const reply = expectReply(chooseReply(contextFor(completeResult(), { mail })));
    expect(reply.to).toEqual({ email: 'a.rossi@example.test' });
    expect(reply.text).toMatch(/^Dear applicant,/);
    expect(reply.subject).toBe('Re: Your ESOR fellowship application');
    expect(`${reply.subject}\n${reply.text}`).not.toMatch(/phish|Urgent|\.pdf/);
    expect(reply.inReplyTo).toBe('<m-1@mail.example.test>');
    expect(reply.references).toEqual(['<root@mail.example.test>', '<m-1@mail.example.test>']);
  });

  it('greets "applicant" when the address has no usable name, and never an address', () => {
    const reply = expectReply(
      chooseReply(contextFor(completeResult(), { mail: { subject: 'x', references: [], from: { email: 'a@example.test', name: 'a@example.test' } } })),
    );
    expect(reply.to).toEqual({ email: 'a@example.test' });
    expect(reply.text).toMatch(/^Dear applicant,/);
  });

  it('does not reply without an address to reply to', () => {
    expect(chooseReply(contextFor(completeResult(), { mail: { subject: 'x', references: [] } }))).toEqual({ action: 'none', reason: 'no_recipient' });
  });

  it('prefixes "Re: " once', () => {
    const subjectFor = (subject: string) => expectReply(chooseReply(contextFor(completeResult(), { mail: { subject, references: [], from: { email: 'a@example.test' } } }))).subject;
    expect(subjectFor('Application Anna Rossi')).toBe('Re: Application Anna Rossi');
    expect(subjectFor('Re: Application')).toBe('Re: Application');
    expect(subjectFor('RE: re: Re[2]: Application')).toBe('Re: Application');
    expect(subjectFor('RE : Candidature')).toBe('Re: Candidature');
    // Other clients' markers are the applicant's words and stay.
    expect(subjectFor('AW: Bewerbung')).toBe('Re: AW: Bewerbung');
    expect(subjectFor('   ')).toBe('Re: Your ESOR fellowship application');
    expect(subjectFor('Application\r\nBcc: someone@example.test')).toBe('Re: Application Bcc: someone@example.test');
    expect(stripReplyMarkers('Research: hybrid imaging')).toBe('Research: hybrid imaging');
  });
});

describe('chooseReply: content', () => {
  it('mentions an earlier application only when there is one', () => {
    const sentence = RULES.replies.earlier_application;
    expect(expectReply(chooseReply(contextFor(completeResult()))).text).not.toContain(sentence);
    const reply = expectReply(chooseReply(contextFor(completeResult(), { previous: { status: 'incomplete', revision: 1 } })));
    expect(reply.text).toContain(sentence);
  });

  it('gives the received date in the programme time zone', () => {
    // 22:30 UTC on 31 March is already 1 April in Villejuif.
    const reply = expectReply(chooseReply(contextFor(completeResult({ receivedAt: '2021-03-31T22:30:00.000Z' }))));
    expect(reply.text).toContain('We received your e-mail on 1 April 2021.');
    const unknown = expectReply(chooseReply(contextFor(completeResult({ receivedAt: null }))));
    expect(unknown.text).not.toContain('We received your e-mail');
  });

  it('puts in nothing the applicant did not send: no facts, no evidence, no other data', () => {
    const result = incompleteResult();
    result.facts = { passportExpiry: '2029-04-30', countryOfResidence: 'IT', boardCertificationDate: '2019-06-14' };
    const reply = expectReply(chooseReply(contextFor(result)));
    for (const value of ['2029', 'IT', '2019-06-14', '14 June 2019', 'EVIDENCE-SNIPPET']) expect(reply.text).not.toContain(value);
    expect(reply.text).not.toContain('a.rossi@example.test');
  });

  it('drops a placeholder a flag message was left with instead of showing it', () => {
    const result = completeResult({ status: 'incomplete', flags: [{ code: 'unreadable_pdf', severity: 'incomplete', message: RULES.common.flags.unreadable_pdf!.message }] });
    const reply = expectReply(chooseReply(contextFor(result)));
    expect(reply.text).toContain('- We could not open your PDF file. Please send it again');
    expectCleanText(reply);
  });

  it('uses the fallbacks when the rules know no programme', () => {
    const reply = expectReply(chooseReply(contextFor(incompleteResult(), { programme: undefined })));
    expect(reply.text).toContain('Thank you for your application for the ESOR fellowship programme.');
    expect(reply.text).toContain('before the application deadline, as given in the call.');
  });
});

describe('listChecklistItems', () => {
  it('names the document moved to the front as the one out of order', () => {
    const result = completeResult({
      status: 'incomplete',
      sections: [
        { id: 'passport', pages: [1, 1], confidence: 0.9 },
        { id: 'motivation', pages: [2, 3], confidence: 0.9 },
        { id: 'cv', pages: [4, 6], confidence: 0.9 },
        { id: 'recommendation', pages: [7, 7], confidence: 0.9 },
        { id: 'board_certificate', pages: [8, 8], confidence: 0.9 },
        { id: 'medical_degree', pages: [9, 9], confidence: 0.9 },
        { id: 'publications', pages: [10, 10], confidence: 0.9 },
        { id: 'references', pages: [11, 11], confidence: 0.9 },
        { id: 'esr_membership', pages: [12, 12], confidence: 0.9 },
      ],
      flags: [flag('out_of_order', { found: '', expected: '' })],
    });
    const states = Object.fromEntries(listChecklistItems(result, RULES.common).map((i) => [i.id, i.state]));
    expect(states).toMatchObject({ passport: 'found_out_of_order', motivation: 'found', esr_membership: 'found', language_certificates: 'not_sent_optional' });
    expect(Object.values(states).filter((s) => s === 'found_out_of_order')).toHaveLength(1);
  });

  it('marks nothing out of order without the out_of_order flag, and joins a document found in two places', () => {
    const result = completeResult({
      sections: [...completeResult().sections.filter((s) => s.id !== 'other'), { id: 'passport', pages: [23, 23], confidence: 0.7 }],
    });
    const items = listChecklistItems(result, RULES.common);
    expect(items.every((i) => i.state === 'found')).toBe(true);
    const reply = expectReply(chooseReply(contextFor(result)));
    expect(reply.text).toContain('10. Copy of your passport: found, pages 19–21 and page 23');
  });
});
