import { Migration } from '@mikro-orm/migrations';

/**
 * Files: content stored once per sha256 (file_blobs, with its storage keys and image facts), each
 * upload of it by a user (files: name, uploader), and the one link table every host kind uses
 * (attachments: a message, thread, reply, report, annotation, announcement or customer holds a
 * file). See docs/files.md.
 */
export class Migration20261206115619_files extends Migration {
  override name = 'Migration20261206115619_files';

  override up(): void | Promise<void> {
    this.addSql(`create table "file_blobs" ("id" bigserial primary key, "sha256" char(64) not null, "size" bigint not null, "mime" varchar(127) not null, "ext" varchar(16) null, "width" int null, "height" int null, "storage_key" varchar(200) not null, "thumb_key" varchar(200) null, "created_at" timestamptz not null default now(), "last_used_at" timestamptz not null default now());`);
    this.addSql(`create unique index "file_blobs_sha256_idx" on "file_blobs" ("sha256");`);
    this.addSql(`create table "files" ("id" bigserial primary key, "blob_id" bigint not null references "file_blobs" ("id"), "uploader_id" bigint not null references "users" ("id") on delete cascade, "name" varchar(255) not null, "size" bigint not null, "created_at" timestamptz not null default now());`);
    this.addSql(`create index "files_uploader_created_idx" on "files" ("uploader_id", "created_at");`);
    this.addSql(`create index "files_blob_idx" on "files" ("blob_id");`);
    this.addSql(`create index "files_created_idx" on "files" ("created_at");`);
    this.addSql(`create table "attachments" ("host_kind" text not null, "host_id" bigint not null, "file_id" bigint not null references "files" ("id"), "position" smallint not null default 0, "created_at" timestamptz not null default now(), primary key ("host_kind", "host_id", "file_id"), constraint "attachments_host_kind_check" check ("host_kind" in ('message', 'thread', 'reply', 'report', 'annotation', 'announcement', 'customer')));`);
    this.addSql(`create index "attachments_file_idx" on "attachments" ("file_id");`);
    // Files added to a customer show in its feed.
    this.addSql(`alter table "feed_items" drop constraint "feed_items_kind_check";`);
    this.addSql(`alter table "feed_items" add constraint "feed_items_kind_check" check ("kind" in ('entry', 'result', 'contact_record', 'comment', 'annotation', 'tier_change', 'report', 'thread', 'files'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`delete from "feed_items" where "kind" = 'files';`);
    this.addSql(`alter table "feed_items" drop constraint "feed_items_kind_check";`);
    this.addSql(`alter table "feed_items" add constraint "feed_items_kind_check" check ("kind" in ('entry', 'result', 'contact_record', 'comment', 'annotation', 'tier_change', 'report', 'thread'));`);
    this.addSql(`drop table "attachments";`);
    this.addSql(`drop table "files";`);
    this.addSql(`drop table "file_blobs";`);
  }
}
