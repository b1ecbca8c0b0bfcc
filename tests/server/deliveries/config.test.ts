import { describe, expect, it } from 'vitest';
import path from 'node:path';
import pino from 'pino';
import { ConfigError, loadConfig } from '../../../server/config/env.js';
import { startServer } from '../../../server/start.js';
import { createTestDatabase } from '../../support/database.js';

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

describe('start-up', () => {
  it('says when e-mail and SMS are log only, and when they are real', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const base = { NODE_ENV: 'test', HOST: '127.0.0.1', LOG_LEVEL: 'info', CLIENT_DIST: path.resolve('client/dist') } as const;
    const config = loadConfig(base);
    config.port = 0;
    const server = await startServer(config, await createTestDatabase(), { logger });
    await server.close();
    const messages = lines.map((l) => JSON.parse(l).msg as string);
    expect(messages).toContain('E-mail is log only: SMTP_URL is not set, so e-mail deliveries are recorded (status "logged") and nothing is sent');
    expect(messages).toContain('SMS is log only: Twilio is not configured, so SMS deliveries are recorded (status "logged") and nothing is sent');

    lines.length = 0;
    const real = loadConfig({ ...base, SMTP_URL: 'smtp://127.0.0.1:2525', TWILIO_ACCOUNT_SID: 'AC' + '0'.repeat(32), TWILIO_AUTH_TOKEN: 'token', TWILIO_FROM: '+15005550006' });
    real.port = 0;
    const second = await startServer(real, await createTestDatabase(), { logger });
    await second.close();
    const realMessages = lines.map((l) => JSON.parse(l).msg as string);
    expect(realMessages).toEqual(expect.arrayContaining(['E-mail goes out through SMTP', 'SMS goes out through Twilio']));
    expect(realMessages.some((m) => m.includes('log only'))).toBe(false);
  });
});
