/** What leaves the server: plain JSON, ids as strings, times as ISO 8601. */
import type { Locale } from './schemas/common.js';

export type UserSummaryDTO = { id: string; displayName: string; email: string };

/** Someone the @ picker offers; the department tells namesakes apart. */
export type MentionCandidateDTO = { id: string; displayName: string; departmentName: string };

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
  /** What the user may do: administer the organisation; address reminders to subordinates; open the manager's dashboard. */
  can: { administer: boolean; addressSubordinates: boolean; viewDashboard: boolean };
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

/** One page of any list: `nextCursor` is null on the last page; pass it back as the list's cursor parameter for the next. */
export type Page<T> = { items: T[]; nextCursor: string | null };
