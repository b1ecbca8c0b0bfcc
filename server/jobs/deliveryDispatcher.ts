import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Config } from '../config/env.js';
import { renderEmail, renderSms, type Locale } from '../channels/messages.js';
import { richTextToHtml, type RichTextDocument } from '../channels/richTextAdapter.js';
import { DeliveryError, type Channel, type OutgoingEmail, type OutgoingSms } from '../channels/types.js';

type Claimed = {
  id: string;
  channel: 'email' | 'sms';
  address: string;
  attempts: number;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  urgent: boolean;
  locale: Locale;
  note: unknown;
};

type Outcome = { id: string; status: 'sent' | 'logged' | 'failed' | 'queued'; provider: string; provider_id: string | null; error: string | null; not_before: string | null };

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
    private readonly channels: { email: Channel<OutgoingEmail>; sms: Channel<OutgoingSms> },
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
         RETURNING d.id, d.channel, d.address, d.attempts, d.notification_id
       )
       SELECT c.id::text AS id, c.channel, c.address, c.attempts, n.kind, n.title, n.body, n.link, n.urgent, u.locale, coalesce(r.note, an.body) AS note
       FROM claimed c JOIN notifications n ON n.id = c.notification_id JOIN users u ON u.id = n.recipient_id
       LEFT JOIN reminders r ON n.kind = 'reminder' AND r.id = (n.data->>'reminderId')::bigint
       -- An announcement's e-mail carries its whole text (a head's notice about their people does not).
       LEFT JOIN announcements an ON n.kind = 'announcement' AND n.data->>'event' IS DISTINCT FROM 'head'
         AND an.id = CASE WHEN n.data->>'announcementId' ~ '^[1-9][0-9]{0,17}$' THEN (n.data->>'announcementId')::bigint END`,
      [this.config.delivery.claimSeconds, this.config.delivery.batchSize],
    );
    if (rows.length === 0) return 0;
    const outcomes = await Promise.all(rows.map((row) => this.sendOne(row)));
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

  private async sendOne(row: Claimed): Promise<Outcome> {
    const channel = row.channel === 'email' ? this.channels.email : this.channels.sms;
    const url = this.config.publicUrl + (row.link?.startsWith('/') ? row.link : '/notifications');
    const input = { locale: row.locale, title: row.title, body: row.body, url, kind: row.kind, urgent: row.urgent, bodyHtml: row.note ? richTextToHtml(row.note as RichTextDocument) : null };
    try {
      const result =
        row.channel === 'email'
          ? await this.channels.email.send({ to: row.address, ...renderEmail(input), messageId: `<delivery-${row.id}@${new URL(this.config.publicUrl).hostname}>` })
          : await this.channels.sms.send({ to: row.address, body: renderSms(input), statusCallback: `${this.config.publicUrl}/webhooks/twilio/status` });
      const status = channel.provider === 'log' ? 'logged' : 'sent';
      return { id: row.id, status, provider: channel.provider, provider_id: result.providerId, error: null, not_before: null };
    } catch (error) {
      const failure = error instanceof DeliveryError ? error : new DeliveryError(String((error as Error)?.message ?? error), false);
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
