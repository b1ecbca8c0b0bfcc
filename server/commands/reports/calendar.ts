import { periodOf, type ReportKind } from '../../../shared/reportPeriods.js';
import type { HolidayDTO } from '../../../shared/reports.js';
import { notFound } from '../../errors.js';
import { requireSuperiorOrAdmin } from '../../policies/reports.js';
import type { CommandContext } from '../context.js';

/** Sets one day of the organisation's calendar: a holiday, or a weekend day made a working day (the route admits administrators). */
export async function holidaySetter(cx: CommandContext, day: string, input: { kind: 'holiday' | 'workday'; name: string }): Promise<HolidayDTO> {
  await cx.em.execute(`INSERT INTO org_holidays (day, kind, name) VALUES (?, ?, ?) ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name`, [day, input.kind, input.name]);
  return { day, kind: input.kind, name: input.name };
}

/** Makes a day an ordinary one again. */
export async function holidayRemover(cx: CommandContext, day: string): Promise<void> {
  const rows = await cx.em.execute<{ day: string }[]>(`DELETE FROM org_holidays WHERE day = ? RETURNING day::text AS day`, [day]);
  if (!rows.length) throw notFound('The holiday');
}

/**
 * A superior (or an administrator) marks a person's period as not required — leave, a business trip:
 * the status views show it so, and no reminder to submit goes to them for it.
 */
export async function exemptionSetter(cx: CommandContext, input: { userId: string; kind: ReportKind; date: string; reason: string }): Promise<{ userId: string; kind: ReportKind; periodStart: string; reason: string }> {
  await requireSuperiorOrAdmin(cx.em, cx.actor, input.userId);
  const { start } = periodOf(input.kind, input.date);
  await cx.em.execute(
    `INSERT INTO report_exemptions (user_id, kind, period_start, reason, created_by_id, created_at) VALUES (?, ?, ?, ?, ?, now())
     ON CONFLICT (user_id, kind, period_start) DO UPDATE SET reason = excluded.reason, created_by_id = excluded.created_by_id`,
    [input.userId, input.kind, start, input.reason, cx.actor.id],
  );
  return { userId: input.userId, kind: input.kind, periodStart: start, reason: input.reason };
}

/** Takes an exemption back: the period is owed again. */
export async function exemptionRemover(cx: CommandContext, input: { userId: string; kind: ReportKind; date: string }): Promise<void> {
  await requireSuperiorOrAdmin(cx.em, cx.actor, input.userId);
  const rows = await cx.em.execute(`DELETE FROM report_exemptions WHERE user_id = ? AND kind = ? AND period_start = ? RETURNING user_id`, [input.userId, input.kind, periodOf(input.kind, input.date).start]);
  if (!rows.length) throw notFound('The exemption');
}
