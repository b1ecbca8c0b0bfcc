import { Migration } from '@mikro-orm/migrations';

/**
 * Operations: the audit log (append-only: a trigger refuses UPDATE and DELETE, but for the retention
 * job's deletions and the demo seed's dating of its story), the record of backups, and the restore epoch clients compare.
 */
export class Migration20261206115554_operations extends Migration {

  override name = 'Migration20261206115554_operations';

  override up(): void | Promise<void> {
    this.addSql(`create table "restore_state" ("id" serial primary key, "epoch" varchar(64) not null, "restored_at" timestamptz null, "archive" varchar(200) null);`);

    this.addSql(`create table "backups" ("id" bigserial primary key, "kind" text not null, "status" text not null, "file_name" varchar(200) null, "bytes" bigint null, "error" text null, "started_by_id" bigint null, "scheduled_for" varchar(10) null, "started_at" timestamptz not null, "finished_at" timestamptz null, "removed_at" timestamptz null);`);
    this.addSql(`alter table "backups" add constraint "backups_scheduled_for_unique" unique ("scheduled_for");`);
    this.addSql(`create index "backups_started_idx" on "backups" ("started_at");`);

    this.addSql(`create table "audit_log" ("id" bigserial primary key, "actor_id" bigint null, "action" varchar(60) not null, "target_type" varchar(30) null, "target_id" varchar(80) null, "address" varchar(64) null, "data" jsonb not null, "created_at" timestamptz not null);`);
    this.addSql(`create index "audit_log_created_idx" on "audit_log" ("created_at");`);
    this.addSql(`create index "audit_log_actor_idx" on "audit_log" ("actor_id", "created_at");`);
    this.addSql(`create index "audit_log_action_idx" on "audit_log" ("action", "created_at");`);

    this.addSql(`alter table "backups" add constraint "backups_started_by_id_foreign" foreign key ("started_by_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "backups" add constraint "backups_kind_check" check ("kind" in ('scheduled', 'manual', 'upgrade'));`);
    this.addSql(`alter table "backups" add constraint "backups_status_check" check ("status" in ('running', 'succeeded', 'failed'));`);

    this.addSql(`alter table "audit_log" add constraint "audit_log_actor_id_foreign" foreign key ("actor_id") references "users" ("id") on delete restrict;`);

    this.addSql(`
      create function audit_log_append_only() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' and current_setting('huitong.audit_retention', true) = 'on' then
          return old;
        end if;
        -- The demo seed dates what its story did (server/db/demo/dating.ts): the time alone may move.
        if tg_op = 'UPDATE' and current_setting('huitong.demo_dating', true) = 'on'
           and (new.id, new.actor_id, new.action, new.target_type, new.target_id, new.address, new.data)
               is not distinct from (old.id, old.actor_id, old.action, old.target_type, old.target_id, old.address, old.data) then
          return new;
        end if;
        raise exception 'audit_log is append-only';
      end $$;`);
    this.addSql(`create trigger "audit_log_append_only" before update or delete on "audit_log" for each row execute function audit_log_append_only();`);
    this.addSql(`insert into "restore_state" ("id", "epoch") values (1, gen_random_uuid()::text);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "audit_log_append_only" on "audit_log";`);
    this.addSql(`drop function if exists audit_log_append_only();`);
    this.addSql(`drop table if exists "restore_state" cascade;`);
    this.addSql(`drop table if exists "backups" cascade;`);
    this.addSql(`drop table if exists "audit_log" cascade;`);
  }

}
