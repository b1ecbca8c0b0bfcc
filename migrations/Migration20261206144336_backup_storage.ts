import { Migration } from '@mikro-orm/migrations';

/** Where a backup's archive is kept: the backup directory, or the files' S3 bucket (`backups/`) when files are on S3. */

export class Migration20261206144336_backup_storage extends Migration {

  override name = 'Migration20261206144336_backup_storage';

  override up(): void | Promise<void> {
    this.addSql(`alter table "backups" add "storage" text not null default 'local';`);
    this.addSql(`alter table "backups" add constraint "backups_storage_check" check ("storage" in ('local', 's3'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "backups" drop constraint "backups_storage_check";`);
    this.addSql(`alter table "backups" drop column "storage";`);
  }

}
