/** Contract § 4/5: where the received time comes from, and `received_date_mismatch`. */
import path from 'node:path';
import { loadRules } from '../../../adapters/rules-loader';
import { arrivalTime } from '../../../services/poller';
import { ConfigError, loadConfig } from '../../../services/common/config';
import { compileTriageRules } from '../../../core/triage/triage-application';
import { storedTriageInput } from '../../../core/stored/decide-stored';
import { receivedDateMismatch } from '../../../core/triage/received-date';
import type { StoredAnalysis } from '../../../core/stored/stored-analysis';
import type { StoredMail } from '../../../core/stored/stored-mail';

const rules = compileTriageRules(loadRules(path.join(__dirname, '../../../rules')));

function mail(over: Partial<StoredMail>): StoredMail {
  return { subject: 's', text: '', references: [], receivedAt: '2026-01-10T10:00:00.000Z', noReplySender: false, otherAttachments: [], pdfs: [], ...over };
}

/** The mismatch the core sees for a stored mail (the server time reaches it only when it is the received time). */
function flagReceivedDateMismatch(stored: StoredMail) {
  return receivedDateMismatch(storedTriageInput(stored, { pdfs: [] } as unknown as StoredAnalysis).mail!);
}

describe('ESOR_RECEIVED_TIME', () => {
  it('is unset by default (server for a mailbox, header for the local default, decided where they start)', () => {
    expect(loadConfig({}, '/srv').receivedTime).toBeUndefined();
  });
  it('reads server or header, and nothing else', () => {
    expect(loadConfig({ ESOR_RECEIVED_TIME: 'header' }, '/srv').receivedTime).toBe('header');
    expect(loadConfig({ ESOR_RECEIVED_TIME: 'server' }, '/srv').receivedTime).toBe('server');
    expect(() => loadConfig({ ESOR_RECEIVED_TIME: 'sender' }, '/srv')).toThrow(ConfigError);
  });
});

describe('received_date_mismatch', () => {
  const server = { receivedFrom: 'server' as const, serverReceivedAt: '2026-01-10T10:00:00.000Z' };

  it('flags a Date header more than 24 h from the server time, in either direction, with both times', () => {
    for (const headerDate of ['2026-01-09T09:59:00.000Z', '2026-01-11T10:01:00.000Z', '2021-03-04T20:35:51.000Z']) {
      expect(flagReceivedDateMismatch(mail({ ...server, headerDate }))).toMatchObject({ serverReceivedAt: server.serverReceivedAt, headerDate });
    }
    const wording = rules.rules.common.flags.received_date_mismatch!;
    expect(wording.severity).toBe('review');
    expect(wording.message).not.toMatch(/[{}]/);
  });

  it('does not flag within 24 h, without a Date header, or when the header is the received time', () => {
    expect(flagReceivedDateMismatch(mail({ ...server, headerDate: '2026-01-09T10:00:00.000Z' }))).toBeUndefined();
    expect(flagReceivedDateMismatch(mail({ ...server }))).toBeUndefined();
    expect(flagReceivedDateMismatch(mail({ receivedFrom: 'header', serverReceivedAt: server.serverReceivedAt, headerDate: '2021-03-04T20:35:51.000Z' }))).toBeUndefined();
    // Mail stored before the times were recorded.
    expect(flagReceivedDateMismatch(mail({}))).toBeUndefined();
  });
});

describe('arrivalTime (IMAP INTERNALDATE)', () => {
  it('takes a Date or the server string, and nothing unusable', () => {
    expect(arrivalTime(new Date('2026-01-10T10:00:00Z'))?.toISOString()).toBe('2026-01-10T10:00:00.000Z');
    expect(arrivalTime('10-Jan-2026 11:00:00 +0100')?.toISOString()).toBe('2026-01-10T10:00:00.000Z');
    expect(arrivalTime('garbage')).toBeUndefined();
    expect(arrivalTime(undefined)).toBeUndefined();
  });
});
