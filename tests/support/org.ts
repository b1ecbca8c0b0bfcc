import type { ApiClient } from './api.js';
import { ok } from './api.js';
import { createDepartment, createUser, rootDepartment } from './factories.js';

type Member = { user: any; api: ApiClient };

/**
 * A small organisation for schedule and customer tests:
 *   Sales (manager m) > East (manager e; members a, b)
 *   Support (manager s; member c)
 */
export async function buildOrg(admin: ApiClient, fields: Record<string, unknown> = {}) {
  const root = await rootDepartment(admin);
  const sales = await createDepartment(admin, `Sales ${Math.random().toString(36).slice(2, 7)}`, root.id);
  const east = await createDepartment(admin, `East ${Math.random().toString(36).slice(2, 7)}`, sales.id);
  const support = await createDepartment(admin, `Support ${Math.random().toString(36).slice(2, 7)}`, root.id);
  const [m, e, a, b, s, c] = await Promise.all([sales.id, east.id, east.id, east.id, support.id, support.id].map((d) => createUser(admin, d, fields)));
  ok(await admin.patch(`/api/departments/${sales.id}`, { managerIds: [m.user.id] }));
  ok(await admin.patch(`/api/departments/${east.id}`, { managerIds: [e.user.id] }));
  ok(await admin.patch(`/api/departments/${support.id}`, { managerIds: [s.user.id] }));
  return { departments: { sales, east, support }, m, e, a, b, s, c } as { departments: Record<'sales' | 'east' | 'support', any> } & Record<'m' | 'e' | 'a' | 'b' | 's' | 'c', Member>;
}
