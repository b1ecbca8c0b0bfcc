import type { EntityManager } from '@mikro-orm/postgresql';
import type { StreamKind } from '../../shared/realtime.js';
import { isId } from '../../shared/schemas/common.js';
import type { User } from '../entities/User.js';
import { memberConversations } from './conversation.js';
import { visibleCustomers } from './customers.js';
import { readableReports } from './reports.js';
import { ledgerAnnouncements } from './announcements.js';
import { boardsReadInFull, visibleThreads } from './boards.js';

/** Of the ids of one kind's streams, those the user may follow (read and join the room of): one query for all of them. */
export type StreamPolicy = (em: EntityManager, user: User, ids: string[]) => Promise<Set<string>>;

/**
 * Who may follow which stream — every kind of stream is registered here, and only here. A kind in
 * the shared StreamEventMap without a policy does not compile. A socket's stream rooms are a cache
 * of these answers: a command that changes an input of a policy (a membership, a setting, the
 * hierarchy) calls `cx.sockets.recheckAccess` so that sockets leave what they may no longer follow.
 */
const streamPolicies: Record<StreamKind, StreamPolicy> = {
  user: async (_em, user, ids) => new Set(ids.filter((id) => id === user.id)),
  conversation: (em, user, ids) => memberConversations(em, user.id, ids),
  customer: (em, user, ids) => visibleCustomers(em, user, ids),
  report: (em, user, ids) => readableReports(em, user, ids),
  announcement: (em, user, ids) => ledgerAnnouncements(em, user, ids),
  board: (em, user, ids) => boardsReadInFull(em, user, ids),
  thread: (em, user, ids) => visibleThreads(em, user, ids),
};

/** The kind and id of a stream's name (`conversation:42`), or null when it names no stream (such as a socket's `session:7` room). */
export function parseStream(stream: string): { kind: StreamKind; id: string } | null {
  const match = /^([a-z]+):([1-9]\d{0,18})$/.exec(stream);
  if (!match || !isId(match[2]) || !Object.hasOwn(streamPolicies, match[1])) return null;
  return { kind: match[1] as StreamKind, id: match[2] };
}

/** The streams (`conversation:42`, …) the user may follow: one query per kind of stream asked about, not per stream. */
export async function followableStreams(em: EntityManager, user: User, streams: Iterable<string>): Promise<Set<string>> {
  const idsByKind = new Map<StreamKind, string[]>();
  for (const stream of streams) {
    const parsed = parseStream(stream);
    if (!parsed) continue;
    idsByKind.set(parsed.kind, [...(idsByKind.get(parsed.kind) ?? []), parsed.id]);
  }
  const allowed = new Set<string>();
  await Promise.all(
    [...idsByKind].map(async ([kind, ids]) => {
      for (const id of await streamPolicies[kind](em, user, ids)) allowed.add(`${kind}:${id}`);
    }),
  );
  return allowed;
}
