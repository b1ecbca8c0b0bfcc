import type { DepartmentDTO, UserSummaryDTO } from '../../../../shared/dto';
import { useI18n } from '../../i18n';
import { FieldProblemOf } from '../../ui/fieldProblems';
import { UserPicker } from '../admin/UserPicker';
import { DepartmentOptions } from '../admin/departments/DepartmentOptions';

export type Grantees = { users: UserSummaryDTO[]; departmentIds: string[] };

/** Who holds one role on a board: users, and departments (for moderators: the departments' heads). */
export function GranteesField({ role, value, departments, onChange }: { role: 'moderators' | 'viewers' | 'members' | 'posters'; value: Grantees; departments: DepartmentDTO[]; onChange: (value: Grantees) => void }) {
  const { t } = useI18n();
  return (
    <fieldset className="field grantees" data-testid={`grantees-${role}`}>
      <legend className="field-label">{t(`boards.role.${role}`)}</legend>
      <span className="field-hint">{t(`boards.role.${role}.hint`)}</span>
      <UserPicker value={value.users} onChange={(users) => onChange({ ...value, users })} testId={`grantees-${role}-users`} />
      <FieldProblemOf name={`${role}.userIds`} />
      <select
        multiple
        value={value.departmentIds}
        aria-label={t('boards.departments')}
        data-testid={`grantees-${role}-departments`}
        onChange={(e) => onChange({ ...value, departmentIds: [...e.target.selectedOptions].map((o) => o.value) })}
      >
        <DepartmentOptions departments={departments} />
      </select>
      <FieldProblemOf name={`${role}.departmentIds`} />
    </fieldset>
  );
}
