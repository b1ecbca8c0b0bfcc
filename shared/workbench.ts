/**
 * The workbench (工作台, everyone's home page) and the manager's dashboard. Each block is what its
 * source page shows (the same queries and visibility predicates on the server), cut to what needs
 * attention; each links to the page where the work is done.
 */
import type { AnnouncementSummaryDTO } from './announcements.js';
import type { ThreadListItemDTO } from './boards.js';
import type { ConversationDTO } from './chat.js';
import type { CustomerDTO } from './customers.js';
import type { NotificationDTO, UserSummaryDTO } from './dto.js';
import type { ReminderDTO } from './reminders.js';
import type { ReportKind } from './reportPeriods.js';
import type { DepartmentRefDTO, ReportStatusCounts, ReportSummaryDTO } from './reports.js';
import type { ScheduleEntryDTO } from './schedule.js';

/** Days without contact after which one's own customer shows on the workbench. */
export const WORKBENCH_CONTACT_DAYS = 30;
/** Days without contact after which a platinum or gold customer of the team shows on the dashboard. */
export const DASHBOARD_NEGLECTED_DAYS = 30;
/** Weeks of report submission the dashboard's trend shows (this one included). */
export const DASHBOARD_TREND_WEEKS = 4;

/** The state of one's report of a kind for the current period: to write, a draft, or submitted. */
export type WorkbenchReportDTO = {
  kind: ReportKind;
  periodStart: string;
  periodEnd: string;
  /** The department's rule requires this period's report (a working day, a kind it requires). */
  required: boolean;
  deadlineAt: string;
  /** One's report of the period (a draft or submitted), or null when none was opened yet. */
  report: ReportSummaryDTO | null;
};

export type WorkbenchDTO = {
  /** Today and tomorrow as dates in the user's time zone. */
  today: string;
  tomorrow: string;
  timeZone: string;
  /** One's schedule entries of today and tomorrow (what the schedule's day view shows). */
  entries: { today: ScheduleEntryDTO[]; tomorrow: ScheduleEntryDTO[] };
  /** Conversations with unread messages (newest activity first) and unread mentions. */
  chat: { conversations: ConversationDTO[]; unreadMessages: number; mentions: NotificationDTO[] };
  /** Reminders that fired and were not read yet, and one's active reminders due in the next 48 hours. */
  reminders: { due: NotificationDTO[]; upcoming: ReminderDTO[] };
  /** This period's report per kind one's department requires, and unread annotations on one's reports. */
  reports: { periods: WorkbenchReportDTO[]; annotations: NotificationDTO[] };
  /** Announcements not opened yet or still to acknowledge, urgent first. */
  announcements: { items: AnnouncementSummaryDTO[]; unreadCount: number };
  /** One's own customers not contacted for `days` days (or never), top tiers first. */
  customers: { days: number; items: CustomerDTO[] };
  /** Threads one watches with activity in the last two weeks, newest first. */
  threads: ThreadListItemDTO[];
};

/** One person's submission over the dashboard's current week. */
export type DashboardReportPersonDTO = { user: UserSummaryDTO; department: DepartmentRefDTO; missing: number; late: number; submitted: number };
/** One week of the trend: the status view's counts of that week (submitted, late, missing, not yet due). */
export type DashboardReportWeekDTO = { weekStart: string; weekEnd: string; totals: Omit<ReportStatusCounts, 'not_required'> };

/** A directive still to be acknowledged by people of the subtree. */
export type DashboardDirectiveDTO = {
  announcement: AnnouncementSummaryDTO;
  /** Recipients in the dashboard's reach and how many of them have not acknowledged the current version. */
  total: number;
  unacknowledged: number;
  /** The first of those who have not (by name). */
  people: UserSummaryDTO[];
  /** The viewer may remind them now (the publisher, administrators). */
  canRemind: boolean;
};

/** One person's schedule this week: entries planned, results recorded, and those past without a result. */
export type DashboardLoadDTO = { user: UserSummaryDTO; planned: number; done: number; withoutResult: number };

/** One person's reminders that fired and are still unread. */
export type DashboardOverdueDTO = { user: UserSummaryDTO; count: number; oldestAt: string };

export type DashboardDTO = {
  department: DepartmentRefDTO;
  /** The days of the current ISO week in the organisation's zone. */
  week: { start: string; end: string };
  reports: { kind: 'daily'; totals: ReportStatusCounts; people: DashboardReportPersonDTO[]; trend: DashboardReportWeekDTO[] };
  directives: DashboardDirectiveDTO[];
  customers: { days: number; items: CustomerDTO[] };
  load: DashboardLoadDTO[];
  overdueReminders: DashboardOverdueDTO[];
};

/** Blocks of the dashboard that export as CSV. */
export const dashboardExports = ['reports', 'load', 'customers', 'directives'] as const;
export type DashboardExport = (typeof dashboardExports)[number];
