/** What leaves the server: plain JSON, ids as strings, times as ISO 8601. */
import type { Locale } from './schemas/common.js';

export type UserSummaryDTO = { id: string; displayName: string; email: string };

export type UserDTO = UserSummaryDTO & {
  locale: Locale;
  timeZone: string;
  mobile: string | null;
  role: 'admin' | 'member';
  active: boolean;
  departmentId: string;
  createdAt: string;
};

export type DepartmentDTO = {
  id: string;
  name: string;
  parentId: string | null;
  managers: UserSummaryDTO[];
  memberCount: number;
};

export type MeDTO = UserDTO & {
  department: { id: string; name: string };
  superiors: UserSummaryDTO[];
  managesAnyone: boolean;
};

export type NotificationDTO = {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  data: Record<string, unknown> | null;
  urgent: boolean;
  readAt: string | null;
  createdAt: string;
};

export type Page<T> = { data: T[]; nextCursor: string | null };
