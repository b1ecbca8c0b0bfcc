import type { BoardUnreadDTO, SubscriptionLevel } from '../../../shared/boards.js';
import { userStream } from '../../../shared/realtime.js';
import { requireVisibleBoard, requireVisibleThread, type VisibleThread } from '../../policies/boards.js';
import { boardUnread } from '../../queries/boardUnread.js';
import { appendEvent, type CommandContext } from '../context.js';

export type ReadResult = { threadId: string; readNumber: number; unread: BoardUnreadDTO };

/**
 * Moves the user's read position in a thread forward (never back, never past the last reply) and,
 * when it moved, tells their devices with their new unread counts for the board.
 */
export async function readPositionMover(cx: CommandContext, thread: Pick<VisibleThread, 'id' | 'boardId'>, number: number): Promise<ReadResult> {
  const { em: tx, actor } = cx;
  // One statement: the position moved (RETURNING), else the one already there (which it did not pass).
  const [position] = await tx.execute<{ moved: boolean; read_number: number }[]>(
    `WITH moved AS (
       INSERT INTO board_thread_reads (user_id, thread_id, board_id, read_number, updated_at)
       SELECT ?, t.id, t.board_id, least(?, t.last_number), now() FROM board_threads t WHERE t.id = ?
       ON CONFLICT (user_id, thread_id) DO UPDATE SET read_number = excluded.read_number, updated_at = now()
         WHERE board_thread_reads.read_number < excluded.read_number
       RETURNING read_number
     )
     SELECT EXISTS (SELECT 1 FROM moved) AS moved,
            coalesce((SELECT read_number FROM moved), (SELECT read_number FROM board_thread_reads WHERE user_id = ? AND thread_id = ?)) AS read_number`,
    [actor.id, number, thread.id, actor.id, thread.id],
  );
  const readNumber = Number(position.read_number);
  const unread = await boardUnread(tx, actor, thread.boardId);
  if (position.moved) await appendEvent(cx, userStream(actor.id), 'board.read', { boardId: thread.boardId, threadId: thread.id, readNumber, unread });
  return { threadId: thread.id, readNumber, unread };
}

/** The user has read a thread up to a reply number (what the thread page reports as it scrolls). */
export async function threadReader(cx: CommandContext, threadId: string, number: number): Promise<ReadResult> {
  const thread = await requireVisibleThread(cx.em, cx.actor, threadId);
  return readPositionMover(cx, thread, number);
}

/** "Mark the board read": its threads started until now are no longer new, and every thread the user opened there is read to its end. */
export async function boardReader(cx: CommandContext, boardId: string): Promise<BoardUnreadDTO> {
  const { em: tx, actor } = cx;
  await requireVisibleBoard(tx, actor, boardId);
  await tx.execute(
    `INSERT INTO board_subscriptions (user_id, board_id, level, read_before, updated_at) VALUES (?, ?, NULL, now(), now())
     ON CONFLICT (user_id, board_id) DO UPDATE SET read_before = now(), updated_at = now()`,
    [actor.id, boardId],
  );
  await tx.execute(
    `UPDATE board_thread_reads tr SET read_number = t.last_number, updated_at = now() FROM board_threads t
     WHERE t.id = tr.thread_id AND tr.user_id = ? AND tr.board_id = ? AND tr.read_number < t.last_number`,
    [actor.id, boardId],
  );
  const unread = await boardUnread(tx, actor, boardId);
  await appendEvent(cx, userStream(actor.id), 'board.read', { boardId, threadId: null, readNumber: null, unread });
  return unread;
}

/** The user's level for one thread, on all their devices. */
export async function threadSubscriber(cx: CommandContext, threadId: string, level: SubscriptionLevel) {
  const thread = await requireVisibleThread(cx.em, cx.actor, threadId);
  await cx.em.execute(
    `INSERT INTO board_thread_subscriptions (user_id, thread_id, level, updated_at) VALUES (?, ?, ?, now())
     ON CONFLICT (user_id, thread_id) DO UPDATE SET level = excluded.level, updated_at = now()`,
    [cx.actor.id, threadId, level],
  );
  await appendEvent(cx, userStream(cx.actor.id), 'board.subscription', { boardId: thread.boardId, threadId, level });
  return { level };
}

/** The user's level for a board (for its threads without a level of their own), on all their devices. */
export async function boardSubscriber(cx: CommandContext, boardId: string, level: SubscriptionLevel) {
  await requireVisibleBoard(cx.em, cx.actor, boardId);
  await cx.em.execute(
    `INSERT INTO board_subscriptions (user_id, board_id, level, updated_at) VALUES (?, ?, ?, now())
     ON CONFLICT (user_id, board_id) DO UPDATE SET level = excluded.level, updated_at = now()`,
    [cx.actor.id, boardId, level],
  );
  await appendEvent(cx, userStream(cx.actor.id), 'board.subscription', { boardId, threadId: null, level });
  return { level };
}
