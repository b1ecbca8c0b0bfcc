/**
 * `npm run backup` and `npm run restore -- <archive> [--replace]`. The archive's path is the last
 * line the backup prints; progress goes to stderr when it is a terminal.
 */
import 'dotenv/config';
import pg from 'pg';
import { loadConfig, ConfigError, type Config } from '../config/env.js';
import { openProductDatabase } from './database.js';
import { takeBackup, type BackupProgress } from './backup.js';
import { ArchiveProblem, restoreArchive } from './restore.js';
import { BackupBucket } from './bucket.js';

const tty = process.stderr.isTTY;

function showProgress(p: BackupProgress) {
  if (!tty) return;
  const what = p.phase === 'tables' ? 'reading tables' : p.phase === 'files' ? 'adding files' : 'writing archive';
  process.stderr.write(`\r\x1b[K${what} ${p.done}/${p.total}${p.item ? ` ${p.item}` : ''}`);
  if (p.done === p.total) process.stderr.write('\n');
}

/** Records a command-line operation in the audit log (no actor: whoever ran the command on the server). */
async function auditFromCli(url: string, action: string, data: Record<string, unknown>) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`INSERT INTO audit_log (actor_id, action, target_type, target_id, address, data, created_at) VALUES (NULL, $1, 'backup', $2, 'command line', $3, now())`, [action, String(data.file ?? ''), JSON.stringify(data)]);
  } finally {
    await client.end();
  }
}

async function backup(config: Config) {
  const db = await openProductDatabase(config, { onLog: (line) => console.error(line) });
  // Files on S3: the archive lists the bucket's objects; it is still written here, to BACKUP_DIR.
  const bucket = await BackupBucket.open(config.files);
  try {
    const result = await takeBackup({ databaseUrl: db.url, dataDir: config.dataDir, outDir: config.backup.dir, key: config.backup.key, bucket, onProgress: showProgress });
    const rows = result.manifest.tables.reduce((n, t) => n + t.rows, 0);
    await auditFromCli(db.url, 'backup.created', { file: result.path.split('/').pop(), bytes: result.bytes, rows, via: 'npm run backup' }).catch(() => {});
    const files = result.manifest.s3 ? `${result.manifest.s3.objects.length} stored files listed in s3://${result.manifest.s3.bucket}` : `${result.manifest.files.length} files`;
    console.log(`Backed up ${result.manifest.tables.length} tables (${rows} rows) and ${files}, ${(result.bytes / 1e6).toFixed(1)} MB${config.backup.key ? ', encrypted' : ''}:`);
    console.log(result.path);
  } finally {
    bucket?.close();
    await db.stop();
  }
}

async function restore(config: Config, args: string[]) {
  const replace = args.includes('--replace');
  const archive = args.find((a) => !a.startsWith('--'));
  if (!archive) throw new ArchiveProblem('usage: npm run restore -- <archive> [--replace]');
  const db = await openProductDatabase(config, { onLog: (line) => console.error(line) });
  const bucket = await BackupBucket.open(config.files);
  try {
    const result = await restoreArchive({
      archive,
      databaseUrl: db.url,
      dataDir: config.dataDir,
      bucket,
      key: config.backup.key,
      replace,
      backupFirst: async () => (await takeBackup({ databaseUrl: db.url, dataDir: config.dataDir, outDir: config.backup.dir, key: config.backup.key, bucket, prefix: 'huitong-before-restore' })).path,
      onProgress: (line) => console.error(line),
    });
    await auditFromCli(db.url, 'backup.restored', { file: archive.split('/').pop(), createdAt: result.manifest.createdAt, replacedBackup: result.replacedBackup, migrationsApplied: result.migrationsApplied });
    console.log(`Restored the backup of ${result.manifest.createdAt} (${result.manifest.tables.reduce((n, t) => n + t.rows, 0)} rows, ${result.manifest.s3 ? `${result.manifest.s3.objects.length} stored files checked in the bucket` : `${result.manifest.files.length} files`}).`);
  } finally {
    bucket?.close();
    await db.stop();
  }
}

const [command, ...rest] = process.argv.slice(2);
(async () => {
  const config = loadConfig();
  if (command === 'backup') await backup(config);
  else if (command === 'restore') await restore(config, rest);
  else throw new ArchiveProblem('usage: cli.ts backup | restore <archive> [--replace]');
})().catch((error) => {
  if (error instanceof ConfigError) console.error(error.problems.join('\n'));
  else if (error instanceof ArchiveProblem) console.error(`Refused: ${error.message}`);
  else console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
