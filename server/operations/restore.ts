/**
 * Restores a backup archive (see archiveFormat.ts). The archive is read twice: first to check it
 * whole (manifest, every checksum and count, decryption, truncation) before anything is touched,
 * then to load it. While a restore runs the database carries a marker schema
 * (`huitong_restore`) that the server refuses to start on, so a restore that fails part way never
 * leaves a half-loaded database in service; the marker goes in the very last step.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import tar from 'tar-stream';
import { ArchiveProblem, ENCRYPTION_MAGIC, decryptStream } from './encryption.js';
import { FORMAT, MANIFEST_NAME, PRODUCT_SCHEMAS, discard, listTables, measure, qualified, quoteIdent, stableOutputSettings, tableCopyQuery, type Manifest } from './archiveFormat.js';
import { openOrm } from '../db/orm.js';
import type { BackupBucket } from './bucket.js';
import { migrationsList } from '../../migrations/index.js';

export { ArchiveProblem };

export const RESTORE_MARKER_SCHEMA = 'huitong_restore';

/** The tar stream of an archive file, decrypted when it is encrypted. */
async function openArchive(file: string, key: Buffer | undefined): Promise<Readable> {
  const handle = await fsp.open(file, 'r').catch(() => {
    throw new ArchiveProblem(`cannot read the archive ${file}`);
  });
  const head = Buffer.alloc(8);
  await handle.read(head, 0, 8, 0);
  await handle.close();
  const source = fs.createReadStream(file);
  if (!head.equals(ENCRYPTION_MAGIC)) return source;
  const decrypt = decryptStream(key);
  source.on('error', (error) => decrypt.destroy(error));
  return source.pipe(decrypt);
}

/** Calls `onEntry` for each member in order; fails with an ArchiveProblem on a damaged or cut tar. */
async function eachEntry(file: string, key: Buffer | undefined, onEntry: (name: string, body: Readable) => Promise<void>): Promise<void> {
  const stream = await openArchive(file, key);
  const extract = tar.extract();
  stream.on('error', (error) => extract.destroy(error));
  stream.pipe(extract);
  try {
    for await (const entry of extract) {
      await onEntry(entry.header.name, entry as unknown as Readable);
      entry.resume();
    }
  } catch (error) {
    if (error instanceof ArchiveProblem) throw error;
    const message = error instanceof Error ? error.message : String(error);
    if (/unexpected end|truncat/i.test(message)) throw new ArchiveProblem('the archive is truncated');
    if (/header|checksum|incorrect|invalid|unknown compression|too far back|distance/i.test(message)) throw new ArchiveProblem(`the archive is damaged (${message})`);
    throw error;
  }
}

/**
 * Reads the whole archive and checks it against its manifest: every table's rows, bytes and
 * sha256, every file's, nothing missing and nothing extra. Touches nothing.
 */
export async function verifyArchive(file: string, key: Buffer | undefined): Promise<Manifest> {
  const seen = new Map<string, { bytes: number; rows: number; sha256: string }>();
  let manifest: Manifest | undefined;
  await eachEntry(file, key, async (name, body) => {
    if (name === MANIFEST_NAME) {
      const chunks: Buffer[] = [];
      for await (const chunk of body) chunks.push(chunk as Buffer);
      try {
        manifest = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Manifest;
      } catch {
        throw new ArchiveProblem('the archive is damaged (its manifest is not readable)');
      }
      return;
    }
    const { transform: measuring, stats } = measure();
    try {
      if (name.endsWith('.copy.gz')) await pipeline(body, zlib.createGunzip(), measuring, discard());
      else await pipeline(body, measuring, discard());
    } catch (error) {
      if (error instanceof ArchiveProblem) throw error;
      throw new ArchiveProblem(`the archive is damaged (${name}: ${error instanceof Error ? error.message : error})`);
    }
    seen.set(name, stats);
  });
  if (!manifest) throw new ArchiveProblem('the archive is truncated or not a Huitong backup (no manifest)');
  if (manifest.format !== FORMAT) throw new ArchiveProblem(`unknown archive format ${String(manifest.format)}`);
  for (const table of manifest.tables) {
    const got = seen.get(table.entry);
    if (!got) throw new ArchiveProblem(`the archive is damaged: ${table.entry} is missing`);
    if (got.sha256 !== table.sha256 || got.rows !== table.rows || got.bytes !== table.bytes) throw new ArchiveProblem(`the archive is damaged: ${table.schema}.${table.name} does not match its checksum`);
    seen.delete(table.entry);
  }
  for (const f of manifest.files) {
    const got = seen.get(`files/${f.path}`);
    if (!got) throw new ArchiveProblem(`the archive is damaged: file ${f.path} is missing`);
    if (got.sha256 !== f.sha256 || got.bytes !== f.bytes) throw new ArchiveProblem(`the archive is damaged: file ${f.path} does not match its checksum`);
    seen.delete(`files/${f.path}`);
  }
  if (seen.size) throw new ArchiveProblem(`the archive is damaged: ${[...seen.keys()][0]} is not in its manifest`);
  const known = migrationsList.map((m) => m.name);
  const unknown = manifest.migrations.filter((m) => !known.includes(m));
  if (unknown.length) throw new ArchiveProblem(`the archive comes from a newer release of Huitong (migrations ${unknown.join(', ')} are unknown here): restore it with that release or a newer one`);
  if (manifest.migrations.some((m, i) => m !== known[i])) throw new ArchiveProblem('the archive\'s migrations are not a prefix of this release\'s: it comes from a diverging release');
  const bossVersion = pgbossSchemaVersion();
  if (manifest.pgbossVersion !== null && manifest.pgbossVersion !== bossVersion) {
    throw new ArchiveProblem(`the archive's job queue schema is version ${manifest.pgbossVersion}, this release's pg-boss writes version ${bossVersion}: restore with the release that made it, then upgrade`);
  }
  return manifest;
}

function pgbossSchemaVersion(): number {
  const match = /INSERT INTO pgboss\.version\s*\(version\)\s*VALUES\s*\('?(\d+)'?\)/i.exec(PgBoss.getConstructionPlans('pgboss'));
  if (!match) throw new Error('cannot tell the schema version of this pg-boss');
  return Number(match[1]);
}

export type RestoreOptions = {
  archive: string;
  databaseUrl: string;
  /** Where the archive's files go (`<dataDir>/files`). */
  dataDir?: string;
  /** Files on S3: the bucket that must hold the objects an archive of an S3 installation lists. */
  bucket?: BackupBucket | null;
  key?: Buffer;
  /** Replace a non-empty target; `backupFirst` is called before anything is dropped. */
  replace?: boolean;
  backupFirst?: () => Promise<string>;
  onProgress?: (line: string) => void;
};

export type RestoreResult = { manifest: Manifest; migrationsApplied: string[]; replacedBackup: string | null; epoch: string };

/** Tables of the product's schemas in the target, and whether an unfinished restore marked it. */
async function describeTarget(client: pg.Client) {
  const { rows } = await client.query<{ tables: number; marked: boolean; others: number }>(
    `SELECT (SELECT count(*)::int FROM pg_tables WHERE schemaname = ANY($1)) AS tables,
            EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $2) AS marked,
            (SELECT count(*)::int FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()) AS others`,
    [[...PRODUCT_SCHEMAS], RESTORE_MARKER_SCHEMA],
  );
  return rows[0]!;
}

export async function restoreArchive(options: RestoreOptions): Promise<RestoreResult> {
  const say = options.onProgress ?? (() => {});
  say(`checking ${options.archive} ...`);
  const manifest = await verifyArchive(options.archive, options.key);
  say(`archive is intact: ${manifest.tables.length} tables, ${manifest.tables.reduce((n, t) => n + t.rows, 0)} rows, ${manifest.files.length} files, ${manifest.migrations.length} migrations`);
  if (manifest.s3) await checkStoredObjects(manifest.s3, options.bucket ?? null, say);

  const client = new pg.Client({ connectionString: options.databaseUrl, application_name: 'huitong-restore' });
  await client.connect();
  let replacedBackup: string | null = null;
  try {
    const target = await describeTarget(client);
    if (target.others > 0) throw new ArchiveProblem(`${target.others} other connection(s) are open to the target database: stop the Huitong server(s) using it first`);
    if ((target.tables > 0 || target.marked) && !options.replace) {
      throw new ArchiveProblem(`the target database is not empty (${target.tables} tables${target.marked ? ', and an unfinished restore' : ''}): pass --replace to replace it (it is backed up first)`);
    }
    if (target.tables > 0 && !target.marked && options.backupFirst) {
      say('backing up the target before replacing it ...');
      replacedBackup = await options.backupFirst();
      say(`target backed up to ${replacedBackup}`);
    }
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(RESTORE_MARKER_SCHEMA)}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${quoteIdent(RESTORE_MARKER_SCHEMA)}.in_progress (archive text NOT NULL, started_at timestamptz NOT NULL DEFAULT now())`);
    await client.query(`INSERT INTO ${quoteIdent(RESTORE_MARKER_SCHEMA)}.in_progress (archive) VALUES ($1)`, [path.basename(options.archive)]);
    await client.query('DROP SCHEMA IF EXISTS pgboss CASCADE; DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public');

    // The schema exactly as the archive's release had it.
    say(`creating the schema at ${manifest.migrations.at(-1) ?? 'no migration'} ...`);
    const orm = await openOrm(options.databaseUrl, { poolMax: 2 });
    try {
      if (manifest.migrations.length) await orm.migrator.up({ to: manifest.migrations.at(-1)! });
    } finally {
      await orm.close();
    }
    if (manifest.pgbossVersion !== null) await client.query(PgBoss.getConstructionPlans('pgboss'));

    await loadTables(client, options, manifest, say);
    if (manifest.files.length && options.dataDir) await restoreFiles(options, say);

    // Then whatever this release adds on top: an older archive restores into a newer release.
    const orm2 = await openOrm(options.databaseUrl, { poolMax: 2 });
    let migrationsApplied: string[] = [];
    try {
      migrationsApplied = (await orm2.migrator.up()).map((m) => m.name);
    } finally {
      await orm2.close();
    }
    if (migrationsApplied.length) say(`applied newer migrations: ${migrationsApplied.join(', ')}`);
    // Connected clients hold stream positions of the replaced history: a new epoch tells them to reload.
    const epoch = randomUUID();
    await client.query(`INSERT INTO restore_state (id, epoch, restored_at, archive) VALUES (1, $1, now(), $2)
                        ON CONFLICT (id) DO UPDATE SET epoch = EXCLUDED.epoch, restored_at = EXCLUDED.restored_at, archive = EXCLUDED.archive`, [epoch, path.basename(options.archive)]);
    await client.query(`DROP SCHEMA ${quoteIdent(RESTORE_MARKER_SCHEMA)} CASCADE`);
    return { manifest, migrationsApplied, replacedBackup, epoch };
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * An archive of an installation with files on S3 holds no file: the bucket must still have every
 * object it lists, at its size, or the restored database would point at nothing. Checked before
 * anything is touched; the refusal lists what is missing.
 */
async function checkStoredObjects(s3: NonNullable<Manifest['s3']>, bucket: BackupBucket | null, say: (line: string) => void) {
  if (!bucket) throw new ArchiveProblem(`the archive's files are in the S3 bucket ${s3.bucket}${s3.endpoint ? ` at ${s3.endpoint}` : ''}, which it does not hold: configure FILE_STORAGE=s3 and S3_BUCKET (see docs/admin-guide.md) before restoring it`);
  say(`checking the ${s3.objects.length} stored files in s3://${bucket.name} ...`);
  const missing = await bucket.missing(s3.objects);
  if (missing.length) {
    const shown = missing.slice(0, 20).map((m) => (m.problem === 'missing' ? m.key : `${m.key} (another size)`));
    throw new ArchiveProblem(
      `the S3 bucket ${bucket.name} lacks ${missing.length} of the ${s3.objects.length} stored files this archive needs, so nothing was changed: ${shown.join(', ')}${missing.length > shown.length ? ` and ${missing.length - shown.length} more` : ''}. Restore them into the bucket (from its versioning or a copy) or configure the bucket that holds them`,
    );
  }
  if (s3.goneAtBackup.length) say(`note: ${s3.goneAtBackup.length} stored file(s) were gone from the bucket when the backup read them (the collector removes files attached to nothing): ${s3.goneAtBackup.slice(0, 20).join(', ')}`);
}

/** Loads every table in one transaction, sets the sequences and checks every count and checksum before committing. */
async function loadTables(client: pg.Client, options: RestoreOptions, manifest: Manifest, say: (line: string) => void) {
  await stableOutputSettings(client);
  await client.query('BEGIN');
  try {
    // Rows arrive table by table, not in foreign-key order: triggers (and so foreign-key checks) wait until the end of the load.
    await client.query('SET LOCAL session_replication_role = replica');
    const present = new Set((await listTables(client)).map((t) => `${t.schema}.${t.name}`));
    const missing = manifest.tables.filter((t) => !present.has(`${t.schema}.${t.name}`));
    if (missing.length) throw new Error(`the schema lacks ${missing.map((t) => `${t.schema}.${t.name}`).join(', ')} after its migrations`);
    await client.query(`TRUNCATE ${manifest.tables.map((t) => qualified(t.schema, t.name)).join(', ')}`);
    const byEntry = new Map(manifest.tables.map((t) => [t.entry, t]));
    let loaded = 0;
    await eachEntry(options.archive, options.key, async (name, body) => {
      const table = byEntry.get(name);
      if (!table) return;
      say(`loading ${table.schema}.${table.name} (${table.rows} rows) [${++loaded}/${manifest.tables.length}]`);
      const columns = table.columns.map(quoteIdent).join(', ');
      if (table.schema === 'pgboss' && table.name === 'queue') {
        // Each queue owns a partition of pgboss.job that pg-boss's own function creates.
        await client.query('CREATE TEMP TABLE restoring_queue (LIKE pgboss.queue) ON COMMIT DROP');
        await pipeline(body, zlib.createGunzip(), client.query(copyFrom(`COPY restoring_queue (${columns}) FROM STDIN`)));
        await client.query(`SELECT pgboss.create_queue(name, '{}'::json) FROM restoring_queue`);
        await client.query(`DELETE FROM pgboss.queue; INSERT INTO pgboss.queue (${columns}) SELECT ${columns} FROM restoring_queue`);
        return;
      }
      await pipeline(body, zlib.createGunzip(), client.query(copyFrom(`COPY ${qualified(table.schema, table.name)} (${columns}) FROM STDIN`)));
    });
    for (const s of manifest.sequences) {
      await client.query(`SELECT setval($1::regclass, $2::bigint, $3)`, [qualified(s.schema, s.name), s.lastValue, s.isCalled]);
    }
    say('checking every table against the manifest ...');
    const primaryKeys = new Map((await listTables(client)).map((t) => [`${t.schema}.${t.name}`, t.primaryKey]));
    for (const table of manifest.tables) {
      const { transform: measuring, stats } = measure();
      await pipeline(client.query(copyTo(tableCopyQuery(table, primaryKeys.get(`${table.schema}.${table.name}`) ?? null))), measuring, discard());
      if (stats.rows !== table.rows || stats.sha256 !== table.sha256) throw new Error(`${table.schema}.${table.name} does not match the archive after loading (${stats.rows} rows, ${table.rows} expected)`);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/** Writes the archive's files beside the live ones, then swaps the directories. */
async function restoreFiles(options: RestoreOptions, say: (line: string) => void) {
  const root = path.join(options.dataDir!, 'files');
  const staging = `${root}.restoring`;
  await fsp.rm(staging, { recursive: true, force: true });
  say('restoring stored files ...');
  await eachEntry(options.archive, options.key, async (name, body) => {
    if (!name.startsWith('files/')) return;
    const relative = name.slice('files/'.length);
    const target = path.resolve(staging, relative);
    if (!target.startsWith(path.resolve(staging) + path.sep)) throw new ArchiveProblem(`the archive names a file outside the files directory: ${name}`);
    await fsp.mkdir(path.dirname(target), { recursive: true });
    await pipeline(body, fs.createWriteStream(target, { mode: 0o600 }));
  });
  const exists = await fsp.stat(root).then(() => true).catch(() => false);
  if (exists) await fsp.rename(root, `${root}.replaced-${Date.now()}`);
  await fsp.rename(staging, root);
}
