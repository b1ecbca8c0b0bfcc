import type { EntityManager } from '@mikro-orm/postgresql';
import type { Page } from '../../shared/dto.js';
import type { DeliveryDTO } from '../../shared/reminders.js';
import { presentDelivery, type DeliveryRow } from '../presenters/reminder.js';
import { pageOf } from './pagination.js';

/** The columns presentDelivery needs (alias `d`), ids as text. */
export const deliveryColumns = `d.id::text AS id, d.notification_id::text AS notification_id, d.occurrence_id::text AS occurrence_id, d.recipient_id::text AS recipient_id,
  d.channel, d.provider, d.address, d.status, d.provider_id, d.attempts, d.last_error, d.not_before, d.queued_at, d.sent_at, d.delivered_at, d.failed_at`;

export type OutboxItem = DeliveryDTO & { title: string; kind: string };

/** Every e-mail and SMS, newest first, filtered by status and channel (administrators). */
export async function outbox(em: EntityManager, query: { status?: string; channel?: string; before?: string; limit: number }): Promise<Page<OutboxItem>> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (query.status) (where.push('d.status = ?'), params.push(query.status));
  if (query.channel) (where.push('d.channel = ?'), params.push(query.channel));
  if (query.before) (where.push('d.id < ?'), params.push(query.before));
  const rows = await em.execute<(DeliveryRow & { title: string; kind: string })[]>(
    `SELECT ${deliveryColumns}, n.title, n.kind FROM deliveries d JOIN notifications n ON n.id = d.notification_id
     ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY d.id DESC LIMIT ?`,
    [...params, query.limit + 1],
  );
  return pageOf(rows, query.limit, (page) => page.map((r) => ({ ...presentDelivery(r), title: r.title, kind: r.kind })), (r) => String(r.id));
}
