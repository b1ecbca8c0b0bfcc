import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server.js';
import type { ApiClient } from '../../support/api.js';
import { createUser, rootDepartment } from '../../support/factories.js';

let server: TestServer;
let api: ApiClient;
let admin: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.admin();
  api = (await createUser(admin, (await rootDepartment(admin)).id)).api;
});
afterAll(() => server?.close());

/** The details of a 400, as a client puts them beside its fields: by path, worded by code. */
const problems = async (response: Promise<{ status: number; body: any }>) => {
  const res = await response;
  expect(res.status).toBe(400);
  return (res.body.error.details as { path: string; code: string; message: string }[]).map(({ path, code, message }) => {
    expect(message).toEqual(expect.any(String));
    return { path, code };
  });
};

describe('field problems carry a machine-readable code beside their path', () => {
  it('from the shared schemas: required, format, type', async () => {
    expect(await problems(api.post('/api/reminders', { title: '', dtstart: '2030-01-01T09:00', timeZone: 'Asia/Shanghai' }))).toEqual([{ path: 'title', code: 'required' }]);
    expect(await problems(admin.post('/api/users', { email: 'not-an-address', displayName: 'X', password: 'Lantern-harbour-42', departmentId: '1' }))).toEqual([{ path: 'email', code: 'invalid_format' }]);
    expect(await problems(api.patch('/api/me/notification-settings', { quietHours: { start: '25:00', end: '08:00' } }))).toEqual([{ path: 'quietHours.start', code: 'invalid_format' }]);
  });

  it('from the commands: the field at fault, named by the problem rather than found in its wording', async () => {
    const reminder = (fields: Record<string, unknown>) => api.post('/api/reminders', { title: 'x', dtstart: '2030-01-01T09:00', timeZone: 'Asia/Shanghai', ...fields });
    expect(await problems(reminder({ rrule: 'FREQ=MONTHLY;BYMONTHDAY=32' }))).toEqual([{ path: 'rrule', code: 'invalid_rule' }]);
    expect(await problems(reminder({ timeZone: 'Mars/Base' }))).toEqual([{ path: 'timeZone', code: 'unknown_time_zone' }]);
    expect(await problems(reminder({ dtstart: '2001-01-01T09:00' }))).toEqual([{ path: 'dtstart', code: 'in_the_past' }]);
    expect(await problems(reminder({ dtstart: '2030-02-30T09:00' }))).toEqual([{ path: 'dtstart', code: 'invalid_local_time' }]);
    expect(await problems(api.get('/api/recurrence/preview?rrule=FREQ=DAILY&dtstart=2030-01-01T09:00&tz=Mars/Base'))).toEqual([{ path: 'tz', code: 'unknown_time_zone' }]);
    expect(await problems(api.post('/api/schedule/entries', { kind: 'call', title: 'x', start: '2030-01-01T10:00', end: '2030-01-01T09:00' }))).toEqual([{ path: 'end', code: 'before_start' }]);
    expect(await problems(api.post('/api/conversations', { name: 'g', memberIds: ['987654321'] }))).toEqual([{ path: 'userIds', code: 'unknown_user' }]);
  });
});
