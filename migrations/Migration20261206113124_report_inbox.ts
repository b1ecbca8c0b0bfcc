import { Migration } from '@mikro-orm/migrations';

/**
 * The inbox of reports is what was sent to one, newest first: the report's submission time is copied
 * onto each receiver so that an inbox page is one range of an index, whatever the number of reports;
 * the members and heads of a department copied in become receivers too (`cc_department`); one's reads
 * are indexed by reader for the inbox's unread markers.
 */
export class Migration20261206113124_report_inbox extends Migration {

  override name = 'Migration20261206113124_report_inbox';

  override up(): void | Promise<void> {
    this.addSql(`alter table "report_receivers" drop constraint "report_receivers_role_check";`);
    this.addSql(`alter table "report_receivers" add "submitted_at" timestamptz null;`);
    this.addSql(`create index "report_receivers_inbox_idx" on "report_receivers" ("user_id", "submitted_at" desc, "report_id" desc);`);
    this.addSql(`alter table "report_receivers" add constraint "report_receivers_role_check" check ("role" in ('superior', 'cc', 'cc_department'));`);

    this.addSql(`create index "report_reads_user_idx" on "report_reads" ("user_id", "report_id");`);
    this.addSql(`update "report_receivers" v set "submitted_at" = r."submitted_at" from "reports" r where r."id" = v."report_id";`);
  }

  override down(): void | Promise<void> {
    this.addSql(`delete from "report_receivers" where "role" = 'cc_department';`);
    this.addSql(`drop index "report_reads_user_idx";`);

    this.addSql(`drop index "report_receivers_inbox_idx";`);
    this.addSql(`alter table "report_receivers" drop constraint "report_receivers_role_check";`);
    this.addSql(`alter table "report_receivers" drop column "submitted_at";`);
    this.addSql(`alter table "report_receivers" add constraint "report_receivers_role_check" check ("role" in ('superior', 'cc'));`);
  }

}
