import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config/env.js';

describe('delivery settings', () => {
  it('defaults to log-only channels and the documented retry policy', () => {
    const config = loadConfig({ PUBLIC_URL: 'https://hub.example.com' });
    expect(config.mail).toEqual({ smtpUrl: undefined, from: 'Huitong <no-reply@hub.example.com>', poolSize: 5 });
    expect(config.sms).toEqual({});
    expect(config.delivery).toMatchObject({ maxAttempts: 6, retryBaseSeconds: 30, claimSeconds: 120, pollMs: 1000 });
  });

  it('refuses half a Twilio configuration and non-SMTP URLs, one line per problem', () => {
    expect(() => loadConfig({ TWILIO_ACCOUNT_SID: 'AC' + '0'.repeat(32) })).toThrow(/TWILIO_AUTH_TOKEN and one of TWILIO_FROM/);
    expect(() => loadConfig({ SMTP_URL: 'http://mail.example.com' })).toThrow(ConfigError);
    const error = (() => {
      try {
        loadConfig({ SMTP_URL: 'http://mail.example.com', TWILIO_FROM: '12345', JOB_POLL_MS: '100' });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'SMTP_URL must be a smtp: or smtps: URL, got "http://mail.example.com"',
      'TWILIO_FROM must be a phone number in E.164 form, such as +15005550006',
      'JOB_POLL_MS must be at least 500',
    ]);
  });
});
