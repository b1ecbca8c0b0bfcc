import { pgArray } from '../../db/sql.js';
import { badRequest } from '../../errors.js';
import type { CommandContext } from '../context.js';
import { notify } from './notify.js';
import { recipients } from './recipients.js';

/**
 * An administrator's system message to named users and to whole departments (with their
 * sub-departments). Named users must all exist and be active, or nothing is sent. Answers how many
 * were notified (or, above the fan-out's chunk size, are being notified by background jobs).
 */
export async function systemMessageSender(cx: CommandContext, input: { recipientIds: string[]; departmentIds: string[]; title: string; body: string; urgent: boolean }): Promise<number> {
  const ids = [...new Set(input.recipientIds)];
  if (ids.length) {
    const [found] = await cx.em.execute<{ n: string }[]>(`SELECT count(*) AS n FROM users WHERE id = ANY(?::bigint[]) AND active`, [pgArray(ids)]);
    if (Number(found.n) !== ids.length) throw badRequest('Some recipients do not exist or are deactivated', [{ path: 'recipientIds', message: 'unknown or deactivated user', code: 'unknown_user' }]);
  }
  const departments = [...new Set(input.departmentIds)];
  if (departments.length) {
    const [found] = await cx.em.execute<{ n: string }[]>(`SELECT count(*) AS n FROM departments WHERE id = ANY(?::bigint[])`, [pgArray(departments)]);
    if (Number(found.n) !== departments.length) throw badRequest('Some departments do not exist', [{ path: 'departmentIds', message: 'unknown department', code: 'unknown_department' }]);
  }
  const to = departments.length ? recipients.union(recipients.users(ids), recipients.departmentSubtrees(departments)) : recipients.users(ids);
  const { recipients: sent } = await notify(cx, to, { kind: 'system', title: input.title, body: input.body, urgent: input.urgent });
  return sent;
}
