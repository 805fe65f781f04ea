/**
 * The claim decision of a staff message's send (core/reply/staff-message-send.ts), with the clock passed
 * in: who may hand the message to the mail server now, and what a failure is recorded as.
 */
import { claimOf, failureOf, maySend } from '../../../core/reply/staff-message-send';

const at = (min: number) => new Date(Date.parse('2021-03-12T10:00:00Z') + min * 60_000).toISOString();

describe('claimOf', () => {
  it('a message nobody claimed yet is claimed (first run, or one requested before sends were recorded)', () => {
    expect(claimOf(undefined, at(0))).toBe('claimed');
    expect(claimOf({ state: 'queued' }, at(0))).toBe('claimed');
  });

  it('a claim younger than its lease keeps every other run from sending (the job ran again while SMTP was slow)', () => {
    const sending = { state: 'sending' as const, leaseUntil: at(5) };
    expect(claimOf(sending, at(0))).toBe('in-flight');
    expect(claimOf(sending, at(4.99))).toBe('in-flight');
    expect(maySend(claimOf(sending, at(1)))).toBe(false);
  });

  it('a claim whose lease ended with nothing recorded is taken over: its outcome is unknown, the caller is told so', () => {
    const sending = { state: 'sending' as const, leaseUntil: at(5) };
    expect(claimOf(sending, at(5))).toBe('taken-over');
    expect(claimOf(sending, at(60))).toBe('taken-over');
    expect(maySend('taken-over')).toBe(true);
  });

  it('a message sent is never sent again, whatever its lease says', () => {
    expect(claimOf({ state: 'sent' }, at(0))).toBe('sent');
    expect(claimOf({ state: 'sent', leaseUntil: at(-5) }, at(0))).toBe('sent');
    expect(maySend('sent')).toBe(false);
  });

  it('a failed message waits for staff: a late copy of its job does not send it', () => {
    expect(claimOf({ state: 'failed' }, at(0))).toBe('failed');
    expect(maySend('failed')).toBe(false);
  });

  it('staff asked again while an earlier send may still run: the new attempt waits for that lease, then is a plain claim', () => {
    const queued = { state: 'queued' as const, leaseUntil: at(5) };
    expect(claimOf(queued, at(1))).toBe('in-flight');
    expect(claimOf(queued, at(5))).toBe('claimed');
  });
});

describe('failureOf', () => {
  it('words the error codes as the page does: refused, unreachable, settings, anything else', () => {
    expect(failureOf('SMTP_REJECTED')).toBe('refused');
    expect(failureOf('REPLY_REJECTED')).toBe('refused');
    expect(failureOf('SMTP_CONNECTION')).toBe('unreachable');
    expect(failureOf('SMTP_TEMPORARY')).toBe('unreachable');
    expect(failureOf('REPLY_IN_FLIGHT')).toBe('unreachable');
    expect(failureOf('SMTP_AUTH')).toBe('settings');
    expect(failureOf('MISSING_FILE')).toBe('failed');
    expect(failureOf('ERROR')).toBe('failed');
  });
});
