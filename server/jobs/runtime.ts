import type { MikroORM } from '@mikro-orm/postgresql';
import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Config } from '../config/env.js';
import { createMailChannel } from '../channels/mailer.js';
import { createSmsChannel } from '../channels/sms.js';
import { createPushChannel } from '../channels/webPush.js';
import type { VapidKeys } from '../channels/vapidKeys.js';
import type { CommandRunner } from '../commands/context.js';
import { DeliveryDispatcher, type DispatchChannels } from './deliveryDispatcher.js';
import { fanOutChunkDeliverer, reofferLostChunks } from './fanOut.js';
import { ANNOUNCEMENT_QUEUE, FANOUT_QUEUE, FILE_GC_QUEUE, OCCURRENCE_QUEUE, type AnnouncementJob, type FanOutJob, type OccurrenceJob } from './queue.js';
import { dueAnnouncementWork, runAnnouncementJob, type DueWork } from './announcements.js';
import type { Clock } from '../clock.js';
import type { FileStorage } from '../files/storage.js';
import { collectFiles } from '../commands/files/files.js';
import { fireOccurrences, overdueOccurrences } from './reminderFirer.js';
import { fanOutLostReplies } from './boardReplyFanOut.js';
import { startOperationsJobs, type OperationsJobs } from './operations.js';

export type JobRuntime = {
  boss: PgBoss;
  dispatcher: DeliveryDispatcher;
  channels: DispatchChannels;
  /** Re-offers overdue unfired occurrences and lost fan-out parts, and fans out board replies left without it, now (the sweeper's work; tests call it to avoid waiting). */
  sweep: () => Promise<number>;
  /** Publishes, escalates and expires the announcements due `graceMs` ago by the clock (the sweep's part; tests call it after moving their clock). */
  announcementsDue: (graceMs?: number) => Promise<DueWork>;
  /** Runs the file collector now (what the hourly job does). */
  collectFiles: () => Promise<{ files: number; blobs: number }>;
  /** This process's workers of these queues look for jobs now instead of at their next poll (after a commit that queued some). */
  wake: (queues: Set<string>) => void;
  /** Scheduled backups and audit retention (tests call them instead of waiting for the schedule). */
  operations: OperationsJobs;
  stop: () => Promise<void>;
};

/**
 * Starts this process's share of the background work: pg-boss workers that fire due reminder
 * occurrences and write the parts of large fan-outs, the delivery dispatcher, and a sweeper that
 * re-offers occurrences and parts whose job was lost with a crashed process. Every process runs
 * the same; the database decides who does what.
 */
export async function startJobRuntime(deps: { boss: PgBoss; config: Config; orm: MikroORM; logger: Logger; runner: CommandRunner; vapidKeys: VapidKeys; clock: Clock; databaseUrl: string; files: FileStorage }): Promise<JobRuntime> {
  const { boss, config, orm, logger, runner, clock } = deps;
  const channels = { email: createMailChannel(config, logger), sms: createSmsChannel(config, logger), push: createPushChannel(config, deps.vapidKeys) };
  if (channels.email.provider === 'log') logger.warn('E-mail is log only: SMTP_URL is not set, so e-mail deliveries are recorded (status "logged") and nothing is sent');
  else logger.info({ smtp: new URL(config.mail.smtpUrl!).host, from: config.mail.from }, 'E-mail goes out through SMTP');
  if (channels.sms.provider === 'log') logger.warn('SMS is log only: Twilio is not configured, so SMS deliveries are recorded (status "logged") and nothing is sent');
  else logger.info({ apiBase: config.sms.apiBaseUrl ?? 'https://api.twilio.com' }, 'SMS goes out through Twilio');

  const dispatcher = new DeliveryDispatcher(orm, config, logger, channels);
  dispatcher.start();

  const firing = { orm, runner, logger };
  const announcing = { orm, runner, logger, clock };
  const pollingIntervalSeconds = Math.max(0.5, config.delivery.pollMs / 1000);
  const workers = new Map<string, string[]>();
  const worker = (queue: string, id: string) => workers.set(queue, [...(workers.get(queue) ?? []), id]);
  for (let i = 0; i < 2; i++) {
    worker(
      OCCURRENCE_QUEUE,
      await boss.work<OccurrenceJob>(OCCURRENCE_QUEUE, { batchSize: 100, pollingIntervalSeconds }, async (jobs) => {
        await fireOccurrences(firing, jobs.map((j) => j.data.occurrenceId));
        dispatcher.kick();
      }),
    );
    // A part is one transaction of up to FANOUT_CHUNK_SIZE recipients (tens of milliseconds): a few per poll.
    worker(
      FANOUT_QUEUE,
      await boss.work<FanOutJob>(FANOUT_QUEUE, { batchSize: 5, pollingIntervalSeconds }, async (jobs) => {
        for (const job of jobs) await fanOutChunkDeliverer({ orm, runner }, job.data.chunkId);
        dispatcher.kick();
      }),
    );
  }
  // Publications, expiries and ladder steps: one transaction each (a step for thousands only queues its fan-out's parts).
  worker(
    ANNOUNCEMENT_QUEUE,
    await boss.work<AnnouncementJob>(ANNOUNCEMENT_QUEUE, { batchSize: 10, pollingIntervalSeconds }, async (jobs) => {
      for (const job of jobs) await runAnnouncementJob(announcing, job.data);
      dispatcher.kick();
    }),
  );
  const collect = () => collectFiles(orm.em.fork(), deps.files, config.files.gcGraceSeconds);
  // Unreferenced uploads and contents go after FILE_GC_GRACE_SECONDS; pg-boss hands each hourly run to one process.
  worker(
    FILE_GC_QUEUE,
    await boss.work(FILE_GC_QUEUE, { pollingIntervalSeconds }, async () => {
      const done = await collect();
      if (done.files + done.blobs) logger.info(done, 'unreferenced files removed');
    }),
  );
  await boss.schedule(FILE_GC_QUEUE, '17 * * * *');
  const operations = await startOperationsJobs({ boss, config, orm, logger, runner, databaseUrl: deps.databaseUrl, clock, pollingIntervalSeconds });
  for (const [queue, id] of operations.workerIds) worker(queue, id);
  const wake = (queues: Set<string>) => {
    for (const queue of queues) for (const id of workers.get(queue) ?? []) boss.notifyWorker(id);
  };
  const announcementsDue = async (graceMs = 0) => {
    const done = await dueAnnouncementWork(announcing, graceMs);
    if (done.published + done.fired + done.expired) dispatcher.kick();
    return done;
  };

  const sweep = async () => {
    const ids = await overdueOccurrences(orm.em.fork(), config.delivery.sweepGraceSeconds);
    if (ids.length) {
      logger.warn({ count: ids.length }, 're-offering overdue reminder occurrences');
      await boss.insert(ids.map((occurrenceId) => ({ name: OCCURRENCE_QUEUE, data: { occurrenceId } })));
    }
    const parts = await reofferLostChunks(orm.em.fork(), boss, config.delivery.sweepGraceSeconds);
    if (parts) logger.warn({ count: parts }, 're-offering parts of notification fan-outs whose job was lost');
    const due = await announcementsDue(config.delivery.sweepGraceSeconds * 1000);
    const announced = due.published + due.fired + due.expired;
    if (announced) logger.warn(due, 'announcement publications, ladder steps or expiries were overdue: done by the sweep');
    const replies = await fanOutLostReplies({ orm, runner }, config.delivery.sweepGraceSeconds);
    if (replies) {
      logger.warn({ count: replies }, 'board replies whose notifications were not sent (a process stopped after storing them): sent by the sweep');
      dispatcher.kick();
    }
    return ids.length + parts + announced + replies;
  };
  let sweeping = false;
  const timer = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    sweep()
      .catch((error) => logger.error({ err: error }, 'sweep failed'))
      .finally(() => (sweeping = false));
  }, config.delivery.sweepIntervalSeconds * 1000);
  timer.unref();

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      clearInterval(timer);
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
      await dispatcher.stop();
      await Promise.all([channels.email.close(), channels.sms.close(), channels.push.close()]);
      // After the workers stopped: no backup is uploading any more.
      operations.bucket?.close();
    })());
  return { boss, dispatcher, channels, sweep, announcementsDue, collectFiles: collect, wake, operations, stop };
}
