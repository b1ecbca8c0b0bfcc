/**
 * What a backup archive holds, shared by the writer (backup.ts) and the reader (restore.ts).
 *
 * An archive is a POSIX tar file (readable with `tar tvf`), optionally wrapped in the chunked
 * AES-256-GCM format of encryption.ts:
 *   tables/<schema>.<table>.copy.gz   the table's rows: PostgreSQL COPY text format, gzip
 *   files/<path>                      the stored files under <data dir>/files, as they are (local disk)
 *   manifest.json                     last, so an archive cut short has none
 * With files on S3 the archive holds no file: its manifest lists every stored object (key, size,
 * sha256) that the restored database refers to, and a restore checks the bucket still has them.
 */
import { createHash } from 'node:crypto';
import { Transform, Writable } from 'node:stream';
import type pg from 'pg';

/** The schemas the product owns: its tables (public) and the job queue's (pg-boss). */
export const PRODUCT_SCHEMAS = ['public', 'pgboss'] as const;

export const MANIFEST_NAME = 'manifest.json';
export const FORMAT = 'huitong-backup/1';

export type TableEntry = {
  schema: string;
  name: string;
  /** Archive member holding the table's COPY stream. */
  entry: string;
  columns: string[];
  rows: number;
  /** Bytes and sha256 (hex) of the uncompressed COPY stream. */
  bytes: number;
  sha256: string;
};

export type Manifest = {
  format: typeof FORMAT;
  createdAt: string;
  /** Migrations applied to the database, in order: the schema version. */
  migrations: string[];
  /** pg-boss's schema version, when the job queue's schema exists. */
  pgbossVersion: number | null;
  postgresVersion: string;
  tables: TableEntry[];
  sequences: { schema: string; name: string; lastValue: string; isCalled: boolean }[];
  files: { path: string; bytes: number; sha256: string }[];
  /**
   * Files on S3 (absent for local disk): the bucket and every object the database's file_blobs rows
   * name (contents and thumbnails), read through to hash them; `goneAtBackup` are keys the snapshot
   * named that the bucket no longer had when read (the collector removed them meanwhile).
   */
  s3?: { bucket: string; endpoint: string | null; objects: { key: string; bytes: number; sha256: string }[]; goneAtBackup: string[] };
  /** Where the database came from (no password). */
  source: string;
};

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
export const qualified = (schema: string, name: string) => `${quoteIdent(schema)}.${quoteIdent(name)}`;

/**
 * The query whose COPY output the manifest's checksum covers: rows ordered by the primary key (or by
 * the whole row where there is none), so the restored table yields the same bytes.
 */
export function tableCopyQuery(table: { schema: string; name: string; columns: string[] }, orderBy: string[] | null): string {
  const columns = table.columns.map(quoteIdent).join(', ');
  const order = orderBy && orderBy.length ? orderBy.map(quoteIdent).join(', ') : `(t.*)::text`;
  return `COPY (SELECT ${columns} FROM ${qualified(table.schema, table.name)} t ORDER BY ${order}) TO STDOUT`;
}

/** Session settings that make COPY's text output the same on the writing and the restoring side. */
export async function stableOutputSettings(client: pg.Client): Promise<void> {
  await client.query(`SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; SET extra_float_digits = 3; SET bytea_output = 'hex'`);
}

/** The product's tables (partitioned parents, not their partitions), columns in order, and each one's primary key. */
export async function listTables(client: pg.Client): Promise<{ schema: string; name: string; columns: string[]; primaryKey: string[] | null }[]> {
  const { rows } = await client.query<{ schema: string; name: string; columns: string[]; primary_key: string[] | null }>(
    `SELECT n.nspname AS schema, c.relname AS name,
            (SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_attribute a
              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '') AS columns,
            (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM pg_index i
               CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
              WHERE i.indrelid = c.oid AND i.indisprimary) AS primary_key
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p') AND NOT c.relispartition
      ORDER BY n.nspname = 'pgboss', n.nspname, (c.relname <> 'queue'), c.relname`,
    [[...PRODUCT_SCHEMAS]],
  );
  return rows.map((r) => ({ schema: r.schema, name: r.name, columns: r.columns ?? [], primaryKey: r.primary_key }));
}

/** The sequences of the product's schemas. */
export async function listSequences(client: pg.Client): Promise<{ schema: string; name: string }[]> {
  const { rows } = await client.query<{ schema: string; name: string }>(
    `SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ANY($1) AND c.relkind = 'S' ORDER BY 1, 2`,
    [[...PRODUCT_SCHEMAS]],
  );
  return rows;
}

/** Counts newline bytes: in COPY text format every row ends with one and embedded ones are escaped. */
export function countRows(chunk: Buffer): number {
  let n = 0;
  let i = -1;
  while ((i = chunk.indexOf(10, i + 1)) !== -1) n++;
  return n;
}

export const tableEntryName = (schema: string, name: string) => `tables/${schema}.${name}.copy.gz`;

/** A database URL without its password, for manifests and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'unknown';
  }
}

/** A pass-through that hashes what goes through it and counts its bytes and COPY rows; `stats.sha256` is set at its end. */
export function measure() {
  const hash = createHash('sha256');
  const stats = { bytes: 0, rows: 0, sha256: '' };
  const transform = new Transform({
    transform(chunk: Buffer, _e, callback) {
      hash.update(chunk);
      stats.bytes += chunk.length;
      stats.rows += countRows(chunk);
      callback(null, chunk);
    },
    flush(callback) {
      stats.sha256 = hash.digest('hex');
      callback();
    },
  });
  return { transform, stats };
}

/** Where measured bytes go when only their measure is wanted (checking an archive, a loaded table). */
export const discard = () =>
  new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });
