import type { ParameterizedContext } from 'koa';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Config } from '../config/env.js';
import type { RealtimeEmitter } from '../realtime/emitter.js';
import type { Session } from '../entities/Session.js';
import type { User } from '../entities/User.js';
import type { JobRuntime } from '../jobs/runtime.js';
import type { MessageSendQueue } from '../commands/chat/sendQueue.js';
import type { CommandRunner } from '../commands/context.js';
import type { Clock } from '../clock.js';
import type { FileStorage } from '../files/storage.js';

/** What every request handler can reach. */
export type AppDeps = {
  config: Config;
  orm: MikroORM;
  logger: Logger;
  emitter: RealtimeEmitter;
  jobs: JobRuntime;
  sendQueue: MessageSendQueue;
  runner: CommandRunner;
  /** The VAPID public key browsers subscribe to push with (server/channels/vapidKeys.ts). */
  vapidPublicKey: string;
  /** The clock reads compare schedules with (the one commands use). */
  clock: Clock;
  /** Where file contents are kept (local disk or S3). */
  files: FileStorage;
  /** False while this process does not hear the other processes of its Socket.IO cluster (set once the realtime server exists). */
  realtimeLinked?: () => boolean;
};

export type RequestState = {
  requestId: string;
  log: Logger;
  em: EntityManager;
  user?: User;
  session?: Session;
};

export type AppContext = ParameterizedContext<RequestState> & { deps: AppDeps };
