import type { DashboardDTO, WorkbenchDTO } from '../../../../shared/workbench';
import { api } from '../../api/http';

/** The workbench and the dashboard: reads only (the work itself is done on each feature's page). */
export const workbenchApi = {
  workbench: () => api.get<WorkbenchDTO>('/api/workbench'),
  dashboard: (departmentId?: string) => api.get<DashboardDTO>('/api/dashboard', departmentId ? { departmentId } : {}),
};

/** The CSV of one dashboard block (a plain link: the browser downloads it with the session cookie). */
export const dashboardExportUrl = (block: string, departmentId?: string) => `/api/dashboard/export?${new URLSearchParams({ block, ...(departmentId ? { departmentId } : {}) })}`;
