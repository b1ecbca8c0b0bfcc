import type { EntityManager } from '@mikro-orm/postgresql';
import type { ReportKind } from '../../../shared/reportPeriods.js';

/** How notifications name a report: “the daily report of 王芳 for 2026-03-02” (their texts are English, as every notification's). */
export function describeReport(r: { kind: ReportKind; periodStart: string; periodEnd: string; authorName: string }): string {
  const period = r.kind === 'daily' ? r.periodStart : r.kind === 'weekly' ? `the week ${r.periodStart} – ${r.periodEnd}` : r.periodStart.slice(0, 7);
  return `the ${r.kind} report of ${r.authorName} for ${period}`;
}

/** describeReport of a stored report. */
export async function reportTitle(em: EntityManager, reportId: string): Promise<string> {
  const [row] = await em.execute<{ kind: ReportKind; period_start: string; period_end: string; author_name: string }[]>(
    `SELECT r.kind, r.period_start::text AS period_start, r.period_end::text AS period_end, u.display_name AS author_name FROM reports r JOIN users u ON u.id = r.author_id WHERE r.id = ?`,
    [reportId],
  );
  return describeReport({ kind: row.kind, periodStart: row.period_start, periodEnd: row.period_end, authorName: row.author_name });
}
