import type { EntityManager } from '@mikro-orm/postgresql';
import type { ReportKind } from '../../shared/reportPeriods.js';
import type { HolidayDTO, ReportRuleDTO, ReportTemplateDTO } from '../../shared/reports.js';
import type { User } from '../entities/User.js';
import { managedDepartmentsSql } from '../policies/hierarchy.js';
import { presentHoliday, presentRule, presentTemplate, type RuleRow, type TemplateRow } from '../presenters/report.js';

/** Whether the viewer may change a template (alias t): administrators any, a manager those only about departments they manage. */
const templateEditable = `CASE WHEN ? THEN TRUE WHEN t.built_in OR jsonb_array_length(t.department_ids) = 0 THEN FALSE
  ELSE NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(t.department_ids) x WHERE x::bigint NOT IN (${managedDepartmentsSql})) END`;

const templateColumns = `t.id::text AS id, t.name, t.kinds, t.sections, t.built_in, t.active, t.updated_at,
  coalesce((SELECT json_agg(json_build_object('id', d.id::text, 'name', d.name) ORDER BY d.name) FROM departments d WHERE t.department_ids @> to_jsonb(d.id::text)), '[]') AS departments,
  ${templateEditable} AS editable`;

/** Every template (they say nothing secret), built-in ones first, with whether the viewer may change each. */
export async function listTemplates(em: EntityManager, user: User): Promise<ReportTemplateDTO[]> {
  const rows = await em.execute<TemplateRow[]>(`SELECT ${templateColumns} FROM report_templates t ORDER BY t.built_in DESC, t.name, t.id`, [user.role === 'admin', user.id]);
  return rows.map(presentTemplate);
}

/** One template, or null. */
export async function templateById(em: EntityManager, user: User, id: string): Promise<ReportTemplateDTO | null> {
  const [row] = await em.execute<TemplateRow[]>(`SELECT ${templateColumns} FROM report_templates t WHERE t.id = ?`, [user.role === 'admin', user.id, id]);
  return row ? presentTemplate(row) : null;
}

const ruleColumns = `r.id::text AS id, r.kind, r.department_id::text AS department_id, d.name AS department_name, r.required, r.deadline_day, r.deadline_time,
  r.remind_rrule, r.remind_time, r.late_reminder, r.head_digest, r.late_time, r.channels, r.updated_at,
  (? OR (r.department_id IS NOT NULL AND r.department_id IN (${managedDepartmentsSql}))) AS editable`;

/** The rules (deadlines, reminders) of every department, the organisation's first, with whether the viewer may change each. */
export async function listRules(em: EntityManager, user: User, kind?: ReportKind): Promise<ReportRuleDTO[]> {
  const rows = await em.execute<RuleRow[]>(
    `SELECT ${ruleColumns} FROM report_rules r LEFT JOIN departments d ON d.id = r.department_id ${kind ? 'WHERE r.kind = ?' : ''} ORDER BY r.kind, r.department_id NULLS FIRST`,
    [user.role === 'admin', user.id, ...(kind ? [kind] : [])],
  );
  return rows.map(presentRule);
}

/** One rule, or null. */
export async function ruleById(em: EntityManager, user: User, id: string): Promise<ReportRuleDTO | null> {
  const [row] = await em.execute<RuleRow[]>(`SELECT ${ruleColumns} FROM report_rules r LEFT JOIN departments d ON d.id = r.department_id WHERE r.id = ?`, [user.role === 'admin', user.id, id]);
  return row ? presentRule(row) : null;
}

/** Holidays and moved working days of one year. */
export async function listHolidays(em: EntityManager, year: number): Promise<HolidayDTO[]> {
  const rows = await em.execute<{ day: string; kind: 'holiday' | 'workday'; name: string }[]>(
    `SELECT day::text AS day, kind, name FROM org_holidays WHERE day >= make_date(?, 1, 1) AND day < make_date(? + 1, 1, 1) ORDER BY day`,
    [year, year],
  );
  return rows.map(presentHoliday);
}
