import type { EntityManager } from '@mikro-orm/postgresql';
import type { ReportKind } from '../../shared/reportPeriods.js';
import type { ReportCellStatus, ReportStatusDTO } from '../../shared/reports.js';
import type { Locale } from '../../shared/schemas/common.js';
import type { User } from '../entities/User.js';
import { reportReadableFilter } from '../policies/reports.js';
import type { CsvCell } from './csv.js';

const words: Record<Locale, { status: Record<ReportCellStatus, string>; kind: Record<ReportKind, string>; yes: string; no: string }> = {
  'zh-CN': {
    status: { submitted: '已提交', late: '迟交', missing: '未交', pending: '待交', not_required: '无需提交', elsewhere: '不在本部门' },
    kind: { daily: '日报', weekly: '周报', monthly: '月报' },
    yes: '是',
    no: '否',
  },
  en: {
    status: { submitted: 'submitted', late: 'late', missing: 'missing', pending: 'pending', not_required: 'not required', elsewhere: 'elsewhere' },
    kind: { daily: 'daily', weekly: 'weekly', monthly: 'monthly' },
    yes: 'yes',
    no: 'no',
  },
};

/** The status grid as CSV: a row per person (name, e-mail, department, moved) and a column per period, in the user's language. */
export function statusExport(status: ReportStatusDTO, locale: Locale): { header: string[]; rows: CsvCell[][] } {
  const w = words[locale];
  const header = [...(locale === 'zh-CN' ? ['姓名', '邮箱', '部门', '期间调动'] : ['Name', 'E-mail', 'Department', 'Moved']), ...status.periods.map((p) => (p.start === p.end ? p.start : `${p.start}–${p.end}`))];
  const rows = status.people.map((p) => [p.user.displayName, p.user.email, p.department.name, p.moved ? w.yes : w.no, ...p.cells.map((c) => w.status[c.status])]);
  return { header, rows };
}

/** The header of a reports export in the user's language. */
export function reportsExportHeader(locale: Locale): string[] {
  return locale === 'zh-CN'
    ? ['作者', '邮箱', '部门', '类型', '开始', '结束', '提交时间', '截止时间', '迟交', '版本', '已阅人数', '批注数', '内容']
    : ['Author', 'E-mail', 'Department', 'Kind', 'Start', 'End', 'Submitted', 'Deadline', 'Late', 'Version', 'Read by', 'Annotations', 'Text'];
}

const PAGE = 500;
type Row = { id: string; author: string; email: string; department: string | null; kind: ReportKind; period_start: string; period_end: string; submitted_at: string; deadline_at: string | null; late: boolean; version: number; reads: number; annotations: number; text: string; key_at: string };

/**
 * The submitted reports of a range the user may read (reportReadableFilter, as every read of reports),
 * oldest first, optionally of one kind and one department subtree: a page at a time in key order,
 * so that a year of a whole company holds one page in memory.
 */
export async function* reportsExportRows(em: EntityManager, user: User, query: { from: string; to: string; kind?: ReportKind; departmentId?: string }): AsyncGenerator<CsvCell[]> {
  const readable = reportReadableFilter(user);
  const w = words[user.locale as Locale];
  let after: [string, string] | null = null;
  for (;;) {
    const rows: Row[] = await em.execute<Row[]>(
      `SELECT r.id::text AS id, u.display_name AS author, u.email, d.name AS department, r.kind, r.period_start::text AS period_start, r.period_end::text AS period_end,
         to_char(r.submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS submitted_at, to_char(r.deadline_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS deadline_at,
         coalesce(r.submitted_at > r.deadline_at, false) AS late, r.version,
         (SELECT count(*) FROM report_reads x WHERE x.report_id = r.id)::int AS reads,
         (SELECT count(*) FROM annotations a WHERE a.report_id = r.id AND a.parent_id IS NULL AND a.deleted_at IS NULL)::int AS annotations,
         r.text, r.submitted_at::text AS key_at
       FROM reports r JOIN users u ON u.id = r.author_id LEFT JOIN departments d ON d.id = r.department_id
       WHERE r.status = 'submitted' AND r.period_start <= ? AND r.period_end >= ? AND ${readable.sql}
         ${query.kind ? 'AND r.kind = ?' : ''}
         ${query.departmentId ? 'AND r.department_id IN (WITH RECURSIVE sub(id) AS (SELECT ?::bigint UNION SELECT sd.id FROM departments sd JOIN sub ON sd.parent_id = sub.id) SELECT id FROM sub)' : ''}
         ${after ? 'AND (r.submitted_at, r.id) > (?::timestamptz, ?::bigint)' : ''}
       ORDER BY r.submitted_at, r.id LIMIT ?`,
      [query.to, query.from, ...readable.params, ...(query.kind ? [query.kind] : []), ...(query.departmentId ? [query.departmentId] : []), ...(after ?? []), PAGE],
    );
    for (const r of rows) {
      yield [r.author, r.email, r.department ?? '', w.kind[r.kind], r.period_start, r.period_end, r.submitted_at, r.deadline_at ?? '', r.late ? w.yes : w.no, r.version, r.reads, r.annotations, r.text];
    }
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1];
    after = [last.key_at, String(last.id)];
  }
}
