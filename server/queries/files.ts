import type { EntityManager } from '@mikro-orm/postgresql';
import type { AttachmentHostKind, FileDTO, FileLimits } from '../../shared/files.js';
import { defaultFileLimits } from '../../shared/files.js';
import { pgArray } from '../db/sql.js';
import type { User } from '../entities/User.js';
import { notFound } from '../errors.js';
import { fileVisibilityFilter, hostVisibilityFilter } from '../policies/files.js';
import { presentAttachments, presentFile, type FileRow } from '../presenters/file.js';

/** The columns of a file (alias `f`, its blob `b`) as presentFile takes them. */
export const fileColumns = `f.id::text AS id, f.name, f.size, b.mime, b.width, b.height, (b.thumb_key IS NOT NULL) AS thumb, f.created_at`;

/**
 * The files attached to host `${hostKind}` with id column `${hostId}` as a JSON array, oldest attached first: one
 * correlated subquery (an index probe on the attachments' primary key) to put into a host's own select.
 */
export const attachmentsJsonSql = (hostKind: AttachmentHostKind, hostId: string) => `(
  SELECT coalesce(json_agg(json_build_object('id', jf.id::text, 'name', jf.name, 'size', jf.size, 'mime', jb.mime, 'width', jb.width, 'height', jb.height,
           'thumb', jb.thumb_key IS NOT NULL, 'created_at', jf.created_at) ORDER BY ja.position, ja.created_at, jf.id), '[]'::json)
  FROM attachments ja JOIN files jf ON jf.id = ja.file_id JOIN file_blobs jb ON jb.id = jf.blob_id
  WHERE ja.host_kind = '${hostKind}' AND ja.host_id = ${hostId})`;


/** The files of one host (the caller checked that the user sees it). */
export async function hostAttachments(em: EntityManager, kind: AttachmentHostKind, hostId: string): Promise<FileDTO[]> {
  const [row] = await em.execute<{ files: unknown }[]>(`SELECT ${attachmentsJsonSql(kind, '?::bigint')} AS files`, [hostId]);
  return presentAttachments(row.files);
}

/**
 * The files of many hosts of one kind, by host id, for the hosts the user may see that hold files: one
 * statement, each host checked by its kind's own predicate (hostVisibilityFilter). Hosts the user does
 * not see are left out, as if they had no files.
 */
export async function visibleHostsAttachments(em: EntityManager, user: User, kind: AttachmentHostKind, hostIds: string[]): Promise<Record<string, FileDTO[]>> {
  const filter = await hostVisibilityFilter(em, user, kind, 'h');
  const rows = await em.execute<{ host_id: string; files: unknown }[]>(
    `SELECT h.host_id::text AS host_id, ${attachmentsJsonSql(kind, 'h.host_id')} AS files
     FROM unnest(?::bigint[]) AS h(host_id)
     WHERE EXISTS (SELECT 1 FROM attachments x WHERE x.host_kind = '${kind}' AND x.host_id = h.host_id) AND ${filter.sql}`,
    [pgArray([...new Set(hostIds)]), ...filter.params],
  );
  return Object.fromEntries(rows.map((row) => [row.host_id, presentAttachments(row.files)]));
}

/** The organisation's file limits, defaults filled in. */
export async function readFileLimits(em: EntityManager): Promise<FileLimits> {
  const [row] = await em.execute<{ value: Partial<FileLimits> }[]>(`SELECT value FROM org_settings WHERE key = 'fileLimits'`);
  return { ...defaultFileLimits, ...(row?.value ?? {}) };
}

/** Bytes the user uploaded in the last 24 hours (their daily allowance counts these). */
export async function bytesUploadedToday(em: EntityManager, userId: string): Promise<number> {
  const [row] = await em.execute<{ total: string | null }[]>(`SELECT sum(size)::text AS total FROM files WHERE uploader_id = ? AND created_at > now() - interval '1 day'`, [userId]);
  return Number(row?.total ?? 0);
}

/** What serving a file needs, if the user may see it (404 otherwise, also for ids that never existed). */
export type Servable = { id: string; name: string; size: number; mime: string; sha256: string; storageKey: string; thumbKey: string | null };

export async function servableFile(em: EntityManager, user: User, fileId: string): Promise<Servable> {
  const filter = await fileVisibilityFilter(em, user, 'f');
  const [row] = await em.execute<{ id: string; name: string; size: string; mime: string; sha256: string; storage_key: string; thumb_key: string | null }[]>(
    `SELECT f.id::text AS id, f.name, f.size, b.mime, b.sha256, b.storage_key, b.thumb_key FROM files f JOIN file_blobs b ON b.id = f.blob_id WHERE f.id = ? AND ${filter.sql}`,
    [fileId, ...filter.params],
  );
  if (!row) throw notFound('The file');
  return { id: row.id, name: row.name, size: Number(row.size), mime: row.mime, sha256: row.sha256, storageKey: row.storage_key, thumbKey: row.thumb_key };
}

/** One file's details, if the user may see it. */
export async function visibleFile(em: EntityManager, user: User, fileId: string): Promise<FileDTO> {
  const filter = await fileVisibilityFilter(em, user, 'f');
  const [row] = await em.execute<FileRow[]>(`SELECT ${fileColumns} FROM files f JOIN file_blobs b ON b.id = f.blob_id WHERE f.id = ? AND ${filter.sql}`, [fileId, ...filter.params]);
  if (!row) throw notFound('The file');
  return presentFile(row);
}

/** Files by id, presented (the caller checked who may see them). */
export async function filesByIds(em: EntityManager, ids: string[]): Promise<FileDTO[]> {
  const rows = await em.execute<FileRow[]>(`SELECT ${fileColumns} FROM files f JOIN file_blobs b ON b.id = f.blob_id WHERE f.id = ANY(?::bigint[]) ORDER BY array_position(?::bigint[], f.id)`, [pgArray(ids), pgArray(ids)]);
  return rows.map(presentFile);
}
