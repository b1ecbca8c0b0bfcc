import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditEntryDTO, BackupDTO, BackupOverview } from '../../shared/audit.js';
import type { Page } from '../../shared/dto.js';
import type { AuditQuery } from '../../shared/schemas/operations.js';
import { isoInstant } from '../presenters/instants.js';
import { pageOf } from './pagination.js';

type AuditRow = { id: string; actor_id: string | null; display_name: string | null; email: string | null; action: string; target_type: string | null; target_id: string | null; address: string | null; data: Record<string, unknown>; created_at: string | Date };

/** The WHERE of the audit log's filters (shared by the list and the export). */
function auditWhere(query: Omit<AuditQuery, 'limit'>): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    parts.push(sql);
    params.push(value);
  };
  if (query.actorId) add('a.actor_id = ?', query.actorId);
  if (query.action) add('a.action = ?', query.action);
  if (query.targetType) add('a.target_type = ?', query.targetType);
  if (query.targetId) add('a.target_id = ?', query.targetId);
  if (query.address) add('a.address = ?', query.address);
  if (query.from) add('a.created_at >= ?::timestamptz', query.from);
  if (query.to) add('a.created_at < ?::timestamptz', query.to);
  if (query.before) add('a.id < ?', query.before);
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

const presentAudit = (r: AuditRow): AuditEntryDTO => ({
  id: String(r.id),
  at: isoInstant(r.created_at),
  action: r.action,
  actor: r.actor_id ? { id: String(r.actor_id), displayName: r.display_name ?? '', email: r.email ?? '' } : null,
  targetType: r.target_type,
  targetId: r.target_id,
  address: r.address,
  data: r.data,
});

async function auditRows(em: EntityManager, query: Omit<AuditQuery, 'limit'>, limit: number): Promise<AuditRow[]> {
  const where = auditWhere(query);
  return em.execute<AuditRow[]>(
    `SELECT a.id::text AS id, a.actor_id::text AS actor_id, u.display_name, u.email, a.action, a.target_type, a.target_id, a.address, a.data, a.created_at
       FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id ${where.sql} ORDER BY a.id DESC LIMIT ?`,
    [...where.params, limit],
  );
}

/** The audit log, newest first, filtered (administrators; the route checks). */
export async function auditLog(em: EntityManager, query: AuditQuery): Promise<Page<AuditEntryDTO>> {
  const rows = await auditRows(em, query, query.limit + 1);
  return pageOf(rows, query.limit, (page) => page.map(presentAudit), (last) => String(last.id));
}

/** Every entry the filters select, a page at a time, for the CSV export. */
export async function* auditLogForExport(em: EntityManager, query: Omit<AuditQuery, 'limit' | 'before'>): AsyncGenerator<AuditEntryDTO> {
  let before: string | undefined;
  for (;;) {
    const rows = await auditRows(em, { ...query, before }, 1000);
    for (const row of rows) yield presentAudit(row);
    if (rows.length < 1000) return;
    before = String(rows[rows.length - 1]!.id);
  }
}

type BackupRow = { id: string; kind: BackupDTO['kind']; status: BackupDTO['status']; file_name: string | null; storage: BackupDTO['storage']; bytes: string | number | null; error: string | null; started_by_id: string | null; display_name: string | null; started_at: Date | string; finished_at: Date | string | null; removed_at: Date | string | null };

const presentBackup = (r: BackupRow): BackupDTO => ({
  id: String(r.id),
  kind: r.kind,
  status: r.status,
  fileName: r.file_name,
  storage: r.storage,
  bytes: r.bytes === null ? null : Number(r.bytes),
  error: r.error,
  startedBy: r.started_by_id ? { id: String(r.started_by_id), displayName: r.display_name ?? '' } : null,
  startedAt: isoInstant(r.started_at),
  finishedAt: r.finished_at ? isoInstant(r.finished_at) : null,
  removed: r.removed_at !== null,
  can: { download: r.status === 'succeeded' && r.removed_at === null && r.file_name !== null },
});

const backupSelect = `SELECT b.id::text AS id, b.kind, b.status, b.file_name, b.storage, b.bytes, b.error, b.started_by_id::text AS started_by_id, u.display_name, b.started_at, b.finished_at, b.removed_at
  FROM backups b LEFT JOIN users u ON u.id = b.started_by_id`;

export async function backupList(em: EntityManager, query: { before?: string; limit: number }): Promise<Page<BackupDTO>> {
  const rows = await em.execute<BackupRow[]>(`${backupSelect} ${query.before ? 'WHERE b.id < ?' : ''} ORDER BY b.id DESC LIMIT ?`, [...(query.before ? [query.before] : []), query.limit + 1]);
  return pageOf(rows, query.limit, (page) => page.map(presentBackup), (last) => String(last.id));
}

export async function backupById(em: EntityManager, id: string): Promise<BackupDTO | null> {
  const [row] = await em.execute<BackupRow[]>(`${backupSelect} WHERE b.id = ?`, [id]);
  return row ? presentBackup(row) : null;
}

/** Whether the newest finished scheduled backup failed: administrators see a banner until one succeeds. */
export async function lastScheduledFailure(em: EntityManager): Promise<BackupOverview['lastScheduledFailed']> {
  const [row] = await em.execute<{ status: string; error: string | null; started_at: Date | string }[]>(
    `SELECT status, error, started_at FROM backups WHERE kind = 'scheduled' AND status <> 'running' ORDER BY started_at DESC LIMIT 1`,
  );
  return row?.status === 'failed' ? { at: isoInstant(row.started_at), error: row.error } : null;
}
