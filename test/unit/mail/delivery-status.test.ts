import { readDeliveryFailure } from '../../../core/mail/delivery-status';

const REPLY = 'reply-3f1c2a9e-5b7d-4c11-9a0e-2d4b6f8a1c3e@esor-intake';
const REPLY_ID = '3f1c2a9e-5b7d-4c11-9a0e-2d4b6f8a1c3e';

/** A Postfix bounce (multipart/report; report-type=delivery-status) as it arrives, synthetic addresses. */
function postfixReport(opts: { action: string; status: string; messageId?: string }): string {
  return [
    'From: MAILER-DAEMON@mx.applicant.example.com (Mail Delivery System)',
    'Subject: Undelivered Mail Returned to Sender',
    'To: office@esor.example.org',
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="B1"',
    '',
    '--B1',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This is the mail system at host mx.applicant.example.com.',
    '',
    '<gone@applicant.example.com>: host mx said: 550 5.1.1 User unknown',
    '',
    '--B1',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.applicant.example.com',
    'X-Postfix-Queue-ID: 4F2B12345',
    'Arrival-Date: Fri, 12 Mar 2021 10:00:00 +0100 (CET)',
    '',
    'Final-Recipient: rfc822; gone@applicant.example.com',
    'Original-Recipient: rfc822;gone@applicant.example.com',
    `Action: ${opts.action}`,
    `Status: ${opts.status}`,
    'Remote-MTA: dns; mx2.applicant.example.com',
    'Diagnostic-Code: smtp; 550 5.1.1 <gone@applicant.example.com>: Recipient address rejected',
    '',
    '--B1',
    'Content-Type: text/rfc822-headers',
    '',
    'From: ESOR Office <office@esor.example.org>',
    'To: gone@applicant.example.com',
    'Subject: Re: Application',
    ...(opts.messageId ? [`Message-ID: <${opts.messageId}>`] : []),
    'Auto-Submitted: auto-replied',
    '',
    '--B1--',
    '',
  ].join('\r\n');
}

describe('readDeliveryFailure', () => {
  it('a permanent failure quoting our reply: the recipient and the reply', () => {
    expect(readDeliveryFailure([postfixReport({ action: 'failed', status: '5.1.1', messageId: REPLY })])).toEqual({
      replyIds: [REPLY_ID],
      failedRecipients: ['gone@applicant.example.com'],
    });
  });
  it('a delay notice marks nobody', () => {
    expect(readDeliveryFailure([postfixReport({ action: 'delayed', status: '4.4.1', messageId: REPLY })]).failedRecipients).toEqual([]);
  });
  it('failed with a temporary status marks nobody', () => {
    expect(readDeliveryFailure([postfixReport({ action: 'failed', status: '4.2.2', messageId: REPLY })]).failedRecipients).toEqual([]);
  });
  it('a report quoting no reply of ours has no reply id (the caller then marks nothing)', () => {
    expect(readDeliveryFailure([postfixReport({ action: 'failed', status: '5.1.1', messageId: 'abc@mail.example.net' })]).replyIds).toEqual([]);
    expect(readDeliveryFailure([postfixReport({ action: 'failed', status: '5.1.1', messageId: 'reply-1@esor-intake' })]).replyIds).toEqual([]);
  });
  it('a bounce that quotes the report in its text, with "> " markers (Exchange-like)', () => {
    const text = [
      'Delivery has failed to these recipients or groups:',
      '',
      '> Final-Recipient: rfc822;Gone@Applicant.Example.com',
      '> Action: failed',
      '> Status: 5.2.2 (mailbox full)',
      '>',
      `> Message-ID: <${REPLY.toUpperCase()}>`,
    ].join('\n');
    expect(readDeliveryFailure([text])).toEqual({ replyIds: [REPLY_ID], failedRecipients: ['gone@applicant.example.com'] });
  });
  it('X-Failed-Recipients alone is no report', () => {
    expect(readDeliveryFailure(['X-Failed-Recipients: gone@applicant.example.com\r\nSubject: Mail delivery failed\r\n\r\nsorry']).failedRecipients).toEqual([]);
  });
  it('stays bounded on a huge mail', () => {
    const huge = `${'Action: failed\n'.repeat(200_000)}`;
    expect(readDeliveryFailure([huge])).toEqual({ replyIds: [], failedRecipients: [] });
  });
});
