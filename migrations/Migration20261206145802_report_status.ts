import { Migration } from '@mikro-orm/migrations';

/**
 * The status views (a department's day, week and month, the dashboard's weeks) read each person's
 * submitted reports of a kind in a range. Through the unique (author, kind, period) key every one of
 * them was a visit to the report's wide row in the heap; this index covers what they read, so the
 * month grid of a 561-person subtree is an index-only range per person.
 */
export class Migration20261206145802_report_status extends Migration {

  override name = 'Migration20261206145802_report_status';

  override up(): void | Promise<void> {
    this.addSql(`create index "reports_submitted_period_idx" on "reports" ("author_id", "kind", "period_start") include ("id", "submitted_at", "deadline_at") where "status" = 'submitted';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "reports_submitted_period_idx";`);
  }

}
