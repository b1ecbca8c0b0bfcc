import { Migration } from '@mikro-orm/migrations';

/**
 * Two indexes the manager's dashboard reads through (bench:dashboard, 500-person subtree):
 * - the report status view reads each person's submitted reports of a kind over weeks (a year holds
 *   ~1.2 million daily ones); with the columns it shows in the index it is an index-only scan instead
 *   of a heap visit per report;
 * - "platinum and gold customers not contacted for N days", never contacted first: walked in that
 *   order, the first rows that pass the visibility and ownership tests end the scan instead of every
 *   such customer being sorted.
 */
export class Migration20261206145904_dashboard_indexes extends Migration {

  override name = 'Migration20261206145904_dashboard_indexes';

  override up(): void | Promise<void> {
    this.addSql(`create index "reports_status_cells_idx" on "reports" ("author_id", "kind", "period_start") include ("id", "submitted_at", "deadline_at") where "status" = 'submitted';`);
    this.addSql(`create index "customers_neglected_idx" on "customers" ("last_contact_at" asc nulls first, "tier_rank", "id") where "tier_rank" in (1, 2);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "customers_neglected_idx";`);
    this.addSql(`drop index "reports_status_cells_idx";`);
  }

}
