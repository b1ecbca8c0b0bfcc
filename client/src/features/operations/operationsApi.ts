import type { AuditEntryDTO, BackupDTO, BackupOverview, BackupStatus } from '../../../../shared/audit';
import type { Page } from '../../../../shared/dto';
import { api } from '../../api/http';

export type AuditFilters = { actorId?: string; action?: string; targetType?: string; targetId?: string; address?: string; from?: string; to?: string };

const defined = (filters: AuditFilters) => Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined && v !== '')) as Record<string, string>;

/** The audit log and the backups (administrators; the server answers 404 to anyone else). */
export const operationsApi = {
  audit: (filters: AuditFilters, before?: string) => api.get<Page<AuditEntryDTO>>('/api/admin/audit', { ...defined(filters), ...(before ? { before } : {}), limit: 50 }),
  /** The CSV export's address for the same filters (a download the browser makes with the session cookie). */
  auditExportUrl: (filters: AuditFilters) => `/api/admin/audit/export?${new URLSearchParams(defined(filters)).toString()}`,
  backups: (before?: string) => api.get<Page<BackupDTO> & BackupOverview>('/api/admin/backups', before ? { before } : {}),
  /** The banner's question, asked by the shell on every page for administrators. */
  backupStatus: () => api.get<BackupStatus>('/api/admin/backups/status'),
  startBackup: () => api.post<BackupDTO>('/api/admin/backups', {}),
  downloadUrl: (id: string) => `/api/admin/backups/${encodeURIComponent(id)}/download`,
};
