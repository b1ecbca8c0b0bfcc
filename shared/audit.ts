/** Actions the audit log records (server/commands/audit/record.ts); the admin page labels each. */
export const auditActions = [
  'auth.signed_in',
  'auth.sign_in_failed',
  'auth.signed_out',
  'auth.password_changed',
  'user.created',
  'user.changed',
  'user.password_reset',
  'department.created',
  'department.changed',
  'department.deleted',
  'settings.changed',
  'customer.visibility_changed',
  'board.created',
  'board.settings_changed',
  'board.author_lookup',
  'announcement.published',
  'export.csv',
  'backup.created',
  'backup.failed',
  'backup.downloaded',
  'backup.restored',
  'audit.exported',
] as const;

export type AuditAction = (typeof auditActions)[number];

export type AuditEntryDTO = {
  id: string;
  at: string;
  action: string;
  actor: { id: string; displayName: string; email: string } | null;
  targetType: string | null;
  targetId: string | null;
  address: string | null;
  data: Record<string, unknown>;
};

export type BackupDTO = {
  id: string;
  kind: 'scheduled' | 'manual' | 'upgrade';
  status: 'running' | 'succeeded' | 'failed';
  fileName: string | null;
  /** Where the archive is kept: the server's backup directory, or the files' S3 bucket (`backups/`). */
  storage: 'local' | 's3';
  bytes: number | null;
  error: string | null;
  startedBy: { id: string; displayName: string } | null;
  startedAt: string;
  finishedAt: string | null;
  removed: boolean;
  can: { download: boolean };
};

/** The backups page: the list, and whether the last scheduled backup failed (the banner). */
export type BackupOverview = {
  lastScheduledFailed: { at: string; error: string | null } | null;
  schedule: string | null;
  encrypted: boolean;
  /** Where new scheduled and manual backups go: the backup directory, or the files' S3 bucket. */
  storage: 'local' | 's3';
};

/** What every page of an administrator asks: the banner's one fact. */
export type BackupStatus = Pick<BackupOverview, 'lastScheduledFailed'>;
