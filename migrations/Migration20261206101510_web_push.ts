import { Migration } from '@mikro-orm/migrations';

/**
 * Web Push, the fourth delivery channel (docs/client.md, "Push notifications"):
 * - `push_subscriptions`, one row per subscribed browser;
 * - deliveries of channel `push`, one per device: the one-per-channel rules of e-mail and SMS become
 *   partial unique indexes, with one-per-device rules beside them (written by hand);
 * - `web_push_keys`, the server's VAPID key pair made at first start (a table only SQL touches).
 */
export class Migration20261206101510_web_push extends Migration {

  override name = 'Migration20261206101510_web_push';

  override up(): void | Promise<void> {
    this.addSql(`create table "push_subscriptions" ("id" bigserial primary key, "user_id" bigint not null, "session_id" bigint not null, "endpoint" text not null, "p256dh" varchar(100) not null, "auth" varchar(50) not null, "label" varchar(100) not null, "created_at" timestamptz not null, "last_success_at" timestamptz null);`);
    this.addSql(`create index "push_subscriptions_user_id_index" on "push_subscriptions" ("user_id");`);
    this.addSql(`create index "push_subscriptions_session_id_index" on "push_subscriptions" ("session_id");`);
    this.addSql(`alter table "push_subscriptions" add constraint "push_subscriptions_endpoint_unique" unique ("endpoint");`);

    this.addSql(`alter table "deliveries" drop constraint "deliveries_notification_channel_unique";`);
    this.addSql(`alter table "deliveries" drop constraint "deliveries_channel_check";`);
    this.addSql(`alter table "deliveries" add "push_subscription_id" bigint null;`);
    this.addSql(`alter table "deliveries" add constraint "deliveries_push_subscription_id_foreign" foreign key ("push_subscription_id") references "push_subscriptions" ("id") on delete set null;`);
    this.addSql(`alter table "deliveries" add constraint "deliveries_channel_check" check ("channel" in ('email', 'sms', 'push'));`);

    this.addSql(`alter table "push_subscriptions" add constraint "push_subscriptions_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "push_subscriptions" add constraint "push_subscriptions_session_id_foreign" foreign key ("session_id") references "sessions" ("id") on delete cascade;`);

    // Written by hand: one e-mail and one SMS per notification (and per reminder occurrence and recipient), one push per device.
    this.addSql(`create unique index "deliveries_notification_channel_unique" on "deliveries" ("notification_id", "channel") where "channel" <> 'push';`);
    this.addSql(`create unique index "deliveries_notification_device_unique" on "deliveries" ("notification_id", "push_subscription_id") where "channel" = 'push';`);
    this.addSql(`drop index "deliveries_occurrence_recipient_channel_unique";`);
    this.addSql(`create unique index "deliveries_occurrence_recipient_channel_unique" on "deliveries" ("occurrence_id", "recipient_id", "channel") where "occurrence_id" is not null and "channel" <> 'push';`);
    this.addSql(`create unique index "deliveries_occurrence_device_unique" on "deliveries" ("occurrence_id", "push_subscription_id") where "occurrence_id" is not null and "channel" = 'push';`);
    this.addSql(`create index "deliveries_push_subscription_id_idx" on "deliveries" ("push_subscription_id") where "push_subscription_id" is not null;`);
    this.addSql(`create table "web_push_keys" ("id" smallint primary key default 1 check ("id" = 1), "public_key" text not null, "private_key" text not null, "created_at" timestamptz not null default now());`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table "web_push_keys";`);
    this.addSql(`delete from "deliveries" where "channel" = 'push';`);
    this.addSql(`drop index "deliveries_notification_channel_unique";`);
    this.addSql(`drop index "deliveries_notification_device_unique";`);
    this.addSql(`drop index "deliveries_occurrence_device_unique";`);
    this.addSql(`drop index "deliveries_occurrence_recipient_channel_unique";`);
    this.addSql(`create unique index "deliveries_occurrence_recipient_channel_unique" on "deliveries" ("occurrence_id", "recipient_id", "channel") where "occurrence_id" is not null;`);
    this.addSql(`alter table "deliveries" drop constraint "deliveries_push_subscription_id_foreign";`);

    this.addSql(`drop table if exists "push_subscriptions" cascade;`);

    this.addSql(`alter table "deliveries" drop constraint "deliveries_channel_check";`);
    this.addSql(`alter table "deliveries" drop column "push_subscription_id";`);
    this.addSql(`alter table "deliveries" add constraint "deliveries_notification_channel_unique" unique ("notification_id", "channel");`);
    this.addSql(`alter table "deliveries" add constraint "deliveries_channel_check" check ("channel" in ('email', 'sms'));`);
  }

}
