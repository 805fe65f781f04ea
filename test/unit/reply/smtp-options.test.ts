import { smtpOptionsFromSettings } from '../../../adapters/smtp-sender';

// The reply sender and both digest mailers take their transport options from this one mapping.
describe('smtpOptionsFromSettings', () => {
  it('logs in only when both user and password are set', () => {
    expect(smtpOptionsFromSettings({ host: 'smtp.example.org', port: 587, secure: false, user: 'office@example.org', password: 'pw' })).toEqual({
      host: 'smtp.example.org',
      port: 587,
      secure: false,
      auth: { user: 'office@example.org', pass: 'pw' },
    });
    expect(smtpOptionsFromSettings({ host: 'relay.example.org', port: 25, secure: false, user: 'office@example.org' })).toEqual({ host: 'relay.example.org', port: 25, secure: false });
    expect(smtpOptionsFromSettings({ host: 'smtp.example.org', port: 465, secure: true })).toEqual({ host: 'smtp.example.org', port: 465, secure: true });
  });
});
