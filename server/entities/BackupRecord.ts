import { defineEntity, p } from '@mikro-orm/core';
import { User } from './User.js';

const BackupRecordSchema = defineEntity({
  name: 'BackupRecord',
  tableName: 'backups',
  indexes: [{ properties: ['startedAt'], name: 'backups_started_idx' }],
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    /** scheduled (the daily job), manual (an administrator), upgrade (before pending migrations). */
    kind: p.enum(['scheduled', 'manual', 'upgrade']),
    status: p.enum(['running', 'succeeded', 'failed']),
    /** The archive's name in the backup directory (BACKUP_DIR), or under `backups/` in the S3 bucket. */
    fileName: p.string().length(200).nullable(),
    /** Where the archive is kept: the backup directory, or the files' S3 bucket when files are on S3. */
    storage: p.enum(['local', 's3']).default('local'),
    bytes: p.bigint('number').nullable(),
    error: p.text().nullable(),
    startedBy: () => p.manyToOne(User).nullable().deleteRule('set null'),
    /** The scheduled run's day (UTC) it was made for: one per day however many processes run. */
    scheduledFor: p.string().length(10).nullable().unique(),
    startedAt: p.datetime(),
    finishedAt: p.datetime().nullable(),
    /** Set when retention removed the archive. */
    removedAt: p.datetime().nullable(),
  },
});

/** A backup the server made or is making; the archive itself lives in the backup directory. */
export class BackupRecord extends BackupRecordSchema.class {}
BackupRecordSchema.setClass(BackupRecord);
export { BackupRecordSchema };
