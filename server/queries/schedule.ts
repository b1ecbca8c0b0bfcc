import type { EntityManager } from '@mikro-orm/postgresql';
import { Temporal } from 'temporal-polyfill';
import type { EntryListDTO } from '../../shared/schedule.js';
import type { User } from '../entities/User.js';
import { pgArray } from '../db/sql.js';
import { customerVisibilityFilter, requireVisibleCustomer } from '../policies/customers.js';
import { subordinateIdsSql, subordinatesAmong } from '../policies/hierarchy.js';
import { abilitiesFor, entryVisibilityFilter, requireDepartmentScheduleViewer, requirePersonScheduleViewer } from '../policies/schedule.js';
import { entriesInRange } from './scheduleEntries.js';

export type Range = { from: Date; to: Date };

/** A day (YYYY-MM-DD) in a zone as the range from its midnight to the next. */
export function dayRange(day: string, timeZone: string): Range {
  const date = Temporal.PlainDate.from(day);
  const at = (d: Temporal.PlainDate) => new Date(d.toZonedDateTime({ timeZone }).epochMilliseconds);
  return { from: at(date), to: at(date.add({ days: 1 })) };
}

const customerOnlyWhere = (customerOnly: boolean) => (customerOnly ? ['e.customer_id IS NOT NULL'] : []);

/**
 * One person's entries over a range: their own, a subordinate's, or a colleague's in the
 * same department (then only what they shared). Anyone else's schedule is a 404.
 */
export async function personEntries(em: EntityManager, viewer: User, userId: string, range: Range): Promise<EntryListDTO> {
  const { superior } = await requirePersonScheduleViewer(em, viewer, userId);
  const visibility = entryVisibilityFilter(viewer);
  return entriesInRange(em, { column: 'owner_id', values: '?', params: [userId], where: [visibility.sql], whereParams: visibility.params }, range.from, range.to, abilitiesFor(viewer.id, () => superior));
}

/**
 * A department's entries over a range (its own members, not sub-departments): all of them for
 * its managers and their superiors, only shared ones (and one's own) for its members, 404 otherwise.
 */
export async function departmentEntries(em: EntityManager, viewer: User, departmentId: string, range: Range, customerOnly: boolean): Promise<EntryListDTO> {
  const { manages } = await requireDepartmentScheduleViewer(em, viewer, departmentId);
  // A manager sees every member of the subtree they manage, so the visibility test adds nothing there.
  const visibility = manages ? { sql: 'TRUE', params: [] } : entryVisibilityFilter(viewer);
  return entriesInRange(
    em,
    { column: 'owner_id', values: 'SELECT id FROM users WHERE department_id = ?', params: [departmentId], where: [visibility.sql, ...customerOnlyWhere(customerOnly)], whereParams: visibility.params },
    range.from,
    range.to,
    // Every other member of a department one manages (directly or above) is a subordinate.
    abilitiesFor(viewer.id, () => manages),
  );
}

/** A manager's whole team (every subordinate in the managed subtree) over a range. */
export async function teamEntries(em: EntityManager, viewer: User, range: Range, customerOnly: boolean): Promise<EntryListDTO> {
  return entriesInRange(
    em,
    { column: 'owner_id', values: subordinateIdsSql, params: [viewer.id, viewer.id], where: customerOnlyWhere(customerOnly), whereParams: [] },
    range.from,
    range.to,
    abilitiesFor(viewer.id, () => true),
  );
}

/** Entries of given kinds (visits by default) with one customer over a range, with who made them. */
export async function customerVisits(em: EntityManager, viewer: User, customerId: string, range: Range, kinds: string[]): Promise<EntryListDTO> {
  // The visibility test rides along as a gate on the whole answer (evaluated once); only an empty
  // answer needs the separate check that tells "none in the range" from "not yours to see" (404).
  const visible = await customerVisibilityFilter(em, viewer, 'vc');
  const list = await entriesInRange(
    em,
    {
      column: 'customer_id', values: '?', params: [customerId], where: ['e.kind = ANY(?::text[])'], whereParams: [pgArray(kinds)],
      gate: { sql: `EXISTS (SELECT 1 FROM customers vc WHERE vc.id = ? AND ${visible.sql})`, params: [customerId, ...visible.params] },
    },
    range.from,
    range.to,
    abilitiesFor(viewer.id, () => false),
  );
  if (!list.data.length) {
    await requireVisibleCustomer(em, viewer, customerId);
    return list;
  }
  // Many people visit a customer: which of them are the viewer's subordinates, in one query.
  const subordinates = await subordinatesAmong(em, viewer.id, [...new Set(list.data.map((e) => e.owner.id))]);
  const can = abilitiesFor(viewer.id, (ownerId) => subordinates.has(ownerId));
  return { ...list, data: list.data.map((e) => ({ ...e, can: can(e.owner.id) })) };
}
