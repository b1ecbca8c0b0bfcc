import { Migration } from '@mikro-orm/migrations';

/**
 * Work reports (issue 18): reports with their versions, receivers, reads and links to schedule entries;
 * templates (one built in per kind), rules (deadlines and submit reminders), holidays, exemptions and the
 * reminder log; a department history for the status views; annotations generalised from schedule entries
 * to any subject, with passage anchors, resolving, editing and deleting (existing annotations stay, on
 * their entries); a feed item kind for a report that mentions a customer.
 */
export class Migration20261206101732_reports extends Migration {

  override name = 'Migration20261206101732_reports';

  override up(): void | Promise<void> {
    this.addSql(`create table "org_holidays" ("day" date not null, "kind" text not null, "name" varchar(100) not null default '', primary key ("day"));`);

    this.addSql(`create table "report_templates" ("id" bigserial primary key, "name" varchar(100) not null, "kinds" jsonb not null, "sections" jsonb not null, "department_ids" jsonb not null, "built_in" boolean not null default false, "active" boolean not null default true, "created_by_id" bigint null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);

    this.addSql(`create table "report_reminder_log" ("user_id" bigint not null, "kind" varchar(10) not null, "period_start" date not null, "stage" varchar(40) not null, "sent_at" timestamptz not null, primary key ("user_id", "kind", "period_start", "stage"));`);

    this.addSql(`create table "report_exemptions" ("user_id" bigint not null, "kind" varchar(10) not null, "period_start" date not null, "reason" varchar(200) not null default '', "created_by_id" bigint null, "created_at" timestamptz not null, primary key ("user_id", "kind", "period_start"));`);

    this.addSql(`create table "reports" ("id" bigserial primary key, "author_id" bigint not null, "kind" text not null, "period_start" date not null, "period_end" date not null, "template_id" bigint null, "sections" jsonb not null, "content" jsonb not null, "text" text not null default '', "status" text not null default 'draft', "revision" int not null default 0, "version" int not null default 1, "department_id" bigint null, "deadline_at" timestamptz null, "submitted_at" timestamptz null, "first_read_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql(`create index "reports_submitted_idx" on "reports" ("submitted_at" desc, "id" desc) where "status" = 'submitted';`);
    this.addSql(`create index "reports_department_period_idx" on "reports" ("department_id", "period_start");`);
    this.addSql(`alter table "reports" add constraint "reports_author_period_unique" unique ("author_id", "kind", "period_start");`);

    this.addSql(`create table "report_versions" ("report_id" bigint not null, "version" int not null, "sections" jsonb not null, "content" jsonb not null, "text" text not null, "submitted_at" timestamptz null, "saved_at" timestamptz not null, primary key ("report_id", "version"));`);

    this.addSql(`create table "report_receivers" ("report_id" bigint not null, "user_id" bigint not null, "role" text not null, "position" smallint not null default 0, primary key ("report_id", "user_id"));`);
    this.addSql(`create index "report_receivers_user_idx" on "report_receivers" ("user_id", "report_id");`);

    this.addSql(`create table "report_reads" ("report_id" bigint not null, "user_id" bigint not null, "read_at" timestamptz not null, primary key ("report_id", "user_id"));`);

    this.addSql(`create table "report_cc_departments" ("report_id" bigint not null, "department_id" bigint not null, primary key ("report_id", "department_id"));`);

    this.addSql(`create table "report_rules" ("id" bigserial primary key, "kind" text not null, "department_id" bigint null, "required" boolean not null default true, "deadline_day" smallint not null, "deadline_time" varchar(8) not null, "remind_rrule" varchar(500) null, "remind_time" varchar(8) null, "late_reminder" boolean not null default false, "head_digest" boolean not null default false, "late_time" varchar(8) not null default '19:00', "channels" jsonb not null, "reminder_id" bigint null, "late_reminder_id" bigint null, "updated_by_id" bigint null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql(`create unique index "report_rules_kind_department_idx" on "report_rules" ("kind", coalesce("department_id", 0));`);

    this.addSql(`create table "department_history" ("id" bigserial primary key, "user_id" bigint not null, "department_id" bigint not null, "valid_from" timestamptz not null, "valid_to" timestamptz not null);`);
    this.addSql(`create index "department_history_user_idx" on "department_history" ("user_id", "valid_to");`);
    this.addSql(`create index "department_history_department_idx" on "department_history" ("department_id", "valid_to");`);

    this.addSql(`create table "report_links" ("report_id" bigint not null, "entry_id" bigint not null, "customer_id" bigint null, primary key ("report_id", "entry_id"));`);
    this.addSql(`create index "report_links_customer_idx" on "report_links" ("customer_id");`);

    this.addSql(`alter table "users" add "department_since" timestamptz not null default now();`);

    this.addSql(`alter table "feed_items" drop constraint "feed_items_kind_check";`);
    this.addSql(`alter table "feed_items" add constraint "feed_items_kind_check" check ("kind" in ('entry', 'result', 'contact_record', 'comment', 'annotation', 'tier_change', 'report'));`);

    this.addSql(`alter table "annotations" add "report_id" bigint null, add "section_key" varchar(40) null, add "mark_id" varchar(64) null, add "quote" text null, add "resolved_at" timestamptz null, add "resolved_by_id" bigint null, add "edited_at" timestamptz null, add "deleted_at" timestamptz null;`);
    this.addSql(`alter table "annotations" add constraint "annotations_report_id_foreign" foreign key ("report_id") references "reports" ("id") on delete cascade;`);
    this.addSql(`alter table "annotations" add constraint "annotations_resolved_by_id_foreign" foreign key ("resolved_by_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "annotations" alter column "body" drop not null;`);
    this.addSql(`alter table "annotations" alter column "entry_id" drop not null;`);
    this.addSql(`create index "annotations_report_idx" on "annotations" ("report_id", "id");`);
    this.addSql(`create unique index "annotations_report_mark_idx" on "annotations" ("report_id", "mark_id") where "mark_id" is not null;`);

    this.addSql(`alter table "org_holidays" add constraint "org_holidays_kind_check" check ("kind" in ('holiday', 'workday'));`);

    this.addSql(`alter table "report_templates" add constraint "report_templates_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on delete set null;`);

    this.addSql(`alter table "report_reminder_log" add constraint "report_reminder_log_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);

    this.addSql(`alter table "report_exemptions" add constraint "report_exemptions_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "report_exemptions" add constraint "report_exemptions_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on delete set null;`);

    this.addSql(`alter table "reports" add constraint "reports_author_id_foreign" foreign key ("author_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "reports" add constraint "reports_template_id_foreign" foreign key ("template_id") references "report_templates" ("id") on delete set null;`);
    this.addSql(`alter table "reports" add constraint "reports_department_id_foreign" foreign key ("department_id") references "departments" ("id") on delete set null;`);
    this.addSql(`alter table "reports" add constraint "reports_kind_check" check ("kind" in ('daily', 'weekly', 'monthly'));`);
    this.addSql(`alter table "reports" add constraint "reports_status_check" check ("status" in ('draft', 'submitted'));`);

    this.addSql(`alter table "report_versions" add constraint "report_versions_report_id_foreign" foreign key ("report_id") references "reports" ("id") on delete cascade;`);

    this.addSql(`alter table "report_receivers" add constraint "report_receivers_report_id_foreign" foreign key ("report_id") references "reports" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "report_receivers" add constraint "report_receivers_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "report_receivers" add constraint "report_receivers_role_check" check ("role" in ('superior', 'cc'));`);

    this.addSql(`alter table "report_reads" add constraint "report_reads_report_id_foreign" foreign key ("report_id") references "reports" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "report_reads" add constraint "report_reads_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "report_cc_departments" add constraint "report_cc_departments_report_id_foreign" foreign key ("report_id") references "reports" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "report_cc_departments" add constraint "report_cc_departments_department_id_foreign" foreign key ("department_id") references "departments" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "report_rules" add constraint "report_rules_department_id_foreign" foreign key ("department_id") references "departments" ("id") on delete cascade;`);
    this.addSql(`alter table "report_rules" add constraint "report_rules_reminder_id_foreign" foreign key ("reminder_id") references "reminders" ("id") on delete set null;`);
    this.addSql(`alter table "report_rules" add constraint "report_rules_late_reminder_id_foreign" foreign key ("late_reminder_id") references "reminders" ("id") on delete set null;`);
    this.addSql(`alter table "report_rules" add constraint "report_rules_updated_by_id_foreign" foreign key ("updated_by_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "report_rules" add constraint "report_rules_kind_check" check ("kind" in ('daily', 'weekly', 'monthly'));`);

    this.addSql(`alter table "department_history" add constraint "department_history_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "department_history" add constraint "department_history_department_id_foreign" foreign key ("department_id") references "departments" ("id") on delete cascade;`);

    this.addSql(`alter table "report_links" add constraint "report_links_report_id_foreign" foreign key ("report_id") references "reports" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "report_links" add constraint "report_links_entry_id_foreign" foreign key ("entry_id") references "schedule_entries" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "report_links" add constraint "report_links_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on delete set null;`);
    // Written by hand from here on.
    // Until now a user's department had no history: it counts from when the user was created.
    this.addSql(`update "users" set "department_since" = "created_at";`);
    // An annotation is about exactly one subject, and a passage anchor is whole or absent.
    this.addSql(`alter table "annotations" add constraint "annotations_subject_check" check (num_nonnulls("entry_id", "report_id") = 1);`);
    this.addSql(`alter table "annotations" add constraint "annotations_anchor_check" check (("section_key" is null) = ("mark_id" is null) and ("mark_id" is null) = ("quote" is null));`);
    // The built-in template of each kind (zh-CN titles, English beside them): used wherever no other template applies.
    this.addSql(`insert into "report_templates" ("name", "kinds", "sections", "department_ids", "built_in", "active", "created_at", "updated_at") values
      ('日报', '["daily"]', '[{"key": "done", "title": "今日完成", "titleEn": "Done today", "required": true, "fill": "done"}, {"key": "customers", "title": "客户进展", "titleEn": "Customer progress", "required": false, "fill": null}, {"key": "plan", "title": "明日计划", "titleEn": "Plan for tomorrow", "required": true, "fill": "plan"}, {"key": "help", "title": "需要协调", "titleEn": "Help needed", "required": false, "fill": null}]', '[]', true, true, now(), now()),
      ('周报', '["weekly"]', '[{"key": "done", "title": "本周完成", "titleEn": "Done this week", "required": true, "fill": "done"}, {"key": "customers", "title": "客户进展", "titleEn": "Customer progress", "required": false, "fill": null}, {"key": "plan", "title": "下周计划", "titleEn": "Plan for next week", "required": true, "fill": "plan"}, {"key": "help", "title": "需要协调", "titleEn": "Help needed", "required": false, "fill": null}]', '[]', true, true, now(), now()),
      ('月报', '["monthly"]', '[{"key": "done", "title": "本月完成", "titleEn": "Done this month", "required": true, "fill": "done"}, {"key": "customers", "title": "客户进展", "titleEn": "Customer progress", "required": false, "fill": null}, {"key": "plan", "title": "下月计划", "titleEn": "Plan for next month", "required": true, "fill": "plan"}, {"key": "help", "title": "需要协调", "titleEn": "Help needed", "required": false, "fill": null}]', '[]', true, true, now(), now());`);
  }

  override down(): void | Promise<void> {
    // Annotations of reports have no entry to stay on.
    this.addSql(`delete from "annotations" where "report_id" is not null;`);
    this.addSql(`alter table "annotations" drop constraint "annotations_subject_check", drop constraint "annotations_anchor_check";`);
    this.addSql(`alter table "reports" drop constraint "reports_template_id_foreign";`);
    this.addSql(`alter table "report_versions" drop constraint "report_versions_report_id_foreign";`);
    this.addSql(`alter table "report_receivers" drop constraint "report_receivers_report_id_foreign";`);
    this.addSql(`alter table "report_reads" drop constraint "report_reads_report_id_foreign";`);
    this.addSql(`alter table "report_cc_departments" drop constraint "report_cc_departments_report_id_foreign";`);
    this.addSql(`alter table "report_links" drop constraint "report_links_report_id_foreign";`);
    this.addSql(`alter table "annotations" drop constraint "annotations_report_id_foreign";`);

    this.addSql(`drop table if exists "org_holidays" cascade;`);
    this.addSql(`drop table if exists "report_templates" cascade;`);
    this.addSql(`drop table if exists "report_reminder_log" cascade;`);
    this.addSql(`drop table if exists "report_exemptions" cascade;`);
    this.addSql(`drop table if exists "reports" cascade;`);
    this.addSql(`drop table if exists "report_versions" cascade;`);
    this.addSql(`drop table if exists "report_receivers" cascade;`);
    this.addSql(`drop table if exists "report_reads" cascade;`);
    this.addSql(`drop table if exists "report_cc_departments" cascade;`);
    this.addSql(`drop table if exists "report_rules" cascade;`);
    this.addSql(`drop table if exists "department_history" cascade;`);
    this.addSql(`drop table if exists "report_links" cascade;`);

    this.addSql(`alter table "annotations" drop constraint "annotations_resolved_by_id_foreign";`);

    this.addSql(`drop index "annotations_report_idx";`);
    this.addSql(`drop index "annotations_report_mark_idx";`);
    this.addSql(`alter table "annotations" drop column "report_id", drop column "section_key", drop column "mark_id", drop column "quote", drop column "resolved_at", drop column "resolved_by_id", drop column "edited_at", drop column "deleted_at";`);
    this.addSql(`alter table "annotations" alter column "entry_id" set not null;`);
    this.addSql(`alter table "annotations" alter column "body" set not null;`);

    this.addSql(`alter table "feed_items" drop constraint "feed_items_kind_check";`);
    this.addSql(`alter table "feed_items" add constraint "feed_items_kind_check" check ("kind" in ('entry', 'result', 'contact_record', 'comment', 'annotation', 'tier_change'));`);

    this.addSql(`alter table "users" drop column "department_since";`);
  }

}
