import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Session } from '../entities/Session.js';
import { User } from '../entities/User.js';

export const SESSION_COOKIE = 'huitong_session';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

// Tokens are base64url (createSession); anything else cannot be one and is treated as no token.
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,200}$/;

/** Starts a session for the user; returns the opaque token (only its hash is stored). */
export async function createSession(em: EntityManager, user: User, ttlMs: number, userAgent?: string): Promise<{ token: string; session: Session }> {
  const token = randomBytes(32).toString('base64url');
  const session = em.create(Session, {
    tokenHash: hashToken(token),
    user,
    expiresAt: new Date(Date.now() + ttlMs),
    userAgent: userAgent?.slice(0, 300) ?? null,
  });
  await em.flush();
  return { token, session };
}

/** The live session and its active user for a token, or null when unknown, expired or deactivated. */
export async function resolveSession(em: EntityManager, token: string | undefined | null): Promise<{ session: Session; user: User } | null> {
  if (!token || !TOKEN_SHAPE.test(token)) return null;
  const session = await em.findOne(Session, { tokenHash: hashToken(token) }, { populate: ['user'] });
  if (!session || session.expiresAt.getTime() <= Date.now() || !session.user.active) return null;
  return { session, user: session.user };
}

/** Deletes sessions of a user, optionally keeping one; returns the ids removed. */
export async function revokeUserSessions(em: EntityManager, userId: string, keepSessionId?: string): Promise<string[]> {
  const rows = await em.execute<{ id: string }[]>(
    keepSessionId
      ? `DELETE FROM sessions WHERE user_id = ? AND id <> ? RETURNING id::text AS id`
      : `DELETE FROM sessions WHERE user_id = ? RETURNING id::text AS id`,
    keepSessionId ? [userId, keepSessionId] : [userId],
  );
  return rows.map((r) => String(r.id));
}

/** Deletes one session. */
export async function revokeSession(em: EntityManager, sessionId: string): Promise<void> {
  await em.execute(`DELETE FROM sessions WHERE id = ?`, [sessionId]);
}

/** The token from `Authorization: Bearer` or, failing that, the session cookie; a malformed cookie counts as none. */
export function tokenFrom(authorization: string | undefined, cookieHeader: string | undefined): string | undefined {
  const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (bearer) return bearer;
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name !== SESSION_COOKIE) continue;
    try {
      return decodeURIComponent(rest.join('='));
    } catch {
      return undefined;
    }
  }
  return undefined;
}
