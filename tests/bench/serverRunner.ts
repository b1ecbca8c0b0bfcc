/**
 * Runs one server under test in its own process, so its resident memory and CPU are its own:
 * `huitong` (the real server through startServer, against BENCH_DATABASE_URL), `bare` (the
 * baseline relay) or `files-bare` (a bare file server). Answers `stats`, `gc` and `history` calls from the benchmark over IPC.
 * Started with --expose-gc.
 */
import fs from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import pino from 'pino';
import { serveRpc } from './ipc.js';
import { startBareFileServer, startBareServer } from './bareServer.js';

const mode = process.argv[2];

function stats() {
  const mem = process.memoryUsage();
  const elu = performance.eventLoopUtilization();
  return { rss: mem.rss, heapUsed: mem.heapUsed, heapTotal: mem.heapTotal, external: mem.external, arrayBuffers: mem.arrayBuffers, cpu: process.cpuUsage(), elu: { idle: elu.idle, active: elu.active } };
}

async function collectGarbage() {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('start the runner with --expose-gc');
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function main() {
  let close: () => Promise<void>;
  let port: number;
  let history: ((args: { conversationId: string; runs: number }) => Promise<unknown>) | undefined;
  if (mode === 'huitong') {
    const { loadConfig } = await import('../../server/config/env.js');
    const { startServer } = await import('../../server/start.js');
    const { messageHistory } = await import('../../server/queries/chat.js');
    const config = loadConfig({
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      ADMIN_EMAIL: process.env.BENCH_ADMIN_EMAIL,
      ADMIN_PASSWORD: process.env.BENCH_ADMIN_PASSWORD,
      // The benchmark sends far more than a person would; the per-socket and login limits must not be what it measures.
      SOCKET_EVENTS_PER_SECOND: '1000000',
      LOGIN_ATTEMPTS_PER_ADDRESS: '1000000',
      LOGIN_ATTEMPTS_PER_ACCOUNT: '1000000',
      CLIENT_DIST: path.resolve('client/dist'),
      // Where uploads go (bench:files); the default otherwise.
      ...(process.env.BENCH_DATA_DIR ? { DATA_DIR: process.env.BENCH_DATA_DIR } : {}),
    });
    config.port = 0;
    const server = await startServer(config, process.env.BENCH_DATABASE_URL!, { logger: pino({ level: 'silent' }) });
    port = server.port;
    close = server.close;
    // The history query as the route runs it, without HTTP and the session lookup.
    history = async ({ conversationId, runs }) => {
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const started = performance.now();
        const page = await messageHistory(server.orm.em.fork(), conversationId, { limit: 50 });
        times.push(performance.now() - started);
        if (page.items.length !== 50) throw new Error(`history returned ${page.items.length} messages`);
      }
      return times;
    };
  } else if (mode === 'files-bare') {
    // bench:files' baseline: a bare Node HTTP server streaming one file from disk, no authentication.
    const server = await startBareFileServer(process.env.BENCH_FILE!);
    port = server.port;
    close = server.close;
  } else if (mode === 'bare') {
    const server = await startBareServer();
    port = server.port;
    close = server.close;
  } else {
    throw new Error(`unknown mode ${mode}`);
  }

  // CPU profiles of chosen windows (BENCH_PROFILE_DIR), through the inspector.
  const inspector = new Session();
  inspector.connect();
  const post = (method: string, params?: object) =>
    new Promise<any>((resolve, reject) => inspector.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))));

  serveRpc({
    stats: () => stats(),
    profileStart: async () => {
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: 500 });
      await post('Profiler.start');
      return true;
    },
    heapSnapshot: ({ file }: { file: string }) => v8.writeHeapSnapshot(file),
    profileStop: async ({ file }: { file: string }) => {
      const { profile } = await post('Profiler.stop');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify(profile));
      return file;
    },
    gc: async () => {
      await collectGarbage();
      return stats();
    },
    history: (args) => {
      if (!history) throw new Error('history is only served by huitong');
      return history(args);
    },
    close: async () => {
      await Promise.race([close(), new Promise((resolve) => setTimeout(resolve, 5000))]);
      return true;
    },
  });
  process.send!({ ready: { port, pid: process.pid } });
}

main().catch((error) => {
  console.error(`server runner (${mode}) failed:`, error);
  process.exit(1);
});
