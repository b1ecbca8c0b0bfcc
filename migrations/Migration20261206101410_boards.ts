import { Migration } from '@mikro-orm/migrations';

/**
 * Discussion boards (docs/boards.md). Generated from the entities, plus by hand: the list orders
 * with their directions (pinned first, latest activity first), the poster's own-threads order, the
 * new-thread window, one reaction per kind and person (NULLS NOT DISTINCT: the opening post has no
 * reply id), "a user or a department" on a grant, and the append-only rule of board_audit.
 */
export class Migration20261206101410_boards extends Migration {

  override name = 'Migration20261206101410_boards';

  override up(): void | Promise<void> {
    this.addSql(`create table "board_audit" ("id" bigserial primary key, "actor_id" bigint not null, "action" varchar(60) not null, "target_type" varchar(30) not null, "target_id" bigint not null, "data" jsonb not null, "created_at" timestamptz not null);`);
    this.addSql(`create index "board_audit_target_idx" on "board_audit" ("target_type", "target_id");`);

    this.addSql(`create table "boards" ("id" bigserial primary key, "name" varchar(100) not null, "description" text not null default '', "category" varchar(60) null, "position" int not null default 0, "openness" text not null, "read_only" boolean not null default false, "allow_anonymous" boolean not null default false, "everyone_posts" boolean not null default true, "created_by_id" bigint not null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);

    this.addSql(`create table "board_threads" ("id" bigserial primary key, "board_id" bigint not null, "author_id" bigint not null, "anonymous" boolean not null default false, "title" varchar(200) not null, "body" jsonb not null, "text" text not null default '', "customer_id" bigint null, "pinned" boolean not null default false, "locked" boolean not null default false, "hidden_at" timestamptz null, "hidden_reason" varchar(500) null, "hidden_by_id" bigint null, "created_at" timestamptz not null, "edited_at" timestamptz null, "last_activity_at" timestamptz not null, "last_number" int not null default 0, "last_replier_id" bigint null, "last_reply_anonymous" boolean not null default false);`);
    this.addSql(`create index "board_threads_customer_idx" on "board_threads" ("customer_id");`);

    this.addSql(`create table "board_thread_subscriptions" ("user_id" bigint not null, "thread_id" bigint not null, "level" text not null, "updated_at" timestamptz not null, primary key ("user_id", "thread_id"));`);
    this.addSql(`create index "board_thread_subscriptions_thread_idx" on "board_thread_subscriptions" ("thread_id", "level");`);

    this.addSql(`create table "board_thread_reads" ("user_id" bigint not null, "thread_id" bigint not null, "board_id" bigint not null, "read_number" int not null default 0, "updated_at" timestamptz not null, primary key ("user_id", "thread_id"));`);
    this.addSql(`create index "board_thread_reads_user_board_idx" on "board_thread_reads" ("user_id", "board_id");`);

    this.addSql(`create table "board_replies" ("id" bigserial primary key, "thread_id" bigint not null, "number" int not null, "author_id" bigint not null, "anonymous" boolean not null default false, "body" jsonb null, "text" text not null default '', "quote_id" bigint null, "created_at" timestamptz not null, "edited_at" timestamptz null, "deleted_at" timestamptz null, "hidden_at" timestamptz null, "hidden_reason" varchar(500) null, "hidden_by_id" bigint null);`);
    this.addSql(`alter table "board_replies" add constraint "board_replies_thread_number_unique" unique ("thread_id", "number");`);

    this.addSql(`create table "board_reactions" ("id" bigserial primary key, "thread_id" bigint not null, "reply_id" bigint null, "user_id" bigint not null, "reaction" varchar(20) not null, "created_at" timestamptz not null);`);

    this.addSql(`create table "board_subscriptions" ("user_id" bigint not null, "board_id" bigint not null, "level" text null, "read_before" timestamptz null, "updated_at" timestamptz not null, primary key ("user_id", "board_id"));`);
    this.addSql(`create index "board_subscriptions_board_idx" on "board_subscriptions" ("board_id", "level");`);

    this.addSql(`create table "board_access" ("id" bigserial primary key, "board_id" bigint not null, "role" text not null, "user_id" bigint null, "department_id" bigint null);`);
    this.addSql(`create index "board_access_user_idx" on "board_access" ("user_id");`);
    this.addSql(`create index "board_access_department_idx" on "board_access" ("department_id");`);
    this.addSql(`alter table "board_access" add constraint "board_access_user_unique" unique ("board_id", "role", "user_id");`);
    this.addSql(`alter table "board_access" add constraint "board_access_department_unique" unique ("board_id", "role", "department_id");`);

    this.addSql(`alter table "feed_items" drop constraint "feed_items_kind_check";`);
    this.addSql(`alter table "feed_items" add "thread_id" bigint null;`);
    this.addSql(`alter table "feed_items" add constraint "feed_items_thread_id_foreign" foreign key ("thread_id") references "board_threads" ("id") on delete cascade;`);
    this.addSql(`create index "feed_items_thread_idx" on "feed_items" ("thread_id");`);
    this.addSql(`alter table "feed_items" add constraint "feed_items_kind_check" check ("kind" in ('entry', 'result', 'contact_record', 'comment', 'annotation', 'tier_change', 'thread'));`);

    this.addSql(`alter table "board_audit" add constraint "board_audit_actor_id_foreign" foreign key ("actor_id") references "users" ("id") on delete restrict;`);

    this.addSql(`alter table "boards" add constraint "boards_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on delete restrict;`);
    this.addSql(`alter table "boards" add constraint "boards_openness_check" check ("openness" in ('open', 'semi_open', 'closed'));`);

    this.addSql(`alter table "board_threads" add constraint "board_threads_board_id_foreign" foreign key ("board_id") references "boards" ("id") on delete restrict;`);
    this.addSql(`alter table "board_threads" add constraint "board_threads_author_id_foreign" foreign key ("author_id") references "users" ("id") on delete restrict;`);
    this.addSql(`alter table "board_threads" add constraint "board_threads_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on delete set null;`);
    this.addSql(`alter table "board_threads" add constraint "board_threads_hidden_by_id_foreign" foreign key ("hidden_by_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "board_threads" add constraint "board_threads_last_replier_id_foreign" foreign key ("last_replier_id") references "users" ("id") on delete set null;`);

    this.addSql(`alter table "board_thread_subscriptions" add constraint "board_thread_subscriptions_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "board_thread_subscriptions" add constraint "board_thread_subscriptions_thread_id_foreign" foreign key ("thread_id") references "board_threads" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "board_thread_subscriptions" add constraint "board_thread_subscriptions_level_check" check ("level" in ('watching', 'tracking', 'normal', 'muted'));`);

    this.addSql(`alter table "board_thread_reads" add constraint "board_thread_reads_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "board_thread_reads" add constraint "board_thread_reads_thread_id_foreign" foreign key ("thread_id") references "board_threads" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "board_replies" add constraint "board_replies_thread_id_foreign" foreign key ("thread_id") references "board_threads" ("id") on delete cascade;`);
    this.addSql(`alter table "board_replies" add constraint "board_replies_author_id_foreign" foreign key ("author_id") references "users" ("id") on delete restrict;`);
    this.addSql(`alter table "board_replies" add constraint "board_replies_quote_id_foreign" foreign key ("quote_id") references "board_replies" ("id") on delete set null;`);
    this.addSql(`alter table "board_replies" add constraint "board_replies_hidden_by_id_foreign" foreign key ("hidden_by_id") references "users" ("id") on delete set null;`);

    this.addSql(`alter table "board_reactions" add constraint "board_reactions_thread_id_foreign" foreign key ("thread_id") references "board_threads" ("id") on delete cascade;`);
    this.addSql(`alter table "board_reactions" add constraint "board_reactions_reply_id_foreign" foreign key ("reply_id") references "board_replies" ("id") on delete cascade;`);
    this.addSql(`alter table "board_reactions" add constraint "board_reactions_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);

    this.addSql(`alter table "board_subscriptions" add constraint "board_subscriptions_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "board_subscriptions" add constraint "board_subscriptions_board_id_foreign" foreign key ("board_id") references "boards" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "board_subscriptions" add constraint "board_subscriptions_level_check" check ("level" in ('watching', 'tracking', 'normal', 'muted'));`);

    this.addSql(`alter table "board_access" add constraint "board_access_board_id_foreign" foreign key ("board_id") references "boards" ("id") on delete cascade;`);
    this.addSql(`alter table "board_access" add constraint "board_access_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "board_access" add constraint "board_access_department_id_foreign" foreign key ("department_id") references "departments" ("id") on delete cascade;`);
    this.addSql(`alter table "board_access" add constraint "board_access_role_check" check ("role" in ('moderator', 'viewer', 'member', 'poster'));`);

    this.addSql(`alter table "board_access" add constraint "board_access_grantee_check" check (("user_id" is null) <> ("department_id" is null));`);
    this.addSql(`create index "board_threads_list_idx" on "board_threads" ("board_id", "pinned" desc, "last_activity_at" desc, "id" desc);`);
    this.addSql(`create index "board_threads_author_idx" on "board_threads" ("author_id", "board_id", "pinned" desc, "last_activity_at" desc, "id" desc);`);
    this.addSql(`create index "board_threads_created_idx" on "board_threads" ("board_id", "created_at");`);
    this.addSql(`create unique index "board_reactions_unique" on "board_reactions" ("thread_id", "reply_id", "user_id", "reaction") nulls not distinct;`);
    this.addSql(`create index "board_reactions_reply_idx" on "board_reactions" ("reply_id");`);
    this.addSql(`create index "board_replies_quote_idx" on "board_replies" ("quote_id") where "quote_id" is not null;`);
    this.addSql(`
      create function board_audit_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'board_audit is append-only';
      end $$;`);
    this.addSql(`create trigger "board_audit_append_only" before update or delete on "board_audit" for each row execute function board_audit_append_only();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "board_audit_append_only" on "board_audit";`);
    this.addSql(`drop function if exists board_audit_append_only();`);
    this.addSql(`alter table "board_threads" drop constraint "board_threads_board_id_foreign";`);
    this.addSql(`alter table "board_subscriptions" drop constraint "board_subscriptions_board_id_foreign";`);
    this.addSql(`alter table "board_access" drop constraint "board_access_board_id_foreign";`);
    this.addSql(`alter table "feed_items" drop constraint "feed_items_thread_id_foreign";`);
    this.addSql(`alter table "board_thread_subscriptions" drop constraint "board_thread_subscriptions_thread_id_foreign";`);
    this.addSql(`alter table "board_thread_reads" drop constraint "board_thread_reads_thread_id_foreign";`);
    this.addSql(`alter table "board_replies" drop constraint "board_replies_thread_id_foreign";`);
    this.addSql(`alter table "board_reactions" drop constraint "board_reactions_thread_id_foreign";`);
    this.addSql(`alter table "board_replies" drop constraint "board_replies_quote_id_foreign";`);
    this.addSql(`alter table "board_reactions" drop constraint "board_reactions_reply_id_foreign";`);

    this.addSql(`drop table if exists "board_audit" cascade;`);
    this.addSql(`drop table if exists "boards" cascade;`);
    this.addSql(`drop table if exists "board_threads" cascade;`);
    this.addSql(`drop table if exists "board_thread_subscriptions" cascade;`);
    this.addSql(`drop table if exists "board_thread_reads" cascade;`);
    this.addSql(`drop table if exists "board_replies" cascade;`);
    this.addSql(`drop table if exists "board_reactions" cascade;`);
    this.addSql(`drop table if exists "board_subscriptions" cascade;`);
    this.addSql(`drop table if exists "board_access" cascade;`);

    this.addSql(`drop index "feed_items_thread_idx";`);
    this.addSql(`alter table "feed_items" drop constraint "feed_items_kind_check";`);
    this.addSql(`alter table "feed_items" drop column "thread_id";`);
    this.addSql(`alter table "feed_items" add constraint "feed_items_kind_check" check ("kind" in ('entry', 'result', 'contact_record', 'comment', 'annotation', 'tier_change'));`);
  }

}
