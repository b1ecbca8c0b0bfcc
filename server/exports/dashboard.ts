import type { DashboardDTO, DashboardExport } from '../../shared/workbench.js';
import type { Locale } from '../../shared/schemas/common.js';
import type { CsvCell } from './csv.js';

const headers: Record<DashboardExport, Record<Locale, string[]>> = {
  reports: { 'zh-CN': ['姓名', '邮箱', '部门', '缺交', '迟交', '已交'], en: ['Name', 'E-mail', 'Department', 'Missing', 'Late', 'Submitted'] },
  load: { 'zh-CN': ['姓名', '邮箱', '计划', '已记录结果', '过期未记录'], en: ['Name', 'E-mail', 'Planned', 'With result', 'Past without result'] },
  customers: { 'zh-CN': ['客户', '等级', '最后联系', '负责人'], en: ['Customer', 'Tier', 'Last contact', 'Owners'] },
  directives: { 'zh-CN': ['公告', '发布时间', '应确认', '未确认'], en: ['Announcement', 'Published', 'To acknowledge', 'Not acknowledged'] },
};

/** One block of the dashboard as the rows of its table, in the reader's language (the numbers the page shows). */
export function dashboardExport(dashboard: DashboardDTO, block: DashboardExport, locale: Locale): { header: string[]; rows: CsvCell[][] } {
  const header = headers[block][locale];
  switch (block) {
    case 'reports':
      return { header, rows: dashboard.reports.people.map((p) => [p.user.displayName, p.user.email, p.department.name, p.missing, p.late, p.submitted]) };
    case 'load':
      return { header, rows: dashboard.load.map((p) => [p.user.displayName, p.user.email, p.planned, p.done, p.withoutResult]) };
    case 'customers':
      return { header, rows: dashboard.customers.items.map((c) => [c.name, c.tier, c.lastContactAt, c.owners.map((o) => o.displayName).join(', ')]) };
    case 'directives':
      return { header, rows: dashboard.directives.map((d) => [d.announcement.title, d.announcement.publishedAt, d.total, d.unacknowledged]) };
  }
}
