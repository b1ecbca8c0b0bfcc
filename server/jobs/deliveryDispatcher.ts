import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Config } from '../config/env.js';
import { safeAppPath, type PushPayload } from '../../shared/pushPayload.js';
import { renderEmail, renderSms, type Locale } from '../channels/messages.js';
import { richTextToHtml, type RichTextDocument } from '../channels/richTextAdapter.js';
import { DeliveryError, SubscriptionGoneError, type Channel, type OutgoingEmail, type OutgoingPush, type OutgoingSms } from '../channels/types.js';

type Claimed = {
  id: string;
  notification_id: string;
  channel: 'email' | 'sms' | 'push';
  address: string;
  attempts: number;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  urgent: boolean;
  locale: Locale;
  note: unknown;
  push_subscription_id: string | null;
  endpoint: string | null;
  p256dh: string | null;
  auth: string | null;
};



type Outcome = { id: string; status: 'sent' | 'logged' | 'failed' | 'queued'; provider: string; provider_id: string | null; error: string | null; not_before: string | null };

// Push services take about 4 KB of payload; the notification list in the app has the rest.
const PUSH_BODY_CHARS = 500;

export type DispatchChannels = { email: Channel<OutgoingEmail>; sms: Channel<OutgoingSms>; push: Channel<OutgoingPush> };

/**
 * Sends the delivery log's queued rows. Each process polls; a batch is claimed with
 * FOR UPDATE SKIP LOCKED and a claim deadline, so two processes never send the same row and a
 * row claimed by a process that died is taken over once the claim expires. The log is the
 * queue: no second copy of the state in pg-boss that could disagree with it.
 */
export class DeliveryDispatcher {
  private running = false;
  private loops: Promise<void>[] = [];
  private wake?: () => void;

  constructor(
    private readonly orm: MikroORM,
    private readonly config: Config,
    private readonly logger: Logger,
    private readonly channels: DispatchChannels,
    private readonly loopCount = 4,
  ) {}

  /** Starts the polling loops. */
  start() {
    this.running = true;
    for (let i = 0; i < this.loopCount; i++) this.loops.push(this.loop());
  }

  /** Ends the loops after their current batch. */
  async stop() {
    this.running = false;
    this.wake?.();
    await Promise.all(this.loops);
  }

  /** Polls now instead of at the next interval (after a commit that queued deliveries). */
  kick() {
    this.wake?.();
  }

  private async loop() {
    while (this.running) {
      let claimed = 0;
      try {
        claimed = await this.dispatchBatch();
      } catch (error) {
        this.logger.error({ err: error }, 'delivery batch failed');
      }
      if (claimed < this.config.delivery.batchSize && this.running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.config.delivery.pollMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }

  /** Claims, sends and records one batch; returns how many rows it claimed. */
  async dispatchBatch(): Promise<number> {
    const em = this.orm.em.fork();
    const rows = await em.execute<Claimed[]>(
      `WITH claimed AS (
         UPDATE deliveries d SET claimed_until = now() + make_interval(secs => ?), attempts = d.attempts + 1, updated_at = now()
         FROM (SELECT id FROM deliveries WHERE status = 'queued' AND not_before <= now() AND (claimed_until IS NULL OR claimed_until < now())
               ORDER BY not_before LIMIT ? FOR UPDATE SKIP LOCKED) c
         WHERE d.id = c.id
         RETURNING d.id, d.channel, d.address, d.attempts, d.notification_id, d.push_subscription_id
       )
       SELECT c.id::text AS id, c.notification_id::text AS notification_id, c.channel, c.address, c.attempts, n.kind, n.title, n.body, n.link, n.urgent, u.locale, coalesce(r.note, an.body) AS note,
              c.push_subscription_id::text AS push_subscription_id, ps.endpoint, ps.p256dh, ps.auth
       FROM claimed c JOIN notifications n ON n.id = c.notification_id JOIN users u ON u.id = n.recipient_id
       LEFT JOIN reminders r ON n.kind = 'reminder' AND r.id = (n.data->>'reminderId')::bigint
       LEFT JOIN push_subscriptions ps ON ps.id = c.push_subscription_id
       -- An announcement's e-mail carries its whole text (a head's notice about their people does not).
       LEFT JOIN announcements an ON n.kind = 'announcement' AND n.data->>'event' IS DISTINCT FROM 'head'
         AND an.id = CASE WHEN n.data->>'announcementId' ~ '^[1-9][0-9]{0,17}$' THEN (n.data->>'announcementId')::bigint END`,
      [this.config.delivery.claimSeconds, this.config.delivery.batchSize],
    );
    if (rows.length === 0) return 0;
    const outcomes = await Promise.all(rows.map((row) => this.sendOne(row)));
    // Devices the push service no longer knows (404 / 410) are removed; those it accepted are marked reached.
    const gone = outcomes.filter((o) => o.gone).map((o) => o.subscriptionId);
    const reached = outcomes.filter((o) => o.subscriptionId && o.status === 'sent').map((o) => o.subscriptionId);
    if (gone.length || reached.length) {
      await em.execute(
        `WITH gone AS (DELETE FROM push_subscriptions WHERE id = ANY(?::bigint[]) RETURNING id)
         UPDATE push_subscriptions SET last_success_at = now() WHERE id = ANY(?::bigint[]) AND id NOT IN (SELECT id FROM gone)`,
        [`{${gone.join(',')}}`, `{${reached.join(',')}}`],
      );
    }
    await em.execute(
      `UPDATE deliveries d SET status = x.status, provider = x.provider, provider_id = COALESCE(x.provider_id, d.provider_id), last_error = x.error,
         sent_at = CASE WHEN x.status IN ('sent', 'logged') THEN now() ELSE d.sent_at END,
         failed_at = CASE WHEN x.status = 'failed' THEN now() ELSE NULL END,
         not_before = COALESCE(x.not_before, d.not_before), claimed_until = NULL, updated_at = now()
       FROM json_to_recordset(?::json) AS x(id bigint, status text, provider text, provider_id text, error text, not_before timestamptz)
       WHERE d.id = x.id AND d.status = 'queued'`,
      [JSON.stringify(outcomes)],
    );
    return rows.length;
  }

  private async sendOne(row: Claimed): Promise<Outcome & { subscriptionId?: string; gone?: boolean }> {
    const channel = this.channels[row.channel];
    const path = row.link?.startsWith('/') ? row.link : '/notifications';
    // A push opens a page of the app: its link, else the start page.
    const pushLink = safeAppPath(row.link);
    const url = this.config.publicUrl + path;
    const input = { locale: row.locale, title: row.title, body: row.body, url, kind: row.kind, urgent: row.urgent, bodyHtml: row.note ? richTextToHtml(row.note as RichTextDocument) : null };
    const subscriptionId = row.push_subscription_id ?? undefined;
    try {
      let result;
      if (row.channel === 'email') {
        result = await this.channels.email.send({ to: row.address, ...renderEmail(input), messageId: `<delivery-${row.id}@${new URL(this.config.publicUrl).hostname}>` });
      } else if (row.channel === 'sms') {
        result = await this.channels.sms.send({ to: row.address, body: renderSms(input), statusCallback: `${this.config.publicUrl}/webhooks/twilio/status` });
      } else {
        if (!row.endpoint || !row.p256dh || !row.auth) throw new DeliveryError('the device was removed before the push went out', true);
        const payload: PushPayload = { notificationId: row.notification_id, kind: row.kind, title: row.title, body: row.body.slice(0, PUSH_BODY_CHARS), link: pushLink, urgent: row.urgent };
        result = await this.channels.push.send({ endpoint: row.endpoint, keys: { p256dh: row.p256dh, auth: row.auth }, payload: JSON.stringify(payload), urgent: row.urgent });
      }
      const status = channel.provider === 'log' ? 'logged' : 'sent';
      return { id: row.id, status, provider: channel.provider, provider_id: result.providerId, error: null, not_before: null, subscriptionId };
    } catch (error) {
      const failure = error instanceof DeliveryError ? error : new DeliveryError(String((error as Error)?.message ?? error), false);
      if (failure instanceof SubscriptionGoneError) {
        this.logger.info({ deliveryId: row.id, subscriptionId, reason: failure.message }, 'push subscription gone: device removed');
        return { id: row.id, status: 'failed', provider: channel.provider, provider_id: null, error: `${failure.message} (the device was removed)`, not_before: null, subscriptionId, gone: true };
      }
      const { maxAttempts, retryBaseSeconds } = this.config.delivery;
      if (failure.permanent || row.attempts >= maxAttempts) {
        const reason = failure.permanent ? failure.message : `gave up after ${row.attempts} attempts: ${failure.message}`;
        this.logger.warn({ deliveryId: row.id, channel: row.channel, reason }, 'delivery failed');
        return { id: row.id, status: 'failed', provider: channel.provider, provider_id: null, error: reason, not_before: null };
      }
      // Exponential backoff with jitter: base, 2×base, 4×base ... (±20%), so a recovering server is not hit all at once.
      const delayMs = retryBaseSeconds * 1000 * 2 ** (row.attempts - 1) * (0.8 + Math.random() * 0.4);
      this.logger.info({ deliveryId: row.id, channel: row.channel, attempt: row.attempts, retryInMs: Math.round(delayMs), reason: failure.message }, 'delivery will be retried');
      return { id: row.id, status: 'queued', provider: channel.provider, provider_id: null, error: failure.message, not_before: new Date(Date.now() + delayMs).toISOString() };
    }
  }
}
