import type { EntityManager } from '@mikro-orm/postgresql';
import type { ConversationDTO, ConversationRole } from '../../../shared/chat.js';
import { conversationStream } from '../../../shared/chat.js';
import { GROUP_MEMBER_LIMIT } from '../../../shared/schemas/chat.js';
import { userStream } from '../../../shared/realtime.js';
import { badRequest, conflict, forbidden, notFound } from '../../errors.js';
import { pgArray } from '../../db/sql.js';
import { requireGroupManager, requireMembership } from '../../policies/conversation.js';
import { conversationForMember, listMembers } from '../../queries/chat.js';
import { appendStreamEvent } from '../../realtime/streams.js';
import type { PendingEvents } from '../transaction.js';
import { systemMessageCreator } from './systemMessages.js';

/** Side effects a transport applies after commit: sockets that must leave a conversation's room. */
export type RoomChanges = { left: { userId: string; conversationId: string }[] };

async function requireActiveUsers(tx: EntityManager, userIds: string[]) {
  const rows = await tx.execute<{ id: string }[]>(`SELECT id::text AS id FROM users WHERE id = ANY(?::bigint[]) AND active`, [pgArray(userIds)]);
  if (rows.length !== userIds.length) throw badRequest('Some users do not exist or are deactivated', [{ path: 'userIds', message: 'unknown or deactivated user' }]);
}

async function insertMembers(tx: EntityManager, conversationId: string, members: { userId: string; role: ConversationRole }[]) {
  if (!members.length) return;
  await tx.execute(
    `INSERT INTO conversation_members (conversation_id, user_id, role, joined_at, last_read_message_id)
     SELECT ?, u.user_id, u.role, now(), (SELECT last_message_id FROM conversations WHERE id = ?)
     FROM unnest(?::bigint[], ?::text[]) AS u(user_id, role) ON CONFLICT DO NOTHING`,
    [conversationId, conversationId, pgArray(members.map((m) => m.userId)), pgArray(members.map((m) => m.role))],
  );
  await refreshMemberCount(tx, conversationId);
}

async function refreshMemberCount(tx: EntityManager, conversationId: string) {
  await tx.execute(`UPDATE conversations SET member_count = (SELECT count(*) FROM conversation_members WHERE conversation_id = ?) WHERE id = ?`, [conversationId, conversationId]);
}

async function announceJoined(tx: EntityManager, events: PendingEvents, conversationId: string, userIds: string[]) {
  for (const userId of userIds) {
    const conversation = (await conversationForMember(tx, conversationId, userId))!;
    events.push(await appendStreamEvent(tx, userStream(userId), 'conversation.joined', { conversation }));
  }
}

/** Returns the direct conversation of two users, creating it the first time. */
export async function directConversationOpener(tx: EntityManager, events: PendingEvents, actorId: string, otherId: string): Promise<{ conversation: ConversationDTO; created: boolean }> {
  if (otherId === actorId) throw badRequest('A direct conversation needs another user', [{ path: 'userId', message: 'is yourself' }]);
  await requireActiveUsers(tx, [otherId]);
  const key = [actorId, otherId].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)).join(':');
  const [inserted] = await tx.execute<{ id: string }[]>(
    `INSERT INTO conversations (kind, direct_key, created_by_id, created_at, last_message_at, member_count)
     VALUES ('direct', ?, ?, now(), now(), 2) ON CONFLICT (direct_key) DO NOTHING RETURNING id::text AS id`,
    [key, actorId],
  );
  if (!inserted) {
    const [existing] = await tx.execute<{ id: string }[]>(`SELECT id::text AS id FROM conversations WHERE direct_key = ?`, [key]);
    return { conversation: (await conversationForMember(tx, existing.id, actorId))!, created: false };
  }
  await insertMembers(tx, inserted.id, [
    { userId: actorId, role: 'member' },
    { userId: otherId, role: 'member' },
  ]);
  await announceJoined(tx, events, inserted.id, [actorId, otherId]);
  return { conversation: (await conversationForMember(tx, inserted.id, actorId))!, created: true };
}

/** Creates a group with the actor as owner. */
export async function groupCreator(tx: EntityManager, events: PendingEvents, actorId: string, input: { name: string; memberIds: string[] }): Promise<ConversationDTO> {
  const others = [...new Set(input.memberIds)].filter((id) => id !== actorId);
  if (others.length + 1 > GROUP_MEMBER_LIMIT) throw badRequest(`A group has at most ${GROUP_MEMBER_LIMIT} members`);
  await requireActiveUsers(tx, others);
  const [row] = await tx.execute<{ id: string }[]>(
    `INSERT INTO conversations (kind, name, created_by_id, created_at, last_message_at, member_count) VALUES ('group', ?, ?, now(), now(), 0) RETURNING id::text AS id`,
    [input.name, actorId],
  );
  await insertMembers(tx, row.id, [{ userId: actorId, role: 'owner' }, ...others.map((userId) => ({ userId, role: 'member' as const }))]);
  await systemMessageCreator(tx, events, row.id, { action: 'created', actorId, userIds: others, name: input.name });
  await tx.execute(`UPDATE conversation_members SET last_read_message_id = (SELECT last_message_id FROM conversations WHERE id = ?) WHERE conversation_id = ?`, [row.id, row.id]);
  await announceJoined(tx, events, row.id, [actorId, ...others]);
  return (await conversationForMember(tx, row.id, actorId))!;
}

/** Adds members to a group (owners and admins). */
export async function membersAdder(tx: EntityManager, events: PendingEvents, actorId: string, conversationId: string, userIds: string[]) {
  const membership = await requireMembership(tx, conversationId, actorId);
  requireGroupManager(membership);
  const wanted = [...new Set(userIds)];
  await requireActiveUsers(tx, wanted);
  const existing = new Set((await tx.execute<{ user_id: string }[]>(`SELECT user_id::text AS user_id FROM conversation_members WHERE conversation_id = ?`, [conversationId])).map((r) => r.user_id));
  const added = wanted.filter((id) => !existing.has(id));
  if (existing.size + added.length > GROUP_MEMBER_LIMIT) throw badRequest(`A group has at most ${GROUP_MEMBER_LIMIT} members`);
  if (!added.length) return listMembers(tx, conversationId);
  await systemMessageCreator(tx, events, conversationId, { action: 'added', actorId, userIds: added });
  await insertMembers(tx, conversationId, added.map((userId) => ({ userId, role: 'member' as const })));
  const members = (await listMembers(tx, conversationId)).filter((m) => added.includes(m.id));
  events.push(await appendStreamEvent(tx, conversationStream(conversationId), 'member.added', { conversationId, members }));
  await pushConversationUpdated(tx, events, conversationId);
  await announceJoined(tx, events, conversationId, added);
  return listMembers(tx, conversationId);
}

async function pushConversationUpdated(tx: EntityManager, events: PendingEvents, conversationId: string) {
  const [c] = await tx.execute<{ name: string | null; member_count: number }[]>(`SELECT name, member_count FROM conversations WHERE id = ?`, [conversationId]);
  events.push(await appendStreamEvent(tx, conversationStream(conversationId), 'conversation.updated', { conversationId, name: c.name, memberCount: c.member_count }));
}

async function dropMember(tx: EntityManager, events: PendingEvents, conversationId: string, userId: string, rooms: RoomChanges) {
  await tx.execute(`DELETE FROM conversation_members WHERE conversation_id = ? AND user_id = ?`, [conversationId, userId]);
  await refreshMemberCount(tx, conversationId);
  events.push(await appendStreamEvent(tx, conversationStream(conversationId), 'member.removed', { conversationId, userIds: [userId] }));
  events.push(await appendStreamEvent(tx, userStream(userId), 'conversation.left', { conversationId }));
  rooms.left.push({ userId, conversationId });
}

/** Removes a member (owners and admins; an admin cannot remove an owner). Removing oneself is leaving. */
export async function memberRemover(tx: EntityManager, events: PendingEvents, actorId: string, conversationId: string, userId: string, rooms: RoomChanges) {
  if (userId === actorId) return conversationLeaver(tx, events, actorId, conversationId, rooms);
  const membership = await requireMembership(tx, conversationId, actorId);
  requireGroupManager(membership);
  const [target] = await tx.execute<{ role: ConversationRole }[]>(`SELECT role FROM conversation_members WHERE conversation_id = ? AND user_id = ?`, [conversationId, userId]);
  if (!target) throw notFound('The member');
  if (target.role === 'owner' && membership.role !== 'owner') throw forbidden('Only an owner may remove another owner');
  await systemMessageCreator(tx, events, conversationId, { action: 'removed', actorId, userIds: [userId] });
  await dropMember(tx, events, conversationId, userId, rooms);
  await pushConversationUpdated(tx, events, conversationId);
}

/** Leaves a group; the last owner leaving hands ownership to the longest-standing admin, else member. */
export async function conversationLeaver(tx: EntityManager, events: PendingEvents, actorId: string, conversationId: string, rooms: RoomChanges) {
  const membership = await requireMembership(tx, conversationId, actorId);
  if (membership.conversation.kind !== 'group') throw forbidden('You cannot leave a direct conversation');
  await systemMessageCreator(tx, events, conversationId, { action: 'left', actorId, userIds: [actorId] });
  await dropMember(tx, events, conversationId, actorId, rooms);
  if (membership.role === 'owner') {
    const [owners] = await tx.execute<{ n: string }[]>(`SELECT count(*) AS n FROM conversation_members WHERE conversation_id = ? AND role = 'owner'`, [conversationId]);
    if (Number(owners.n) === 0) {
      const [heir] = await tx.execute<{ user_id: string }[]>(
        `SELECT user_id::text AS user_id FROM conversation_members WHERE conversation_id = ?
         ORDER BY CASE role WHEN 'admin' THEN 0 ELSE 1 END, joined_at, user_id LIMIT 1`,
        [conversationId],
      );
      if (heir) {
        await tx.execute(`UPDATE conversation_members SET role = 'owner' WHERE conversation_id = ? AND user_id = ?`, [conversationId, heir.user_id]);
        await systemMessageCreator(tx, events, conversationId, { action: 'ownerChanged', actorId, userIds: [heir.user_id] });
        events.push(await appendStreamEvent(tx, conversationStream(conversationId), 'member.roleChanged', { conversationId, userId: heir.user_id, role: 'owner' }));
      }
    }
  }
  await pushConversationUpdated(tx, events, conversationId);
}

/** Renames a group (owners and admins). */
export async function groupRenamer(tx: EntityManager, events: PendingEvents, actorId: string, conversationId: string, name: string) {
  const membership = await requireMembership(tx, conversationId, actorId);
  requireGroupManager(membership);
  await tx.execute(`UPDATE conversations SET name = ? WHERE id = ?`, [name, conversationId]);
  await systemMessageCreator(tx, events, conversationId, { action: 'renamed', actorId, name });
  await pushConversationUpdated(tx, events, conversationId);
  return (await conversationForMember(tx, conversationId, actorId))!;
}

/** Makes a member an admin or back (owners only). */
export async function memberRoleSetter(tx: EntityManager, events: PendingEvents, actorId: string, conversationId: string, userId: string, role: 'admin' | 'member') {
  const membership = await requireMembership(tx, conversationId, actorId);
  requireGroupManager(membership);
  if (membership.role !== 'owner') throw forbidden('Only an owner may change roles');
  const updated = await tx.execute(`UPDATE conversation_members SET role = ? WHERE conversation_id = ? AND user_id = ? AND role <> 'owner' RETURNING user_id`, [role, conversationId, userId]);
  if (!updated.length) throw conflict('That user is not a member, or is an owner');
  events.push(await appendStreamEvent(tx, conversationStream(conversationId), 'member.roleChanged', { conversationId, userId, role }));
  return listMembers(tx, conversationId);
}
