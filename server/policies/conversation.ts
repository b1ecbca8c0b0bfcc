import type { EntityManager } from '@mikro-orm/postgresql';
import type { ConversationRole } from '../../shared/chat.js';
import { ConversationMember } from '../entities/ConversationMember.js';
import { forbidden, notFound } from '../errors.js';
import { registerStreamPolicy } from '../realtime/streamPolicies.js';
import { preparedStatement } from '../db/prepared.js';

/** The user's membership of a conversation, or null when they are not a member. */
export async function findMembership(em: EntityManager, conversationId: string, userId: string): Promise<ConversationMember | null> {
  return em.findOne(ConversationMember, { conversation: conversationId, user: userId }, { populate: ['conversation'] });
}

/** The membership, or a 404 that does not reveal whether the conversation exists. */
export async function requireMembership(em: EntityManager, conversationId: string, userId: string): Promise<ConversationMember> {
  const membership = await findMembership(em, conversationId, userId);
  if (!membership) throw notFound('The conversation');
  return membership;
}

export type MemberRow = { role: ConversationRole; kind: 'direct' | 'group'; name: string | null };

const memberRowStatement = preparedStatement<MemberRow>(
  'chat.memberRow',
  `SELECT cm.role, c.kind, c.name FROM conversation_members cm JOIN conversations c ON c.id = cm.conversation_id
   WHERE cm.conversation_id = ? AND cm.user_id = ?`,
);

/**
 * The same check as requireMembership (a 404 that does not reveal whether the conversation
 * exists), as one plain query returning the member's role and the conversation's kind and name:
 * for the hot paths (sending, typing, reading history), where loading entities through the ORM
 * cost more than everything else of the request.
 */
export async function requireMemberRow(em: EntityManager, conversationId: string, userId: string): Promise<MemberRow> {
  const [row] = await memberRowStatement(em, [conversationId, userId]);
  if (!row) throw notFound('The conversation');
  return row;
}

/** Owners and admins manage members and the name of a group. */
export function requireGroupManager(membership: ConversationMember) {
  if (membership.conversation.kind !== 'group') throw forbidden('Direct conversations have no members to manage');
  if (membership.role === 'member') throw forbidden('Only the owners and admins of the group may do this');
}

registerStreamPolicy('conversation', async (em, user, id) => (await em.count(ConversationMember, { conversation: id, user: user.id })) > 0);
