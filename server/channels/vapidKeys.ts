import type { EntityManager } from '@mikro-orm/postgresql';
import webpush from 'web-push';
import type { Config } from '../config/env.js';

export type VapidKeys = { publicKey: string; privateKey: string; source: 'environment' | 'database' };

/**
 * The server's VAPID key pair (RFC 8292), which browsers bind their push subscriptions to: the
 * environment's when set, else the one kept in `web_push_keys`, made at the first start. Several
 * processes starting at once on an empty table agree on one pair (the first insert wins, the others
 * read it), because a subscription made against one key cannot be pushed to with another.
 */
export async function loadVapidKeys(em: EntityManager, config: Pick<Config, 'webPush'>): Promise<VapidKeys> {
  const { publicKey, privateKey } = config.webPush;
  if (publicKey && privateKey) return { publicKey, privateKey, source: 'environment' };
  const made = webpush.generateVAPIDKeys();
  await em.execute(`INSERT INTO web_push_keys (id, public_key, private_key) VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING`, [made.publicKey, made.privateKey]);
  const [row] = await em.execute<{ public_key: string; private_key: string }[]>(`SELECT public_key, private_key FROM web_push_keys WHERE id = 1`);
  return { publicKey: row.public_key, privateKey: row.private_key, source: 'database' };
}
