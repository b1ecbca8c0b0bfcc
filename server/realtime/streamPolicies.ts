import type { EntityManager } from '@mikro-orm/postgresql';
import type { User } from '../entities/User.js';
import { isId } from '../../shared/schemas/common.js';

/** Decides whether a user may follow a stream such as `conversation:42`; each feature registers its kind. */
export type StreamPolicy = (em: EntityManager, user: User, id: string) => Promise<boolean>;

const policies = new Map<string, StreamPolicy>();

/** Registers who may follow streams of one kind (the part before the colon). */
export function registerStreamPolicy(kind: string, policy: StreamPolicy) {
  policies.set(kind, policy);
}

registerStreamPolicy('user', async (_em, user, id) => user.id === id);

/** True when the user may follow (read and join the room of) the stream. */
export async function canFollowStream(em: EntityManager, user: User, stream: string): Promise<boolean> {
  const match = /^([a-z]+):([1-9]\d{0,18})$/.exec(stream);
  if (!match || !isId(match[2])) return false;
  const policy = policies.get(match[1]);
  return policy ? policy(em, user, match[2]) : false;
}
