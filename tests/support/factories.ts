import { ApiClient, ok, unique } from './api.js';

// Strong enough for the password rule (zxcvbn score 3 or more).
export const PASSWORD = 'Lantern-harbour-42';

/** Creates a department through the admin API. */
export async function createDepartment(admin: ApiClient, name: string, parentId: string | null = null, managerIds: string[] = []) {
  return ok(await admin.post('/api/departments', { name, parentId, managerIds }), 201);
}

/** Creates a user through the admin API and returns it with a signed-in client. */
export async function createUser(admin: ApiClient, departmentId: string, fields: Record<string, unknown> = {}) {
  const email = `${unique('user')}@huitong.test`;
  const user = ok(await admin.post('/api/users', { email, displayName: unique('Name'), password: PASSWORD, departmentId, ...fields }), 201);
  const api = new ApiClient(admin.baseUrl);
  await api.login(user.email, PASSWORD);
  return { user, api };
}

/** The root department the server created with the first administrator. */
export async function rootDepartment(admin: ApiClient) {
  const departments = ok<any[]>(await admin.get('/api/departments'));
  return departments.find((d) => d.parentId === null);
}
