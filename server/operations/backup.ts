/**
 * Writes one backup archive (see archiveFormat.ts): every table of the product's schemas read
 * through COPY inside one read-only repeatable-read transaction, so the archive is one consistent
 * snapshot while users keep writing (readers never block writers in PostgreSQL), plus the stored
 * files. Streams all the way: memory stays bounded whatever the size. The archive is written
 * under a temporary name and renamed only once complete and flushed to disk.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import tar from 'tar-stream';
import { encryptStream } from './encryption.js';
import type { BackupBucket } from './bucket.js';
import { FORMAT, MANIFEST_NAME, listSequences, measure, listTables, qualified, redactUrl, stableOutputSettings, tableCopyQuery, tableEntryName, type Manifest, type TableEntry } from './archiveFormat.js';

export type BackupProgress = { phase: 'tables' | 'files' | 'writing'; done: number; total: number; item?: string; rows?: number };

export type BackupOptions = {
  databaseUrl: string;
  /** The data directory whose `files/` are included when it exists (files on local disk). */
  dataDir?: string;
  /** Files on S3: the manifest lists the stored objects instead of the archive holding `files/`. */
  bucket?: BackupBucket | null;
  outDir: string;
  /** Encrypts the archive (AES-256-GCM, see encryption.ts) when given. */
  key?: Buffer;
  /** Prefix of the archive's name (`<prefix>-<UTC time>.tar`). */
  prefix?: string;
  onProgress?: (progress: BackupProgress) => void;
};

export type BackupResult = { path: string; bytes: number; manifest: Manifest };

/** Every regular file under `root`, as paths relative to it (sorted, '/'-separated), but uploads still being received (`spool/`). */
async function listFiles(root: string): Promise<string[]> {
  const exists = await fsp.stat(root).then((s) => s.isDirectory()).catch(() => false);
  if (!exists) return [];
  const entries = await fsp.readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .filter((relative) => !relative.startsWith('spool/'))
    .sort();
}

const stamp = (date: Date) => date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

export async function takeBackup(options: BackupOptions): Promise<BackupResult> {
  const createdAt = new Date();
  await fsp.mkdir(options.outDir, { recursive: true });
  const name = `${options.prefix ?? 'huitong'}-${stamp(createdAt)}${options.key ? '.tar.enc' : '.tar'}`;
  const finalPath = path.join(options.outDir, name);
  const partialPath = path.join(options.outDir, `.${name}.partial`);
  const spool = await fsp.mkdtemp(path.join(options.outDir, '.spool-'));
  const progress = options.onProgress ?? (() => {});
  try {
    const client = new pg.Client({ connectionString: options.databaseUrl, application_name: 'huitong-backup' });
    await client.connect();
    let tables: TableEntry[] = [];
    let manifestBase: Omit<Manifest, 'tables' | 'files' | 'createdAt'>;
    let objectKeys: string[] = [];
    try {
      await stableOutputSettings(client);
      // One snapshot for every table; READ ONLY DEFERRABLE would wait for a safe snapshot, which
      // REPEATABLE READ does not need to be consistent.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const listed = await listTables(client);
      const hasMigrations = listed.some((t) => t.schema === 'public' && t.name === 'mikro_orm_migrations');
      const migrations = hasMigrations ? (await client.query<{ name: string }>('SELECT name FROM public.mikro_orm_migrations ORDER BY id')).rows.map((r) => r.name) : [];
      const hasBoss = listed.some((t) => t.schema === 'pgboss' && t.name === 'version');
      const pgbossVersion = hasBoss ? Number((await client.query<{ version: number }>('SELECT version FROM pgboss.version')).rows[0]?.version ?? null) : null;
      const postgresVersion = (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
      // Sequences are not transactional: read inside the snapshot they are at least as far as any row it holds.
      const sequences = [];
      for (const s of await listSequences(client)) {
        const { rows } = await client.query<{ last_value: string; is_called: boolean }>(`SELECT last_value::text, is_called FROM ${qualified(s.schema, s.name)}`);
        sequences.push({ schema: s.schema, name: s.name, lastValue: rows[0]!.last_value, isCalled: rows[0]!.is_called });
      }
      // The objects the snapshot's files refer to: the ones a restore of it needs in the bucket.
      if (options.bucket && listed.some((t) => t.schema === 'public' && t.name === 'file_blobs')) {
        const { rows } = await client.query<{ key: string }>(`SELECT storage_key AS key FROM file_blobs UNION SELECT thumb_key FROM file_blobs WHERE thumb_key IS NOT NULL ORDER BY 1`);
        objectKeys = rows.map((r) => r.key);
      }
      let index = 0;
      for (const table of listed) {
        progress({ phase: 'tables', done: index++, total: listed.length, item: `${table.schema}.${table.name}` });
        const { transform, stats } = measure();
        const spoolFile = path.join(spool, `${table.schema}.${table.name}`);
        await pipeline(client.query(copyTo(tableCopyQuery(table, table.primaryKey))), transform, zlib.createGzip({ level: 1 }), fs.createWriteStream(spoolFile));
        tables.push({ schema: table.schema, name: table.name, entry: tableEntryName(table.schema, table.name), columns: table.columns, rows: stats.rows, bytes: stats.bytes, sha256: stats.sha256 });
      }
      progress({ phase: 'tables', done: listed.length, total: listed.length });
      await client.query('COMMIT');
      manifestBase = { format: FORMAT, migrations, pgbossVersion, postgresVersion, sequences, source: redactUrl(options.databaseUrl) };
    } finally {
      await client.end().catch(() => {});
    }

    let s3: Manifest['s3'];
    if (options.bucket) {
      progress({ phase: 'files', done: 0, total: objectKeys.length, item: `s3://${options.bucket.name}` });
      const described = await options.bucket.describe(objectKeys);
      const objects = described.filter((o): o is NonNullable<typeof o> => o !== null);
      s3 = { bucket: options.bucket.name, endpoint: options.bucket.endpoint ?? null, objects, goneAtBackup: objectKeys.filter((_, i) => described[i] === null) };
      progress({ phase: 'files', done: objectKeys.length, total: objectKeys.length });
    }
    // With files on S3 the local files directory holds only the upload spool.
    const filesRoot = options.dataDir && !options.bucket ? path.join(options.dataDir, 'files') : null;
    const fileList = filesRoot ? await listFiles(filesRoot) : [];
    const files: Manifest['files'] = [];
    const pack = tar.pack();
    const out = fs.createWriteStream(partialPath, { flags: 'wx' });
    const written = options.key ? pipeline(pack, encryptStream(options.key), out) : pipeline(pack, out);
    const addFile = async (entryName: string, file: string, size: number, onChunk?: (chunk: Buffer) => void) => {
      const entry = pack.entry({ name: entryName, size, mode: 0o600, mtime: createdAt });
      const source = fs.createReadStream(file);
      if (onChunk) source.on('data', (chunk) => onChunk(chunk as Buffer));
      await pipeline(source, entry as unknown as Writable);
    };
    let done = 0;
    for (const table of tables) {
      progress({ phase: 'writing', done: done++, total: tables.length + fileList.length, item: table.entry });
      const spoolFile = path.join(spool, `${table.schema}.${table.name}`);
      await addFile(table.entry, spoolFile, (await fsp.stat(spoolFile)).size);
      await fsp.rm(spoolFile);
    }
    for (const relative of fileList) {
      progress({ phase: 'files', done: done++, total: tables.length + fileList.length, item: relative });
      const full = path.join(filesRoot!, relative);
      const size = (await fsp.stat(full)).size;
      const hash = createHash('sha256');
      await addFile(`files/${relative}`, full, size, (chunk) => hash.update(chunk));
      files.push({ path: relative, bytes: size, sha256: hash.digest('hex') });
    }
    const manifest: Manifest = { ...manifestBase, createdAt: createdAt.toISOString(), tables, files, ...(s3 ? { s3 } : {}) };
    const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2));
    pack.entry({ name: MANIFEST_NAME, size: manifestBytes.length, mode: 0o600, mtime: createdAt }, manifestBytes);
    pack.finalize();
    await written;
    // Complete on disk before it gets the name that says so.
    const handle = await fsp.open(partialPath, 'r');
    await handle.sync();
    await handle.close();
    await fsp.rename(partialPath, finalPath);
    const bytes = (await fsp.stat(finalPath)).size;
    return { path: finalPath, bytes, manifest };
  } catch (error) {
    await fsp.rm(partialPath, { force: true });
    throw error;
  } finally {
    await fsp.rm(spool, { recursive: true, force: true });
  }
}
