import { ConfigError, loadConfig } from '../../../services/common/config';

describe('sender trust and reply settings', () => {
  it('default: no authserv-id trusted, 200 replies an hour, bounces stop replies for 30 days', () => {
    const c = loadConfig({}, '/srv');
    expect(c.mail.trustedAuthservIds).toEqual([]);
    expect(c.replies).toEqual({ maxPerHour: 200, bounceExpiryDays: 30 });
  });
  it('reads ESOR_MAIL_TRUSTED_AUTHSERV_IDS as a comma-separated list, and the reply settings', () => {
    const c = loadConfig(
      { ESOR_MAIL_TRUSTED_AUTHSERV_IDS: ' mail.esor.example.org, ,mx2.esor.example.org', ESOR_REPLIES_MAX_PER_HOUR: '50', ESOR_REPLIES_BOUNCE_EXPIRY_DAYS: '7' },
      '/srv',
    );
    expect(c.mail.trustedAuthservIds).toEqual(['mail.esor.example.org', 'mx2.esor.example.org']);
    expect(c.replies).toEqual({ maxPerHour: 50, bounceExpiryDays: 7 });
    expect(loadConfig({ ESOR_MAIL_TRUSTED_AUTHSERV_IDS: '' }, '/srv').mail.trustedAuthservIds).toEqual([]);
  });
  it('refuses an authserv-id that is not one, and caps below 1, reporting them together', () => {
    let error: unknown;
    try {
      loadConfig({ ESOR_MAIL_TRUSTED_AUTHSERV_IDS: 'mx.example.org; dmarc=pass', ESOR_REPLIES_MAX_PER_HOUR: '0' }, '/srv');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.some((p) => p.startsWith('mail.trustedAuthservIds'))).toBe(true);
    expect((error as ConfigError).problems.some((p) => p.startsWith('replies.maxPerHour'))).toBe(true);
  });
});
