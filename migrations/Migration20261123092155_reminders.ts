import { Migration } from '@mikro-orm/migrations';

export class Migration20261123092155_reminders extends Migration {

  override name = 'Migration20261123092155_reminders';

  override up(): void | Promise<void> {
    this.addSql(`create table "reminders" ("id" bigserial primary key, "owner_id" bigint not null, "title" varchar(200) not null, "note" jsonb null, "note_text" text not null default '', "recipients" jsonb not null, "channels" jsonb not null, "rrule" varchar(500) null, "dtstart" varchar(19) not null, "time_zone" varchar(64) not null, "exdates" jsonb not null, "urgent" boolean not null default false, "status" text not null default 'active', "next_due_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql(`create index "reminders_owner_id_idx" on "reminders" ("owner_id", "id");`);

    this.addSql(`create table "reminder_occurrences" ("id" bigserial primary key, "reminder_id" bigint not null, "due_at" timestamptz not null, "recipient_id" bigint null, "snoozed_from_id" bigint null, "fired_at" timestamptz null, "created_at" timestamptz not null);`);
    this.addSql(`create index "reminder_occurrences_reminder_due_idx" on "reminder_occurrences" ("reminder_id", "due_at");`);

    this.addSql(`create table "notification_settings" ("user_id" bigint not null, "preferences" jsonb not null, "quiet_hours" jsonb null, "updated_at" timestamptz not null, primary key ("user_id"));`);

    this.addSql(`create table "deliveries" ("id" bigserial primary key, "notification_id" bigint not null, "occurrence_id" bigint null, "recipient_id" bigint not null, "channel" text not null, "provider" varchar(20) not null, "address" varchar(254) not null, "status" text not null default 'queued', "provider_id" varchar(100) null, "attempts" int not null default 0, "last_error" text null, "not_before" timestamptz not null, "claimed_until" timestamptz null, "queued_at" timestamptz not null, "sent_at" timestamptz null, "delivered_at" timestamptz null, "failed_at" timestamptz null, "updated_at" timestamptz not null);`);
    this.addSql(`create index "deliveries_recipient_id_idx" on "deliveries" ("recipient_id", "id");`);
    this.addSql(`create index "deliveries_provider_id_idx" on "deliveries" ("provider_id");`);
    this.addSql(`alter table "deliveries" add constraint "deliveries_notification_channel_unique" unique ("notification_id", "channel");`);

    // Written by hand: the exactly-once guards. One scheduled occurrence per reminder and instant (one per
    // recipient for snoozes), and one e-mail / SMS per (occurrence, recipient, channel) whatever fires it.
    this.addSql(`create unique index "reminder_occurrences_due_unique" on "reminder_occurrences" ("reminder_id", "due_at") where "recipient_id" is null;`);
    this.addSql(`create unique index "reminder_occurrences_snooze_unique" on "reminder_occurrences" ("reminder_id", "due_at", "recipient_id") where "recipient_id" is not null;`);
    this.addSql(`create unique index "deliveries_occurrence_recipient_channel_unique" on "deliveries" ("occurrence_id", "recipient_id", "channel") where "occurrence_id" is not null;`);
    // Written by hand: the sweeper looks for unfired due occurrences and unclaimed queued deliveries.
    this.addSql(`create index "reminder_occurrences_pending_idx" on "reminder_occurrences" ("due_at") where "fired_at" is null;`);
    this.addSql(`create index "deliveries_queued_idx" on "deliveries" ("not_before") where "status" = 'queued';`);

    this.addSql(`alter table "reminders" add constraint "reminders_owner_id_foreign" foreign key ("owner_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "reminders" add constraint "reminders_status_check" check ("status" in ('active', 'paused', 'ended'));`);

    this.addSql(`alter table "reminder_occurrences" add constraint "reminder_occurrences_reminder_id_foreign" foreign key ("reminder_id") references "reminders" ("id") on delete cascade;`);
    this.addSql(`alter table "reminder_occurrences" add constraint "reminder_occurrences_recipient_id_foreign" foreign key ("recipient_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "reminder_occurrences" add constraint "reminder_occurrences_snoozed_from_id_foreign" foreign key ("snoozed_from_id") references "reminder_occurrences" ("id") on delete set null;`);

    this.addSql(`alter table "notification_settings" add constraint "notification_settings_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "deliveries" add constraint "deliveries_notification_id_foreign" foreign key ("notification_id") references "notifications" ("id") on delete cascade;`);
    this.addSql(`alter table "deliveries" add constraint "deliveries_occurrence_id_foreign" foreign key ("occurrence_id") references "reminder_occurrences" ("id") on delete set null;`);
    this.addSql(`alter table "deliveries" add constraint "deliveries_recipient_id_foreign" foreign key ("recipient_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "deliveries" add constraint "deliveries_channel_check" check ("channel" in ('email', 'sms'));`);
    this.addSql(`alter table "deliveries" add constraint "deliveries_status_check" check ("status" in ('queued', 'sent', 'delivered', 'failed', 'logged'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "reminder_occurrences" drop constraint "reminder_occurrences_reminder_id_foreign";`);
    this.addSql(`alter table "reminder_occurrences" drop constraint "reminder_occurrences_snoozed_from_id_foreign";`);
    this.addSql(`alter table "deliveries" drop constraint "deliveries_occurrence_id_foreign";`);

    this.addSql(`drop table if exists "reminders" cascade;`);
    this.addSql(`drop table if exists "reminder_occurrences" cascade;`);
    this.addSql(`drop table if exists "notification_settings" cascade;`);
    this.addSql(`drop table if exists "deliveries" cascade;`);
  }

}
