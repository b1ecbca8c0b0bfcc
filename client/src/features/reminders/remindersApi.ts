import type { DepartmentDTO, UserSummaryDTO } from '../../../../shared/dto';
import type { DeliveryDTO, NotificationSettingsDTO, ReminderDTO } from '../../../../shared/reminders';
import { api, requestBody } from '../../api/http';

export type ReminderInput = {
  title: string;
  note?: Record<string, unknown> | null;
  dtstart: string;
  timeZone: string;
  rrule: string | null;
  exdates?: string[];
  channels: ('email' | 'sms')[];
  recipients: { self: boolean; userIds: string[]; departmentIds: string[] };
  urgent: boolean;
};

export type OutboxItem = DeliveryDTO & { title: string; kind: string };

/** The reminders, notification settings, delivery status and outbox endpoints. */
export const remindersApi = {
  list: () => api.get<{ items: ReminderDTO[]; nextCursor: string | null }>('/api/reminders', { limit: 100 }),
  create: (input: ReminderInput) => api.post<ReminderDTO>('/api/reminders', input),
  update: (id: string, input: Partial<ReminderInput>) => api.patch<ReminderDTO>(`/api/reminders/${id}`, input),
  pause: (id: string) => api.post<ReminderDTO>(`/api/reminders/${id}/pause`),
  resume: (id: string) => api.post<ReminderDTO>(`/api/reminders/${id}/resume`),
  remove: (id: string) => api.delete(`/api/reminders/${id}`),
  upcoming: (id: string, count = 5) => api.get<{ occurrences: string[] }>(`/api/reminders/${id}/occurrences`, { count }),
  deliveries: (id: string) => api.get<{ items: DeliveryDTO[] }>(`/api/reminders/${id}/deliveries`, { limit: 50 }),
  preview: (query: { rrule: string | null; dtstart: string; tz: string; count: number }) =>
    // The preview answers `{ occurrences }` itself, without the usual `data` envelope (its shape is specified).
    requestBody<{ occurrences: string[] }>('GET', '/api/recurrence/preview', { query: { rrule: query.rrule ?? undefined, dtstart: query.dtstart, tz: query.tz, count: query.count } }),
  snooze: (occurrenceId: string, duration: '10m' | '1h' | 'tomorrow') => api.post<{ occurrenceId: string | null; dueAt: string }>(`/api/reminders/occurrences/${occurrenceId}/snooze`, { for: duration }),
  subordinates: () => api.get<UserSummaryDTO[]>('/api/me/subordinates'),
  departments: () => api.get<DepartmentDTO[]>('/api/departments'),
  settings: () => api.get<NotificationSettingsDTO>('/api/me/notification-settings'),
  saveSettings: (input: Partial<NotificationSettingsDTO>) => api.patch<NotificationSettingsDTO>('/api/me/notification-settings', input),
  notificationDeliveries: (notificationId: string) => api.get<{ app: string; deliveries: DeliveryDTO[] }>(`/api/notifications/${notificationId}/deliveries`),
  outbox: (query: { status?: string; channel?: string; before?: string }) =>
    api.get<{ items: OutboxItem[]; nextCursor: string | null; channels: { email: string; sms: string; push: string } }>('/api/admin/outbox', { ...query, limit: 50 }),
};
