import fsp from 'node:fs/promises';
import path from 'node:path';
import type { User } from '../../entities/User.js';
import type { CommandContext } from '../context.js';
import { notify } from '../notifications/notify.js';
import { recipients } from '../notifications/recipients.js';
import { BACKUP_QUEUE, type BackupJob } from '../../jobs/queue.js';
import { conflict } from '../../errors.js';
import type { BackupBucket } from '../../operations/bucket.js';

/** An administrator starts a backup now: recorded as running, made by whichever process takes the job. */
export async function backupStarter(cx: CommandContext): Promise<string> {
  const [running] = await cx.em.execute<{ id: string }[]>(`SELECT id::text AS id FROM backups WHERE status = 'running' AND started_at > now() - interval '6 hours' LIMIT 1`);
  if (running) throw conflict('A backup is being made already; wait for it to finish');
  const [row] = await cx.em.execute<{ id: string }[]>(`INSERT INTO backups (kind, status, started_by_id, started_at) VALUES ('manual', 'running', ?, now()) RETURNING id::text AS id`, [cx.actor.id]);
  await cx.jobs.insert([{ name: BACKUP_QUEUE, data: { task: 'manual', backupId: String(row.id) } satisfies BackupJob }]);
  await cx.audit({ action: 'backup.created', targetType: 'backup', targetId: String(row.id), data: { kind: 'manual' } });
  return String(row.id);
}

/**
 * Claims the scheduled backup of one day: the unique `scheduled_for` lets exactly one process
 * (and one run of the job) make it, however many run the schedule. Returns the record's id, or
 * null when it was claimed already.
 */
export async function scheduledBackupClaimer(cx: CommandContext<User | null>, day: string): Promise<string | null> {
  const [row] = await cx.em.execute<{ id: string }[]>(
    `INSERT INTO backups (kind, status, scheduled_for, started_at) VALUES ('scheduled', 'running', ?, now()) ON CONFLICT (scheduled_for) DO NOTHING RETURNING id::text AS id`,
    [day],
  );
  return row ? String(row.id) : null;
}

/** Records how a backup ended; a failed scheduled one notifies every active administrator (app and e-mail). */
export async function backupFinisher(cx: CommandContext<User | null>, backupId: string, outcome: { fileName: string; bytes: number; storage: 'local' | 's3' } | { error: string }) {
  const failed = 'error' in outcome;
  const [row] = await cx.em.execute<{ kind: string }[]>(
    `UPDATE backups SET status = ?, file_name = ?, bytes = ?, storage = ?, error = ?, finished_at = now() WHERE id = ? RETURNING kind`,
    [failed ? 'failed' : 'succeeded', failed ? null : outcome.fileName, failed ? null : outcome.bytes, failed ? 'local' : outcome.storage, failed ? outcome.error.slice(0, 2000) : null, backupId],
  );
  await cx.audit({ action: failed ? 'backup.failed' : 'backup.created', targetType: 'backup', targetId: backupId, data: failed ? { error: outcome.error.slice(0, 500) } : { fileName: outcome.fileName, bytes: outcome.bytes, storage: outcome.storage, finished: true } });
  if (failed && row?.kind === 'scheduled') {
    await notify(cx, recipients.sql(`SELECT id AS user_id FROM users WHERE role = 'admin' AND active`, []), {
      kind: 'system',
      title: 'Scheduled backup failed / 定时备份失败',
      body: outcome.error.slice(0, 300),
      link: '/admin/backups',
      data: { backupId },
      channels: ['email'],
    });
  }
}

/**
 * Which succeeded scheduled backups retention removes: all but the newest `keepDaily`, and but the
 * newest of each of the newest `keepWeekly` ISO weeks. Pure, so the rule is tested on its own.
 */
export function backupsBeyondRetention(backups: { id: string; startedAt: Date }[], keepDaily: number, keepWeekly: number): string[] {
  const newestFirst = [...backups].sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
  const keep = new Set(newestFirst.slice(0, keepDaily).map((b) => b.id));
  const weeks = new Set<string>();
  for (const backup of newestFirst) {
    const week = isoWeek(backup.startedAt);
    if (weeks.has(week)) continue;
    if (weeks.size >= keepWeekly) break;
    weeks.add(week);
    keep.add(backup.id);
  }
  return newestFirst.filter((b) => !keep.has(b.id)).map((b) => b.id);
}

function isoWeek(date: Date): string {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  return `${d.getUTCFullYear()}-W${Math.ceil(((d.getTime() - yearStart) / 86400000 + 1) / 7)}`;
}

/**
 * Removes the archives of scheduled backups beyond retention, from the backup directory or the
 * bucket where each is kept, and marks them removed. One kept in a bucket no longer configured stays
 * listed (and counted) until it can be removed.
 */
export async function backupRetention(cx: CommandContext<User | null>, stores: { dir: string; bucket: BackupBucket | null }, keepDaily: number, keepWeekly: number): Promise<string[]> {
  const rows = await cx.em.execute<{ id: string; started_at: Date; file_name: string; storage: 'local' | 's3' }[]>(
    `SELECT id::text AS id, started_at, file_name, storage FROM backups WHERE kind = 'scheduled' AND status = 'succeeded' AND removed_at IS NULL FOR UPDATE`,
  );
  const remove = new Set(backupsBeyondRetention(rows.map((r) => ({ id: String(r.id), startedAt: new Date(r.started_at) })), keepDaily, keepWeekly));
  const removed: string[] = [];
  for (const row of rows) {
    if (!remove.has(String(row.id))) continue;
    const name = path.basename(row.file_name);
    if (row.storage === 's3') {
      if (!stores.bucket) continue;
      await stores.bucket.removeArchive(name);
    } else {
      await fsp.rm(path.join(stores.dir, name), { force: true });
    }
    await cx.em.execute(`UPDATE backups SET removed_at = now() WHERE id = ?`, [row.id]);
    removed.push(String(row.id));
  }
  return removed;
}
