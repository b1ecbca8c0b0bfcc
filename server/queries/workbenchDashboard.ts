import type { EntityManager } from '@mikro-orm/postgresql';
import { addDays, periodOf } from '../../shared/reportPeriods.js';
import type { ReportStatusCounts } from '../../shared/reports.js';
import { DASHBOARD_NEGLECTED_DAYS, DASHBOARD_TREND_WEEKS, type DashboardDirectiveDTO, type DashboardDTO, type DashboardLoadDTO, type DashboardOverdueDTO, type DashboardReportPersonDTO } from '../../shared/workbench.js';
import type { UserSummaryDTO } from '../../shared/dto.js';
import type { User } from '../entities/User.js';
import { announcementVisibilityFilter, ledgerRowFilter } from '../policies/announcements.js';
import { departmentSubtreeSql } from '../policies/hierarchy.js';
import { entryVisibilityFilter } from '../policies/schedule.js';
import { requireDashboardDepartment } from '../policies/workbench.js';
import { presentAnnouncementSummary, type SummaryRow } from '../presenters/announcement.js';
import { isoInstant } from '../presenters/instants.js';
import { preparedQuery } from '../db/prepared.js';
import { summaryColumns, sortAt } from './announcements.js';
import { neglectedCustomers } from './customers.js';
import { dayRange } from './schedule.js';
import { occurrencesIn, overriddenStarts, SHORT_ENTRY_MS } from './scheduleEntries.js';
import { reportStatus } from './reportStatus.js';
import { todayIn } from './reportCalendar.js';
import { readOrgSettings } from './settings.js';

/** Rows a list block of the dashboard shows at most. */
const LIST_SIZE = 20;
/** People named under one directive. */
const NAMED = 10;

type PersonRow = { id: string; display_name: string; email: string };
const person = (r: PersonRow): UserSummaryDTO => ({ id: String(r.id), displayName: r.display_name, email: r.email });
/** The active members of the dashboard's subtree (one parameter: the department), as a condition on a user row `u`. */
const inSubtree = (u: string) => `${u}.department_id IN (${departmentSubtreeSql}) AND ${u}.active`;

/**
 * Daily-report submission of the subtree: this week per person, and the counts of this and the
 * weeks before. One status view (reportStatus: the same calendar, rules, exemptions and moves) over
 * the weeks, its cells then counted per week: a cell's status does not depend on the range asked
 * (a person's department is read at each period's end). People appear in the table when they were
 * in the subtree this week; "not required" cells are not counted in the trend, since the range
 * also holds people who were in the subtree in another of its weeks only.
 */
async function reportsBlock(em: EntityManager, departmentId: string, today: string, now: Date): Promise<{ block: DashboardDTO['reports']; department: { id: string; name: string } }> {
  const thisWeek = periodOf('weekly', today);
  const weeks = Array.from({ length: DASHBOARD_TREND_WEEKS }, (_, i) => periodOf('weekly', addDays(thisWeek.start, -7 * (DASHBOARD_TREND_WEEKS - 1 - i))));
  const view = await reportStatus(em, { departmentId, kind: 'daily', view: 'week', date: today, range: { start: weeks[0].start, end: thisWeek.end } }, now, { reports: false });
  const weekOf = view.periods.map((p) => weeks.findIndex((w) => w.start <= p.start && p.start <= w.end));
  const last = weeks.length - 1;
  const trend = weeks.map((w) => ({ weekStart: w.start, weekEnd: w.end, totals: { submitted: 0, late: 0, missing: 0, pending: 0 } }));
  const people: DashboardReportPersonDTO[] = [];
  const totals: ReportStatusCounts = { submitted: 0, late: 0, missing: 0, pending: 0, not_required: 0 };
  for (const p of view.people) {
    const row = { user: p.user, department: p.department, missing: 0, late: 0, submitted: 0 };
    let here = false;
    p.cells.forEach((cell, i) => {
      if (cell.status === 'elsewhere') return;
      if (cell.status !== 'not_required') trend[weekOf[i]].totals[cell.status]++;
      if (weekOf[i] !== last) return;
      here = true;
      totals[cell.status]++;
      if (cell.status === 'missing' || cell.status === 'late' || cell.status === 'submitted') row[cell.status]++;
    });
    if (here) people.push(row);
  }
  people.sort((a, b) => b.missing - a.missing || b.late - a.late || a.user.displayName.localeCompare(b.user.displayName, 'zh-CN'));
  // The view names the departments of the subtree, the dashboard's own among them.
  const department = view.departments.find((d) => d.id === departmentId)!;
  return { block: { kind: 'daily', totals, people, trend }, department: { id: department.id, name: department.name } };
}

/**
 * Directives in force that people of the subtree have not acknowledged: the announcements the viewer
 * sees (announcementVisibilityFilter) that ask for acknowledgement, counted over the ledger rows the
 * viewer may see (ledgerRowFilter: every row for administrators, their subtree for heads) within the
 * dashboard's department.
 */
async function directivesBlock(em: EntityManager, user: User, departmentId: string, now: Date): Promise<DashboardDirectiveDTO[]> {
  const visible = announcementVisibilityFilter(user);
  const rows = ledgerRowFilter(user, user.role === 'admin' ? 'all' : 'subtree', 'lu');
  const found = await preparedQuery<SummaryRow & { total: number; unacknowledged: number; people: PersonRow[] }>(
    em,
    `SELECT ${summaryColumns}, x.total, x.unacknowledged, x.people
     FROM announcements a JOIN users pub ON pub.id = a.publisher_id
     LEFT JOIN announcement_recipients r ON r.announcement_id = a.id AND r.user_id = ?
     CROSS JOIN LATERAL (
       SELECT count(*)::int AS total, count(*) FILTER (WHERE NOT l.acknowledged)::int AS unacknowledged,
              coalesce(to_json((array_agg(json_build_object('id', l.id::text, 'display_name', l.display_name, 'email', l.email) ORDER BY l.display_name, l.id)
                FILTER (WHERE NOT l.acknowledged))[1:${NAMED}]), '[]') AS people
       FROM (SELECT lu.id, lu.display_name, lu.email, coalesce(lr.acknowledged_version >= a.ack_version, false) AS acknowledged
             FROM announcement_recipients lr JOIN users lu ON lu.id = lr.user_id
             WHERE lr.announcement_id = a.id AND ${inSubtree('lu')} AND ${rows.sql}) l
     ) x
     WHERE a.status = 'published' AND a.requires_ack AND (a.expires_at IS NULL OR a.expires_at > ?) AND ${visible.sql} AND x.unacknowledged > 0
     ORDER BY ${sortAt} DESC, a.id DESC LIMIT ${LIST_SIZE}`,
    [user.id, departmentId, ...rows.params, now, ...visible.params],
  );
  return found.map((row) => ({
    announcement: presentAnnouncementSummary(row, now),
    total: row.total,
    unacknowledged: row.unacknowledged,
    people: row.people.map(person),
    // "Remind now" is the announcement's own, for its publisher and administrators (announcementAbilities' remind).
    canRemind: user.role === 'admin' || String(row.publisher_id) === user.id,
  }));
}

/**
 * This week's schedule of each person of the subtree: entries planned (not cancelled), those with a
 * result, and those past without one. The entries are those the team view shows (the owners are
 * the viewer's subordinates, so entryVisibilityFilter admits them all; it is applied all the same):
 * ordinary entries counted in SQL by the same index-bounded window as entriesInRange, recurring ones
 * expanded into their occurrences (minus those edited on their own, which are rows of their own).
 */
async function loadBlock(em: EntityManager, user: User, departmentId: string, week: { from: Date; to: Date }, now: Date): Promise<DashboardLoadDTO[]> {
  const visible = entryVisibilityFilter(user);
  const [counts, masters] = await Promise.all([
    preparedQuery<PersonRow & { planned: number; done: number; without_result: number }>(
      em,
      `SELECT u.id::text AS id, u.display_name, u.email,
         count(e.id)::int AS planned, count(e.id) FILTER (WHERE e.status = 'done')::int AS done,
         count(e.id) FILTER (WHERE e.status = 'planned' AND e.ends_at <= ?)::int AS without_result
       FROM users u LEFT JOIN schedule_entries e ON e.owner_id = u.id AND NOT (e.long OR e.rrule IS NOT NULL)
         AND e.starts_at >= ? AND e.starts_at < ? AND e.ends_at > ? AND e.status <> 'cancelled' AND ${visible.sql}
       WHERE ${inSubtree('u')}
       GROUP BY u.id ORDER BY u.display_name, u.id`,
      [now, new Date(week.from.getTime() - SHORT_ENTRY_MS), week.to, week.from, ...visible.params, departmentId],
    ),
    preparedQuery<{ id: string; owner_id: string; rrule: string | null; starts_at: Date; ends_at: Date; time_zone: string; exdates: string[]; status: string }>(
      em,
      `SELECT e.id::text AS id, e.owner_id::text AS owner_id, e.rrule, e.starts_at, e.ends_at, e.time_zone, e.exdates, e.status
       FROM schedule_entries e JOIN users u ON u.id = e.owner_id
       WHERE ${inSubtree('u')} AND (e.long OR e.rrule IS NOT NULL) AND e.starts_at < ? AND e.status <> 'cancelled'
         AND (CASE WHEN e.rrule IS NULL THEN e.ends_at > ? ELSE e.series_ends_at IS NULL OR e.series_ends_at > ? END) AND ${visible.sql}`,
      [departmentId, week.to, week.from, week.from, ...visible.params],
    ),
  ]);
  const load = new Map(counts.map((r) => [String(r.id), { user: person(r), planned: r.planned, done: r.done, withoutResult: r.without_result }]));
  const overridden = await overriddenStarts(em, masters.filter((m) => m.rrule).map((m) => m.id));
  for (const m of masters) {
    const row = load.get(String(m.owner_id));
    if (!row) continue;
    const spans = m.rrule ? occurrencesIn(m, week.from, week.to, overridden.get(m.id)) : [{ startsAt: new Date(m.starts_at), endsAt: new Date(m.ends_at) }];
    for (const span of spans) {
      row.planned++;
      if (m.status === 'done') row.done++;
      else if (span.endsAt.getTime() <= now.getTime()) row.withoutResult++;
    }
  }
  return [...load.values()];
}

/**
 * Reminders the viewer set for people of the subtree that fired and that those people have not
 * read yet (their notifications): the reminder's owner already sees each occurrence's deliveries;
 * nobody else's reminders are shown.
 */
async function overdueBlock(em: EntityManager, user: User, departmentId: string): Promise<DashboardOverdueDTO[]> {
  const rows = await preparedQuery<PersonRow & { n: number; oldest: Date }>(
    em,
    `SELECT u.id::text AS id, u.display_name, u.email, count(*)::int AS n, min(nt.created_at) AS oldest
     FROM users u JOIN notifications nt ON nt.recipient_id = u.id AND nt.read_at IS NULL AND nt.kind = 'reminder'
     JOIN reminders rm ON rm.id = CASE WHEN nt.data->>'reminderId' ~ '^[1-9][0-9]{0,17}$' THEN (nt.data->>'reminderId')::bigint END
     WHERE ${inSubtree('u')} AND u.id <> ? AND rm.owner_id = ?
     GROUP BY u.id ORDER BY count(*) DESC, u.display_name LIMIT ${LIST_SIZE}`,
    [departmentId, user.id, user.id],
  );
  return rows.map((r) => ({ user: person(r), count: r.n, oldestAt: isoInstant(r.oldest) }));
}

/**
 * The manager's dashboard of a department subtree (requireDashboardDepartment: heads over what they
 * manage, administrators over any; 404 for everyone else): report submission and its trend,
 * unacknowledged directives, neglected platinum and gold customers of the team's owners, this
 * week's schedule load and the team's unread reminders — each block its feature's query and
 * predicate, all run together.
 */
export async function dashboard(em: EntityManager, user: User, departmentIdAsked: string | undefined, now = new Date()): Promise<DashboardDTO> {
  const [departmentId, settings] = await Promise.all([requireDashboardDepartment(em, user, departmentIdAsked), readOrgSettings(em)]);
  const today = todayIn(settings.timeZone, now.getTime());
  const weekDays = periodOf('weekly', today);
  const week = { from: dayRange(weekDays.start, settings.timeZone).from, to: dayRange(weekDays.end, settings.timeZone).to };
  const [{ block: reports, department }, directives, customers, load, overdueReminders] = await Promise.all([
    reportsBlock(em, departmentId, today, now),
    directivesBlock(em, user, departmentId, now),
    // Whose they are: customers some owner of the subtree owns, within what the viewer may see.
    neglectedCustomers(em, user, { days: DASHBOARD_NEGLECTED_DAYS, limit: LIST_SIZE, ownedBy: { sql: `no.user_id IN (SELECT nu.id FROM users nu WHERE ${inSubtree('nu')})`, params: [departmentId] } }),
    loadBlock(em, user, departmentId, week, now),
    overdueBlock(em, user, departmentId),
  ]);
  return {
    department,
    week: weekDays,
    reports,
    directives,
    customers: { days: DASHBOARD_NEGLECTED_DAYS, items: customers.items },
    load,
    overdueReminders,
  };
}
