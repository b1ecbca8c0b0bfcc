import type { DepartmentDTO } from '../../shared/dto.js';

export type DepartmentRow = { id: string; name: string; parent_id: string | null; member_count: string; managers: { id: string; displayName: string; email: string }[] };

/** A department with its managers and head count. */
export const presentDepartment = (r: DepartmentRow): DepartmentDTO => ({ id: r.id, name: r.name, parentId: r.parent_id, managers: r.managers, memberCount: Number(r.member_count) });
