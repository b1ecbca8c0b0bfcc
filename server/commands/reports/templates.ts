import type { ReportKind } from '../../../shared/reportPeriods.js';
import type { ReportSectionDTO, ReportTemplateDTO } from '../../../shared/reports.js';
import { pgArray } from '../../db/sql.js';
import { badRequest, forbidden, notFound } from '../../errors.js';
import { requireDepartmentsAuthority } from '../../policies/reports.js';
import { templateById } from '../../queries/reportSettings.js';
import type { CommandContext } from '../context.js';

type TemplateInput = { name: string; kinds: ReportKind[]; sections: ReportSectionDTO[]; departmentIds: string[] };

async function checkDepartments(cx: CommandContext, ids: string[]) {
  if (!ids.length) return;
  const rows = await cx.em.execute<{ id: string }[]>(`SELECT id::text AS id FROM departments WHERE id = ANY(?::bigint[])`, [pgArray(ids)]);
  if (rows.length !== new Set(ids).size) throw badRequest('A template applies only to existing departments', [{ path: 'departmentIds', code: 'unknown_department', message: 'unknown department' }]);
}

/**
 * Defines a template: administrators for any departments (none: everyone, beside the built-in
 * ones), a manager for departments they manage. Reports opened afterwards use it; reports already
 * opened keep the sections they were opened with.
 */
export async function templateCreator(cx: CommandContext, input: TemplateInput): Promise<ReportTemplateDTO> {
  const ids = [...new Set(input.departmentIds)];
  await checkDepartments(cx, ids);
  await requireDepartmentsAuthority(cx.em, cx.actor, ids, 'report templates');
  const [row] = await cx.em.execute<{ id: string }[]>(
    `INSERT INTO report_templates (name, kinds, sections, department_ids, built_in, active, created_by_id, created_at, updated_at) VALUES (?, ?, ?, ?, false, true, ?, now(), now()) RETURNING id::text AS id`,
    [input.name, JSON.stringify([...new Set(input.kinds)]), JSON.stringify(input.sections), JSON.stringify(ids), cx.actor.id],
  );
  return (await templateById(cx.em, cx.actor, row.id))!;
}

/** Changes a template one may edit (a built-in one: administrators only, and it keeps applying everywhere). */
export async function templateUpdater(cx: CommandContext, id: string, input: Partial<TemplateInput> & { active?: boolean }): Promise<ReportTemplateDTO> {
  const [current] = await cx.em.execute<{ department_ids: string[]; built_in: boolean }[]>(`SELECT department_ids, built_in FROM report_templates WHERE id = ? FOR UPDATE`, [id]);
  if (!current) throw notFound('The template');
  const visible = await templateById(cx.em, cx.actor, id);
  if (!visible) throw notFound('The template');
  if (!visible.can.edit) throw forbidden(current.built_in ? 'Only administrators change the built-in templates' : 'You may change only templates of departments you manage');
  if (current.built_in && input.departmentIds?.length) throw badRequest('A built-in template applies wherever no other does: it takes no departments', [{ path: 'departmentIds', code: 'built_in', message: 'not for a built-in template' }]);
  const ids = input.departmentIds ? [...new Set(input.departmentIds)] : undefined;
  if (ids) {
    await checkDepartments(cx, ids);
    await requireDepartmentsAuthority(cx.em, cx.actor, ids, 'report templates');
  }
  await cx.em.execute(
    `UPDATE report_templates SET name = coalesce(?, name), kinds = coalesce(?::jsonb, kinds), sections = coalesce(?::jsonb, sections),
       department_ids = coalesce(?::jsonb, department_ids), active = coalesce(?, active), updated_at = now() WHERE id = ?`,
    [input.name ?? null, input.kinds ? JSON.stringify([...new Set(input.kinds)]) : null, input.sections ? JSON.stringify(input.sections) : null, ids ? JSON.stringify(ids) : null, input.active ?? null, id],
  );
  return (await templateById(cx.em, cx.actor, id))!;
}
