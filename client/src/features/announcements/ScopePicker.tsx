import { useMemo } from 'react';
import type { AnnouncementScope } from '../../../../shared/announcements';
import type { DepartmentDTO, UserSummaryDTO } from '../../../../shared/dto';
import { UserSearch } from '../../components/UserSearch';
import { useI18n } from '../../i18n';
import { FieldProblemOf } from '../../ui/fieldProblems';
import { buildDepartmentTree, flattenTree, subtreeIds } from '../admin/departments/tree';

/**
 * Who an announcement goes to: the whole company (administrators), departments with everything
 * below them, picked in the department tree, and named people. A department head is offered the
 * departments they head (and below); the server decides all the same.
 */
export function ScopePicker({
  value,
  onChange,
  departments,
  people,
  onPeople,
  administrator,
  myId,
}: {
  value: AnnouncementScope;
  onChange: (scope: AnnouncementScope) => void;
  departments: DepartmentDTO[];
  people: UserSummaryDTO[];
  onPeople: (people: UserSummaryDTO[]) => void;
  administrator: boolean;
  myId: string;
}) {
  const { t } = useI18n();
  const rows = useMemo(() => flattenTree(buildDepartmentTree(departments)), [departments]);
  const allowed = useMemo(() => {
    if (administrator) return new Set(departments.map((d) => d.id));
    const ids = new Set<string>();
    for (const d of departments) if (d.managers.some((m) => m.id === myId)) for (const id of subtreeIds(departments, d.id)) ids.add(id);
    return ids;
  }, [administrator, departments, myId]);
  const chosen = new Set(value.departmentIds);
  const toggle = (id: string, on: boolean) => onChange({ ...value, departmentIds: on ? [...value.departmentIds, id] : value.departmentIds.filter((x) => x !== id) });
  const setPeople = (list: UserSummaryDTO[]) => {
    onPeople(list);
    onChange({ ...value, userIds: list.map((u) => u.id) });
  };
  return (
    <fieldset className="field scope-picker" data-testid="scope-picker">
      <legend className="field-label">{t('announcements.scope')}</legend>
      {administrator && (
        <label className="checkbox">
          <input type="checkbox" checked={value.everyone} onChange={(e) => onChange({ ...value, everyone: e.target.checked })} data-testid="scope-everyone" /> {t('announcements.scope.everyone')}
        </label>
      )}
      <ul className="scope-tree">
        {rows.map((d) => (
          <li key={d.id} style={{ paddingInlineStart: `${d.depth * 1.25}em` }}>
            <label className="checkbox">
              <input
                type="checkbox"
                disabled={value.everyone || !allowed.has(d.id)}
                checked={value.everyone || chosen.has(d.id)}
                onChange={(e) => toggle(d.id, e.target.checked)}
                data-testid="scope-department"
                data-department-id={d.id}
              />
              {d.name} <span className="muted">({d.memberCount})</span>
            </label>
            {value.departmentIds.includes(d.id) && <FieldProblemOf name={`scope.departmentIds.${value.departmentIds.indexOf(d.id)}`} />}
          </li>
        ))}
      </ul>
      <span className="field-label">{t('announcements.scope.people')}</span>
      <ul className="chips">
        {people.map((u, i) => (
          <li key={u.id} className="chip" data-testid="scope-person">
            {u.displayName}
            <button type="button" aria-label={t('announcements.scope.remove', { name: u.displayName })} onClick={() => setPeople(people.filter((p) => p.id !== u.id))}>
              ×
            </button>
            <FieldProblemOf name={`scope.userIds.${i}`} />
          </li>
        ))}
      </ul>
      <UserSearch testId="scope-people" exclude={new Set(people.map((p) => p.id))} onPick={(u) => setPeople([...people, u])} />
      <FieldProblemOf name="scope" />
    </fieldset>
  );
}
