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
import { FANOUT_QUEUE, OCCURRENCE_QUEUE, type FanOutJob, type OccurrenceJob } from './queue.js';
import { fireOccurrences, overdueOccurrences } from './reminderFirer.js';

export type JobRuntime = {
  boss: PgBoss;
  dispatcher: DeliveryDispatcher;
  channels: DispatchChannels;
  /** Re-offers overdue unfired occurrences and lost fan-out parts now (the sweeper's work; tests call it to avoid waiting). */
  sweep: () => Promise<number>;
  stop: () => Promise<void>;
};

/**
 * Starts this process's share of the background work: pg-boss workers that fire due reminder
 * occurrences and write the parts of large fan-outs, the delivery dispatcher, and a sweeper that
 * re-offers occurrences and parts whose job was lost with a crashed process. Every process runs
 * the same; the database decides who does what.
 */
export async function startJobRuntime(deps: { boss: PgBoss; config: Config; orm: MikroORM; logger: Logger; runner: CommandRunner; vapidKeys: VapidKeys }): Promise<JobRuntime> {
  const { boss, config, orm, logger, runner } = deps;
  const channels = { email: createMailChannel(config, logger), sms: createSmsChannel(config, logger), push: createPushChannel(config, deps.vapidKeys) };
  if (channels.email.provider === 'log') logger.warn('E-mail is log only: SMTP_URL is not set, so e-mail deliveries are recorded (status "logged") and nothing is sent');
  else logger.info({ smtp: new URL(config.mail.smtpUrl!).host, from: config.mail.from }, 'E-mail goes out through SMTP');
  if (channels.sms.provider === 'log') logger.warn('SMS is log only: Twilio is not configured, so SMS deliveries are recorded (status "logged") and nothing is sent');
  else logger.info({ apiBase: config.sms.apiBaseUrl ?? 'https://api.twilio.com' }, 'SMS goes out through Twilio');

  const dispatcher = new DeliveryDispatcher(orm, config, logger, channels);
  dispatcher.start();

  const firing = { orm, runner, logger };
  const pollingIntervalSeconds = Math.max(0.5, config.delivery.pollMs / 1000);
  for (let i = 0; i < 2; i++) {
    await boss.work<OccurrenceJob>(OCCURRENCE_QUEUE, { batchSize: 100, pollingIntervalSeconds }, async (jobs) => {
      await fireOccurrences(firing, jobs.map((j) => j.data.occurrenceId));
      dispatcher.kick();
    });
    // A part is one transaction of up to FANOUT_CHUNK_SIZE recipients (tens of milliseconds): a few per poll.
    await boss.work<FanOutJob>(FANOUT_QUEUE, { batchSize: 5, pollingIntervalSeconds }, async (jobs) => {
      for (const job of jobs) await fanOutChunkDeliverer({ orm, runner }, job.data.chunkId);
      dispatcher.kick();
    });
  }

  const sweep = async () => {
    const ids = await overdueOccurrences(orm.em.fork(), config.delivery.sweepGraceSeconds);
    if (ids.length) {
      logger.warn({ count: ids.length }, 're-offering overdue reminder occurrences');
      await boss.insert(ids.map((occurrenceId) => ({ name: OCCURRENCE_QUEUE, data: { occurrenceId } })));
    }
    const parts = await reofferLostChunks(orm.em.fork(), boss, config.delivery.sweepGraceSeconds);
    if (parts) logger.warn({ count: parts }, 're-offering parts of notification fan-outs whose job was lost');
    return ids.length + parts;
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
    })());
  return { boss, dispatcher, channels, sweep, stop };
}
