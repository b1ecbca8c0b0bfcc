import type { ConversationDTO, ConversationRole } from '../../../shared/chat.js';
import { conversationStream } from '../../../shared/chat.js';
import { GROUP_MEMBER_LIMIT } from '../../../shared/schemas/chat.js';
import { userStream } from '../../../shared/realtime.js';
import { badRequest, conflict, notFound } from '../../errors.js';
import { pgArray } from '../../db/sql.js';
import { requireGroupManager, requireMayChangeRoles, requireMayLeave, requireMayRemove, requireMembership } from '../../policies/conversation.js';
import { conversationForMember, conversationForMembers, listMembers } from '../../queries/chat.js';
import { appendEvent, appendEvents, type CommandContext } from '../context.js';
import { systemMessageCreator } from './systemMessages.js';

async function requireActiveUsers(cx: CommandContext, userIds: string[]) {
  const rows = await cx.em.execute<{ id: string }[]>(`SELECT id::text AS id FROM users WHERE id = ANY(?::bigint[]) AND active`, [pgArray(userIds)]);
  if (rows.length !== userIds.length) throw badRequest('Some users do not exist or are deactivated', [{ path: 'userIds', message: 'unknown or deactivated user', code: 'unknown_user' }]);
}

async function insertMembers(cx: CommandContext, conversationId: string, members: { userId: string; role: ConversationRole }[]) {
  if (!members.length) return;
  await cx.em.execute(
    `INSERT INTO conversation_members (conversation_id, user_id, role, joined_at, last_read_message_id)
     SELECT ?, u.user_id, u.role, now(), (SELECT last_message_id FROM conversations WHERE id = ?)
     FROM unnest(?::bigint[], ?::text[]) AS u(user_id, role) ON CONFLICT DO NOTHING`,
    [conversationId, conversationId, pgArray(members.map((m) => m.userId)), pgArray(members.map((m) => m.role))],
  );
  await refreshMemberCount(cx, conversationId);
}

async function refreshMemberCount(cx: CommandContext, conversationId: string) {
  await cx.em.execute(`UPDATE conversations SET member_count = (SELECT count(*) FROM conversation_members WHERE conversation_id = ?) WHERE id = ?`, [conversationId, conversationId]);
}

/** Tells each new member's devices, each with the conversation as they see it: three statements for a group of any size. */
async function announceJoined(cx: CommandContext, conversationId: string, userIds: string[]) {
  const seen = await conversationForMembers(cx.em, conversationId, userIds);
  await appendEvents(
    cx,
    userIds.map((userId) => ({ stream: userStream(userId), type: 'conversation.joined' as const, data: { conversation: seen.get(userId)! } })),
  );
}

/** Tells a member whose role changed what they may now do (the conversation as they see it). */
async function announceChanged(cx: CommandContext, conversationId: string, userId: string) {
  const conversation = (await conversationForMember(cx.em, conversationId, userId))!;
  await appendEvent(cx, userStream(userId), 'conversation.changed', { conversation });
}

/** Returns the direct conversation of the actor and another user, creating it the first time. */
export async function directConversationOpener(cx: CommandContext, otherId: string): Promise<{ conversation: ConversationDTO; created: boolean }> {
  const actorId = cx.actor.id;
  if (otherId === actorId) throw badRequest('A direct conversation needs another user', [{ path: 'userId', message: 'is yourself', code: 'yourself' }]);
  await requireActiveUsers(cx, [otherId]);
  const key = [actorId, otherId].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)).join(':');
  const [inserted] = await cx.em.execute<{ id: string }[]>(
    `INSERT INTO conversations (kind, direct_key, created_by_id, created_at, last_message_at, member_count)
     VALUES ('direct', ?, ?, now(), now(), 2) ON CONFLICT (direct_key) DO NOTHING RETURNING id::text AS id`,
    [key, actorId],
  );
  if (!inserted) {
    const [existing] = await cx.em.execute<{ id: string }[]>(`SELECT id::text AS id FROM conversations WHERE direct_key = ?`, [key]);
    return { conversation: (await conversationForMember(cx.em, existing.id, actorId))!, created: false };
  }
  await insertMembers(cx, inserted.id, [
    { userId: actorId, role: 'member' },
    { userId: otherId, role: 'member' },
  ]);
  await announceJoined(cx, inserted.id, [actorId, otherId]);
  return { conversation: (await conversationForMember(cx.em, inserted.id, actorId))!, created: true };
}

/** Creates a group with the actor as owner. */
export async function groupCreator(cx: CommandContext, input: { name: string; memberIds: string[] }): Promise<ConversationDTO> {
  const actorId = cx.actor.id;
  const others = [...new Set(input.memberIds)].filter((id) => id !== actorId);
  if (others.length + 1 > GROUP_MEMBER_LIMIT) throw badRequest(`A group has at most ${GROUP_MEMBER_LIMIT} members`);
  await requireActiveUsers(cx, others);
  const [row] = await cx.em.execute<{ id: string }[]>(
    `INSERT INTO conversations (kind, name, created_by_id, created_at, last_message_at, member_count) VALUES ('group', ?, ?, now(), now(), 0) RETURNING id::text AS id`,
    [input.name, actorId],
  );
  await insertMembers(cx, row.id, [{ userId: actorId, role: 'owner' }, ...others.map((userId) => ({ userId, role: 'member' as const }))]);
  await systemMessageCreator(cx, row.id, { action: 'created', actorId, userIds: others, name: input.name });
  await cx.em.execute(`UPDATE conversation_members SET last_read_message_id = (SELECT last_message_id FROM conversations WHERE id = ?) WHERE conversation_id = ?`, [row.id, row.id]);
  await announceJoined(cx, row.id, [actorId, ...others]);
  return (await conversationForMember(cx.em, row.id, actorId))!;
}

/** Adds members to a group (owners and admins). */
export async function membersAdder(cx: CommandContext, conversationId: string, userIds: string[]) {
  const actorId = cx.actor.id;
  const membership = await requireMembership(cx.em, conversationId, actorId);
  requireGroupManager(membership);
  const wanted = [...new Set(userIds)];
  await requireActiveUsers(cx, wanted);
  const existing = new Set((await cx.em.execute<{ user_id: string }[]>(`SELECT user_id::text AS user_id FROM conversation_members WHERE conversation_id = ?`, [conversationId])).map((r) => r.user_id));
  const added = wanted.filter((id) => !existing.has(id));
  if (existing.size + added.length > GROUP_MEMBER_LIMIT) throw badRequest(`A group has at most ${GROUP_MEMBER_LIMIT} members`);
  if (!added.length) return listMembers(cx.em, conversationId);
  await systemMessageCreator(cx, conversationId, { action: 'added', actorId, userIds: added });
  await insertMembers(cx, conversationId, added.map((userId) => ({ userId, role: 'member' as const })));
  const members = (await listMembers(cx.em, conversationId)).filter((m) => added.includes(m.id));
  await appendEvent(cx, conversationStream(conversationId), 'member.added', { conversationId, members });
  await pushConversationUpdated(cx, conversationId);
  await announceJoined(cx, conversationId, added);
  return listMembers(cx.em, conversationId);
}

async function pushConversationUpdated(cx: CommandContext, conversationId: string) {
  const [c] = await cx.em.execute<{ name: string | null; member_count: number }[]>(`SELECT name, member_count FROM conversations WHERE id = ?`, [conversationId]);
  await appendEvent(cx, conversationStream(conversationId), 'conversation.updated', { conversationId, name: c.name, memberCount: c.member_count });
}

async function dropMember(cx: CommandContext, conversationId: string, userId: string) {
  await cx.em.execute(`DELETE FROM conversation_members WHERE conversation_id = ? AND user_id = ?`, [conversationId, userId]);
  await refreshMemberCount(cx, conversationId);
  await appendEvent(cx, conversationStream(conversationId), 'member.removed', { conversationId, userIds: [userId] });
  await appendEvent(cx, userStream(userId), 'conversation.left', { conversationId });
  cx.sockets.recheckAccess({ users: [userId] });
}

/** Removes a member (owners and admins; an admin cannot remove an owner). Removing oneself is leaving. */
export async function memberRemover(cx: CommandContext, conversationId: string, userId: string) {
  const actorId = cx.actor.id;
  if (userId === actorId) return conversationLeaver(cx, conversationId);
  const membership = await requireMembership(cx.em, conversationId, actorId);
  requireGroupManager(membership);
  const [target] = await cx.em.execute<{ role: ConversationRole }[]>(`SELECT role FROM conversation_members WHERE conversation_id = ? AND user_id = ?`, [conversationId, userId]);
  if (!target) throw notFound('The member');
  requireMayRemove(membership, target.role);
  await systemMessageCreator(cx, conversationId, { action: 'removed', actorId, userIds: [userId] });
  await dropMember(cx, conversationId, userId);
  await pushConversationUpdated(cx, conversationId);
}

/** Leaves a group; the last owner leaving hands ownership to the longest-standing admin, else member. */
export async function conversationLeaver(cx: CommandContext, conversationId: string) {
  const actorId = cx.actor.id;
  const membership = await requireMembership(cx.em, conversationId, actorId);
  requireMayLeave(membership);
  await systemMessageCreator(cx, conversationId, { action: 'left', actorId, userIds: [actorId] });
  await dropMember(cx, conversationId, actorId);
  if (membership.role === 'owner') {
    const [owners] = await cx.em.execute<{ n: string }[]>(`SELECT count(*) AS n FROM conversation_members WHERE conversation_id = ? AND role = 'owner'`, [conversationId]);
    if (Number(owners.n) === 0) {
      const [heir] = await cx.em.execute<{ user_id: string }[]>(
        `SELECT user_id::text AS user_id FROM conversation_members WHERE conversation_id = ?
         ORDER BY CASE role WHEN 'admin' THEN 0 ELSE 1 END, joined_at, user_id LIMIT 1`,
        [conversationId],
      );
      if (heir) {
        await cx.em.execute(`UPDATE conversation_members SET role = 'owner' WHERE conversation_id = ? AND user_id = ?`, [conversationId, heir.user_id]);
        await systemMessageCreator(cx, conversationId, { action: 'ownerChanged', actorId, userIds: [heir.user_id] });
        await appendEvent(cx, conversationStream(conversationId), 'member.roleChanged', { conversationId, userId: heir.user_id, role: 'owner' });
        await announceChanged(cx, conversationId, heir.user_id);
      }
    }
  }
  await pushConversationUpdated(cx, conversationId);
}

/** Renames a group (owners and admins). */
export async function groupRenamer(cx: CommandContext, conversationId: string, name: string) {
  const membership = await requireMembership(cx.em, conversationId, cx.actor.id);
  requireGroupManager(membership);
  await cx.em.execute(`UPDATE conversations SET name = ? WHERE id = ?`, [name, conversationId]);
  await systemMessageCreator(cx, conversationId, { action: 'renamed', actorId: cx.actor.id, name });
  await pushConversationUpdated(cx, conversationId);
  return (await conversationForMember(cx.em, conversationId, cx.actor.id))!;
}

/** Makes a member an admin or back (owners only). */
export async function memberRoleSetter(cx: CommandContext, conversationId: string, userId: string, role: 'admin' | 'member') {
  const membership = await requireMembership(cx.em, conversationId, cx.actor.id);
  requireMayChangeRoles(membership);
  const updated = await cx.em.execute(`UPDATE conversation_members SET role = ? WHERE conversation_id = ? AND user_id = ? AND role <> 'owner' RETURNING user_id`, [role, conversationId, userId]);
  if (!updated.length) throw conflict('That user is not a member, or is an owner');
  await appendEvent(cx, conversationStream(conversationId), 'member.roleChanged', { conversationId, userId, role });
  await announceChanged(cx, conversationId, userId);
  return listMembers(cx.em, conversationId);
}
