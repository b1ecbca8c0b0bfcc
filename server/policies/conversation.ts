import type { EntityManager } from '@mikro-orm/postgresql';
import type { ConversationDTO, ConversationRole, MessageDTO } from '../../shared/chat.js';
import { mayChangeMessage } from '../../shared/chat.js';
import { ConversationMember } from '../entities/ConversationMember.js';
import { conflict, forbidden, notFound } from '../errors.js';
import { preparedStatement } from '../db/prepared.js';
import { pgArray } from '../db/sql.js';
import type { User } from '../entities/User.js';
import type { SqlFilter } from './customers.js';

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

type Membership = { role: ConversationRole; kind: 'direct' | 'group' };
const membershipOf = (m: ConversationMember | Membership): Membership => ('conversation' in m ? { role: m.role as ConversationRole, kind: m.conversation.kind as 'direct' | 'group' } : m);

/** What a member may do with a conversation: the `can` of its DTO, and the checks below. */
export function conversationAbilities(m: Membership): ConversationDTO['can'] {
  const group = m.kind === 'group';
  const manager = group && m.role !== 'member';
  return { rename: manager, addMembers: manager, removeMembers: manager, removeOwners: group && m.role === 'owner', changeRoles: group && m.role === 'owner', leave: group, mentionEveryone: manager };
}

/** Only the owners and admins of a group mention everyone (@所有人): it notifies every member. */
export function requireMayMentionEveryone(membership: Membership) {
  if (!conversationAbilities(membership).mentionEveryone) throw forbidden('Only the owners and admins of a group may mention everyone');
}

/** Owners and admins manage members and the name of a group. */
export function requireGroupManager(membership: ConversationMember | Membership) {
  const m = membershipOf(membership);
  if (m.kind !== 'group') throw forbidden('Direct conversations have no members to manage');
  if (!conversationAbilities(m).rename) throw forbidden('Only the owners and admins of the group may do this');
}

/** An admin cannot remove an owner. */
export function requireMayRemove(membership: ConversationMember, targetRole: ConversationRole) {
  if (targetRole === 'owner' && !conversationAbilities(membershipOf(membership)).removeOwners) throw forbidden('Only an owner may remove another owner');
}

/** Only groups can be left. */
export function requireMayLeave(membership: ConversationMember) {
  if (!conversationAbilities(membershipOf(membership)).leave) throw forbidden('You cannot leave a direct conversation');
}

/** Owners make members admins and back. */
export function requireMayChangeRoles(membership: ConversationMember) {
  requireGroupManager(membership);
  if (!conversationAbilities(membershipOf(membership)).changeRoles) throw forbidden('Only an owner may change roles');
}

/** Only its author changes a message (text, not deleted). */
export function requireMayChangeMessage(message: { authorId: string | null; kind: MessageDTO['kind']; deleted: boolean }, userId: string) {
  if (!mayChangeMessage({ author: message.authorId ? { id: message.authorId } : null, kind: message.kind }, userId)) throw forbidden('Only the author may change a message');
  if (message.deleted) throw conflict('The message was deleted');
}

const memberConversationsStatement = preparedStatement<{ id: string }>(
  'chat.memberConversations',
  `SELECT conversation_id::text AS id FROM conversation_members WHERE user_id = ? AND conversation_id = ANY(?::bigint[])`,
);

/** Of the conversations asked about, those the user is a member of (the `conversation:<id>` stream policy). */
export async function memberConversations(em: EntityManager, userId: string, conversationIds: string[]): Promise<Set<string>> {
  const rows = await memberConversationsStatement(em, [userId, pgArray(conversationIds)]);
  return new Set(rows.map((r) => r.id));
}

/**
 * THE "who may see this message" predicate, on a column holding a message's conversation id: the
 * members of its conversation see its whole history; nobody else sees any of it (a removed member
 * stops at once). The conversations are an array computed once per statement (`= ANY(ARRAY(...))`),
 * so the condition is an index condition on the conversation, not a subplan per message. Deleted
 * messages are the caller's to exclude (they have no text). Search uses it as it is.
 */
export function messageVisibilityFilter(user: Pick<User, 'id'>, conversationColumn = 'm.conversation_id'): SqlFilter {
  return { sql: `${conversationColumn} = ANY(ARRAY(SELECT vm.conversation_id FROM conversation_members vm WHERE vm.user_id = ?))`, params: [user.id] };
}
