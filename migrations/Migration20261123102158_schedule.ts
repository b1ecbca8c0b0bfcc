import { Migration } from '@mikro-orm/migrations';

export class Migration20261123102158_schedule extends Migration {

  override name = 'Migration20261123102158_schedule';

  override up(): void | Promise<void> {
    this.addSql(`create table "org_settings" ("key" varchar(60) not null, "value" jsonb not null, "updated_at" timestamptz not null, primary key ("key"));`);

    this.addSql(`create table "customers" ("id" bigserial primary key, "name" varchar(200) not null, "type" text not null, "tier" text null, "prospect_class" text null, "tier_rank" smallint not null, "address" varchar(500) not null default '', "notes" text not null default '', "last_contact_at" timestamptz null, "created_by_id" bigint not null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql(`create index "customers_tier_contact_idx" on "customers" ("tier_rank", "last_contact_at");`);
    this.addSql(`create index "customers_name_idx" on "customers" ("name");`);

    this.addSql(`create table "schedule_entries" ("id" bigserial primary key, "owner_id" bigint not null, "kind" text not null, "title" varchar(200) not null, "description" jsonb null, "description_text" text not null default '', "starts_at" timestamptz not null, "ends_at" timestamptz not null, "all_day" boolean not null default false, "long" boolean not null default false, "plan_period" text null, "customer_id" bigint null, "contact_ids" jsonb not null, "status" text not null default 'planned', "result" jsonb null, "result_text" text not null default '', "shared_department_id" bigint null, "rrule" varchar(500) null, "time_zone" varchar(64) not null, "exdates" jsonb not null, "series_ends_at" timestamptz null, "master_id" bigint null, "original_start" timestamptz null, "reminder_offsets" jsonb not null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql(`create index "schedule_entries_shared_department_id_index" on "schedule_entries" ("shared_department_id");`);
    this.addSql(`create index "schedule_entries_owner_starts_idx" on "schedule_entries" ("owner_id", "starts_at");`);
    this.addSql(`create index "schedule_entries_customer_starts_idx" on "schedule_entries" ("customer_id", "starts_at");`);
    this.addSql(`create index "schedule_entries_unbounded_owner_idx" on "schedule_entries" ("owner_id", "starts_at") where "long" or "rrule" is not null;`);
    this.addSql(`create index "schedule_entries_unbounded_customer_idx" on "schedule_entries" ("customer_id", "starts_at") where "long" or "rrule" is not null;`);

    this.addSql(`create table "entry_reminders" ("entry_id" bigint not null, "reminder_id" bigint not null, "offset_minutes" int not null, primary key ("entry_id", "reminder_id"));`);
    this.addSql(`alter table "entry_reminders" add constraint "entry_reminders_reminder_id_unique" unique ("reminder_id");`);

    this.addSql(`create table "feed_items" ("id" bigserial primary key, "customer_id" bigint not null, "kind" text not null, "actor_id" bigint not null, "entry_id" bigint null, "body" jsonb null, "text" text not null default '', "data" jsonb not null, "tier_rank" smallint not null, "customer_type" varchar(20) not null, "created_at" timestamptz not null);`);
    this.addSql(`create index "feed_items_customer_idx" on "feed_items" ("customer_id", "id");`);
    this.addSql(`create index "feed_items_tier_idx" on "feed_items" ("tier_rank", "id");`);

    this.addSql(`create table "customer_owners" ("customer_id" bigint not null, "user_id" bigint not null, primary key ("customer_id", "user_id"));`);
    this.addSql(`create index "customer_owners_user_idx" on "customer_owners" ("user_id");`);

    this.addSql(`create table "customer_followers" ("customer_id" bigint not null, "user_id" bigint not null, "created_at" timestamptz not null, primary key ("customer_id", "user_id"));`);
    this.addSql(`create index "customer_followers_user_idx" on "customer_followers" ("user_id");`);

    this.addSql(`create table "contacts" ("id" bigserial primary key, "customer_id" bigint not null, "name" varchar(100) not null, "title" varchar(100) not null default '', "phone" varchar(40) not null default '', "email" varchar(254) not null default '', "birthday" varchar(10) null, "created_at" timestamptz not null);`);
    this.addSql(`create index "contacts_customer_idx" on "contacts" ("customer_id");`);

    this.addSql(`create table "care_reminders" ("contact_id" bigint not null, "user_id" bigint not null, "reminder_id" bigint not null, primary key ("contact_id", "user_id"));`);
    this.addSql(`alter table "care_reminders" add constraint "care_reminders_reminder_id_unique" unique ("reminder_id");`);

    this.addSql(`create table "calendar_tokens" ("user_id" bigint not null, "token_hash" varchar(64) not null, "created_at" timestamptz not null, primary key ("user_id"));`);
    this.addSql(`alter table "calendar_tokens" add constraint "calendar_tokens_token_hash_unique" unique ("token_hash");`);

    this.addSql(`create table "annotations" ("id" bigserial primary key, "entry_id" bigint not null, "parent_id" bigint null, "author_id" bigint not null, "body" jsonb not null, "text" text not null, "created_at" timestamptz not null);`);
    this.addSql(`create index "annotations_entry_idx" on "annotations" ("entry_id", "id");`);

    this.addSql(`alter table "customers" add constraint "customers_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on delete restrict;`);
    this.addSql(`alter table "customers" add constraint "customers_type_check" check ("type" in ('end_customer', 'channel', 'supplier', 'competitor', 'media', 'partner'));`);
    this.addSql(`alter table "customers" add constraint "customers_tier_check" check ("tier" in ('platinum', 'gold', 'silver', 'regular', 'poor'));`);
    this.addSql(`alter table "customers" add constraint "customers_prospect_class_check" check ("prospect_class" in ('A', 'B', 'C'));`);

    this.addSql(`alter table "schedule_entries" add constraint "schedule_entries_owner_id_foreign" foreign key ("owner_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "schedule_entries" add constraint "schedule_entries_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on delete set null;`);
    this.addSql(`alter table "schedule_entries" add constraint "schedule_entries_master_id_foreign" foreign key ("master_id") references "schedule_entries" ("id") on delete cascade;`);
    this.addSql(`alter table "schedule_entries" add constraint "schedule_entries_kind_check" check ("kind" in ('visit', 'call', 'meeting', 'task', 'other'));`);
    this.addSql(`alter table "schedule_entries" add constraint "schedule_entries_plan_period_check" check ("plan_period" in ('year', 'quarter', 'month', 'week', 'day'));`);
    this.addSql(`alter table "schedule_entries" add constraint "schedule_entries_status_check" check ("status" in ('planned', 'done', 'cancelled'));`);

    this.addSql(`alter table "entry_reminders" add constraint "entry_reminders_entry_id_foreign" foreign key ("entry_id") references "schedule_entries" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "entry_reminders" add constraint "entry_reminders_reminder_id_foreign" foreign key ("reminder_id") references "reminders" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "feed_items" add constraint "feed_items_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on delete cascade;`);
    this.addSql(`alter table "feed_items" add constraint "feed_items_actor_id_foreign" foreign key ("actor_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "feed_items" add constraint "feed_items_kind_check" check ("kind" in ('entry', 'result', 'contact_record', 'comment', 'annotation', 'tier_change'));`);

    this.addSql(`alter table "customer_owners" add constraint "customer_owners_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "customer_owners" add constraint "customer_owners_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "customer_followers" add constraint "customer_followers_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "customer_followers" add constraint "customer_followers_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "contacts" add constraint "contacts_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on delete cascade;`);

    this.addSql(`alter table "care_reminders" add constraint "care_reminders_contact_id_foreign" foreign key ("contact_id") references "contacts" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "care_reminders" add constraint "care_reminders_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "care_reminders" add constraint "care_reminders_reminder_id_foreign" foreign key ("reminder_id") references "reminders" ("id") on delete cascade;`);

    this.addSql(`alter table "calendar_tokens" add constraint "calendar_tokens_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "annotations" add constraint "annotations_entry_id_foreign" foreign key ("entry_id") references "schedule_entries" ("id") on delete cascade;`);
    this.addSql(`alter table "annotations" add constraint "annotations_parent_id_foreign" foreign key ("parent_id") references "annotations" ("id") on delete cascade;`);
    this.addSql(`alter table "annotations" add constraint "annotations_author_id_foreign" foreign key ("author_id") references "users" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "schedule_entries" drop constraint "schedule_entries_customer_id_foreign";`);
    this.addSql(`alter table "feed_items" drop constraint "feed_items_customer_id_foreign";`);
    this.addSql(`alter table "customer_owners" drop constraint "customer_owners_customer_id_foreign";`);
    this.addSql(`alter table "customer_followers" drop constraint "customer_followers_customer_id_foreign";`);
    this.addSql(`alter table "contacts" drop constraint "contacts_customer_id_foreign";`);
    this.addSql(`alter table "schedule_entries" drop constraint "schedule_entries_master_id_foreign";`);
    this.addSql(`alter table "entry_reminders" drop constraint "entry_reminders_entry_id_foreign";`);
    this.addSql(`alter table "annotations" drop constraint "annotations_entry_id_foreign";`);
    this.addSql(`alter table "care_reminders" drop constraint "care_reminders_contact_id_foreign";`);
    this.addSql(`alter table "annotations" drop constraint "annotations_parent_id_foreign";`);

    this.addSql(`drop table if exists "org_settings" cascade;`);
    this.addSql(`drop table if exists "customers" cascade;`);
    this.addSql(`drop table if exists "schedule_entries" cascade;`);
    this.addSql(`drop table if exists "entry_reminders" cascade;`);
    this.addSql(`drop table if exists "feed_items" cascade;`);
    this.addSql(`drop table if exists "customer_owners" cascade;`);
    this.addSql(`drop table if exists "customer_followers" cascade;`);
    this.addSql(`drop table if exists "contacts" cascade;`);
    this.addSql(`drop table if exists "care_reminders" cascade;`);
    this.addSql(`drop table if exists "calendar_tokens" cascade;`);
    this.addSql(`drop table if exists "annotations" cascade;`);
  }

}
