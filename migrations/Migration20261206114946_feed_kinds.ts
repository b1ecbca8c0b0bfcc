import { Migration } from '@mikro-orm/migrations';

/**
 * Reports and boards each replaced the feed's kind check with their own list; whichever ran last
 * would refuse the other's items. The feed takes both.
 */
export class Migration20261206114946_feed_kinds extends Migration {
  override name = 'Migration20261206114946_feed_kinds';

  override up(): void | Promise<void> {
    this.addSql(`alter table "feed_items" drop constraint "feed_items_kind_check";`);
    this.addSql(`alter table "feed_items" add constraint "feed_items_kind_check" check ("kind" in ('entry', 'result', 'contact_record', 'comment', 'annotation', 'tier_change', 'report', 'thread'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "feed_items" drop constraint "feed_items_kind_check";`);
    this.addSql(`alter table "feed_items" add constraint "feed_items_kind_check" check ("kind" in ('entry', 'result', 'contact_record', 'comment', 'annotation', 'tier_change', 'report'));`);
  }
}
