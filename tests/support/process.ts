/** The real server process (server/main.ts) for tests of start-up, configuration and shutdown. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './globalSetup.js';
import { waitFor } from './wait.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A minimal environment: nothing from the developer's shell leaks in (no DATABASE_URL, PORT, ...). */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, LOG_LEVEL: 'warn', ...extra };
}

export type ServerProcess = {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>;
  /** Waits until stdout matches, failing early if the process ends first. */
  waitForOutput: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpMatchArray>;
  /** Ends the process if it still runs (SIGKILL), for cleanup after a failed test. */
  kill: () => void;
  /** Ends the process if it still runs: SIGTERM (so it stops its embedded PostgreSQL), SIGKILL after the deadline. */
  terminate: (timeoutMs?: number) => Promise<void>;
};

/** Spawns `node --import tsx --import ./server/compat/node20.mjs server/main.ts` in the repository. */
export function spawnServer(env: NodeJS.ProcessEnv, nodeArgs: string[] = []): ServerProcess {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', '--import', './server/compat/node20.mjs', 'server/main.ts'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  let ended = false;
  const exited = new Promise<number | string>((resolve) => {
    child.once('close', (code, signal) => {
      ended = true;
      resolve(code ?? signal ?? -1);
    });
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForOutput: async (pattern, timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = out.match(pattern);
        if (match) return match;
        if (ended || Date.now() > deadline) {
          const why = ended ? 'the server exited before printing' : `timed out after ${timeoutMs} ms waiting for`;
          throw new Error(`${why} ${pattern}\nstdout:\n${out}\nstderr:\n${err}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    kill: () => {
      if (!ended) child.kill('SIGKILL');
    },
    terminate: async (timeoutMs = 20_000) => {
      if (ended) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resolves with the exit code, or fails when the process is still running after the deadline. */
export async function exitWithin(proc: ServerProcess, timeoutMs: number): Promise<number | string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the process did not exit within ${timeoutMs} ms\nstdout:\n${proc.stdout()}\nstderr:\n${proc.stderr()}`)), timeoutMs);
  });
  try {
    return await Promise.race([proc.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export type RunningServerProcess = ServerProcess & {
  url: string;
  /** Output of both streams, for assertion messages. */
  output: () => string;
  /** Sends the signal (SIGKILL by default) and resolves with the exit code or signal name. */
  stop: (signal?: NodeJS.Signals) => Promise<number | string>;
};

/**
 * Runs the real server (as `npm start` does) with the test's environment on top of this
 * process's, on a free port unless `env.PORT` names one, and resolves once /readyz answers 200.
 */
export async function startServerProcess(env: Record<string, string>, options: { timeoutMs?: number; nodeArgs?: string[] } = {}): Promise<RunningServerProcess> {
  const port = env.PORT ?? String(await freePort());
  const proc = spawnServer(
    { ...process.env, NODE_ENV: 'test', HOST: '127.0.0.1', LOG_LEVEL: 'warn', CLIENT_DIST: path.join(repoRoot, 'client/dist'), ...env, PORT: port },
    options.nodeArgs,
  );
  let ended = false;
  void proc.exited.then(() => (ended = true));
  const url = `http://127.0.0.1:${port}`;
  const output = () => proc.stdout() + proc.stderr();
  try {
    await waitFor(
      async () => {
        if (ended) return Promise.reject(new Error(`the server exited before serving:\n${output()}`));
        return (await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200;
      },
      { timeoutMs: options.timeoutMs ?? 60_000, intervalMs: 100, what: `the server process on ${url} to become ready` },
    );
  } catch (error) {
    proc.kill();
    throw error;
  }
  return {
    ...proc,
    url,
    output,
    stop: async (signal = 'SIGKILL') => {
      if (!ended) proc.child.kill(signal);
      return proc.exited;
    },
  };
}
