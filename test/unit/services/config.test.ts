import { ConfigError, describeConfig, loadConfig } from '../../../services/common/config';

describe('loadConfig', () => {
  it('gives the local default when nothing is set: no mailbox, no SMTP', () => {
    const c = loadConfig({}, '/srv/esor');
    expect(c).toMatchObject({ dataDir: '/srv/esor/.data', rulesDir: '/srv/esor/rules', imap: null, smtp: null, redis: { url: 'redis://127.0.0.1:6379' } });
    expect(Object.isFrozen(c.poll)).toBe(true);
  });

  it('reads the mailbox, SMTP and OAuth2 refresh settings from ESOR_* variables', () => {
    const c = loadConfig(
      {
        ESOR_IMAP_HOST: 'outlook.office365.com',
        ESOR_IMAP_USER: 'office@example.org',
        ESOR_IMAP_OAUTH2_TOKEN_URL: 'https://login.example.com/token',
        ESOR_IMAP_OAUTH2_CLIENT_ID: 'client',
        ESOR_IMAP_OAUTH2_REFRESH_TOKEN: 'secret-refresh',
        ESOR_IMAP_DONE_FOLDER: 'Triaged',
        ESOR_SMTP_HOST: 'smtp.example.org',
        ESOR_SMTP_PORT: '465',
        ESOR_SMTP_SECURE: 'true',
        ESOR_REPLY_FROM: 'office@example.org',
        ESOR_WORKERS_CONCURRENCY: '4',
      },
      '/srv',
    );
    expect(c.imap).toMatchObject({ port: 993, secure: true, doneFolder: 'Triaged', oauth2: { clientId: 'client' } });
    expect(c.smtp).toMatchObject({ port: 465, secure: true, from: 'office@example.org' });
    expect(c.workers.concurrency).toBe(4);
    expect(JSON.stringify(describeConfig(c))).not.toContain('secret-refresh');
  });

  it('reports every problem together', () => {
    let err: unknown;
    try {
      loadConfig({ ESOR_REDIS_URL: 'http://redis', ESOR_IMAP_HOST: 'imap.example.org', ESOR_SMTP_HOST: 'smtp.example.org', ESOR_LOG_LEVEL: 'loud' }, '/srv');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems.join('\n');
    expect(problems).toMatch(/redis\.url/);
    expect(problems).toMatch(/imap\.user/);
    expect(problems).toMatch(/smtp\.from/);
    expect(problems).toMatch(/logLevel/);
  });
});
