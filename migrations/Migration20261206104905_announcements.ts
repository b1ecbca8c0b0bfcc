import { Migration } from '@mikro-orm/migrations';

/**
 * Announcements, policies and directives: the announcement with its versions, each recipient's
 * ledger row, the steps of escalation ladders; and `cancelled` for e-mail / SMS that an
 * acknowledgement or the expiry made unnecessary before they went out. The partial and expression
 * indexes at the end are written by hand.
 */
export class Migration20261206104905_announcements extends Migration {

  override name = 'Migration20261206104905_announcements';

  override up(): void | Promise<void> {
    this.addSql(`create table "announcements" ("id" bigserial primary key, "publisher_id" bigint not null, "title" varchar(200) not null, "body" jsonb not null, "body_text" text not null default '', "category" text not null, "priority" text not null default 'normal', "requires_ack" boolean not null default false, "scope" jsonb not null, "status" text not null, "publish_at" timestamptz null, "published_at" timestamptz null, "expires_at" timestamptz null, "expired_at" timestamptz null, "pinned" boolean not null default false, "version" int not null default 1, "ack_version" int null, "escalation" jsonb null, "last_reminded_at" timestamptz null, "recipient_count" int not null default 0, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql(`create index "announcements_publisher_id_idx" on "announcements" ("publisher_id", "id");`);
    this.addSql(`create index "announcements_status_published_idx" on "announcements" ("status", "published_at");`);

    this.addSql(`create table "announcement_versions" ("announcement_id" bigint not null, "version" int not null, "title" varchar(200) not null, "body" jsonb not null, "body_text" text not null default '', "requires_reacknowledge" boolean not null default false, "author_id" bigint not null, "created_at" timestamptz not null, primary key ("announcement_id", "version"));`);

    this.addSql(`create table "announcement_recipients" ("announcement_id" bigint not null, "user_id" bigint not null, "via" text not null, "received_at" timestamptz not null, "first_read_at" timestamptz null, "acknowledged_at" timestamptz null, "acknowledged_version" int null, "reply" varchar(200) null, primary key ("announcement_id", "user_id"));`);
    this.addSql(`create index "announcement_recipients_user_idx" on "announcement_recipients" ("user_id", "announcement_id");`);

    this.addSql(`create table "announcement_escalations" ("id" bigserial primary key, "announcement_id" bigint not null, "version" int not null, "step" int not null, "channel" text not null, "due_at" timestamptz not null, "fired_at" timestamptz null, "notified" int null);`);
    this.addSql(`alter table "announcement_escalations" add constraint "announcement_escalations_step_unique" unique ("announcement_id", "version", "step");`);

    this.addSql(`alter table "deliveries" drop constraint "deliveries_status_check";`);
    this.addSql(`alter table "deliveries" add constraint "deliveries_status_check" check ("status" in ('queued', 'sent', 'delivered', 'failed', 'logged', 'cancelled'));`);

    this.addSql(`alter table "announcements" add constraint "announcements_publisher_id_foreign" foreign key ("publisher_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "announcements" add constraint "announcements_category_check" check ("category" in ('notice', 'policy', 'directive'));`);
    this.addSql(`alter table "announcements" add constraint "announcements_priority_check" check ("priority" in ('normal', 'important', 'urgent'));`);
    this.addSql(`alter table "announcements" add constraint "announcements_status_check" check ("status" in ('scheduled', 'published'));`);

    this.addSql(`alter table "announcement_versions" add constraint "announcement_versions_announcement_id_foreign" foreign key ("announcement_id") references "announcements" ("id") on delete cascade;`);
    this.addSql(`alter table "announcement_versions" add constraint "announcement_versions_author_id_foreign" foreign key ("author_id") references "users" ("id") on delete cascade;`);

    this.addSql(`alter table "announcement_recipients" add constraint "announcement_recipients_announcement_id_foreign" foreign key ("announcement_id") references "announcements" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "announcement_recipients" add constraint "announcement_recipients_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "announcement_recipients" add constraint "announcement_recipients_via_check" check ("via" in ('publish', 'joined'));`);

    this.addSql(`alter table "announcement_escalations" add constraint "announcement_escalations_announcement_id_foreign" foreign key ("announcement_id") references "announcements" ("id") on delete cascade;`);
    this.addSql(`alter table "announcement_escalations" add constraint "announcement_escalations_channel_check" check ("channel" in ('app', 'email', 'sms', 'head'));`);
    // The sweep looks for ladder steps, scheduled publications and expiries whose job was lost.
    this.addSql(`create index "announcement_escalations_due_idx" on "announcement_escalations" ("due_at") where "fired_at" is null;`);
    this.addSql(`create index "announcements_publish_due_idx" on "announcements" ("publish_at") where "status" = 'scheduled';`);
    this.addSql(`create index "announcements_expiry_due_idx" on "announcements" ("expires_at") where "expired_at" is null and "expires_at" is not null;`);
    // The ledger reads each recipient's announcement notifications (and through them the delivery log).
    this.addSql(`create index "notifications_announcement_idx" on "notifications" (("data"->>'announcementId'), "recipient_id") where "kind" = 'announcement';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index if exists "notifications_announcement_idx";`);
    this.addSql(`update "deliveries" set "status" = 'failed', "last_error" = 'cancelled' where "status" = 'cancelled';`);
    this.addSql(`alter table "announcement_versions" drop constraint "announcement_versions_announcement_id_foreign";`);
    this.addSql(`alter table "announcement_recipients" drop constraint "announcement_recipients_announcement_id_foreign";`);
    this.addSql(`alter table "announcement_escalations" drop constraint "announcement_escalations_announcement_id_foreign";`);

    this.addSql(`drop table if exists "announcements" cascade;`);
    this.addSql(`drop table if exists "announcement_versions" cascade;`);
    this.addSql(`drop table if exists "announcement_recipients" cascade;`);
    this.addSql(`drop table if exists "announcement_escalations" cascade;`);

    this.addSql(`alter table "deliveries" drop constraint "deliveries_status_check";`);
    this.addSql(`alter table "deliveries" add constraint "deliveries_status_check" check ("status" in ('queued', 'sent', 'delivered', 'failed', 'logged'));`);
  }

}
