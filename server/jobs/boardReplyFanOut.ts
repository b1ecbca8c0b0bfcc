import type { MikroORM } from '@mikro-orm/postgresql';
import type { CommandRunner } from '../commands/context.js';
import { replyFanOut } from '../commands/boards/replies.js';
import { User } from '../entities/User.js';

/**
 * Replies whose fan-out was not done long after they were stored — the process that stored them died
 * between the reply's commit and its fan-out (see replyFanOut), or the fan-out failed — fanned out now,
 * oldest first, each in its own transaction as its replier. A fan-out running right now holds its row
 * and is skipped. Returns how many were done.
 */
export async function fanOutLostReplies(deps: { orm: MikroORM; runner: CommandRunner }, graceSeconds: number): Promise<number> {
  const lost = await deps.orm.em.fork().execute<{ reply_id: string; author_id: string }[]>(
    `SELECT f.reply_id::text AS reply_id, r.author_id::text AS author_id FROM board_reply_fanouts f JOIN board_replies r ON r.id = f.reply_id
     WHERE f.created_at < now() - make_interval(secs => ?) ORDER BY f.reply_id LIMIT 500`,
    [graceSeconds],
  );
  let done = 0;
  for (const row of lost) {
    const em = deps.orm.em.fork();
    const replier = await em.findOneOrFail(User, String(row.author_id));
    if (await deps.runner.run(em, replier, (cx) => replyFanOut(cx, String(row.reply_id)))) done++;
  }
  return done;
}
