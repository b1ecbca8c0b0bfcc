import type {
  AnnouncementDTO,
  AnnouncementScope,
  AnnouncementSummaryDTO,
  AnnouncementVersionDTO,
  EscalationLadder,
  EscalationLimits,
  LedgerRowDTO,
  LedgerSummaryDTO,
} from '../../../../shared/announcements';
import type { DepartmentDTO, Page } from '../../../../shared/dto';
import { api } from '../../api/http';

export type AnnouncementInput = {
  title: string;
  body: Record<string, unknown>;
  category: AnnouncementDTO['category'];
  priority: AnnouncementDTO['priority'];
  requiresAck: boolean;
  scope: AnnouncementScope;
  publishAt: string | null;
  expiresAt: string | null;
  pinned: boolean;
  escalation: EscalationLadder | null;
};

export type Feed = Page<AnnouncementSummaryDTO> & { pinned: AnnouncementSummaryDTO[]; unreadCount: number };
export type LedgerFilter = { state?: 'unread' | 'read' | 'acknowledged' | 'unacknowledged'; departmentId?: string };

/** The announcement endpoints. */
export const announcementsApi = {
  feed: (query: { box: 'inbox' | 'sent' | 'all'; q?: string; category?: string; cursor?: string }) => api.get<Feed>('/api/announcements', { ...query, limit: 30 }),
  attention: () => api.get<{ urgent: AnnouncementSummaryDTO[]; unreadCount: number }>('/api/announcements/attention'),
  get: (id: string) => api.get<AnnouncementDTO>(`/api/announcements/${id}`),
  create: (input: AnnouncementInput) => api.post<AnnouncementDTO>('/api/announcements', input),
  previewScope: (scope: AnnouncementScope) => api.post<{ recipients: number }>('/api/announcements/preview-scope', { scope }),
  update: (id: string, input: { pinned?: boolean; expiresAt?: string | null }) => api.patch<AnnouncementDTO>(`/api/announcements/${id}`, input),
  read: (id: string) => api.post<AnnouncementDTO>(`/api/announcements/${id}/read`),
  acknowledge: (id: string, reply?: string) => api.post<AnnouncementDTO>(`/api/announcements/${id}/acknowledge`, reply ? { reply } : {}),
  versions: (id: string) => api.get<AnnouncementVersionDTO[]>(`/api/announcements/${id}/versions`),
  revise: (id: string, input: { title?: string; body: Record<string, unknown>; requireReacknowledge: boolean }) => api.post<AnnouncementDTO>(`/api/announcements/${id}/revisions`, input),
  remind: (id: string, channel: 'app' | 'email' | 'sms') => api.post<{ reminded: number }>(`/api/announcements/${id}/remind`, { channel }),
  ledger: (id: string) => api.get<LedgerSummaryDTO>(`/api/announcements/${id}/ledger`),
  ledgerRows: (id: string, filter: LedgerFilter, cursor?: string) => api.get<Page<LedgerRowDTO>>(`/api/announcements/${id}/ledger/rows`, { ...filter, cursor, limit: 50 }),
  exportUrl: (id: string, filter: LedgerFilter) => {
    const params = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => !!e[1]));
    const query = params.toString();
    return `/api/announcements/${id}/ledger/export${query ? `?${query}` : ''}`;
  },
  departments: () => api.get<DepartmentDTO[]>('/api/departments'),
  limits: async () => (await api.get<{ escalationLimits: EscalationLimits }>('/api/settings')).escalationLimits,
};
