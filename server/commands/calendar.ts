import { createHash, randomBytes } from 'node:crypto';
import type { CommandContext } from './context.js';

/** Only a link's SHA-256 is stored, so a link is shown once, when made. */
export const calendarTokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/** Makes a new private calendar link for the user, replacing (and so revoking) any earlier one; answers its secret. */
export async function calendarLinkCreator(cx: CommandContext): Promise<string> {
  const token = randomBytes(24).toString('base64url');
  await cx.em.execute(
    `INSERT INTO calendar_tokens (user_id, token_hash, created_at) VALUES (?, ?, now()) ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = now()`,
    [cx.actor.id, calendarTokenHash(token)],
  );
  return token;
}

/** Revokes the user's calendar link. */
export async function calendarLinkRevoker(cx: CommandContext): Promise<void> {
  await cx.em.execute(`DELETE FROM calendar_tokens WHERE user_id = ?`, [cx.actor.id]);
}
