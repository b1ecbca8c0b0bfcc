import type { EntityManager } from '@mikro-orm/postgresql';
import type { AnnouncementScope } from '../../shared/announcements.js';
import type { FieldProblem } from '../../shared/errors.js';
import { pgArray } from '../db/sql.js';
import type { User } from '../entities/User.js';
import { AppError, forbidden, notFound } from '../errors.js';
import { managedDepartmentsOf, managedDepartmentsSql } from './hierarchy.js';
import type { SqlFilter } from './customers.js';

/** A user as SQL: their id (`?` or a column) and whether they are an administrator. */
type Viewer = { id: string; admin: string };

/**
 * Who sees an announcement — THE predicate of announcements, used by every read: the feed and its
 * counts, the announcement page and its versions, the ledger and its CSV export, the announcement a
 * notification links to, the `announcement:<id>` stream. An announcement `a` is visible to
 *   - its recipients: the people its scope reached when it was published, and those who joined the
 *     scope later and were given it (announcement_recipients);
 *   - its publisher (a scheduled one too, before it has recipients);
 *   - administrators.
 * Nobody else learns that it exists: every path answers 404. Later features (search, files, the
 * workbench) filter announcements with announcementVisibilityFilter as it is.
 */
function visibleSql(viewer: Viewer, a: string): string {
  return `(${viewer.admin} OR ${a}.publisher_id = ${viewer.id}
      OR EXISTS (SELECT 1 FROM announcement_recipients vr WHERE vr.announcement_id = ${a}.id AND vr.user_id = ${viewer.id}))`;
}

/** The announcements (alias `alias`) one user may see: a condition and its parameters, for any query. */
export function announcementVisibilityFilter(user: Pick<User, 'id' | 'role'>, alias = 'a'): SqlFilter {
  if (user.role === 'admin') return { sql: 'TRUE', params: [] };
  return { sql: visibleSql({ id: '?', admin: 'FALSE' }, alias), params: [user.id, user.id] };
}

/** The same predicate asked of every user `u` of a query about announcement `a` (whom a notification may link to it). */
export function announcementAudienceSql(u: string, a: string): string {
  return visibleSql({ id: `${u}.id`, admin: `${u}.role = 'admin'` }, a);
}

/** Of the announcements asked about, those the user may see (one query). */
export async function visibleAnnouncements(em: EntityManager, user: User, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const filter = announcementVisibilityFilter(user);
  const rows = await em.execute<{ id: string }[]>(`SELECT a.id::text AS id FROM announcements a WHERE a.id = ANY(?::bigint[]) AND ${filter.sql}`, [pgArray(ids), ...filter.params]);
  return new Set(rows.map((r) => r.id));
}

/** What the decisions below need of an announcement and of the viewer's relation to it. */
export type AnnouncementAccess = {
  id: string;
  publisherId: string;
  status: 'scheduled' | 'published';
  category: string;
  priority: 'normal' | 'important' | 'urgent';
  requiresAck: boolean;
  ackVersion: number | null;
  version: number;
  expiresAt: Date | null;
  lastRemindedAt: Date | null;
  /** The viewer is one of its recipients. */
  recipient: boolean;
  /** The viewer heads at least one department (a department head sees the ledger rows of their subtree). */
  head: boolean;
};

type AccessRow = {
  id: string; publisher_id: string; status: 'scheduled' | 'published'; category: string; priority: AnnouncementAccess['priority']; requires_ack: boolean;
  ack_version: number | null; version: number; expires_at: Date | null; last_reminded_at: Date | null; recipient: boolean; head: boolean;
};

/** The announcement when the user may see it, or a 404 that does not say whether it exists. `lock` locks its row for a write. */
export async function requireVisibleAnnouncement(em: EntityManager, user: User, id: string, options: { lock?: boolean } = {}): Promise<AnnouncementAccess> {
  const filter = announcementVisibilityFilter(user);
  const [row] = await em.execute<AccessRow[]>(
    `SELECT a.id::text AS id, a.publisher_id::text AS publisher_id, a.status, a.category, a.priority, a.requires_ack, a.ack_version, a.version, a.expires_at, a.last_reminded_at,
            EXISTS (SELECT 1 FROM announcement_recipients r WHERE r.announcement_id = a.id AND r.user_id = ?) AS recipient,
            EXISTS (SELECT 1 FROM department_managers dm WHERE dm.user_id = ?) AS head
     FROM announcements a WHERE a.id = ? AND ${filter.sql} ${options.lock ? 'FOR UPDATE OF a' : ''}`,
    [user.id, user.id, id, ...filter.params],
  );
  if (!row) throw notFound('The announcement');
  return {
    id: row.id, publisherId: row.publisher_id, status: row.status, category: row.category, priority: row.priority, requiresAck: row.requires_ack,
    ackVersion: row.ack_version, version: row.version, expiresAt: row.expires_at ? new Date(row.expires_at) : null,
    lastRemindedAt: row.last_reminded_at ? new Date(row.last_reminded_at) : null, recipient: row.recipient, head: row.head,
  };
}

const isExpired = (a: Pick<AnnouncementAccess, 'expiresAt'>, now: Date) => a.expiresAt !== null && a.expiresAt.getTime() <= now.getTime();

/** Its publisher and administrators manage an announcement (pin, expiry, revisions, reminding by hand). */
const manages = (user: User, a: Pick<AnnouncementAccess, 'publisherId'>) => user.role === 'admin' || a.publisherId === user.id;

/**
 * Who sees the ledger: the publisher and administrators, every row; a department head who may see
 * the announcement (a recipient of it, as heads of an addressed department usually are), the rows
 * of the people in the departments they head now, subtrees included. Everyone else who sees it is
 * refused (403).
 */
export type LedgerReach = 'all' | 'subtree';

export function ledgerReach(user: User, a: Pick<AnnouncementAccess, 'publisherId' | 'head'>): LedgerReach | null {
  if (manages(user, a)) return 'all';
  return a.head ? 'subtree' : null;
}

/** The ledger's reach for the user, or 404 (cannot see the announcement) / 403 (may see it, not its ledger). */
export async function requireLedgerViewer(em: EntityManager, user: User, id: string): Promise<{ access: AnnouncementAccess; reach: LedgerReach }> {
  const access = await requireVisibleAnnouncement(em, user, id);
  const reach = ledgerReach(user, access);
  if (!reach) throw forbidden('Only the publisher, administrators and department heads (for their own departments) see who read and acknowledged it');
  return { access, reach };
}

/** The ledger rows a viewer of that reach sees, as a condition on the recipient's user row `u` (the department they are in now). */
export function ledgerRowFilter(user: User, reach: LedgerReach, u = 'u'): SqlFilter {
  if (reach === 'all') return { sql: 'TRUE', params: [] };
  return { sql: `${u}.department_id IN (${managedDepartmentsSql})`, params: [user.id] };
}

/** Of the announcements asked about, those whose ledger the user may see (the `announcement:<id>` stream policy): one query. */
export async function ledgerAnnouncements(em: EntityManager, user: User, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const filter = announcementVisibilityFilter(user);
  const rows = await em.execute<{ id: string }[]>(
    `SELECT a.id::text AS id FROM announcements a
     WHERE a.id = ANY(?::bigint[]) AND ${filter.sql}
       AND (? OR a.publisher_id = ? OR EXISTS (SELECT 1 FROM department_managers dm WHERE dm.user_id = ?))`,
    [pgArray(ids), ...filter.params, user.role === 'admin', user.id, user.id],
  );
  return new Set(rows.map((r) => r.id));
}

/** A visible announcement the user may manage (publisher, administrators), else 403. */
export function requireAnnouncementManager(user: User, a: AnnouncementAccess): void {
  if (!manages(user, a)) throw forbidden('Only its publisher and administrators may change it or remind people of it');
}

/** What the viewer may do with an announcement: the DTO's `can`. */
export function announcementAbilities(
  user: User,
  a: Pick<AnnouncementAccess, 'publisherId' | 'head' | 'status' | 'category' | 'requiresAck' | 'expiresAt'>,
  receipt: { mustAcknowledge: boolean } | null,
  now: Date,
) {
  const manager = manages(user, a);
  const live = a.status === 'published' && !isExpired(a, now);
  return {
    acknowledge: receipt?.mustAcknowledge ?? false,
    viewLedger: a.status === 'published' && ledgerReach(user, a) !== null,
    revise: manager && a.status === 'published' && a.category === 'policy',
    remind: manager && live && a.requiresAck,
    edit: manager,
  };
}

const problem = (path: string, code: string, message: string): FieldProblem => ({ path, code, message });

/**
 * The scope names departments and people that exist (400 naming each one that does not, or a
 * deactivated person), and the user may publish to it (403): administrators to anyone; a department
 * head to the departments they head and everything below, and to the people in them; nobody else.
 */
export async function requirePublishableScope(em: EntityManager, user: User, scope: AnnouncementScope): Promise<void> {
  const [known] = await em.execute<{ departments: string[]; users: { id: string; active: boolean; inside: boolean }[]; managed: string[] }[]>(
    `SELECT
       (SELECT coalesce(array_agg(d.id::text), '{}') FROM departments d WHERE d.id = ANY(?::bigint[])) AS departments,
       (SELECT coalesce(json_agg(json_build_object('id', u.id::text, 'active', u.active, 'inside', u.department_id IN (${managedDepartmentsOf('?')}))), '[]') FROM users u WHERE u.id = ANY(?::bigint[])) AS users,
       (SELECT coalesce(array_agg(m.id::text), '{}') FROM (${managedDepartmentsOf('?')}) m WHERE m.id = ANY(?::bigint[])) AS managed`,
    [pgArray(scope.departmentIds), user.id, pgArray(scope.userIds), user.id, pgArray(scope.departmentIds)],
  );
  const departments = new Set(known.departments.map(String));
  const users = new Map(known.users.map((u) => [u.id, u]));
  const problems: FieldProblem[] = [];
  scope.departmentIds.forEach((id, i) => {
    if (!departments.has(id)) problems.push(problem(`scope.departmentIds.${i}`, 'unknown_department', `no department has the id ${id}`));
  });
  scope.userIds.forEach((id, i) => {
    const found = users.get(id);
    if (!found) problems.push(problem(`scope.userIds.${i}`, 'unknown_user', `no user has the id ${id}`));
    else if (!found.active) problems.push(problem(`scope.userIds.${i}`, 'inactive_user', `the user ${id} is deactivated`));
  });
  if (problems.length) throw new AppError(400, 'validation_failed', `The request is not valid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, problems);
  if (user.role === 'admin') return;
  const managed = new Set(known.managed.map(String));
  const head = (await em.execute(`SELECT 1 FROM department_managers WHERE user_id = ? LIMIT 1`, [user.id])).length > 0;
  if (!head) throw forbidden('Only administrators and department heads publish announcements');
  if (scope.everyone) throw forbidden('Only administrators publish to the whole company; a department head publishes to the departments they head');
  const outsideDepartments = scope.departmentIds.filter((id) => !managed.has(id));
  const outsideUsers = scope.userIds.filter((id) => !users.get(id)?.inside);
  if (outsideDepartments.length || outsideUsers.length) {
    throw forbidden(
      `A department head publishes only to the departments they head and the people in them: outside your departments are ${[
        ...outsideDepartments.map((id) => `department ${id}`),
        ...outsideUsers.map((id) => `user ${id}`),
      ].join(', ')}`,
    );
  }
}
