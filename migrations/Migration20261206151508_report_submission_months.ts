import { Migration } from '@mikro-orm/migrations';

/**
 * `report_submission_months`: per author, kind and calendar month of the period, the submitted
 * reports as the status views read them — a compact JSON array of [day of the month the period
 * starts on, report id, submitted at in ms since the epoch, late 0/1] — so that a department's month
 * grid reads one small row per person instead of building a JSON value per report (a 561-person
 * subtree has ~10,000 reports a month).
 * It is derived, never written by the application: a trigger on `reports` recomputes the row of the
 * (author, kind, month) a report leaves and the one it enters, in the same transaction, from the
 * reports then committed. An advisory lock per row serialises two transactions touching the same
 * row, so the second recomputes after the first's commit (READ COMMITTED: each statement of the
 * trigger function sees what was committed before it). Bulk loads that skip triggers
 * (session_replication_role = replica: a backup's restore copies this table too; the benchmark
 * seed fills it with the statement below) must fill it themselves.
 */
export class Migration20261206151508_report_submission_months extends Migration {

  override name = 'Migration20261206151508_report_submission_months';

  override up(): void | Promise<void> {
    this.addSql(`create table "report_submission_months" ("author_id" bigint not null, "kind" text not null, "month" date not null, "cells" json not null, primary key ("author_id", "kind", "month"));`);
    this.addSql(`create function report_submission_month_refresh(author bigint, report_kind text, first_day date) returns void language plpgsql as $$
      declare
        found_cells json;
      begin
        perform pg_advisory_xact_lock(hashtext('report_submission_months'), hashtext(author || ' ' || report_kind || ' ' || first_day));
        select (${cellsOf('first_day')})::json
          into found_cells
          from reports r
          where r.author_id = author and r.kind = report_kind and r.period_start >= first_day and r.period_start < (first_day + interval '1 month')::date and r.status = 'submitted';
        if found_cells is null then
          delete from report_submission_months where author_id = author and kind = report_kind and month = first_day;
        else
          insert into report_submission_months (author_id, kind, month, cells) values (author, report_kind, first_day, found_cells)
            on conflict (author_id, kind, month) do update set cells = excluded.cells;
        end if;
      end $$;`);
    this.addSql(`create function reports_submission_months_trigger() returns trigger language plpgsql as $$
      begin
        if tg_op <> 'INSERT' and old.status = 'submitted' then
          perform report_submission_month_refresh(old.author_id, old.kind, date_trunc('month', old.period_start::timestamp)::date);
        end if;
        if tg_op <> 'DELETE' and new.status = 'submitted' and (tg_op = 'INSERT' or old.status <> 'submitted'
           or (new.author_id, new.kind, date_trunc('month', new.period_start::timestamp)) is distinct from (old.author_id, old.kind, date_trunc('month', old.period_start::timestamp))) then
          perform report_submission_month_refresh(new.author_id, new.kind, date_trunc('month', new.period_start::timestamp)::date);
        end if;
        return null;
      end $$;`);
    this.addSql(`create trigger reports_submission_months after insert or delete or update of author_id, kind, period_start, status, submitted_at, deadline_at on reports for each row execute function reports_submission_months_trigger();`);
    this.addSql(reportSubmissionMonthsFill);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger reports_submission_months on reports;`);
    this.addSql(`drop function reports_submission_months_trigger();`);
    this.addSql(`drop function report_submission_month_refresh(bigint, text, date);`);
    this.addSql(`drop table "report_submission_months";`);
  }

}

/** The cells of reports `r` (an aggregate) counted from the month's first day `month` (SQL). */
function cellsOf(month: string): string {
  return `'[' || string_agg('[' || (r.period_start - ${month} + 1) || ',"' || r.id || '",' || (date_part('epoch', date_trunc('milliseconds', r.submitted_at)) * 1000)::bigint || ',' || (coalesce(r.submitted_at > r.deadline_at, false))::int || ']', ',' order by r.period_start) || ']'`;
}

/** Fills report_submission_months from the reports (after a load that skipped the trigger). */
export const reportSubmissionMonthsFill = `insert into report_submission_months (author_id, kind, month, cells)
  select r.author_id, r.kind, date_trunc('month', r.period_start::timestamp)::date,
         (${cellsOf(`date_trunc('month', r.period_start::timestamp)::date`)})::json
  from reports r where r.status = 'submitted' group by 1, 2, 3
  on conflict (author_id, kind, month) do update set cells = excluded.cells;`;
