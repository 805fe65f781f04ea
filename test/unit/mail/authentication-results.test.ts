import {
  judgeSenderAuthentication,
  listAuthenticationResultsHeaders,
  parseAuthenticationResults,
  parseAuthservIdList,
} from '../../../core/mail/authentication-results';

// Header shapes as Gmail, Microsoft 365 and Postfix with OpenDKIM/OpenDMARC write them; domains synthetic.
const GMAIL_PASS = [
  'Delivered-To: office@esor.example.org',
  'Received: by 2002:a05:6a10:1234 with SMTP id abc; Fri, 12 Mar 2021 10:00:00 -0800 (PST)',
  'ARC-Authentication-Results: i=1; mx.google.com;',
  '       dkim=pass header.i=@applicant.example.com header.s=s1 header.b=AbCdEf;',
  '       spf=pass (google.com: domain of a.rossi@applicant.example.com designates 192.0.2.1 as permitted sender) smtp.mailfrom=a.rossi@applicant.example.com;',
  '       dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=applicant.example.com',
  'Authentication-Results: mx.google.com;',
  '       dkim=pass header.i=@applicant.example.com header.s=s1 header.b=AbCdEf;',
  '       spf=pass (google.com: domain of a.rossi@applicant.example.com designates 192.0.2.1 as permitted sender) smtp.mailfrom=a.rossi@applicant.example.com;',
  '       dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=applicant.example.com',
  'From: A Rossi <a.rossi@applicant.example.com>',
  'Subject: Application',
  '',
  'Authentication-Results: mx.google.com; dmarc=fail',
].join('\r\n');

const M365_FAIL = [
  'Authentication-Results: spf=fail (sender IP is 198.51.100.7)',
  ' smtp.mailfrom=hospital.example.net; dkim=none (message not signed)',
  ' header.d=none;dmarc=fail action=quarantine',
  ' header.from=hospital.example.net;compauth=fail reason=000',
  'Received-SPF: Fail (protection.outlook.com: domain of hospital.example.net does not',
  ' designate 198.51.100.7 as permitted sender)',
  'From: Dr B <b@hospital.example.net>',
  '',
].join('\n');

const M365_AUTHSERV = [
  'Authentication-Results: esor.mail.protection.example.org; spf=softfail (sender IP is 198.51.100.7)',
  ' smtp.mailfrom=hospital.example.net; dkim=fail (signature did not verify)',
  ' header.d=hospital.example.net;dmarc=none action=none header.from=hospital.example.net;',
  '',
].join('\n');

const POSTFIX = [
  'Authentication-Results: mail.esor.example.org; dmarc=fail (p=reject dis=none) header.from=uni.example.edu',
  'Authentication-Results: mail.esor.example.org;',
  '\tdkim=fail reason="signature verification failed" (2048-bit key; unprotected) header.d=uni.example.edu header.i=@uni.example.edu header.b="XyZ"',
  'Authentication-Results: mail.esor.example.org; spf=fail smtp.mailfrom=uni.example.edu',
  'From: c@uni.example.edu',
  '',
].join('\n');

describe('listAuthenticationResultsHeaders', () => {
  it('unfolds each header, top first, and reads no further than the header block', () => {
    const values = listAuthenticationResultsHeaders(GMAIL_PASS);
    expect(values).toHaveLength(1); // ARC-Authentication-Results is another header; the body's line is not a header
    expect(values[0]).toMatch(/^mx\.google\.com; dkim=pass .* dmarc=pass/);
    expect(listAuthenticationResultsHeaders(POSTFIX)).toHaveLength(3);
  });
});

describe('parseAuthenticationResults', () => {
  it('reads the authserv-id and each method, comments and properties aside', () => {
    expect(parseAuthenticationResults(listAuthenticationResultsHeaders(GMAIL_PASS)[0]!)).toEqual({
      authservId: 'mx.google.com',
      methods: { dkim: ['pass'], spf: ['pass'], dmarc: ['pass'] },
    });
  });
  it('takes a Microsoft 365 header without an authserv-id as no header at all', () => {
    expect(parseAuthenticationResults(listAuthenticationResultsHeaders(M365_FAIL)[0]!)).toBeUndefined();
  });
  it('reads a version after the authserv-id and a method version', () => {
    expect(parseAuthenticationResults('mx.example.org 1; dkim/1=pass header.d=a.example')).toEqual({ authservId: 'mx.example.org', methods: { dkim: ['pass'] } });
  });
  it('a comment cannot smuggle a result in', () => {
    expect(parseAuthenticationResults('mx.example.org; spf=fail (; dmarc=pass) smtp.mailfrom=a.example')?.methods).toEqual({ spf: ['fail'] });
  });
});

describe('judgeSenderAuthentication', () => {
  const judge = (block: string, trusted: string[]) => judgeSenderAuthentication(listAuthenticationResultsHeaders(block), trusted);

  it('with no authserv-id configured, believes only a failure in the topmost header', () => {
    expect(judge(POSTFIX, [])).toEqual({ sender: 'fail', reason: 'dmarc=fail' });
    expect(judge(GMAIL_PASS, [])).toEqual({ sender: 'none' });
    // A failure further down came with the mail (a forwarder's hop): not the office's word.
    expect(judgeSenderAuthentication(['mx.esor.example; dmarc=pass', 'relay.example; dmarc=fail'], []).sender).toBe('none');
    expect(judgeSenderAuthentication([], []).sender).toBe('none');
  });
  it('reads only the trusted server', () => {
    expect(judge(GMAIL_PASS, ['mail.esor.example.org'])).toEqual({ sender: 'none' });
    expect(judge(GMAIL_PASS, ['MX.Google.com'])).toEqual({ sender: 'pass', reason: 'dmarc=pass' });
  });
  it('dmarc=fail from the trusted server: fail (Postfix with OpenDMARC)', () => {
    expect(judge(POSTFIX, ['mail.esor.example.org'])).toEqual({ sender: 'fail', reason: 'dmarc=fail' });
  });
  it('spf softfail and dkim fail: fail, even with dmarc=none (Microsoft 365 with an authserv-id)', () => {
    expect(judge(M365_AUTHSERV, ['esor.mail.protection.example.org'])).toEqual({ sender: 'fail', reason: 'spf and dkim failed' });
  });
  it('one of spf and dkim passing without dmarc fail: pass', () => {
    expect(judgeSenderAuthentication(['mx.esor.example; spf=fail smtp.mailfrom=a.example; dkim=pass header.d=a.example'], ['mx.esor.example'])).toEqual({ sender: 'pass', reason: 'dkim=pass' });
  });
  it('spf none and dkim fail, or nothing checked: no verdict', () => {
    expect(judgeSenderAuthentication(['mx.esor.example; spf=none; dkim=fail'], ['mx.esor.example']).sender).toBe('none');
    expect(judgeSenderAuthentication(['mx.esor.example; none'], ['mx.esor.example']).sender).toBe('none');
  });
  it('a forged header below the server\'s own one is not read', () => {
    const values = ['mx.esor.example; dmarc=fail header.from=a.example', 'mx.esor.example; dmarc=pass header.from=a.example'];
    expect(judgeSenderAuthentication(values, ['mx.esor.example']).sender).toBe('fail');
  });
  it('a huge header stays bounded', () => {
    const value = `mx.esor.example; ${'dkim=fail; '.repeat(100_000)}`;
    expect(judgeSenderAuthentication([value], ['mx.esor.example']).sender).toBe('fail');
    // Wherever the bound cuts, the result it cuts in two is not read ("dkim=f").
    const cut = `mx.esor.example.org; ${'dkim=fail; '.repeat(2_000)}dmarc=fail`;
    expect(parseAuthenticationResults(cut)?.methods.dkim?.every((r) => r === 'fail')).toBe(true);
    expect(judgeSenderAuthentication([cut], ['mx.esor.example.org']).sender).toBe('fail');
    expect(judgeSenderAuthentication([cut], []).sender).toBe('fail');
    expect(judgeSenderAuthentication(listAuthenticationResultsHeaders(`Authentication-Results: ${cut}\nFrom: a@b.example\n`), []).sender).toBe('fail');
  });
});

describe('parseAuthservIdList', () => {
  it('splits, trims and lowercases', () => {
    expect(parseAuthservIdList(' Mail.ESOR.example.org, ,mx2.esor.example.org ')).toEqual(['mail.esor.example.org', 'mx2.esor.example.org']);
    expect(parseAuthservIdList('')).toEqual([]);
    expect(parseAuthservIdList(undefined)).toEqual([]);
  });
});
