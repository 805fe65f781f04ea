/**
 * A saved mail's received time is the office server's arrival stamp, its topmost Received header
 * (core/mail/received-time.ts), not the Date its sender wrote. Synthetic headers only.
 */
import path from 'node:path';
import { loadRules } from '../../../adapters/rules-loader';
import { topReceivedTime } from '../../../core/mail/received-time';
import { compileTriageRules, triageApplication } from '../../../core/triage/triage-application';
import { toMailInput } from '../../../services/triage/triage-file';

const RULES = compileTriageRules(loadRules(path.join(__dirname, '../../../rules')));

const OFFICE_HOP = 'Received: from mail.example.org (mail.example.org [192.0.2.1])\r\n\tby mx.office.example (Postfix) with ESMTPS id 4F1\r\n\tfor <office@office.example>; Fri, 2 Apr 2021 09:02:44 +0200 (CEST)';
const SENDER_HOP = 'Received: from [10.0.0.2] by mail.example.org with ESMTPSA; Wed, 31 Mar 2021 22:15:03 +0300';

describe('topReceivedTime', () => {
  it('reads the topmost Received header, folded and with a zone comment', () => {
    expect(topReceivedTime(`${OFFICE_HOP}\r\n${SENDER_HOP}\r\nSubject: x\r\n\r\nbody`)?.toISOString()).toBe('2021-04-02T07:02:44.000Z');
    expect(topReceivedTime(`Return-Path: <a@example.org>\n${SENDER_HOP}\n\n`)?.toISOString()).toBe('2021-03-31T19:15:03.000Z');
  });

  it('is undefined without one, with a date that is no real date-time, or with one only in the body', () => {
    expect(topReceivedTime('Subject: x\r\nDate: Wed, 31 Mar 2021 22:15:00 +0300\r\n\r\nbody')).toBeUndefined();
    expect(topReceivedTime('Received: from x by y; garbage 2021\r\n\r\n')).toBeUndefined();
    expect(topReceivedTime('Received: from x by y; Fri, 2 Apr 2021 09:02:44 +9999\r\n\r\n')).toBeUndefined();
    expect(topReceivedTime('Received: from x by y\r\n\r\n')).toBeUndefined();
    expect(topReceivedTime(`Subject: x\r\n\r\n${OFFICE_HOP}`)).toBeUndefined();
  });

  it('reads a forged header of any length in bounded work', () => {
    expect(topReceivedTime(`Received: ${'x; '.repeat(500_000)}Fri, 2 Apr 2021 09:02:44 +0200\r\n\r\n`)).toBeUndefined();
  });
});

describe('a saved mail on the command line', () => {
  const mail = (headers: string) => Buffer.from(`${headers}From: Applicant <applicant@example.org>\r\nTo: office@office.example\r\nSubject: Application – ESOR Fellowship Hybrid Imaging in Oncology, Gustave Roussy\r\nDate: Wed, 31 Mar 2021 22:15:00 +0300\r\nMessage-ID: <m1@example.org>\r\n\r\nMy application is attached.\r\n`);

  it('is received when the office server took it in: late, and the Date header more than a day away is flagged', async () => {
    const input = await toMailInput(mail(`${OFFICE_HOP}\r\n${SENDER_HOP}\r\n`), RULES);
    expect(input.receivedAt?.toISOString()).toBe('2021-04-02T07:02:44.000Z');
    const { result } = triageApplication(input, RULES);
    expect(result.flags.find((f) => f.code === 'received_date_mismatch')?.evidence).toEqual({ serverReceivedAt: '2021-04-02T07:02:44.000Z', headerDate: '2021-03-31T19:15:00.000Z', hoursApart: 36 });
  });

  it('without a Received header (a sent copy), or with --received, is judged by that date and flags nothing', async () => {
    const sent = await toMailInput(mail(''), RULES);
    expect(sent.receivedAt?.toISOString()).toBe('2021-03-31T19:15:00.000Z');
    const chosen = await toMailInput(mail(`${OFFICE_HOP}\r\n`), RULES, { received: new Date('2021-03-20T00:00:00Z') });
    expect(chosen.receivedAt?.toISOString()).toBe('2021-03-20T00:00:00.000Z');
    for (const input of [sent, chosen]) expect(triageApplication(input, RULES).result.flags.map((f) => f.code)).not.toContain('received_date_mismatch');
  });
});
