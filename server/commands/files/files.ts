import { randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AttachmentHostKind, FileDTO } from '../../../shared/files.js';
import { pgArray } from '../../db/sql.js';
import { badRequest, fieldProblem } from '../../errors.js';
import type { FileStorage } from '../../files/storage.js';
import { prepareImage, type Sniffed, type Spooled } from '../../files/upload.js';
import { filesByIds } from '../../queries/files.js';
import { appendEvent, type CommandContext, type RunCommand } from '../context.js';
import type { StreamName } from '../../../shared/realtime.js';
import { feedItemAppender } from '../customers/feed.js';

/** Attachments one object may hold. */
export const MAX_ATTACHMENTS = 20;

/**
 * Records a checked upload: content already stored (same sha256) is reused — its last use is
 * touched under the row lock, which keeps the collector (collectFiles) off it — else the content
 * (an image stripped of EXIF first, with its thumbnail) goes to storage under a new key and its
 * blob row is inserted. Then the user's upload row. A store or database failure removes what this
 * upload put into storage.
 */
export async function uploadRecorder(deps: { run: RunCommand; storage: FileStorage }, spooled: Spooled, sniffed: Sniffed): Promise<FileDTO> {
  const { run, storage } = deps;
  const reuse = await run(async (cx) => {
    const [blob] = await cx.em.execute<{ id: string }[]>(`UPDATE file_blobs SET last_used_at = now() WHERE sha256 = ? RETURNING id::text AS id`, [spooled.sha256]);
    return blob ? await insertUpload(cx, blob.id, spooled.name) : null;
  });
  if (reuse) return reuse;

  const image = await prepareImage(spooled.file, sniffed.mime);
  const key = `blobs/${randomUUID()}`;
  const thumbKey = image ? `thumbs/${randomUUID()}.webp` : null;
  const size = image ? (await fsp.stat(image.file)).size : spooled.size;
  const stored: string[] = [];
  try {
    await storage.put(key, image?.file ?? spooled.file, sniffed.mime);
    stored.push(key);
    if (image && thumbKey) {
      await storage.put(thumbKey, image.thumbnail, 'image/webp');
      stored.push(thumbKey);
    }
    return await run(async (cx) => {
      const [blob] = await cx.em.execute<{ id: string; storage_key: string }[]>(
        `INSERT INTO file_blobs (sha256, size, mime, ext, width, height, storage_key, thumb_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (sha256) DO UPDATE SET last_used_at = now() RETURNING id::text AS id, storage_key`,
        [spooled.sha256, size, sniffed.mime, sniffed.ext, image?.width ?? null, image?.height ?? null, key, thumbKey],
      );
      // The same content was stored by a concurrent upload meanwhile: keep theirs.
      if (blob.storage_key !== key) await Promise.all(stored.map((k) => storage.delete(k)));
      return insertUpload(cx, blob.id, spooled.name);
    });
  } catch (error) {
    await Promise.allSettled(stored.map((k) => storage.delete(k)));
    throw error;
  } finally {
    if (image) await Promise.all([fsp.rm(image.file, { force: true }), fsp.rm(image.thumbnail, { force: true })]);
  }
}

async function insertUpload(cx: CommandContext, blobId: string, name: string): Promise<FileDTO> {
  const [row] = await cx.em.execute<{ id: string }[]>(
    `INSERT INTO files (blob_id, uploader_id, name, size) SELECT b.id, ?, ?, b.size FROM file_blobs b WHERE b.id = ? RETURNING id::text AS id`,
    [cx.actor!.id, name, blobId],
  );
  return (await filesByIds(cx.em, [row.id]))[0];
}

/**
 * The actor's own uploads among `fileIds`, presented, in the order given. An id that is not one of
 * their uploads is refused whole (400, nothing attached): a file of someone else cannot be shared by
 * guessing its id. The uploads are locked (FOR SHARE) so the collector cannot remove one between the
 * check and the link.
 */
export async function requireOwnUploads(cx: CommandContext, fileIds: string[], path = 'fileIds'): Promise<FileDTO[]> {
  const ids = [...new Set(fileIds)];
  if (ids.length === 0) return [];
  const own = await cx.em.execute<{ id: string }[]>(`SELECT id::text AS id FROM files WHERE id = ANY(?::bigint[]) AND uploader_id = ? FOR SHARE`, [pgArray(ids), cx.actor!.id]);
  if (own.length !== ids.length) {
    const found = new Set(own.map((r) => r.id));
    throw badRequest('Only your own uploads can be attached', ids.filter((id) => !found.has(id)).map((id) => fieldProblem(`${path}.${fileIds.indexOf(id)}`, 'not_your_upload', `File ${id} is not one of your uploads`)));
  }
  return filesByIds(cx.em, ids);
}

/** Attaches the actor's own uploads (requireOwnUploads) to an object the caller checked they may change; answers the files attached now. */
export async function filesAttacher(cx: CommandContext, kind: AttachmentHostKind, hostId: string, fileIds: string[], path = 'fileIds'): Promise<FileDTO[]> {
  const files = await requireOwnUploads(cx, fileIds, path);
  if (files.length === 0) return [];
  const ids = files.map((f) => f.id);
  const [{ count }] = await cx.em.execute<{ count: number }[]>(`SELECT count(*)::int AS count FROM attachments WHERE host_kind = ? AND host_id = ? AND NOT (file_id = ANY(?::bigint[]))`, [kind, hostId, pgArray(ids)]);
  if (count + ids.length > MAX_ATTACHMENTS) throw badRequest(`At most ${MAX_ATTACHMENTS} files can be attached to one object`, [fieldProblem(path, 'too_many', `at most ${MAX_ATTACHMENTS} files`)]);
  await cx.em.execute(
    `INSERT INTO attachments (host_kind, host_id, file_id, position)
     SELECT ?, ?, f.id, ? + (array_position(?::bigint[], f.id))::smallint FROM files f WHERE f.id = ANY(?::bigint[])
     ON CONFLICT DO NOTHING`,
    [kind, hostId, count, pgArray(ids), pgArray(ids)],
  );
  return files;
}

/** Attaches files to an object after it exists (POST /api/attachments); files added to a customer also go into its feed, live. */
export async function attachmentsAdder(cx: CommandContext, kind: AttachmentHostKind, hostId: string, fileIds: string[]): Promise<FileDTO[]> {
  const files = await filesAttacher(cx, kind, hostId, fileIds);
  if (kind === 'customer' && files.length) {
    await feedItemAppender(cx, {
      customerId: hostId,
      kind: 'files',
      actorId: cx.actor!.id,
      text: files.map((f) => f.name).join(', '),
      data: { files: files.map((f) => ({ id: f.id, name: f.name, mime: f.mime, size: f.size, thumbnailUrl: f.thumbnailUrl })) },
    });
  }
  if (files.length) await announceHostFiles(cx, kind, hostId);
  return files;
}

/**
 * The stream whose followers hear that `kind`/`hostId`'s files changed: the host's own (a thread, a
 * report, an announcement) or its parent's (a reply's thread, a report annotation's report), with that
 * stream's existing policy. A follower may not see the host itself (a hidden reply is its author's and
 * the moderators'), so the event names no file: followers ask for the files, by the host's own rule.
 * A message's files come with the message; a customer's go into its feed; an entry annotation has no stream.
 */
async function hostStream(cx: CommandContext, kind: AttachmentHostKind, hostId: string): Promise<StreamName<'thread' | 'report' | 'announcement'> | null> {
  switch (kind) {
    case 'thread':
      return `thread:${hostId}`;
    case 'report':
      return `report:${hostId}`;
    case 'announcement':
      return `announcement:${hostId}`;
    case 'reply': {
      const [row] = await cx.em.execute<{ id: string }[]>(`SELECT thread_id::text AS id FROM board_replies WHERE id = ?`, [hostId]);
      return row ? `thread:${row.id}` : null;
    }
    case 'annotation': {
      const [row] = await cx.em.execute<{ id: string | null }[]>(`SELECT report_id::text AS id FROM annotations WHERE id = ?`, [hostId]);
      return row?.id ? `report:${row.id}` : null;
    }
    default:
      return null;
  }
}

/** Tells the followers of the host's stream that its files changed (after the commit). */
async function announceHostFiles(cx: CommandContext, kind: AttachmentHostKind, hostId: string): Promise<void> {
  const stream = await hostStream(cx, kind, hostId);
  if (!stream) return;
  const [{ count }] = await cx.em.execute<{ count: number }[]>(`SELECT count(*)::int AS count FROM attachments WHERE host_kind = ? AND host_id = ?`, [kind, hostId]);
  await appendEvent(cx, stream, 'attachments.changed', { kind, hostId, count });
}

/** Takes one file off an object (the caller checked that the actor may change its files). The upload stays until the collector removes it. */
export async function fileDetacher(cx: CommandContext, kind: AttachmentHostKind, hostId: string, fileId: string): Promise<void> {
  const removed = await cx.em.execute<{ file_id: string }[]>(`DELETE FROM attachments WHERE host_kind = ? AND host_id = ? AND file_id = ? RETURNING file_id`, [kind, hostId, fileId]);
  if (removed.length) await announceHostFiles(cx, kind, hostId);
}

/**
 * The file collector (a pg-boss job, and callable): removes uploads that nothing references and
 * that are older than the grace period, then contents no upload uses any more, from the database
 * first and from storage after the commit. Rows are locked SKIP LOCKED, so an upload being attached
 * (FOR SHARE) or a blob being reused (its last use touched under the lock) is left alone, and two
 * processes collecting at once take different rows. Nothing attached to anything is ever removed.
 */
export async function collectFiles(em: EntityManager, storage: FileStorage, graceSeconds: number): Promise<{ files: number; blobs: number }> {
  const removed = await em.transactional(async (tx) => {
    const files = await tx.execute<{ id: string }[]>(
      `WITH doomed AS (
         SELECT f.id FROM files f WHERE f.created_at < now() - make_interval(secs => ?) AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.file_id = f.id)
         ORDER BY f.id LIMIT 5000 FOR UPDATE SKIP LOCKED)
       DELETE FROM files f USING doomed WHERE f.id = doomed.id RETURNING f.id::text AS id`,
      [graceSeconds],
    );
    const blobs = await tx.execute<{ storage_key: string; thumb_key: string | null }[]>(
      `WITH doomed AS (
         SELECT b.id FROM file_blobs b WHERE b.last_used_at < now() - make_interval(secs => ?) AND NOT EXISTS (SELECT 1 FROM files f WHERE f.blob_id = b.id)
         ORDER BY b.id LIMIT 5000 FOR UPDATE SKIP LOCKED)
       DELETE FROM file_blobs b USING doomed WHERE b.id = doomed.id RETURNING b.storage_key, b.thumb_key`,
      [graceSeconds],
    );
    return { files: files.length, blobs };
  });
  for (const blob of removed.blobs) {
    await storage.delete(blob.storage_key);
    if (blob.thumb_key) await storage.delete(blob.thumb_key);
  }
  return { files: removed.files, blobs: removed.blobs.length };
}
