/**
 * A tiny request/response layer over Node's IPC channel, for the benchmark's child processes
 * (server runners and load-generator workers). Children are forked with `serialization: 'advanced'`
 * so typed arrays (latency samples) cross without JSON.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

type Request = { rpc: number; method: string; args: unknown };
type Response = { rpc: number; ok: boolean; value?: unknown; error?: string };

export type Handlers = Record<string, (args: any) => unknown>;

/** Child side: answers the parent's calls; exits when the parent goes away. */
export function serveRpc(handlers: Handlers): void {
  if (!process.send) throw new Error('this module runs as a forked child of tests/bench/chat.bench.ts');
  process.on('message', async (raw) => {
    const message = raw as Request;
    if (typeof message?.rpc !== 'number') return;
    const handler = handlers[message.method];
    let response: Response;
    try {
      if (!handler) throw new Error(`unknown method ${message.method}`);
      response = { rpc: message.rpc, ok: true, value: await handler(message.args) };
    } catch (error) {
      response = { rpc: message.rpc, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
    process.send!(response);
  });
  // The parent died or closed the channel: nothing may outlive the benchmark.
  process.on('disconnect', () => process.exit(0));
}

/** Parent side: one forked TypeScript child and its calls. */
export class Child {
  private next = 1;
  private pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  readonly exited: Promise<number | string>;

  constructor(
    readonly name: string,
    readonly proc: ChildProcess,
  ) {
    // A send racing the child's exit: the call's promise is rejected by the exit handler below.
    proc.on('error', () => undefined);
    proc.on('message', (raw) => {
      const message = raw as Response;
      const waiter = this.pending.get(message?.rpc);
      if (!waiter) return;
      this.pending.delete(message.rpc);
      if (message.ok) waiter.resolve(message.value);
      else waiter.reject(new Error(`${name}: ${message.error}`));
    });
    this.exited = new Promise((resolve) => {
      proc.once('exit', (code, signal) => {
        for (const waiter of this.pending.values()) waiter.reject(new Error(`${name} exited (${code ?? signal})`));
        this.pending.clear();
        resolve(code ?? signal ?? -1);
      });
    });
  }

  get pid(): number {
    return this.proc.pid!;
  }

  call<T = any>(method: string, args: unknown = {}, timeoutMs = 120_000): Promise<T> {
    if (!this.proc.connected) return Promise.reject(new Error(`${this.name} is not running`));
    const rpc = this.next++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(rpc);
        reject(new Error(`${this.name}: ${method} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(rpc, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.proc.send({ rpc, method, args } satisfies Request);
    });
  }

  /** Ends the child: closes the channel (it exits by itself), SIGKILL if it lingers. */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), timeoutMs);
    if (this.proc.connected) this.proc.disconnect();
    else this.proc.kill('SIGTERM');
    await this.exited;
    clearTimeout(timer);
  }
}

/** Forks a TypeScript module of tests/bench with the same loaders as the npm scripts. */
export function forkChild(name: string, file: string, args: string[] = [], options: { env?: NodeJS.ProcessEnv; nodeFlags?: string[] } = {}): Child {
  const proc = fork(path.join(repoRoot, 'tests/bench', file), args, {
    cwd: repoRoot,
    execArgv: ['--import', 'tsx', '--import', './server/compat/node20.mjs', ...(options.nodeFlags ?? [])],
    env: { ...process.env, NODE_OPTIONS: '', ...options.env },
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Child(name, proc);
}

/** Waits for the child's first `{ ready: ... }` message. */
export function waitReady<T = any>(child: Child, timeoutMs = 120_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${child.name} did not start within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (raw: any) => {
      if (raw && 'ready' in raw) {
        clearTimeout(timer);
        child.proc.off('message', onMessage);
        resolve(raw.ready);
      }
    };
    child.proc.on('message', onMessage);
    child.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${child.name} exited (${code}) before it was ready`));
    });
  });
}
