import type { PushSubscribeInput } from '../../../shared/schemas/push.js';
import { requireAcceptableEndpoint, requireOwnPushSubscription } from '../../policies/push.js';
import type { CommandContext } from '../context.js';

/**
 * Subscribes the browser of this sign-in to push. A browser has one subscription per server, so
 * its endpoint names the device: subscribing again (new keys, another name, another user signed in
 * on a shared browser) takes the row over rather than adding a second device.
 */
export async function pushSubscriber(cx: CommandContext, sessionId: string, input: PushSubscribeInput, extraServiceOrigins: string[]): Promise<string> {
  requireAcceptableEndpoint(input.endpoint, extraServiceOrigins);
  const [row] = await cx.em.execute<{ id: string }[]>(
    `INSERT INTO push_subscriptions (user_id, session_id, endpoint, p256dh, auth, label, created_at) VALUES (?, ?, ?, ?, ?, ?, now())
     ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id, session_id = excluded.session_id, p256dh = excluded.p256dh, auth = excluded.auth, label = excluded.label,
       created_at = CASE WHEN push_subscriptions.user_id = excluded.user_id THEN push_subscriptions.created_at ELSE excluded.created_at END,
       last_success_at = CASE WHEN push_subscriptions.user_id = excluded.user_id THEN push_subscriptions.last_success_at END
     RETURNING id::text AS id`,
    [cx.actor.id, sessionId, input.endpoint, input.keys.p256dh, input.keys.auth, input.label],
  );
  return row.id;
}

/** Removes one of the user's devices (pushes already planned for it fail as "removed"). */
export async function pushUnsubscriber(cx: CommandContext, id: string): Promise<void> {
  await requireOwnPushSubscription(cx.em, cx.actor.id, id);
  await cx.em.execute(`DELETE FROM push_subscriptions WHERE id = ?`, [id]);
}
