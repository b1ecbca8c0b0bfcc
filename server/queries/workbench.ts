import type { EntityManager } from '@mikro-orm/postgresql';
import { addDays, isWorkingDay, periodOf, reportKinds } from '../../shared/reportPeriods.js';
import { WORKBENCH_CONTACT_DAYS, type WorkbenchDTO, type WorkbenchReportDTO } from '../../shared/workbench.js';
import type { User } from '../entities/User.js';
import { departmentIdOf } from '../policies/schedule.js';
import { awaitingAndUnread } from './announcements.js';
import { watchedThreads } from './boards.js';
import { listConversations } from './chat.js';
import { customersToContact } from './customers.js';
import { unreadNotificationsOfKinds } from './notifications.js';
import { upcomingReminders } from './reminders.js';
import { deadlineOf, reportCalendarWithRules, todayIn } from './reportCalendar.js';
import { myReportsOfPeriods } from './reports.js';
import { dayRange, personEntries } from './schedule.js';

/** Items a list block of the workbench shows at most (its link leads to the whole list). */
export const BLOCK_SIZE = 8;
const UPCOMING_HOURS = 48;

/**
 * Today's and tomorrow's entries, as the schedule's day views of those days show them: the one
 * range query of one's own schedule (entryVisibilityFilter applies), each entry under every day it overlaps.
 */
export async function workbenchEntries(em: EntityManager, user: User, today: string): Promise<WorkbenchDTO['entries']> {
  const tomorrow = dayRange(addDays(today, 1), user.timeZone);
  const list = await personEntries(em, user, user.id, { from: dayRange(today, user.timeZone).from, to: tomorrow.to });
  const split = tomorrow.from.getTime();
  return {
    today: list.data.filter((e) => Date.parse(e.startsAt) < split),
    tomorrow: list.data.filter((e) => Date.parse(e.endsAt) > split),
  };
}

/** Conversations with unread messages: the chat list's own rows and counts. */
async function unreadConversations(em: EntityManager, user: User) {
  const unread = (await listConversations(em, user.id)).filter((c) => c.unreadCount > 0);
  return { conversations: unread.slice(0, BLOCK_SIZE), unreadMessages: unread.reduce((sum, c) => sum + c.unreadCount, 0) };
}

/**
 * The current period's report of each kind the user's department requires (or that they opened
 * anyway): the rule each department follows and the organisation's calendar, as the report pages
 * decide them, and one's reports of those periods.
 */
export async function workbenchReports(em: EntityManager, user: User, now: Date): Promise<WorkbenchReportDTO[]> {
  const department = departmentIdOf(user);
  // The calendar's holidays around this month (a monthly deadline may fall a little after it).
  const zoneToday = todayIn(user.timeZone, now.getTime());
  const periodsOf = (today: string) => reportKinds.map((kind) => ({ kind, ...periodOf(kind, today) }));
  // Periods are the organisation's (its zone's today). One's reports are fetched beside the calendar
  // for the periods of one's own zone's today, nearly always the same day, and again when not.
  const guessed = periodsOf(zoneToday);
  const [{ calendar, rules }, mineGuessed] = await Promise.all([
    reportCalendarWithRules(em, { start: addDays(zoneToday, -40), end: addDays(zoneToday, 40) }, reportKinds, department),
    myReportsOfPeriods(em, user, guessed),
  ]);
  const today = todayIn(calendar.timeZone, now.getTime());
  const periods = today === zoneToday ? guessed : periodsOf(today);
  const mine = today === zoneToday ? mineGuessed : await myReportsOfPeriods(em, user, periods);
  return periods.flatMap((period): WorkbenchReportDTO[] => {
    const rule = rules.get(period.kind)!.get(department)!;
    const report = mine.find((r) => r.kind === period.kind) ?? null;
    if (!rule.required && !report) return [];
    const required = rule.required && (period.kind !== 'daily' || isWorkingDay(period.start, calendar.overrides));
    return [{ kind: period.kind, periodStart: period.start, periodEnd: period.end, required, deadlineAt: deadlineOf(period.kind, period, rule, calendar).toISOString(), report }];
  });
}

/**
 * Everything the workbench shows for one user. Every block is a query of its feature (with its
 * visibility predicate), run together on the pool; none decides anything on its own.
 */
export async function workbench(em: EntityManager, user: User, now = new Date()): Promise<WorkbenchDTO> {
  const today = todayIn(user.timeZone, now.getTime());
  const [entries, chat, notifications, upcoming, periods, announcements, customers, threads] = await Promise.all([
    workbenchEntries(em, user, today),
    unreadConversations(em, user),
    // Unread mentions, fired reminders and annotations on one's reports: the notification list's, of those kinds.
    unreadNotificationsOfKinds(em, user.id, ['mention', 'reminder', 'annotation'], BLOCK_SIZE, { kind: 'annotation', key: 'reportId' }),
    upcomingReminders(em, user.id, new Date(now.getTime() + UPCOMING_HOURS * 3600_000), BLOCK_SIZE),
    workbenchReports(em, user, now),
    awaitingAndUnread(em, user, now, BLOCK_SIZE),
    customersToContact(em, user, { days: WORKBENCH_CONTACT_DAYS, limit: BLOCK_SIZE }),
    watchedThreads(em, user, BLOCK_SIZE),
  ]);
  return {
    today,
    tomorrow: addDays(today, 1),
    timeZone: user.timeZone,
    entries,
    chat: { ...chat, mentions: notifications.get('mention')! },
    reminders: { due: notifications.get('reminder')!, upcoming },
    reports: { periods, annotations: notifications.get('annotation')! },
    announcements,
    customers: { days: WORKBENCH_CONTACT_DAYS, items: customers },
    threads,
  };
}
