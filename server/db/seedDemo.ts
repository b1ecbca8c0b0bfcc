import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type PgBoss from 'pg-boss';
import pino, { type Logger } from 'pino';
import { lockFor } from './sql.js';
import { RealtimeEmitter } from '../realtime/emitter.js';
import { StoryCalendar } from './demo/calendar.js';
import { planChat } from './demo/chat.js';
import { DEMO_PASSWORD, planCompany, type DemoLogin } from './demo/company.js';
import { planCustomers } from './demo/customerStory.js';
import { dateTheStory } from './demo/dating.js';
import { DemoRandom } from './demo/random.js';
import { DemoSeedRefused } from './demo/refusal.js';
import { planReminders } from './demo/reminders.js';
import { planReports } from './demo/reports.js';
import { planAnnouncements } from './demo/announcements.js';
import { planSchedule } from './demo/schedule.js';
import { Timeline } from './demo/timeline.js';
import { planBoards } from './demo/boards.js';
import { planFiles } from './demo/files.js';
import type { FileStorage } from '../files/storage.js';
import { DemoWorld } from './demo/world.js';
import { reindexAll } from '../search/reindex.js';

export { DEMO_PASSWORD, DemoSeedRefused };

export type DemoSeedDeps = {
  orm: MikroORM;
  /** pg-boss of the same database: reminders schedule their occurrence jobs with it. */
  boss: PgBoss;
  /** The file store the story's photos and documents go to (the server's: `<data dir>/files` or S3). */
  files: FileStorage;
  logger?: Logger;
  /**
   * The moment the story is told (default: now); tests pin it to compare two runs. It must be close to
   * the real time: the commands still check against the clock (a one-off reminder must lie ahead).
   */
  now?: Date;
};

export type DemoSeedResult = { logins: DemoLogin[]; steps: number; counts: Record<string, number> };

const COUNTED = ['users', 'departments', 'customers', 'contacts', 'customer_followers', 'feed_items', 'schedule_entries', 'annotations', 'conversations', 'messages', 'reminders', 'reminder_occurrences', 'notifications', 'deliveries', 'reports', 'announcements', 'announcement_recipients', 'boards', 'board_threads', 'board_replies'] as const;

async function countRows(em: EntityManager): Promise<Record<string, number>> {
  const [row] = await em.execute<Record<string, string>[]>(`SELECT ${COUNTED.map((t) => `(SELECT count(*) FROM ${t}) AS ${t}`).join(', ')}`);
  return Object.fromEntries(COUNTED.map((t) => [t, Number(row[t])]));
}

/**
 * Why the database cannot take the demo company, or null when it can: anything besides the first
 * administrator and their department (another user or department, a customer, a conversation, a
 * schedule entry, a reminder or an announcement) means it is someone's data.
 */
export async function demoSeedProblem(em: EntityManager): Promise<string | null> {
  const counts = await countRows(em);
  const found = [
    counts.users > 1 && `${counts.users} users`,
    counts.departments > 1 && `${counts.departments} departments`,
    counts.customers > 0 && `${counts.customers} customers`,
    counts.conversations > 0 && `${counts.conversations} conversations`,
    counts.schedule_entries > 0 && `${counts.schedule_entries} schedule entries`,
    counts.reminders > 0 && `${counts.reminders} reminders`,
    counts.announcements > 0 && `${counts.announcements} announcements`,
    counts.boards > 0 && `${counts.boards} boards`,
  ].filter(Boolean);
  if (!found.length) return null;
  return `The database already holds data (${found.join(', ')}): the demo company goes only into an empty database, one with nothing but the first administrator. Nothing was changed.`;
}

/**
 * Fills an empty database with 汇通贸易, a demo trading company, through the product's own
 * commands: 15 staff in 8 departments, customers of every type and tier with contacts and
 * birthdays, four weeks of schedules around today with results and annotations, conversations
 * with a few hundred messages, reminders, and the customer feeds, notifications and delivery
 * logs all of that leaves. Deterministic but for the dates, which follow today in Asia/Shanghai.
 * Refuses (DemoSeedRefused) a database that holds data, changing nothing.
 */
export async function seedDemo(deps: DemoSeedDeps): Promise<DemoSeedResult> {
  const logger = deps.logger ?? pino({ level: 'silent' });
  const now = deps.now ?? new Date();
  const problem = await demoSeedProblem(deps.orm.em.fork());
  if (problem) throw new DemoSeedRefused(problem);
  const [root] = await deps.orm.em.fork().execute<{ id: string }[]>(`SELECT id::text AS id FROM departments WHERE parent_id IS NULL ORDER BY id LIMIT 1`);
  if (!root) throw new DemoSeedRefused('The database has no first administrator yet: start the server once (or run the seed through `npm run seed:demo`, which creates one) and seed again. Nothing was changed.');

  const calendar = new StoryCalendar(now);
  const random = new DemoRandom();
  const world = new DemoWorld();
  // The story ends a minute before now: nothing it tells can be later than the moment it is told.
  const timeline = new Timeline(new Date(now.getTime() - 60_000));
  const logins = planCompany(timeline, world, calendar, String(root.id), async (tx) => {
    // Two seeds started together: the second waits here for the first's organisation, then refuses.
    await lockFor(tx, 'huitong.demo-seed');
    const late = await demoSeedProblem(tx);
    if (late) throw new DemoSeedRefused(late);
  });
  planCustomers(timeline, world, calendar, random);
  const dayPlans = planSchedule(timeline, world, calendar, random);
  planChat(timeline, world, calendar, random, dayPlans);
  planReminders(timeline, world, calendar, random);
  planReports(timeline, world, calendar, random);
  planAnnouncements(timeline, world, calendar, random);
  planBoards(timeline, world, calendar, random);
  planFiles(timeline, world, calendar);

  const marks = await timeline.run({ orm: deps.orm, boss: deps.boss, emitter: new RealtimeEmitter(), logger, files: deps.files });
  await dateTheStory(deps.orm.em.fork(), marks);
  // The story was dated after it was written: the search index is rebuilt with the dates it now has.
  await reindexAll(deps.orm.em.fork());
  return { logins, steps: timeline.size, counts: await countRows(deps.orm.em.fork()) };
}
