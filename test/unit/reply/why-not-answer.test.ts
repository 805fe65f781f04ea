/**
 * The reply stage and the rules dry run decide "do not answer" with the same
 * function, on the recipient chooseRecipient picks (the dry run used to
 * preview replies to a third party's Reply-To and to unverified senders).
 */
import { chooseRecipient } from '../../../core/reply/choose-reply';
import { replyMailOf, whyNotAnswer, type StoredMail } from '../../../core/stored/stored-mail';

const base: StoredMail = {
  subject: 'ESOR fellowship application',
  text: '',
  from: { email: 'applicant@example.org', name: 'Example Applicant' },
  references: [],
  receivedAt: '2021-03-01T10:00:00.000Z',
  noReplySender: false,
  otherAttachments: [],
  pdfs: [],
};

describe('whyNotAnswer with replyMailOf and chooseRecipient', () => {
  it('answers a plain applicant at the From address', () => {
    const to = chooseRecipient(replyMailOf(base));
    expect(to?.email).toBe('applicant@example.org');
    expect(whyNotAnswer(base, to?.email, false)).toBeUndefined();
  });

  it('never writes to a Reply-To in another domain', () => {
    const mail = { ...base, replyTo: { email: 'someone@elsewhere.example' } };
    expect(chooseRecipient(replyMailOf(mail))?.email).toBe('applicant@example.org');
  });

  it('echoes nothing unless the office server verified the sender, and never answers a failed sender', () => {
    expect(replyMailOf(base).senderVerified).toBe(false);
    expect(replyMailOf({ ...base, senderAuth: { sender: 'pass' } }).senderVerified).toBe(true);
    const failed = { ...base, senderAuth: { sender: 'fail' as const } };
    expect(whyNotAnswer(failed, 'applicant@example.org', false)).toBe('sender not verified by the office mail server');
  });

  it('gives machine mail, no address, no-reply senders and bounced addresses a reason', () => {
    expect(whyNotAnswer({ ...base, machine: { reason: 'Auto-Submitted', kind: 'auto_reply' } }, 'a@example.org', false)).toBe('machine mail (auto_reply)');
    expect(whyNotAnswer(base, undefined, false)).toBe('no sender address');
    expect(whyNotAnswer({ ...base, noReplySender: true }, 'a@example.org', false)).toBe('no-reply sender');
    expect(whyNotAnswer(base, 'a@example.org', true)).toBe('the address bounced before');
  });
});
