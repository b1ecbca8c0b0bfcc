import Router from '@koa/router';
import {
  directConversationSchema,
  groupCreateSchema,
  groupRenameSchema,
  historyQuerySchema,
  memberRoleSchema,
  membersAddSchema,
  messageEditSchema,
  messageSendSchema,
  readSchema,
} from '../../../../shared/schemas/chat.js';
import {
  conversationLeaver,
  directConversationOpener,
  groupCreator,
  groupRenamer,
  memberRemover,
  memberRoleSetter,
  membersAdder,
} from '../../../commands/chat/conversations.js';
import { messageSender } from '../../../commands/chat/send.js';
import { messageDeleter, messageEditor, readMarker } from '../../../commands/chat/messages.js';
import { notFound } from '../../../errors.js';
import { requireMemberRow, requireMembership } from '../../../policies/conversation.js';
import { conversationForMember, listConversations, listMembers, messageHistory } from '../../../queries/chat.js';
import type { AppDeps } from '../../context.js';
import { idParam, route } from '../../route.js';

const P = '/api/conversations';
// The socket events' schemas, less what the path names: HTTP and sockets validate alike.
const sendBody = messageSendSchema.omit({ conversationId: true });
const editBody = messageEditSchema.omit({ messageId: true });
const readBody = readSchema.omit({ conversationId: true });

/** Conversations, members and messages over HTTP (sockets reach the same commands). */
export function conversationsRouter(deps: AppDeps) {
  const router = new Router({ prefix: P });
  for (const name of ['id', 'messageId', 'userId']) {
    router.param(name, async (value, _ctx, next) => {
      if (!idParam.safeParse(value).success) throw notFound(name === 'userId' ? 'The member' : name === 'messageId' ? 'The message' : 'The conversation');
      return next();
    });
  }

  route(router, P, { method: 'get', path: '/', summary: 'The user’s conversations, newest activity first, with unread counts', tag: 'chat', access: 'user' }, async ({ ctx, user }) =>
    listConversations(ctx.state.em, user.id),
  );
  route(router, P, { method: 'post', path: '/direct', summary: 'The direct conversation with a user (created on first use)', tag: 'chat', access: 'user', body: directConversationSchema }, async ({ ctx, run, body }) => {
    const { conversation, created } = await run((cx) => directConversationOpener(cx, body.userId));
    ctx.status = created ? 201 : 200;
    return conversation;
  });
  route(router, P, { method: 'post', path: '/', summary: 'Create a group conversation', tag: 'chat', access: 'user', body: groupCreateSchema, status: 201 }, async ({ run, body }) =>
    run((cx) => groupCreator(cx, body)),
  );
  route(router, P, { method: 'get', path: '/:id', summary: 'One conversation', tag: 'chat', access: 'user' }, async ({ ctx, user, params }) => {
    const conversation = await conversationForMember(ctx.state.em, params.id, user.id);
    if (!conversation) throw notFound('The conversation');
    return conversation;
  });
  route(router, P, { method: 'patch', path: '/:id', summary: 'Rename a group', tag: 'chat', access: 'user', body: groupRenameSchema }, async ({ run, params, body }) =>
    run((cx) => groupRenamer(cx, params.id, body.name)),
  );
  route(router, P, { method: 'get', path: '/:id/members', summary: 'Members with roles and read positions', tag: 'chat', access: 'user' }, async ({ ctx, user, params }) => {
    await requireMembership(ctx.state.em, params.id, user.id);
    return listMembers(ctx.state.em, params.id);
  });
  route(router, P, { method: 'post', path: '/:id/members', summary: 'Add members to a group', tag: 'chat', access: 'user', body: membersAddSchema }, async ({ run, params, body }) =>
    run((cx) => membersAdder(cx, params.id, body.userIds)),
  );
  route(router, P, { method: 'patch', path: '/:id/members/:userId', summary: 'Make a member an admin or back', tag: 'chat', access: 'user', body: memberRoleSchema }, async ({ run, params, body }) =>
    run((cx) => memberRoleSetter(cx, params.id, params.userId, body.role)),
  );
  route(router, P, { method: 'delete', path: '/:id/members/:userId', summary: 'Remove a member (or leave, for oneself)', tag: 'chat', access: 'user', status: 204 }, async ({ run, params }) => {
    await run((cx) => memberRemover(cx, params.id, params.userId));
  });
  route(router, P, { method: 'post', path: '/:id/leave', summary: 'Leave a group', tag: 'chat', access: 'user', status: 204 }, async ({ run, params }) => {
    await run((cx) => conversationLeaver(cx, params.id));
  });
  route(router, P, { method: 'get', path: '/:id/messages', summary: 'History, older than `before` or newer than `after`, chronological', tag: 'chat', access: 'user', query: historyQuerySchema }, async ({ ctx, user, params, query }) => {
    await requireMemberRow(ctx.state.em, params.id, user.id);
    return messageHistory(ctx.state.em, params.id, query);
  });
  route(router, P, { method: 'post', path: '/:id/messages', summary: 'Send a message (idempotent on clientId)', tag: 'chat', access: 'user', body: sendBody }, async ({ ctx, run, user, params, body }) => {
    const result = await messageSender({ em: ctx.state.em, run, sendQueue: deps.sendQueue }, user.id, { conversationId: params.id, ...body });
    ctx.status = result.created ? 201 : 200;
    return result.message;
  });
  route(router, P, { method: 'patch', path: '/:id/messages/:messageId', summary: 'Edit one’s own message', tag: 'chat', access: 'user', body: editBody }, async ({ run, params, body }) =>
    run((cx) => messageEditor(cx, { conversationId: params.id, messageId: params.messageId, body: body.body })),
  );
  route(router, P, { method: 'delete', path: '/:id/messages/:messageId', summary: 'Delete one’s own message (a marker stays)', tag: 'chat', access: 'user' }, async ({ run, params }) =>
    run((cx) => messageDeleter(cx, { conversationId: params.id, messageId: params.messageId })),
  );
  route(router, P, { method: 'post', path: '/:id/read', summary: 'Move one’s read position forward', tag: 'chat', access: 'user', body: readBody }, async ({ run, params, body }) =>
    run((cx) => readMarker(cx, { conversationId: params.id, messageId: body.messageId })),
  );
  return router;
}
