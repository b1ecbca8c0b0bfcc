import type { EntityManager } from '@mikro-orm/postgresql';
import type { ClockMark } from './timeline.js';

/**
 * Columns that say when something is planned to happen (an entry's start, a reminder's next due
 * time), not when something was written: they already hold story times and are never moved.
 */
const PLANNED_TIMES = new Set(['starts_at', 'ends_at', 'original_start', 'series_ends_at', 'due_at', 'next_due_at', 'expires_at', 'claimed_until', 'deadline_at']);

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Moves every time the story's steps wrote, in every table and in the stream events' payloads,
 * from when the step ran to when it happens in the story, keeping its offset within the step. A
 * time the step's SQL took from now() is its transaction's start, matched exactly (so a database
 * whose clock differs from this process's is dated right too); a time the code took from
 * new Date() lies within the step's span on this process's clock. Times outside every step (the
 * first administrator, planned times) are left alone. One statement per table.
 */
export async function dateTheStory(em: EntityManager, marks: ClockMark[]): Promise<void> {
  const story = storyTimes(marks);
  await em.transactional(async (tx) => {
    // The audit log is append-only; its trigger lets this transaction move its times, and nothing else.
    await tx.execute(`SET LOCAL huitong.demo_dating = 'on'`);
    await tx.execute(`CREATE TEMP TABLE demo_clock (db_now timestamptz, js_start timestamptz, js_end timestamptz, at timestamptz) ON COMMIT DROP`);
    await tx.execute(
      `INSERT INTO demo_clock SELECT * FROM jsonb_to_recordset(?::jsonb) AS m(db_now timestamptz, js_start timestamptz, js_end timestamptz, at timestamptz)`,
      [JSON.stringify(story.map((s) => ({ db_now: s.dbNow, js_start: s.jsStart, js_end: s.jsEnd, at: s.at })))],
    );
    await tx.execute(`CREATE INDEX ON demo_clock (db_now); CREATE INDEX ON demo_clock (js_start)`);
    await tx.execute(`CREATE FUNCTION pg_temp.demo_story(t timestamptz) RETURNS timestamptz LANGUAGE sql STABLE AS $f$
      SELECT coalesce(
        (SELECT c.at + least(greatest(c.db_now - c.js_start, interval '0'), c.js_end - c.js_start) FROM demo_clock c WHERE c.db_now = t LIMIT 1),
        (SELECT c.at + (t - c.js_start) FROM (SELECT * FROM demo_clock WHERE js_start <= t ORDER BY js_start DESC LIMIT 1) c WHERE t <= c.js_end),
        t)
    $f$`);
    const columns = await tx.execute<{ table_name: string; column_name: string }[]>(
      `SELECT table_name, column_name FROM information_schema.columns c
       WHERE table_schema = current_schema() AND data_type = 'timestamp with time zone'
         AND EXISTS (SELECT 1 FROM information_schema.tables t WHERE t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE')
       ORDER BY table_name, ordinal_position`,
    );
    const byTable = new Map<string, string[]>();
    for (const c of columns) if (!PLANNED_TIMES.has(c.column_name)) byTable.set(c.table_name, [...(byTable.get(c.table_name) ?? []), c.column_name]);
    const [range] = await tx.execute<{ first: string; last: string }[]>(`SELECT least(min(js_start), min(db_now))::text AS first, greatest(max(js_end), max(db_now))::text AS last FROM demo_clock`);
    for (const [table, cols] of byTable) {
      const touched = cols.map((c) => `"${c}" BETWEEN ?::timestamptz AND ?::timestamptz`).join(' OR ');
      await tx.execute(
        `UPDATE "${table}" SET ${cols.map((c) => `"${c}" = pg_temp.demo_story("${c}")`).join(', ')} WHERE ${touched}`,
        cols.flatMap(() => [range.first, range.last]),
      );
    }
    await datePayloads(tx, story);
  });
}

type StoryMark = { at: string; dbNow: string; dbNowMs: number; jsStart: string; jsEnd: string; atMs: number; jsStartMs: number; jsEndMs: number };

/**
 * The story times the steps get: their planned time, moved later when the step before them (with
 * the same or a close planned time) was still "running" then, so that times keep the steps' order.
 */
function storyTimes(marks: ClockMark[]): StoryMark[] {
  let previousEnd = -Infinity;
  return marks.map((m) => {
    const jsStartMs = Date.parse(m.jsStart);
    const jsEndMs = Date.parse(m.jsEnd);
    const atMs = Math.max(Date.parse(m.at), previousEnd + 1);
    previousEnd = atMs + (jsEndMs - jsStartMs);
    return { ...m, at: new Date(atMs).toISOString(), atMs, jsStartMs, jsEndMs };
  });
}

/** The stream events carry presented objects with their times; the same mapping, on the ISO strings inside. */
async function datePayloads(tx: EntityManager, story: StoryMark[]): Promise<void> {
  const byDbNow = new Map(story.map((s) => [s.dbNowMs, s]));
  const first = story[0]?.jsStartMs ?? 0;
  const last = story[story.length - 1]?.jsEndMs ?? 0;
  const map = (value: string): string => {
    if (!ISO_INSTANT.test(value)) return value;
    const t = Date.parse(value);
    const exact = byDbNow.get(t);
    if (exact) return new Date(exact.atMs + Math.min(Math.max(t - exact.jsStartMs, 0), exact.jsEndMs - exact.jsStartMs)).toISOString();
    if (t < first || t > last) return value;
    // The last step that started at or before t.
    let lo = 0;
    let hi = story.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (story[mid].jsStartMs <= t) lo = mid;
      else hi = mid - 1;
    }
    const s = story[lo];
    return t >= s.jsStartMs && t <= s.jsEndMs ? new Date(s.atMs + (t - s.jsStartMs)).toISOString() : value;
  };
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return map(node);
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    return node;
  };
  const rows = await tx.execute<{ stream: string; seq: string; payload: unknown }[]>(`SELECT stream, seq::text AS seq, payload FROM stream_events`);
  const changed = rows.flatMap((row) => {
    const before = JSON.stringify(row.payload);
    const after = JSON.stringify(walk(row.payload));
    return after === before ? [] : [{ stream: row.stream, seq: row.seq, payload: JSON.parse(after) }];
  });
  if (changed.length === 0) return;
  await tx.execute(
    `UPDATE stream_events e SET payload = x.payload FROM jsonb_to_recordset(?::jsonb) AS x(stream text, seq bigint, payload jsonb) WHERE e.stream = x.stream AND e.seq = x.seq`,
    [JSON.stringify(changed)],
  );
}
