import type { AnnotationDTO, AnnotationEventDTO } from '../../../../shared/annotations';
import type { DepartmentDTO, Page } from '../../../../shared/dto';
import type { ReportKind } from '../../../../shared/reportPeriods';
import type { HolidayDTO, ReportCalendarDTO, ReportDTO, ReportRuleDTO, ReportSectionDTO, ReportStatusDTO, ReportSummaryDTO, ReportTemplateDTO, ReportVersionDTO } from '../../../../shared/reports';
import { api } from '../../api/http';

export type InboxFilters = { authorId?: string; departmentId?: string; kind?: ReportKind; from?: string; to?: string; status?: 'unread' | 'read' | 'late' | 'on_time' };
export type RuleInput = Omit<ReportRuleDTO, 'id' | 'department' | 'updatedAt' | 'can'> & { departmentId: string | null };
export type TemplateInput = { name: string; kinds: ReportKind[]; sections: ReportSectionDTO[]; departmentIds: string[] };

/** The report endpoints: one's own, the inbox, a report and its annotations, status, settings. */
export const reportsApi = {
  open: (kind: ReportKind, date: string) => api.post<ReportDTO>('/api/reports', { kind, date }),
  mine: (cursor?: string, kind?: ReportKind) => api.get<Page<ReportSummaryDTO>>('/api/reports/mine', { cursor, kind, limit: 30 }),
  inbox: (filters: InboxFilters, cursor?: string) => api.get<Page<ReportSummaryDTO>>('/api/reports/inbox', { ...filters, cursor, limit: 30 }),
  get: (id: string) => api.get<ReportDTO>(`/api/reports/${id}`),
  save: (id: string, input: { revision: number; content?: Record<string, unknown>; ccUserIds?: string[]; ccDepartmentIds?: string[] }) => api.patch<ReportDTO>(`/api/reports/${id}`, input),
  submit: (id: string, revision: number) => api.post<ReportDTO>(`/api/reports/${id}/submit`, { revision }),
  read: (id: string) => api.post<{ readAt: string | null }>(`/api/reports/${id}/read`),
  fromSchedule: (id: string) => api.post<{ report: ReportDTO; filled: string[] }>(`/api/reports/${id}/draft-from-schedule`),
  version: (id: string, version: number) => api.get<ReportVersionDTO>(`/api/reports/${id}/versions/${version}`),
  annotations: (id: string) => api.get<AnnotationDTO[]>(`/api/reports/${id}/annotations`),
  annotate: (id: string, body: Record<string, unknown>, anchor?: { sectionKey: string; markId: string; revision: number; document: Record<string, unknown> }) =>
    api.post<AnnotationEventDTO>(`/api/reports/${id}/annotations`, { body, ...(anchor ? { anchor } : {}) }),
  status: (query: { departmentId?: string; kind: ReportKind; view: 'day' | 'week' | 'month'; date: string }) => api.get<ReportStatusDTO>('/api/reports/status', query),
  remind: (input: { departmentId?: string; kind: ReportKind; date: string }) => api.post<{ reminded: number }>('/api/reports/status/remind', input),
  exempt: (input: { userId: string; kind: ReportKind; date: string; reason: string }) => api.put('/api/reports/exemptions', input),
  templates: () => api.get<ReportTemplateDTO[]>('/api/reports/templates'),
  createTemplate: (input: TemplateInput) => api.post<ReportTemplateDTO>('/api/reports/templates', input),
  updateTemplate: (id: string, input: Partial<TemplateInput> & { active?: boolean }) => api.patch<ReportTemplateDTO>(`/api/reports/templates/${id}`, input),
  rules: () => api.get<ReportRuleDTO[]>('/api/reports/rules'),
  saveRule: (input: RuleInput) => api.put<ReportRuleDTO>('/api/reports/rules', input),
  deleteRule: (id: string) => api.delete(`/api/reports/rules/${id}`),
  calendar: (year: number) => api.get<ReportCalendarDTO>('/api/reports/calendar', { year }),
  setHoliday: (day: string, kind: HolidayDTO['kind'], name: string) => api.put<HolidayDTO>(`/api/reports/holidays/${day}`, { kind, name }),
  removeHoliday: (day: string) => api.delete(`/api/reports/holidays/${day}`),
  departments: () => api.get<DepartmentDTO[]>('/api/departments'),
  updateOrgSettings: (input: { timeZone?: string; reportDaysAhead?: number; reportClosedAfterDays?: number }) => api.patch('/api/settings', input),
};
