import { Migration } from '@mikro-orm/migrations';

export class Migration20261123091515_chat extends Migration {

  override name = 'Migration20261123091515_chat';

  override up(): void | Promise<void> {
    this.addSql(`create table "conversations" ("id" bigserial primary key, "kind" text not null, "name" varchar(100) null, "direct_key" varchar(41) null, "created_by_id" bigint not null, "created_at" timestamptz not null, "last_message_at" timestamptz not null, "last_message_id" bigint null, "member_count" int not null default 0);`);
    this.addSql(`alter table "conversations" add constraint "conversations_direct_key_unique" unique ("direct_key");`);
    this.addSql(`create index "conversations_last_message_at_index" on "conversations" ("last_message_at");`);

    this.addSql(`create table "messages" ("id" bigserial primary key, "conversation_id" bigint not null, "author_id" bigint null, "client_id" varchar(64) null, "kind" text not null default 'text', "body" jsonb null, "text" text not null default '', "reply_to_id" bigint null, "mentions" jsonb null, "system" jsonb null, "created_at" timestamptz not null, "edited_at" timestamptz null, "deleted_at" timestamptz null);`);
    this.addSql(`create index "messages_conversation_id_idx" on "messages" ("conversation_id", "id");`);
    this.addSql(`alter table "messages" add constraint "messages_author_client_id_unique" unique ("author_id", "client_id");`);

    this.addSql(`create table "conversation_members" ("conversation_id" bigint not null, "user_id" bigint not null, "role" text not null default 'member', "joined_at" timestamptz not null, "last_read_message_id" bigint null, primary key ("conversation_id", "user_id"));`);
    this.addSql(`create index "conversation_members_user_idx" on "conversation_members" ("user_id");`);

    this.addSql(`alter table "conversations" add constraint "conversations_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on delete restrict;`);
    this.addSql(`alter table "conversations" add constraint "conversations_kind_check" check ("kind" in ('direct', 'group'));`);

    this.addSql(`alter table "messages" add constraint "messages_conversation_id_foreign" foreign key ("conversation_id") references "conversations" ("id") on delete cascade;`);
    this.addSql(`alter table "messages" add constraint "messages_author_id_foreign" foreign key ("author_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "messages" add constraint "messages_reply_to_id_foreign" foreign key ("reply_to_id") references "messages" ("id") on delete set null;`);
    this.addSql(`alter table "messages" add constraint "messages_kind_check" check ("kind" in ('text', 'system'));`);

    this.addSql(`alter table "conversation_members" add constraint "conversation_members_conversation_id_foreign" foreign key ("conversation_id") references "conversations" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "conversation_members" add constraint "conversation_members_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "conversation_members" add constraint "conversation_members_role_check" check ("role" in ('owner', 'admin', 'member'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "messages" drop constraint "messages_conversation_id_foreign";`);
    this.addSql(`alter table "conversation_members" drop constraint "conversation_members_conversation_id_foreign";`);
    this.addSql(`alter table "messages" drop constraint "messages_reply_to_id_foreign";`);

    this.addSql(`drop table if exists "conversations" cascade;`);
    this.addSql(`drop table if exists "messages" cascade;`);
    this.addSql(`drop table if exists "conversation_members" cascade;`);
  }

}
