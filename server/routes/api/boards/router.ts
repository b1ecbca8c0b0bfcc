import Router from '@koa/router';
import {
  auditQuerySchema,
  boardCreateSchema,
  boardUpdateSchema,
  reactionSchema,
  readPositionSchema,
  repliesQuerySchema,
  replyCreateSchema,
  replyModerationSchema,
  replyUpdateSchema,
  subscriptionSchema,
  threadCreateSchema,
  threadListQuerySchema,
  threadModerationSchema,
  threadUpdateSchema,
} from '../../../../shared/schemas/boards.js';
import { boardCreator, boardUpdater } from '../../../commands/boards/boards.js';
import { threadModerator, replyModerator } from '../../../commands/boards/moderation.js';
import { authorLookup, reactor } from '../../../commands/boards/reactions.js';
import { boardReader, boardSubscriber, threadReader, threadSubscriber } from '../../../commands/boards/reading.js';
import { fanOutReply, replyCreator, replyDeleter, replyEditor } from '../../../commands/boards/replies.js';
import { threadCreator, threadEditor } from '../../../commands/boards/threads.js';
import { notFound } from '../../../errors.js';
import { boardExportHeader, boardExportRows } from '../../../exports/boards.js';
import { csvDownloadHeaders, csvStream } from '../../../exports/csv.js';
import { requireVisibleBoard, requireVisibleReply, requireVisibleThread } from '../../../policies/boards.js';
import { boardAuditLog } from '../../../queries/boardAudit.js';
import { replyDetail, threadReplies } from '../../../queries/boardReplies.js';
import { boardDetail, boardThreads, listBoards, threadDetail } from '../../../queries/boards.js';
import { boardUnreadCounts } from '../../../queries/boardUnread.js';
import type { AppContext, AppDeps } from '../../context.js';
import { idParam, route } from '../../route.js';

const P = '/api/boards';

/** Boards, threads, replies, reading positions, subscriptions, reactions, moderation and the board audit log. */
export function boardsRouter(_deps: AppDeps) {
  const router = new Router({ prefix: P });
  const names = { id: 'The board', threadId: 'The thread', replyId: 'The reply' } as const;
  for (const [name, what] of Object.entries(names)) {
    router.param(name, async (value, _ctx, next) => {
      if (!idParam.safeParse(value).success) throw notFound(what);
      return next();
    });
  }
  const board = async (ctx: AppContext, id: string) => {
    const found = await boardDetail(ctx.state.em, ctx.state.user!, id);
    if (!found) throw notFound('The board');
    return found;
  };
  const thread = async (ctx: AppContext, id: string) => {
    const found = await threadDetail(ctx.state.em, ctx.state.user!, id);
    if (!found) throw notFound('The thread');
    return found;
  };
  const reply = async (ctx: AppContext, id: string) => {
    const { thread: visible } = await requireVisibleReply(ctx.state.em, ctx.state.user!, id);
    const found = await replyDetail(ctx.state.em, ctx.state.user!, id, visible.standing.moderates);
    if (!found) throw notFound('The reply');
    return found;
  };

  route(router, P, { method: 'get', path: '/', summary: 'The board index: every board the user sees, with unread counts', tag: 'boards', access: 'user' }, async ({ ctx, user }) => listBoards(ctx.state.em, user));
  route(router, P, { method: 'post', path: '/', summary: 'Create a board with its openness and roles (administrators)', tag: 'boards', access: 'admin', body: boardCreateSchema, status: 201 }, async ({ ctx, run, body }) =>
    board(ctx, await run((cx) => boardCreator(cx, body))),
  );
  route(router, P, { method: 'get', path: '/unread', summary: 'Unread and new thread counts of every board the user sees', tag: 'boards', access: 'user' }, async ({ ctx, user }) => [
    ...(await boardUnreadCounts(ctx.state.em, user)).values(),
  ]);
  route(router, P, { method: 'get', path: '/audit', summary: 'Who looked up the author of an anonymous thread or reply, newest first (administrators)', tag: 'boards', access: 'admin', query: auditQuerySchema }, async ({ ctx, query }) =>
    boardAuditLog(ctx.state.em, query),
  );

  route(router, P, { method: 'get', path: '/threads/:threadId', summary: 'One thread with its opening post, the user’s read position and abilities', tag: 'boards', access: 'user' }, async ({ ctx, params }) => thread(ctx, params.threadId));
  route(router, P, { method: 'patch', path: '/threads/:threadId', summary: 'Change one’s thread: title, opening post, customer link (the author)', tag: 'boards', access: 'user', body: threadUpdateSchema }, async ({ ctx, run, params, body }) => {
    await run((cx) => threadEditor(cx, params.threadId, body));
    return thread(ctx, params.threadId);
  });
  route(router, P, { method: 'get', path: '/threads/:threadId/replies', summary: 'A page of a thread’s replies after or before a reply number', tag: 'boards', access: 'user', query: repliesQuerySchema }, async ({ ctx, user, params, query }) =>
    threadReplies(ctx.state.em, user, await requireVisibleThread(ctx.state.em, user, params.threadId), query),
  );
  route(router, P, { method: 'post', path: '/threads/:threadId/replies', summary: 'Reply in a thread, optionally quoting a reply of it (mentions notify)', tag: 'boards', access: 'user', body: replyCreateSchema, status: 201 }, async ({ ctx, run, params, body }) => {
    const { replyId, moderates } = await run((cx) => replyCreator(cx, params.threadId, body));
    await fanOutReply(run, replyId, ctx.deps.logger);
    // The reply as its author sees it; the command checked the thread and their standing on its board.
    const found = await replyDetail(ctx.state.em, ctx.state.user!, replyId, moderates);
    if (!found) throw notFound('The reply');
    return found;
  });
  route(router, P, { method: 'post', path: '/threads/:threadId/read', summary: 'The user has read the thread up to a reply number (synced to their devices)', tag: 'boards', access: 'user', body: readPositionSchema }, async ({ run, params, body }) =>
    run((cx) => threadReader(cx, params.threadId, body.number)),
  );
  route(router, P, { method: 'put', path: '/threads/:threadId/subscription', summary: 'The user’s level for a thread: watching, tracking, normal or muted', tag: 'boards', access: 'user', body: subscriptionSchema }, async ({ run, params, body }) =>
    run((cx) => threadSubscriber(cx, params.threadId, body.level)),
  );
  route(router, P, { method: 'post', path: '/threads/:threadId/moderation', summary: 'Pin, lock, hide (with a reason) or move a thread (moderators)', tag: 'boards', access: 'user', body: threadModerationSchema }, async ({ ctx, run, params, body }) => {
    await run((cx) => threadModerator(cx, params.threadId, body));
    return thread(ctx, params.threadId);
  });
  route(router, P, { method: 'post', path: '/threads/:threadId/reactions', summary: 'Add or take back a reaction to a thread’s opening post', tag: 'boards', access: 'user', body: reactionSchema }, async ({ ctx, run, params, body }) => {
    await run((cx) => reactor(cx, { threadId: params.threadId, replyId: null }, body));
    return thread(ctx, params.threadId);
  });
  route(router, P, { method: 'post', path: '/threads/:threadId/author-lookup', summary: 'Who wrote an anonymous thread (administrators; the lookup is logged)', tag: 'boards', access: 'admin' }, async ({ run, params }) =>
    run((cx) => authorLookup(cx, { threadId: params.threadId, replyId: null })),
  );

  route(router, P, { method: 'get', path: '/replies/:replyId', summary: 'One reply (404 when its thread or the reply is hidden from the user)', tag: 'boards', access: 'user' }, async ({ ctx, params }) => reply(ctx, params.replyId));
  route(router, P, { method: 'patch', path: '/replies/:replyId', summary: 'Change one’s reply (the author)', tag: 'boards', access: 'user', body: replyUpdateSchema }, async ({ ctx, run, params, body }) => {
    await run((cx) => replyEditor(cx, params.replyId, body));
    return reply(ctx, params.replyId);
  });
  route(router, P, { method: 'delete', path: '/replies/:replyId', summary: 'Delete one’s reply; a “deleted” marker keeps its place (the author)', tag: 'boards', access: 'user' }, async ({ ctx, run, params }) => {
    await run((cx) => replyDeleter(cx, params.replyId));
    return reply(ctx, params.replyId);
  });
  route(router, P, { method: 'post', path: '/replies/:replyId/moderation', summary: 'Hide a reply with a reason for its author, or show it again (moderators)', tag: 'boards', access: 'user', body: replyModerationSchema }, async ({ ctx, run, params, body }) => {
    await run((cx) => replyModerator(cx, params.replyId, body));
    return reply(ctx, params.replyId);
  });
  route(router, P, { method: 'post', path: '/replies/:replyId/reactions', summary: 'Add or take back a reaction to a reply', tag: 'boards', access: 'user', body: reactionSchema }, async ({ ctx, run, params, body }) => {
    await run((cx) => reactor(cx, { replyId: params.replyId }, body));
    return reply(ctx, params.replyId);
  });
  route(router, P, { method: 'post', path: '/replies/:replyId/author-lookup', summary: 'Who wrote an anonymous reply (administrators; the lookup is logged)', tag: 'boards', access: 'admin' }, async ({ run, params }) =>
    run((cx) => authorLookup(cx, { replyId: params.replyId })),
  );

  route(router, P, { method: 'get', path: '/:id', summary: 'One board, with its roles for administrators', tag: 'boards', access: 'user' }, async ({ ctx, params }) => board(ctx, params.id));
  route(router, P, { method: 'patch', path: '/:id', summary: 'Change a board: settings, openness, roles (administrators)', tag: 'boards', access: 'admin', body: boardUpdateSchema }, async ({ ctx, run, params, body }) => {
    await run((cx) => boardUpdater(cx, params.id, body));
    return board(ctx, params.id);
  });
  route(router, P, { method: 'get', path: '/:id/threads', summary: 'A board’s threads the user sees: pinned first, then by last activity, with unread markers', tag: 'boards', access: 'user', query: threadListQuerySchema }, async ({ ctx, user, params, query }) =>
    boardThreads(ctx.state.em, user, params.id, await requireVisibleBoard(ctx.state.em, user, params.id), query),
  );
  route(router, P, { method: 'post', path: '/:id/threads', summary: 'Start a thread (rich text; optionally anonymous or linked to a customer)', tag: 'boards', access: 'user', body: threadCreateSchema, status: 201 }, async ({ ctx, run, params, body }) =>
    thread(ctx, await run((cx) => threadCreator(cx, params.id, body))),
  );
  route(router, P, { method: 'post', path: '/:id/read', summary: 'Mark a board read: no thread of it is new or unread any more', tag: 'boards', access: 'user' }, async ({ run, params }) => run((cx) => boardReader(cx, params.id)));
  route(router, P, { method: 'put', path: '/:id/subscription', summary: 'The user’s level for a board (its threads without a level of their own)', tag: 'boards', access: 'user', body: subscriptionSchema }, async ({ run, params, body }) =>
    run((cx) => boardSubscriber(cx, params.id, body.level)),
  );
  route(router, P, { method: 'get', path: '/:id/export', summary: 'The board’s threads the user sees as a CSV file (UTF-8 with BOM; formula-like cells neutralised)', tag: 'boards', access: 'user', envelope: false }, async ({ ctx, user, params, run }) => {
    await requireVisibleBoard(ctx.state.em, user, params.id);
    await run((cx) => cx.audit({ action: 'export.csv', targetType: 'board', targetId: params.id, data: { export: 'board_threads' } }));
    ctx.set(csvDownloadHeaders(`board-${params.id}-${new Date().toISOString().slice(0, 10)}.csv`));
    return csvStream(boardExportHeader(user.locale), boardExportRows(ctx.state.em, user, params.id));
  });
  return router;
}
