import type { EntityManager } from '@mikro-orm/postgresql';
import { badRequest, fieldProblem, notFound } from '../errors.js';

/**
 * Who may see a push subscription (a device): its owner alone, on alias `alias` of
 * `push_subscriptions`. Every read of devices (the device list, deletion) goes through it.
 */
export function pushSubscriptionVisibilityFilter(alias: string, userId: string): { sql: string; params: unknown[] } {
  return { sql: `${alias}.user_id = ?`, params: [userId] };
}

/** The device, when the user may see it; another user's is 404 (its existence is not revealed). */
export async function requireOwnPushSubscription(em: EntityManager, userId: string, id: string): Promise<void> {
  const visible = pushSubscriptionVisibilityFilter('ps', userId);
  const rows = await em.execute(`SELECT 1 FROM push_subscriptions ps WHERE ps.id = ? AND ${visible.sql}`, [id, ...visible.params]);
  if (rows.length === 0) throw notFound('The device');
}

/**
 * Push services are reached over https. The server posts to whatever URL a browser names, so plain
 * http (which would let a user aim it at services inside the network) is refused unless the
 * deployment allows it for a local push service (PUSH_ALLOW_HTTP_ENDPOINTS, development and tests).
 */
export function requireAcceptableEndpoint(endpoint: string, allowHttp: boolean): void {
  if (new URL(endpoint).protocol === 'https:' || allowHttp) return;
  throw badRequest('Push services are reached over https', [fieldProblem('endpoint', 'insecure_endpoint', 'must be an https URL')]);
}
