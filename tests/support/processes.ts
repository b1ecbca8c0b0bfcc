import { spawn, type ChildProcess } from 'node:child_process';
import { waitFor } from './wait.js';

export type ServerProcess = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

/** Runs the real `server/main.ts` in a child process and resolves once it serves /readyz. */
export async function spawnServer(env: Record<string, string>, options: { timeoutMs?: number } = {}): Promise<ServerProcess> {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', './server/compat/node20.mjs', 'server/main.ts'], {
    env: { ...process.env, NODE_OPTIONS: '', LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${output}`);
      const res = await fetch(`http://127.0.0.1:${env.PORT}/readyz`).catch(() => undefined);
      return res?.status === 200;
    },
    { timeoutMs: options.timeoutMs ?? 60_000, intervalMs: 100, what: 'the server process to become ready' },
  );
  return { child, output: () => output, exited };
}
