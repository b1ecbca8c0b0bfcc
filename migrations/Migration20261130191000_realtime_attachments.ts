import { Migration } from '@mikro-orm/migrations';

/** Where @socket.io/postgres-adapter keeps packets too large for NOTIFY (REALTIME_ADAPTER=postgres). */
export class Migration20261130191000_realtime_attachments extends Migration {

  override name = 'Migration20261130191000_realtime_attachments';

  override up(): void | Promise<void> {
    this.addSql(`create table "socket_io_attachments" ("id" bigserial unique, "created_at" timestamptz default now(), "payload" bytea);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table "socket_io_attachments";`);
  }

}
