import { ok, type ApiClient, type ApiResponse } from './api.js';
import { textBody } from './chat.js';

/** The body of a publication: a notice to the named scope unless `fields` say otherwise. */
export function announcementBody(title: string, scope: { everyone?: boolean; departmentIds?: string[]; userIds?: string[] }, fields: Record<string, unknown> = {}) {
  return { title, body: textBody(`${title}: the text everyone must read.`), category: 'notice', scope: { everyone: false, departmentIds: [], userIds: [], ...scope }, ...fields };
}

/** Publishes through the API and returns the announcement (fails the test unless 201). */
export async function publish(api: ApiClient, title: string, scope: Parameters<typeof announcementBody>[1], fields: Record<string, unknown> = {}) {
  return ok(await api.post('/api/announcements', announcementBody(title, scope, fields)), 201);
}

/** The error code of a refusal, or `ok` for a 2xx answer (for tables of what each side may do). */
export const outcome = (res: ApiResponse) => (res.status < 300 ? 'ok' : `${res.status} ${res.body?.error?.code}`);
