import { Migration } from '@mikro-orm/migrations';

/**
 * A reply's fan-out still to do (its notifications, the trackers' unread events, the replier's read
 * position): a row is inserted by the statement that stores the reply and deleted by the transaction
 * that does the fan-out, right after the reply's commit, so that the reply reaches its thread's viewers
 * without waiting for it — exactly once, and done by the sweep when a process died in between
 * (commands/boards/replies.ts). Written by hand: a table only SQL touches (no entity, like login_rate_limits).
 */
export class Migration20261206145938_board_reply_fanouts extends Migration {

  override name = 'Migration20261206145938_board_reply_fanouts';

  override up(): void | Promise<void> {
    this.addSql(`create table "board_reply_fanouts" ("reply_id" bigint primary key references "board_replies" ("id") on delete cascade, "created_at" timestamptz not null);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table "board_reply_fanouts";`);
  }

}
