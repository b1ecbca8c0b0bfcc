import type { EntityManager } from '@mikro-orm/postgresql';
import { addDays, isWorkingDay, periodOf, reportKinds, type ReportKind } from '../../shared/reportPeriods.js';
import { WORKBENCH_CONTACT_DAYS, type WorkbenchDTO, type WorkbenchReportDTO } from '../../shared/workbench.js';
import type { NotificationDTO } from '../../shared/dto.js';
import type { User } from '../entities/User.js';
import { departmentIdOf } from '../policies/schedule.js';
import { awaitingAnnouncements, unreadAnnouncements } from './announcements.js';
import { watchedThreads } from './boards.js';
import { listConversations } from './chat.js';
import { customersToContact } from './customers.js';
import { listNotifications } from './notifications.js';
import { upcomingReminders } from './reminders.js';
import { deadlineOf, dueRulesByDepartment, readReportCalendar, todayIn } from './reportCalendar.js';
import { myReports } from './reports.js';
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

/** Conversations with unread messages (the chat list's own rows and counts) and unread mentions from the notification list. */
export async function workbenchChat(em: EntityManager, user: User): Promise<WorkbenchDTO['chat']> {
  const [conversations, mentions] = await Promise.all([listConversations(em, user.id), listNotifications(em, user.id, { unread: 'true', kind: 'mention', limit: BLOCK_SIZE })]);
  const unread = conversations.filter((c) => c.unreadCount > 0);
  return { conversations: unread.slice(0, BLOCK_SIZE), unreadMessages: unread.reduce((sum, c) => sum + c.unreadCount, 0), mentions: mentions.items };
}

/** Reminders that fired and are unread (their notifications), and one's reminders due in the next two days. */
export async function workbenchReminders(em: EntityManager, user: User, now: Date): Promise<WorkbenchDTO['reminders']> {
  const [due, upcoming] = await Promise.all([
    listNotifications(em, user.id, { unread: 'true', kind: 'reminder', limit: BLOCK_SIZE }),
    upcomingReminders(em, user.id, new Date(now.getTime() + UPCOMING_HOURS * 3600_000), BLOCK_SIZE),
  ]);
  return { due: due.items, upcoming };
}

/**
 * The current period's report of each kind the user's department requires (or that they opened
 * anyway): the rule each department follows and the organisation's calendar, as the report pages
 * decide them; and the unread notifications of annotations on one's reports.
 */
export async function workbenchReports(em: EntityManager, user: User, now: Date): Promise<WorkbenchDTO['reports']> {
  const department = departmentIdOf(user);
  const perKind = async (kind: ReportKind, calendarToday: string, calendar: Awaited<ReturnType<typeof readReportCalendar>>): Promise<WorkbenchReportDTO | null> => {
    const period = periodOf(kind, calendarToday);
    const [rules, mine] = await Promise.all([dueRulesByDepartment(em, kind), myReports(em, user, { kind, limit: 1 })]);
    const rule = rules.get(department)!;
    const report = mine.items[0]?.periodStart === period.start ? mine.items[0] : null;
    const required = rule.required && (kind !== 'daily' || isWorkingDay(period.start, calendar.overrides));
    if (!rule.required && !report) return null;
    return { kind, periodStart: period.start, periodEnd: period.end, required, deadlineAt: deadlineOf(kind, period, rule, calendar).toISOString(), report };
  };
  // The calendar's holidays around this month (a monthly deadline may fall a little after it).
  const zoneToday = todayIn(user.timeZone, now.getTime());
  const calendar = await readReportCalendar(em, { start: addDays(zoneToday, -40), end: addDays(zoneToday, 40) });
  const today = todayIn(calendar.timeZone, now.getTime());
  const [periods, annotations] = await Promise.all([
    Promise.all(reportKinds.map((kind) => perKind(kind, today, calendar))),
    listNotifications(em, user.id, { unread: 'true', kind: 'annotation', limit: 50 }),
  ]);
  const aboutReports = annotations.items.filter((n: NotificationDTO) => typeof n.data?.reportId === 'string').slice(0, BLOCK_SIZE);
  return { periods: periods.filter((p): p is WorkbenchReportDTO => p !== null), annotations: aboutReports };
}

/**
 * Everything the workbench shows for one user. Every block is a query of its feature (with its
 * visibility predicate), run together on the pool; none decides anything on its own.
 */
export async function workbench(em: EntityManager, user: User, now = new Date()): Promise<WorkbenchDTO> {
  const today = todayIn(user.timeZone, now.getTime());
  const [entries, chat, reminders, reports, announcements, unreadCount, customers, threads] = await Promise.all([
    workbenchEntries(em, user, today),
    workbenchChat(em, user),
    workbenchReminders(em, user, now),
    workbenchReports(em, user, now),
    awaitingAnnouncements(em, user, now, BLOCK_SIZE),
    unreadAnnouncements(em, user.id),
    customersToContact(em, user, { days: WORKBENCH_CONTACT_DAYS, limit: BLOCK_SIZE }),
    watchedThreads(em, user, BLOCK_SIZE),
  ]);
  return {
    today,
    tomorrow: addDays(today, 1),
    timeZone: user.timeZone,
    entries,
    chat,
    reminders,
    reports,
    announcements: { items: announcements, unreadCount },
    customers: { days: WORKBENCH_CONTACT_DAYS, items: customers },
    threads,
  };
}
