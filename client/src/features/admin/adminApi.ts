import type { DepartmentDTO, Page, UserDTO } from '../../../../shared/dto';
import type { Locale } from '../../../../shared/schemas/common';
import type { CustomerVisibility } from '../../../../shared/customers';
import { api } from '../../api/http';

export type DepartmentInput = { name?: string; parentId?: string | null; managerIds?: string[] };
export type UserInput = {
  email?: string;
  displayName?: string;
  password?: string;
  departmentId?: string;
  role?: 'admin' | 'member';
  locale?: Locale;
  timeZone?: string;
  mobile?: string | null;
  active?: boolean;
};

export type OrgSettings = { customerVisibility: CustomerVisibility };

/** Administrator calls for the organisation tree, accounts and system messages. */
export const adminApi = {
  /** An admin-only read: the server's answer decides whether the admin area opens at all. */
  checkAccess: (myId: string) => api.get<UserDTO>(`/api/users/${encodeURIComponent(myId)}`),
  departments: () => api.get<DepartmentDTO[]>('/api/departments'),
  createDepartment: (input: DepartmentInput) => api.post<DepartmentDTO>('/api/departments', input),
  updateDepartment: (id: string, input: DepartmentInput) => api.patch<DepartmentDTO>(`/api/departments/${id}`, input),
  deleteDepartment: (id: string) => api.delete(`/api/departments/${id}`),
  users: (q: string, limit = 200) => api.get<Page<UserDTO>>('/api/users', { q, includeInactive: true, limit }),
  createUser: (input: UserInput) => api.post<UserDTO>('/api/users', input),
  updateUser: (id: string, input: UserInput) => api.patch<UserDTO>(`/api/users/${id}`, input),
  resetPassword: (id: string, password: string) => api.post<void>(`/api/users/${id}/password`, { password }),
  settings: () => api.get<OrgSettings>('/api/settings'),
  updateSettings: (input: Partial<OrgSettings>) => api.patch<OrgSettings>('/api/settings', input),
  sendSystemMessage: (input: { recipientIds: string[]; title: string; body: string; urgent: boolean }) => api.post<{ sent: number }>('/api/notifications/system', input),
};
