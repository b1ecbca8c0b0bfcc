import { Migration } from '@mikro-orm/migrations';

export class Migration20261130182150_master_index extends Migration {

  override name = 'Migration20261130182150_master_index';

  override up(): void | Promise<void> {
    this.addSql(`create index "schedule_entries_master_idx" on "schedule_entries" ("master_id", "original_start") where "master_id" is not null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "schedule_entries_master_idx";`);
  }

}
