import { Migration } from '@mikro-orm/migrations';

/**
 * Set-based fan-out of notifications (server/commands/notifications/notify.ts):
 * - `quiet_hours_end`, the quiet-hours rule in SQL, so that one INSERT … SELECT plans the e-mail and
 *   SMS of thousands of recipients, each deferred to the end of their own quiet hours;
 * - `fanout_chunks`, the parts of a large fan-out handed to background jobs (a row exists until its
 *   part is written, which makes every part exactly-once whoever runs its job).
 * Written by hand: functions, and a table only SQL touches (no entity, like login_rate_limits).
 */
export class Migration20261206084123_fanout extends Migration {

  override name = 'Migration20261206084123_fanout';

  override up(): void | Promise<void> {
    // A local wall-clock time in a zone as an instant, as Temporal's default ('compatible') reads it:
    // a time skipped by a DST gap moves forward by the gap (PostgreSQL does the same), a time that
    // happens twice is the first of the two (PostgreSQL would take the second).
    this.addSql(`
      create function local_to_instant(local timestamp, zone text) returns timestamptz language plpgsql stable as $$
      declare
        later timestamptz := local at time zone zone;
        offset_before interval := ((later - interval '1 day') at time zone zone) - ((later - interval '1 day') at time zone 'UTC');
        earlier timestamptz := (local - offset_before) at time zone 'UTC';
      begin
        if earlier < later and (earlier at time zone zone) = local then
          return earlier;
        end if;
        return later;
      end $$;`);
    // The instant e-mail and SMS may go out: "now" outside the user's quiet hours, otherwise the end of
    // the quiet period in the user's zone (a window such as 22:00–08:00, and all of Saturday and Sunday
    // when "weekends" is set; the two may chain). A zone PostgreSQL does not know is read as UTC rather
    // than failing a whole fan-out. The same steps as the Temporal reference in the tests.
    this.addSql(`
      create function quiet_hours_end(now timestamptz, zone text, quiet jsonb) returns timestamptz language plpgsql stable as $$
      declare
        q_start int;
        q_end int;
        weekends boolean;
        at timestamptz := now;
        lt timestamp;
        m int;
        d date;
      begin
        if quiet is null or jsonb_typeof(quiet) <> 'object' then
          return now;
        end if;
        q_start := substr(quiet->>'start', 1, 2)::int * 60 + substr(quiet->>'start', 4, 2)::int;
        q_end := substr(quiet->>'end', 1, 2)::int * 60 + substr(quiet->>'end', 4, 2)::int;
        weekends := coalesce((quiet->>'weekends')::boolean, false);
        begin
          perform now at time zone zone;
        exception when invalid_parameter_value then
          zone := 'UTC';
        end;
        -- Each step moves to the end of one quiet stretch; a week has at most a few of them.
        for step in 1..16 loop
          lt := at at time zone zone;
          if weekends and extract(isodow from lt) >= 6 then
            at := local_to_instant((lt::date + (8 - extract(isodow from lt))::int)::timestamp, zone);
            continue;
          end if;
          exit when q_start = q_end;
          m := extract(hour from lt)::int * 60 + extract(minute from lt)::int;
          d := lt::date;
          if q_start < q_end then
            if m >= q_start and m < q_end then
              at := local_to_instant(d + make_interval(mins => q_end), zone);
              continue;
            end if;
          elsif m >= q_start then
            at := local_to_instant(d + 1 + make_interval(mins => q_end), zone);
            continue;
          elsif m < q_end then
            at := local_to_instant(d + make_interval(mins => q_end), zone);
            continue;
          end if;
          exit;
        end loop;
        return greatest(now, at);
      end $$;`);
    this.addSql(`create table "fanout_chunks" ("id" bigserial primary key, "spec" jsonb not null, "recipients" jsonb not null, "offered_at" timestamptz not null, "created_at" timestamptz not null);`);
    // The sweep looks for parts whose job was lost with its process.
    this.addSql(`create index "fanout_chunks_offered_idx" on "fanout_chunks" ("offered_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "fanout_chunks";`);
    this.addSql(`drop function if exists quiet_hours_end(timestamptz, text, jsonb);`);
    this.addSql(`drop function if exists local_to_instant(timestamp, text);`);
  }

}
