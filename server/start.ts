import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from './config/env.js';
import { createApp } from './app.js';
import type { AppDeps } from './routes/context.js';
import { applyMigrations, openOrm } from './db/orm.js';
import { ensureFirstAdmin } from './db/bootstrap.js';
import { RealtimeEmitter } from './realtime/emitter.js';
import { createRealtimeServer, type HuitongIO } from './realtime/server.js';
import { registerSocketHandlers } from './realtime/handlers/index.js';
import { startJobRuntime, type JobRuntime } from './jobs/runtime.js';
import { startJobQueue } from './jobs/queue.js';
import { openFileStorage, type FileStorage } from './files/storage.js';
import { CommandRunner } from './commands/context.js';
import { MessageSendQueue } from './commands/chat/sendQueue.js';
import { OfflineDirectNotifier } from './commands/chat/offlineDirect.js';
import { loadVapidKeys } from './channels/vapidKeys.js';
import { systemClock, type Clock } from './clock.js';
import { prepareDatabaseForStart, readRestoreEpoch, recordUpgradeBackup } from './operations/startup.js';
import { SearchIndexer } from './search/indexer.js';

export type RunningServer = {
  url: string;
  port: number;
  orm: MikroORM;
  logger: Logger;
  jobs: JobRuntime;
  /** Runs commands (as routes, sockets and jobs do); tests use it to call a command directly. */
  runner: CommandRunner;
  /** Keeps the search index current (every process runs one; see server/search/indexer.ts). */
  searchIndexer: SearchIndexer;
  /** The Socket.IO server (with REALTIME_ADAPTER=postgres, one node of the cluster). */
  io: HuitongIO;
  firstAdmin: Awaited<ReturnType<typeof ensureFirstAdmin>>;
  /** The file store this process uses. */
  files: FileStorage;
  /** The backup taken because migrations were pending, when one was. */
  upgradeBackup: string | null;
  /** Stops accepting connections, closes sockets, lets in-flight requests finish, stops the jobs, closes the database pool. */
  close: () => Promise<void>;
};

/** Opens the database, applies migrations, and serves HTTP and Socket.IO on one port. */
export async function startServer(config: Config, databaseUrl: string, options: { logger?: Logger; clock?: Clock } = {}): Promise<RunningServer> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? pino({ level: config.logLevel });
  const orm = await openOrm(databaseUrl);
  let upgradeBackup: string | null;
  try {
    ({ upgradeBackup } = await prepareDatabaseForStart(orm, config, databaseUrl, logger));
  } catch (error) {
    await orm.close();
    throw error;
  }
  const applied = await applyMigrations(orm);
  if (applied.length) logger.info({ migrations: applied }, 'migrations applied');
  if (upgradeBackup) await recordUpgradeBackup(orm, upgradeBackup);
  const firstAdmin = await ensureFirstAdmin(orm.em.fork(), { email: config.adminEmail, password: config.adminPassword });

  const vapidKeys = await loadVapidKeys(orm.em.fork(), config);
  logger.info({ source: vapidKeys.source, subject: config.webPush.subject }, 'Web Push is on (VAPID keys from the %s)', vapidKeys.source);
  const emitter = new RealtimeEmitter();
  // Reminder firing and e-mail / SMS delivery run in every process; the database decides who does what.
  const files = await openFileStorage(config.files);
  const boss = await startJobQueue(databaseUrl, logger);
  const runnerDeps: ConstructorParameters<typeof CommandRunner>[0] = { emitter, boss: () => boss, settings: { fanOutChunkSize: config.fanOutChunkSize }, clock };
  const runner = new CommandRunner(runnerDeps);
  const jobs = await startJobRuntime({ boss, config, orm, logger, runner, vapidKeys, clock, databaseUrl, files });
  // Jobs a request queued (the parts of a large fan-out) are fetched at once, not at the next poll.
  runnerDeps.jobsQueued = (queues) => jobs.wake(queues);
  const sendQueue = new MessageSendQueue(orm, emitter);
  const offlineDirect = new OfflineDirectNotifier(orm, emitter, runner, logger);
  sendQueue.onStored((message) => offlineDirect.messageStored(message));
  const searchIndexer = new SearchIndexer(orm, databaseUrl, logger);
  await searchIndexer.start();
  const appDeps: AppDeps = { config, orm, logger, emitter, jobs, sendQueue, runner, vapidPublicKey: vapidKeys.publicKey, clock, files };
  const app = createApp(appDeps);
  const httpServer = http.createServer(app.callback());
  // A socket's address is read by Koa's own rule (app.proxy: X-Forwarded-For only behind a trusted proxy), as every HTTP request's is.
  const clientAddress = (req: http.IncomingMessage) => app.createContext(req, new http.ServerResponse(req)).ip;
  const { io, clustered, closeCluster, isLinked } = createRealtimeServer(httpServer, { config, orm, logger, databaseUrl, clientAddress });
  appDeps.realtimeLinked = isLinked;
  emitter.attach(io, { clustered, logger });
  // Restores need the servers stopped, so the epoch read at start holds while this process runs.
  const restoreEpoch = await readRestoreEpoch(orm);
  registerSocketHandlers(io, { orm, logger, emitter, sendQueue, runner, eventsPerSecond: config.socketEventsPerSecond, restoreEpoch });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      // io.close() also closes the HTTP server: no new connections; in-flight requests finish first.
      // A kept-alive connection that carries one more request after a single sweep of idle ones (a
      // browser retrying its socket every few seconds) turns idle again only to be reused before the
      // keep-alive timeout, and held shutdown for as long as the client kept trying (87 s seen in a
      // test): idle connections are swept until the server is closed, and whatever still runs after a
      // grace period is cut.
      const httpClosed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      const sweep = setInterval(() => httpServer.closeIdleConnections(), 200);
      httpServer.closeIdleConnections();
      io.disconnectSockets(true);
      const ioClosed = new Promise<void>((resolve) => io.close(() => resolve()));
      const graceOver = await Promise.race([Promise.all([ioClosed, httpClosed]).then(() => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 10_000).unref())]);
      if (graceOver) {
        logger.warn('connections still open 10 s after shutdown began were cut');
        httpServer.closeAllConnections();
      }
      await ioClosed;
      await httpClosed;
      clearInterval(sweep);
      await closeCluster();
      await jobs.stop();
      await searchIndexer.stop();
      // pg's pool waits for every checked-out client; one stranded by a lost database
      // connection would hold shutdown forever, so the pool gets a deadline.
      await Promise.race([orm.close(), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
    })());

  return { url: `http://${host}:${port}`, port, orm, logger, jobs, runner, searchIndexer, io, firstAdmin, files, upgradeBackup, close };
}
