import type { EntityManager } from '@mikro-orm/postgresql';
import type { PushDeviceDTO } from '../../shared/push.js';
import { pushSubscriptionVisibilityFilter } from '../policies/push.js';
import { presentPushDevice, type PushDeviceRow } from '../presenters/push.js';

/** The user's subscribed devices, newest first (a handful by nature, so the list comes whole). */
export async function pushDevices(em: EntityManager, userId: string, ids?: string[]): Promise<PushDeviceDTO[]> {
  const visible = pushSubscriptionVisibilityFilter('ps', userId);
  const rows = await em.execute<PushDeviceRow[]>(
    `SELECT ps.id::text AS id, ps.label, ps.endpoint, ps.created_at, ps.last_success_at FROM push_subscriptions ps
     WHERE ${visible.sql} ${ids ? 'AND ps.id = ANY(?::bigint[])' : ''} ORDER BY ps.id DESC`,
    ids ? [...visible.params, `{${ids.join(',')}}`] : visible.params,
  );
  return rows.map(presentPushDevice);
}
