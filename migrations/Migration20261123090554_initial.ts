import { Migration } from '@mikro-orm/migrations';

export class Migration20261123090554_initial extends Migration {

  override name = 'Migration20261123090554_initial';

  override up(): void | Promise<void> {
    this.addSql(`create table "departments" ("id" bigserial primary key, "name" varchar(120) not null, "parent_id" bigint null, "created_at" timestamptz not null);`);
    this.addSql(`create index "departments_parent_id_index" on "departments" ("parent_id");`);

    this.addSql(`create table "stream_events" ("stream" varchar(80) not null, "seq" bigint not null, "type" varchar(60) not null, "payload" jsonb not null, "created_at" timestamptz not null, primary key ("stream", "seq"));`);

    this.addSql(`create table "stream_heads" ("stream" varchar(80) not null, "last_seq" bigint not null default '0', primary key ("stream"));`);

    this.addSql(`create table "users" ("id" bigserial primary key, "email" varchar(254) not null, "display_name" varchar(100) not null, "password_hash" varchar(255) not null, "locale" text not null default 'zh-CN', "time_zone" varchar(64) not null default 'Asia/Shanghai', "mobile" varchar(16) null, "department_id" bigint not null, "role" text not null default 'member', "active" boolean not null default true, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql(`alter table "users" add constraint "users_email_unique" unique ("email");`);
    this.addSql(`create index "users_department_id_index" on "users" ("department_id");`);

    this.addSql(`create table "sessions" ("id" bigserial primary key, "token_hash" varchar(64) not null, "user_id" bigint not null, "expires_at" timestamptz not null, "created_at" timestamptz not null, "user_agent" varchar(300) null);`);
    this.addSql(`alter table "sessions" add constraint "sessions_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "sessions_user_id_index" on "sessions" ("user_id");`);

    this.addSql(`create table "notifications" ("id" bigserial primary key, "recipient_id" bigint not null, "kind" varchar(40) not null, "title" varchar(200) not null, "body" text not null default '', "link" varchar(500) null, "data" jsonb null, "urgent" boolean not null default false, "read_at" timestamptz null, "created_at" timestamptz not null);`);
    this.addSql(`create index "notifications_recipient_id_idx" on "notifications" ("recipient_id", "id");`);

    this.addSql(`create table "department_managers" ("department_id" bigint not null, "user_id" bigint not null, primary key ("department_id", "user_id"));`);
    // Written by hand: "which departments does this user manage" runs on every superior/subordinate lookup.
    this.addSql(`create index "department_managers_user_id_idx" on "department_managers" ("user_id");`);
    // Written by hand: the unread badge counts only unread rows of one recipient.
    this.addSql(`create index "notifications_unread_idx" on "notifications" ("recipient_id") where "read_at" is null;`);

    this.addSql(`alter table "departments" add constraint "departments_parent_id_foreign" foreign key ("parent_id") references "departments" ("id") on delete restrict;`);

    this.addSql(`alter table "users" add constraint "users_department_id_foreign" foreign key ("department_id") references "departments" ("id") on delete restrict;`);
    this.addSql(`alter table "users" add constraint "users_locale_check" check ("locale" in ('zh-CN', 'en'));`);
    this.addSql(`alter table "users" add constraint "users_role_check" check ("role" in ('admin', 'member'));`);

    this.addSql(`alter table "sessions" add constraint "sessions_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);

    this.addSql(`alter table "notifications" add constraint "notifications_recipient_id_foreign" foreign key ("recipient_id") references "users" ("id") on delete cascade;`);

    this.addSql(`alter table "department_managers" add constraint "department_managers_department_id_foreign" foreign key ("department_id") references "departments" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "department_managers" add constraint "department_managers_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "departments" drop constraint "departments_parent_id_foreign";`);
    this.addSql(`alter table "users" drop constraint "users_department_id_foreign";`);
    this.addSql(`alter table "department_managers" drop constraint "department_managers_department_id_foreign";`);
    this.addSql(`alter table "sessions" drop constraint "sessions_user_id_foreign";`);
    this.addSql(`alter table "notifications" drop constraint "notifications_recipient_id_foreign";`);
    this.addSql(`alter table "department_managers" drop constraint "department_managers_user_id_foreign";`);

    this.addSql(`drop table if exists "departments" cascade;`);
    this.addSql(`drop table if exists "stream_events" cascade;`);
    this.addSql(`drop table if exists "stream_heads" cascade;`);
    this.addSql(`drop table if exists "users" cascade;`);
    this.addSql(`drop table if exists "sessions" cascade;`);
    this.addSql(`drop table if exists "notifications" cascade;`);
    this.addSql(`drop table if exists "department_managers" cascade;`);
  }

}
