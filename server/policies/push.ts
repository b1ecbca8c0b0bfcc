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

// The push services of the browsers people use: Chrome, Edge's Chromium, Opera, Brave, Samsung (Google's
// FCM), Firefox (Mozilla's autopush), Edge on Windows (WNS) and Safari (Apple).
const browserPushServices = [/^fcm\.googleapis\.com$/, /^android\.googleapis\.com$/, /(^|\.)push\.services\.mozilla\.com$/, /(^|\.)notify\.windows\.com$/, /(^|\.)push\.apple\.com$/];

/**
 * The server posts to whatever URL a subscription names, so it only accepts the browsers' own push
 * services over https, and origins the deployment adds (PUSH_SERVICE_ORIGINS: a local push service in
 * development and the tests): an endpoint anywhere else could aim the server at services inside the
 * network.
 */
export function requireAcceptableEndpoint(endpoint: string, extraOrigins: string[]): void {
  const url = new URL(endpoint);
  if (url.protocol === 'https:' && browserPushServices.some((host) => host.test(url.hostname))) return;
  if (extraOrigins.includes(url.origin)) return;
  throw badRequest('This is not the push service of a browser', [fieldProblem('endpoint', 'unknown_push_service', 'must be an https URL of a browser’s push service (Google, Mozilla, Microsoft, Apple)')]);
}
