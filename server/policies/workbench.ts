import type { EntityManager } from '@mikro-orm/postgresql';
import type { User } from '../entities/User.js';
import { defaultStatusDepartment, requireStatusViewer } from './reports.js';

/**
 * The dashboard is for those who head a department (over the subtree of one they manage) and for
 * administrators (any department; the top one by default). It is the status view's rule: staff,
 * and anyone asking about a department outside their authority, get a 404 that reveals nothing.
 * Each block then reads through its own feature's predicate (schedule, customers, announcements'
 * ledger rows), narrowed to the department's subtree.
 */
export async function requireDashboardDepartment(em: EntityManager, user: User, departmentId: string | undefined): Promise<string> {
  if (!departmentId) return defaultStatusDepartment(em, user);
  await requireStatusViewer(em, user, departmentId);
  return departmentId;
}

