import type { AnnotationDTO, EntryListDTO, ScheduleEntryDTO } from '../../../../shared/schedule';
import type { DepartmentDTO, UserSummaryDTO } from '../../../../shared/dto';
import { api } from '../../api/http';

export type EntryInput = {
  kind: ScheduleEntryDTO['kind'];
  title: string;
  description?: Record<string, unknown> | null;
  start: string;
  end: string;
  allDay: boolean;
  timeZone?: string;
  planPeriod?: ScheduleEntryDTO['planPeriod'];
  customerId?: string | null;
  contactIds?: string[];
  shared?: boolean;
  rrule?: string | null;
  reminderOffsets?: number[];
};

/** The schedule endpoints: the queries, entries, results, annotations and the calendar link. */
export const scheduleApi = {
  person: (userId: string, from: string, to: string) => api.get<EntryListDTO>('/api/schedule/entries', { userId, from, to }),
  team: (from: string, to: string, customerOnly = false) => api.get<EntryListDTO>('/api/schedule/team', { from, to, customerOnly }),
  department: (id: string, from: string, to: string, customerOnly = false) => api.get<EntryListDTO>(`/api/schedule/departments/${id}`, { from, to, customerOnly }),
  visits: (customerId: string, from: string, to: string) => api.get<EntryListDTO>(`/api/schedule/customers/${customerId}/visits`, { from, to }),
  get: (id: string) => api.get<ScheduleEntryDTO>(`/api/schedule/entries/${id}`),
  create: (input: EntryInput) => api.post<ScheduleEntryDTO>('/api/schedule/entries', input),
  update: (id: string, input: Partial<EntryInput> & { status?: ScheduleEntryDTO['status'] }) => api.patch<ScheduleEntryDTO>(`/api/schedule/entries/${id}`, input),
  remove: (id: string) => api.delete(`/api/schedule/entries/${id}`),
  /** Changes one occurrence (it becomes an entry of its own) or it and the following ones (a new series); answers the new entry. */
  editOccurrence: (id: string, occurrenceStart: string, scope: 'this' | 'following', changes: Partial<EntryInput> & { status?: ScheduleEntryDTO['status'] }) =>
    api.post<ScheduleEntryDTO>(`/api/schedule/entries/${id}/occurrences/edit`, { occurrenceStart, scope, changes }),
  deleteOccurrence: (id: string, occurrenceStart: string, scope: 'this' | 'following') => api.post<void>(`/api/schedule/entries/${id}/occurrences/delete`, { occurrenceStart, scope }),
  recordResult: (id: string, result: Record<string, unknown>) => api.put<ScheduleEntryDTO>(`/api/schedule/entries/${id}/result`, { result }),
  annotations: (id: string) => api.get<AnnotationDTO[]>(`/api/schedule/entries/${id}/annotations`),
  annotate: (id: string, body: Record<string, unknown>) => api.post<AnnotationDTO>(`/api/schedule/entries/${id}/annotations`, { body }),
  reply: (annotationId: string, body: Record<string, unknown>) => api.post<AnnotationDTO>(`/api/schedule/annotations/${annotationId}/replies`, { body }),
  departments: () => api.get<DepartmentDTO[]>('/api/departments'),
  subordinates: () => api.get<UserSummaryDTO[]>('/api/me/subordinates'),
  calendarLink: () => api.get<{ active: boolean; createdAt: string | null }>('/api/me/calendar-link'),
  newCalendarLink: () => api.post<{ url: string }>('/api/me/calendar-link'),
  revokeCalendarLink: () => api.delete('/api/me/calendar-link'),
};
