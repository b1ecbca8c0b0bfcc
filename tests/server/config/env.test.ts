import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../../server/config/env.js';
import { freePort } from '../../support/globalSetup.js';
import { cleanEnv, exitWithin, spawnServer } from '../../support/process.js';
import { createTestDatabase } from '../../support/database.js';

/** The problems loadConfig reports for an environment (fails when it accepts it). */
function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('has defaults for everything', () => {
    const config = loadConfig({});
    expect(config).toEqual({
      env: 'development',
      host: '0.0.0.0',
      port: 3000,
      publicUrl: 'http://localhost:3000',
      databaseUrl: undefined,
      dataDir: path.resolve('.data'),
      embeddedPgPort: 54329,
      allowedOrigins: ['http://localhost:3000'],
      sessionTtlMs: 336 * 3600_000,
      adminEmail: undefined,
      adminPassword: undefined,
      logLevel: 'info',
      bodyLimitBytes: 1024 * 1024,
      socketEventsPerSecond: 50,
      realtimeAdapter: 'memory',
      loginFreeFailures: 5,
      loginMaxDelaySeconds: 900,
      loginAttemptsPerAccount: 100,
      loginAttemptsPerAddress: 100,
      trustProxy: false,
      clientDist: path.resolve('client/dist'),
      mail: { smtpUrl: undefined, from: 'Huitong <no-reply@localhost>', poolSize: 5 },
      sms: {},
      delivery: { maxAttempts: 6, retryBaseSeconds: 30, claimSeconds: 120, batchSize: 25, pollMs: 1000, sweepIntervalSeconds: 30, sweepGraceSeconds: 60 },
      fanOutChunkSize: 500,
      webPush: { publicKey: undefined, privateKey: undefined, subject: 'mailto:admin@example.com', extraServiceOrigins: [] },
      files: { storage: 'local', dir: path.resolve('.data', 'files'), s3: undefined, urlTtlSeconds: 60, gcGraceSeconds: 86400 },
      backup: { dir: path.resolve('.data/backups'), key: undefined, time: '03:00', keepDaily: 7, keepWeekly: 4 },
      auditRetentionDays: 365,
    });
  });

  it('reads the file store settings, and refuses S3 without a bucket', () => {
    const config = loadConfig({ DATA_DIR: '/srv/huitong', FILE_STORAGE: 's3', S3_ENDPOINT: 'http://minio.internal:9000', S3_BUCKET: 'huitong-files', S3_REGION: 'cn-east-1', S3_ACCESS_KEY_ID: 'key', S3_SECRET_ACCESS_KEY: 'secret', S3_FORCE_PATH_STYLE: 'true', FILE_URL_TTL_SECONDS: '30', FILE_GC_GRACE_SECONDS: '3600' });
    expect(config.files).toEqual({
      storage: 's3',
      dir: '/srv/huitong/files',
      s3: { endpoint: 'http://minio.internal:9000', bucket: 'huitong-files', region: 'cn-east-1', accessKeyId: 'key', secretAccessKey: 'secret', forcePathStyle: true },
      urlTtlSeconds: 30,
      gcGraceSeconds: 3600,
    });
    expect(() => loadConfig({ FILE_STORAGE: 's3' })).toThrow(/FILE_STORAGE=s3 needs S3_BUCKET/);
    expect(() => loadConfig({ FILE_STORAGE: 'ftp' })).toThrow(/FILE_STORAGE must be local or s3/);
  });

  it('reads the backup settings and refuses a key that is not 32 bytes or a time that is not HH:MM', () => {
    const key = 'ab'.repeat(32);
    expect(loadConfig({ BACKUP_DIR: '/srv/backups', BACKUP_KEY: key, BACKUP_TIME: 'off', BACKUP_KEEP_DAILY: '3', BACKUP_KEEP_WEEKLY: '2', AUDIT_RETENTION_DAYS: '90' })).toMatchObject({
      backup: { dir: '/srv/backups', key: Buffer.from(key, 'hex'), time: null, keepDaily: 3, keepWeekly: 2 },
      auditRetentionDays: 90,
    });
    expect(loadConfig({ BACKUP_KEY: Buffer.alloc(32, 7).toString('base64') }).backup.key).toEqual(Buffer.alloc(32, 7));
    expect(() => loadConfig({ BACKUP_KEY: 'abc' })).toThrow(/BACKUP_KEY must be 32 bytes/);
    expect(() => loadConfig({ BACKUP_TIME: '25:00' })).toThrow(/BACKUP_TIME must be HH:MM/);
  });

  it('treats empty values as unset', () => {
    const config = loadConfig({ PORT: '', DATABASE_URL: '', PUBLIC_URL: '', ADMIN_EMAIL: '', ADMIN_PASSWORD: '', BODY_LIMIT_KB: '' });
    expect(config).toMatchObject({ port: 3000, databaseUrl: undefined, publicUrl: 'http://localhost:3000', adminEmail: undefined, adminPassword: undefined, bodyLimitBytes: 1024 * 1024 });
  });

  it('reads every setting', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '8080',
      PUBLIC_URL: 'https://huitong.example.com/',
      DATABASE_URL: 'postgresql://app:secret@db.internal:5432/huitong',
      DATA_DIR: '/var/lib/huitong',
      EMBEDDED_PG_PORT: '6543',
      ALLOWED_ORIGINS: 'https://admin.example.com, https://other.example.com:8443',
      SESSION_TTL_HOURS: '8',
      ADMIN_EMAIL: 'Boss@Example.com',
      ADMIN_PASSWORD: 'long-enough',
      LOG_LEVEL: 'debug',
      BODY_LIMIT_KB: '64',
      SOCKET_EVENTS_PER_SECOND: '7',
      REALTIME_ADAPTER: 'postgres',
      LOGIN_FREE_FAILURES: '2',
      LOGIN_MAX_DELAY_SECONDS: '60',
      LOGIN_ATTEMPTS_PER_ACCOUNT: '3',
      LOGIN_ATTEMPTS_PER_ADDRESS: '30',
      TRUST_PROXY: 'false',
      CLIENT_DIST: '/srv/client',
    });
    expect(config).toMatchObject({
      env: 'production',
      host: '127.0.0.1',
      port: 8080,
      publicUrl: 'https://huitong.example.com',
      databaseUrl: 'postgresql://app:secret@db.internal:5432/huitong',
      dataDir: '/var/lib/huitong',
      embeddedPgPort: 6543,
      sessionTtlMs: 8 * 3600_000,
      adminEmail: 'Boss@Example.com',
      adminPassword: 'long-enough',
      logLevel: 'debug',
      bodyLimitBytes: 64 * 1024,
      socketEventsPerSecond: 7,
      realtimeAdapter: 'postgres',
      loginFreeFailures: 2,
      loginMaxDelaySeconds: 60,
      loginAttemptsPerAccount: 3,
      loginAttemptsPerAddress: 30,
      // An https PUBLIC_URL trusts the proxy unless told otherwise.
      trustProxy: false,
      clientDist: '/srv/client',
    });
    expect(config.allowedOrigins.sort()).toEqual(['https://admin.example.com', 'https://huitong.example.com', 'https://other.example.com:8443']);
  });

  it('normalises allowed origins to what browsers send in Origin', () => {
    const config = loadConfig({ PORT: '4000', ALLOWED_ORIGINS: 'https://app.example.com/, HTTP://Upper.Example.com:80,https://x.example.com:443/path' });
    expect(config.allowedOrigins.sort()).toEqual(['http://localhost:4000', 'http://upper.example.com', 'https://app.example.com', 'https://x.example.com']);
  });

  it('refuses PORT=abc with a ConfigError naming PORT and the value', () => {
    const problems = problemsOf({ PORT: 'abc' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^PORT\b/);
    expect(problems[0]).toContain('"abc"');
    expect(problems[0]).not.toContain('\n');
  });

  it.each([['0'], ['65536'], ['-1'], ['80.5'], ['1e3'], [' 80'], ['８０']])('refuses PORT=%j', (value) => {
    const problems = problemsOf({ PORT: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('PORT');
  });

  it('reports several bad values with one line each, naming each variable', () => {
    const bad = {
      PORT: 'abc',
      EMBEDDED_PG_PORT: '99999',
      NODE_ENV: 'prod',
      LOG_LEVEL: 'loud',
      BODY_LIMIT_KB: '0',
      SESSION_TTL_HOURS: '1.5',
      SOCKET_EVENTS_PER_SECOND: 'many',
      REALTIME_ADAPTER: 'redis',
      ADMIN_EMAIL: 'not-an-address',
      ADMIN_PASSWORD: 'short',
      PUBLIC_URL: 'ftp://files.example.com',
      DATABASE_URL: 'mysql://localhost/huitong',
      ALLOWED_ORIGINS: 'not a url',
    };
    const problems = problemsOf(bad);
    expect(problems).toHaveLength(Object.keys(bad).length);
    for (const name of Object.keys(bad)) {
      expect(problems.filter((p) => new RegExp(`^${name}\\b`).test(p)), name).toHaveLength(1);
    }
    for (const problem of problems) expect(problem).not.toContain('\n');
    // The error message lists them all too.
    const error = (() => {
      try {
        loadConfig(bad);
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error?.message.split('\n')).toHaveLength(Object.keys(bad).length);
  });

  it.each([['mysql://localhost/db'], ['http://localhost:5432/db'], ['localhost:5432/db'], ['not a url']])('refuses DATABASE_URL=%j', (value) => {
    const problems = problemsOf({ DATABASE_URL: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^DATABASE_URL must be a postgres: or postgresql: URL/);
    expect(problems[0]).toContain(value);
  });

  it('accepts both postgres: and postgresql: database URLs', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://localhost/db' }).databaseUrl).toBe('postgres://localhost/db');
    expect(loadConfig({ DATABASE_URL: 'postgresql://localhost/db' }).databaseUrl).toBe('postgresql://localhost/db');
  });

  it('derives the public URL from HOST and PORT, and allows its origin', () => {
    expect(loadConfig({ HOST: '10.0.0.5', PORT: '8000' })).toMatchObject({ publicUrl: 'http://10.0.0.5:8000', allowedOrigins: ['http://10.0.0.5:8000'] });
    expect(loadConfig({ HOST: '::', PORT: '8000' }).publicUrl).toBe('http://localhost:8000');
  });
});

describe('server/main.ts with a bad configuration', () => {
  it('exits with code 1 and one readable line about PORT, without a stack trace', async () => {
    const proc = spawnServer(cleanEnv({ PORT: 'abc' }));
    try {
      expect(await exitWithin(proc, 20_000)).toBe(1);
    } finally {
      proc.kill();
    }
    const lines = proc.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('PORT');
    expect(lines[0]).toContain('abc');
    expect(proc.stderr()).not.toMatch(/\n\s+at |Error:|ZodError/);
    expect(proc.stdout()).toBe('');
  });

  it('prints one line per problem when several settings are bad', async () => {
    const proc = spawnServer(cleanEnv({ PORT: 'abc', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x/y' }));
    try {
      expect(await exitWithin(proc, 20_000)).toBe(1);
    } finally {
      proc.kill();
    }
    const lines = proc.stderr().trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.join('\n')).toMatch(/PORT[\s\S]*LOG_LEVEL|LOG_LEVEL[\s\S]*PORT/);
    expect(lines.some((l) => l.includes('DATABASE_URL'))).toBe(true);
    expect(proc.stderr()).not.toMatch(/\n\s+at /);
  });

  it('exits with code 1 and one line when the database cannot be reached', async () => {
    const proc = spawnServer(cleanEnv({ PORT: String(await freePort()), DATABASE_URL: `postgres://nobody:nothing@127.0.0.1:${await freePort()}/huitong` }));
    try {
      expect(await exitWithin(proc, 30_000)).toBe(1);
    } finally {
      proc.kill();
    }
    const lines = proc.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/could not start.*ECONNREFUSED/i);
  });

  it('a weak ADMIN_PASSWORD stops the start that would create the first administrator, saying why', async () => {
    const proc = spawnServer(cleanEnv({ PORT: String(await freePort()), DATABASE_URL: await createTestDatabase(), ADMIN_PASSWORD: 'password1' }));
    try {
      expect(await exitWithin(proc, 30_000)).toBe(1);
    } finally {
      proc.kill();
    }
    expect(proc.stderr().trim()).toBe('Huitong could not start: ADMIN_PASSWORD is too easy to guess: it is a commonly used password; use a longer passphrase of several unrelated words');
  });
});
