import { z } from 'zod';
import path from 'node:path';

/** Raised when the environment holds bad settings; one readable line per problem. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

const port = (name: string, fallback: number) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === '') return fallback;
      const n = Number(raw);
      if (!/^\d+$/.test(raw) || n < 1 || n > 65535) {
        ctx.addIssue({ code: 'custom', message: `${name} must be an integer between 1 and 65535, got "${raw}"` });
        return z.NEVER;
      }
      return n;
    });

const positiveInt = (name: string, fallback: number) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === '') return fallback;
      if (!/^\d+$/.test(raw) || Number(raw) < 1) {
        ctx.addIssue({ code: 'custom', message: `${name} must be a positive integer, got "${raw}"` });
        return z.NEVER;
      }
      return Number(raw);
    });

const optionalUrl = (name: string, protocols: string[]) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === '') return undefined;
      try {
        const url = new URL(raw);
        if (!protocols.includes(url.protocol)) throw new Error('protocol');
        return raw;
      } catch {
        ctx.addIssue({ code: 'custom', message: `${name} must be a ${protocols.join(' or ')} URL, got "${raw}"` });
        return z.NEVER;
      }
    });

/** A comma-separated list of http(s) origins, normalised to what browsers send in `Origin` (no path or trailing slash). */
const originList = (name: string) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const origins: string[] = [];
      for (const entry of (raw ?? '').split(',').map((o) => o.trim()).filter(Boolean)) {
        let url: URL | undefined;
        try {
          url = new URL(entry);
        } catch {
          /* reported below */
        }
        if (!url || !['http:', 'https:'].includes(url.protocol)) {
          ctx.addIssue({ code: 'custom', message: `${name} must be comma-separated http or https origins such as https://huitong.example.com, got "${entry}"` });
          return z.NEVER;
        }
        origins.push(url.origin);
      }
      return origins;
    });

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test'], { message: 'NODE_ENV must be development, production or test' }).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: port('PORT', 3000),
  PUBLIC_URL: optionalUrl('PUBLIC_URL', ['http:', 'https:']),
  DATABASE_URL: optionalUrl('DATABASE_URL', ['postgres:', 'postgresql:']),
  DATA_DIR: z.string().default('./.data'),
  EMBEDDED_PG_PORT: port('EMBEDDED_PG_PORT', 54329),
  ALLOWED_ORIGINS: originList('ALLOWED_ORIGINS'),
  SESSION_TTL_HOURS: positiveInt('SESSION_TTL_HOURS', 24 * 14),
  ADMIN_EMAIL: z
    .string()
    .optional()
    .refine((v) => v === undefined || v === '' || z.email().safeParse(v).success, { message: 'ADMIN_EMAIL must be an e-mail address' }),
  ADMIN_PASSWORD: z
    .string()
    .optional()
    .refine((v) => v === undefined || v === '' || v.length >= 8, { message: 'ADMIN_PASSWORD must be at least 8 characters' }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent' }).default('info'),
  BODY_LIMIT_KB: positiveInt('BODY_LIMIT_KB', 1024),
  SOCKET_EVENTS_PER_SECOND: positiveInt('SOCKET_EVENTS_PER_SECOND', 50),
  REALTIME_ADAPTER: z.enum(['memory', 'postgres'], { message: 'REALTIME_ADAPTER must be memory (one process) or postgres (several processes on one database)' }).default('memory'),
  LOGIN_FREE_FAILURES: positiveInt('LOGIN_FREE_FAILURES', 5),
  LOGIN_MAX_DELAY_SECONDS: positiveInt('LOGIN_MAX_DELAY_SECONDS', 900),
  LOGIN_ATTEMPTS_PER_ACCOUNT: positiveInt('LOGIN_ATTEMPTS_PER_ACCOUNT', 100),
  LOGIN_ATTEMPTS_PER_ADDRESS: positiveInt('LOGIN_ATTEMPTS_PER_ADDRESS', 100),
  TRUST_PROXY: z.enum(['true', 'false'], { message: 'TRUST_PROXY must be true or false' }).optional(),
  CLIENT_DIST: z.string().default('./client/dist'),
  // E-mail and SMS channels (see server/channels): without them deliveries are recorded as "log only".
  SMTP_URL: optionalUrl('SMTP_URL', ['smtp:', 'smtps:']),
  MAIL_FROM: z.string().max(254).optional(),
  SMTP_POOL_SIZE: positiveInt('SMTP_POOL_SIZE', 5),
  TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'TWILIO_ACCOUNT_SID must look like AC followed by 32 hex digits').optional().or(z.literal('')),
  TWILIO_AUTH_TOKEN: z.string().optional(),
  TWILIO_FROM: z.string().regex(/^\+[1-9]\d{6,14}$/, 'TWILIO_FROM must be a phone number in E.164 form, such as +15005550006').optional().or(z.literal('')),
  TWILIO_MESSAGING_SERVICE_SID: z.string().regex(/^MG[0-9a-fA-F]{32}$/, 'TWILIO_MESSAGING_SERVICE_SID must look like MG followed by 32 hex digits').optional().or(z.literal('')),
  TWILIO_API_BASE_URL: optionalUrl('TWILIO_API_BASE_URL', ['http:', 'https:']),
  DELIVERY_MAX_ATTEMPTS: positiveInt('DELIVERY_MAX_ATTEMPTS', 6),
  DELIVERY_RETRY_BASE_SECONDS: positiveInt('DELIVERY_RETRY_BASE_SECONDS', 30),
  DELIVERY_CLAIM_SECONDS: positiveInt('DELIVERY_CLAIM_SECONDS', 120),
  DELIVERY_BATCH_SIZE: positiveInt('DELIVERY_BATCH_SIZE', 25),
  JOB_POLL_MS: positiveInt('JOB_POLL_MS', 1000).refine((n) => n >= 500, 'JOB_POLL_MS must be at least 500'),
  SWEEP_INTERVAL_SECONDS: positiveInt('SWEEP_INTERVAL_SECONDS', 30),
  SWEEP_GRACE_SECONDS: positiveInt('SWEEP_GRACE_SECONDS', 60),
  FANOUT_CHUNK_SIZE: positiveInt('FANOUT_CHUNK_SIZE', 500),
  // Web Push (server/channels/webPush.ts): without keys, a pair is made at first start and kept in the database.
  VAPID_PUBLIC_KEY: z.string().regex(/^[A-Za-z0-9_-]{87}$/, 'VAPID_PUBLIC_KEY must be an uncompressed P-256 public key in URL-safe base64 (87 characters), as `npx web-push generate-vapid-keys` prints').optional().or(z.literal('')),
  VAPID_PRIVATE_KEY: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'VAPID_PRIVATE_KEY must be a P-256 private key in URL-safe base64 (43 characters)').optional().or(z.literal('')),
  VAPID_SUBJECT: z
    .string()
    .optional()
    .refine((v) => !v || /^mailto:\S+@\S+$/.test(v) || /^https:\/\/\S+$/.test(v), { message: 'VAPID_SUBJECT must be a mailto: address or an https: URL' }),
  PUSH_SERVICE_ORIGINS: originList('PUSH_SERVICE_ORIGINS'),
  // Files (server/files): local disk under DATA_DIR by default, or an S3-compatible bucket shared by several processes.
  FILE_STORAGE: z.enum(['local', 's3'], { message: 'FILE_STORAGE must be local or s3' }).default('local'),
  S3_ENDPOINT: optionalUrl('S3_ENDPOINT', ['http:', 'https:']),
  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'S3_BUCKET must be a bucket name (3-63 lower-case letters, digits, dots, hyphens)').optional().or(z.literal('')),
  S3_REGION: z.string().default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false'], { message: 'S3_FORCE_PATH_STYLE must be true or false' }).default('false'),
  FILE_URL_TTL_SECONDS: positiveInt('FILE_URL_TTL_SECONDS', 60),
  FILE_GC_GRACE_SECONDS: positiveInt('FILE_GC_GRACE_SECONDS', 86400),
  // Backups (server/operations/backup): where archives go, their key, the daily schedule and its retention.
  BACKUP_DIR: z.string().optional(),
  BACKUP_KEY: z
    .string()
    .optional()
    .refine((v) => !v || /^[0-9a-fA-F]{64}$/.test(v) || /^[A-Za-z0-9+/_-]{43}=?$/.test(v), { message: 'BACKUP_KEY must be 32 bytes as 64 hex digits or base64 (openssl rand -hex 32)' }),
  BACKUP_TIME: z
    .string()
    .optional()
    .refine((v) => !v || v === 'off' || /^([01]\d|2[0-3]):[0-5]\d$/.test(v), { message: 'BACKUP_TIME must be HH:MM (UTC) or off' }),
  BACKUP_KEEP_DAILY: positiveInt('BACKUP_KEEP_DAILY', 7),
  BACKUP_KEEP_WEEKLY: positiveInt('BACKUP_KEEP_WEEKLY', 4),
  AUDIT_RETENTION_DAYS: positiveInt('AUDIT_RETENTION_DAYS', 365),
});

export type Config = {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  publicUrl: string;
  databaseUrl?: string;
  dataDir: string;
  embeddedPgPort: number;
  allowedOrigins: string[];
  sessionTtlMs: number;
  adminEmail?: string;
  adminPassword?: string;
  logLevel: string;
  bodyLimitBytes: number;
  socketEventsPerSecond: number;
  /** `postgres` when several server processes share the database: pushes and socket management reach every process. */
  realtimeAdapter: 'memory' | 'postgres';
  /** Failed sign-ins of one account from one address before growing waits start. */
  loginFreeFailures: number;
  loginMaxDelaySeconds: number;
  /** Failed sign-ins of one account per 15 minutes from addresses that never signed in to it. */
  loginAttemptsPerAccount: number;
  loginAttemptsPerAddress: number;
  /** Take the client's address from X-Forwarded-For (behind a reverse proxy). */
  trustProxy: boolean;
  clientDist: string;
  mail: { smtpUrl?: string; from: string; poolSize: number };
  sms: { accountSid?: string; authToken?: string; from?: string; messagingServiceSid?: string; apiBaseUrl?: string };
  delivery: { maxAttempts: number; retryBaseSeconds: number; claimSeconds: number; batchSize: number; pollMs: number; sweepIntervalSeconds: number; sweepGraceSeconds: number };
  /** Recipients one transaction notifies at most; beyond, the fan-out goes to background jobs in parts of this size. */
  fanOutChunkSize: number;
  /** Web Push: VAPID keys from the environment (both or neither; else the database's), who the push services may contact, and push services accepted besides the browsers' own (a local one in development and tests). */
  webPush: { publicKey?: string; privateKey?: string; subject: string; extraServiceOrigins: string[] };
  /** Where files are kept (local: `<dataDir>/files`), how long a presigned S3 link lives, how long an unattached upload is kept. */
  files: {
    storage: 'local' | 's3';
    dir: string;
    s3?: { endpoint?: string; bucket: string; region: string; accessKeyId?: string; secretAccessKey?: string; forcePathStyle: boolean };
    urlTtlSeconds: number;
    gcGraceSeconds: number;
  };
  /** Archives go to `dir`; encrypted with `key` (32 bytes) when set; scheduled daily at `time` (HH:MM UTC, null = off), keeping that many daily and weekly ones. */
  backup: { dir: string; key?: Buffer; time: string | null; keepDaily: number; keepWeekly: number };
  /** Audit entries older than this are removed by the retention job. */
  auditRetentionDays: number;
};

/** Parses and validates the environment; throws ConfigError listing every bad setting. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => issue.message));
  }
  const e = parsed.data;
  const twilioSet = [e.TWILIO_ACCOUNT_SID, e.TWILIO_AUTH_TOKEN, e.TWILIO_FROM, e.TWILIO_MESSAGING_SERVICE_SID].some(Boolean);
  if (twilioSet && !(e.TWILIO_ACCOUNT_SID && e.TWILIO_AUTH_TOKEN && (e.TWILIO_FROM || e.TWILIO_MESSAGING_SERVICE_SID))) {
    throw new ConfigError(['Twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and one of TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID (or none of them for log-only SMS)']);
  }
  if (e.FILE_STORAGE === 's3' && !e.S3_BUCKET) throw new ConfigError(['FILE_STORAGE=s3 needs S3_BUCKET (and S3_ENDPOINT for a store other than AWS)']);
  if (!e.VAPID_PUBLIC_KEY !== !e.VAPID_PRIVATE_KEY) {
    throw new ConfigError(['Web Push needs both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY (or neither: then a key pair is made at first start and kept in the database)']);
  }
  const displayHost = e.HOST === '0.0.0.0' || e.HOST === '::' ? 'localhost' : e.HOST;
  const publicUrl = (e.PUBLIC_URL ?? `http://${displayHost}:${e.PORT}`).replace(/\/$/, '');
  const allowedOrigins = [...new Set(e.ALLOWED_ORIGINS)];
  if (!allowedOrigins.includes(new URL(publicUrl).origin)) allowedOrigins.push(new URL(publicUrl).origin);
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicUrl,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.DATA_DIR),
    embeddedPgPort: e.EMBEDDED_PG_PORT,
    allowedOrigins,
    sessionTtlMs: e.SESSION_TTL_HOURS * 3600_000,
    adminEmail: e.ADMIN_EMAIL || undefined,
    adminPassword: e.ADMIN_PASSWORD || undefined,
    logLevel: e.LOG_LEVEL,
    bodyLimitBytes: e.BODY_LIMIT_KB * 1024,
    socketEventsPerSecond: e.SOCKET_EVENTS_PER_SECOND,
    realtimeAdapter: e.REALTIME_ADAPTER,
    loginFreeFailures: e.LOGIN_FREE_FAILURES,
    loginMaxDelaySeconds: e.LOGIN_MAX_DELAY_SECONDS,
    loginAttemptsPerAccount: e.LOGIN_ATTEMPTS_PER_ACCOUNT,
    loginAttemptsPerAddress: e.LOGIN_ATTEMPTS_PER_ADDRESS,
    trustProxy: e.TRUST_PROXY ? e.TRUST_PROXY === 'true' : publicUrl.startsWith('https:'),
    clientDist: path.resolve(e.CLIENT_DIST),
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM || `Huitong <no-reply@${new URL(publicUrl).hostname}>`, poolSize: e.SMTP_POOL_SIZE },
    sms: twilioSet
      ? { accountSid: e.TWILIO_ACCOUNT_SID, authToken: e.TWILIO_AUTH_TOKEN, from: e.TWILIO_FROM || undefined, messagingServiceSid: e.TWILIO_MESSAGING_SERVICE_SID || undefined, apiBaseUrl: e.TWILIO_API_BASE_URL }
      : {},
    delivery: {
      maxAttempts: e.DELIVERY_MAX_ATTEMPTS,
      retryBaseSeconds: e.DELIVERY_RETRY_BASE_SECONDS,
      claimSeconds: e.DELIVERY_CLAIM_SECONDS,
      batchSize: e.DELIVERY_BATCH_SIZE,
      pollMs: e.JOB_POLL_MS,
      sweepIntervalSeconds: e.SWEEP_INTERVAL_SECONDS,
      sweepGraceSeconds: e.SWEEP_GRACE_SECONDS,
    },
    fanOutChunkSize: e.FANOUT_CHUNK_SIZE,
    webPush: {
      publicKey: e.VAPID_PUBLIC_KEY || undefined,
      privateKey: e.VAPID_PRIVATE_KEY || undefined,
      // Push services contact this address about a sender that misbehaves; an https PUBLIC_URL qualifies, http does not.
      subject: e.VAPID_SUBJECT || (publicUrl.startsWith('https:') ? publicUrl : `mailto:${e.ADMIN_EMAIL || 'admin@example.com'}`),
      extraServiceOrigins: e.PUSH_SERVICE_ORIGINS,
    },
    files: {
      storage: e.FILE_STORAGE,
      dir: path.join(path.resolve(e.DATA_DIR), 'files'),
      s3: e.S3_BUCKET
        ? { endpoint: e.S3_ENDPOINT, bucket: e.S3_BUCKET, region: e.S3_REGION, accessKeyId: e.S3_ACCESS_KEY_ID || undefined, secretAccessKey: e.S3_SECRET_ACCESS_KEY || undefined, forcePathStyle: e.S3_FORCE_PATH_STYLE === 'true' }
        : undefined,
      urlTtlSeconds: e.FILE_URL_TTL_SECONDS,
      gcGraceSeconds: e.FILE_GC_GRACE_SECONDS,
    },
    backup: {
      dir: path.resolve(e.BACKUP_DIR || path.join(e.DATA_DIR, 'backups')),
      key: e.BACKUP_KEY ? parseBackupKey(e.BACKUP_KEY) : undefined,
      time: e.BACKUP_TIME === 'off' ? null : (e.BACKUP_TIME || '03:00'),
      keepDaily: e.BACKUP_KEEP_DAILY,
      keepWeekly: e.BACKUP_KEEP_WEEKLY,
    },
    auditRetentionDays: e.AUDIT_RETENTION_DAYS,
  };
}

/** BACKUP_KEY as 32 bytes: 64 hex digits, or base64 / base64url of 32 bytes. */
export function parseBackupKey(raw: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== 32) throw new ConfigError(['BACKUP_KEY must be 32 bytes as 64 hex digits or base64 (openssl rand -hex 32)']);
  return key;
}
