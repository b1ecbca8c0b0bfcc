import { useEffect, useState } from 'react';
import type { DepartmentDTO, UserSummaryDTO } from '../../../../shared/dto';
import { useI18n } from '../../i18n';
import { useMe } from '../auth/session';
import { buildDepartmentTree, flattenTree, subtreeIds } from '../admin/departments/tree';
import { scheduleApi } from './scheduleApi';

/** Whose schedule the page shows: one's own, the whole team, a department, or one subordinate. */
export type Whose = { kind: 'me' } | { kind: 'team' } | { kind: 'department'; id: string } | { kind: 'person'; id: string };

const encode = (w: Whose) => (w.kind === 'me' || w.kind === 'team' ? w.kind : `${w.kind}:${w.id}`);
const decode = (value: string): Whose => {
  if (value === 'me' || value === 'team') return { kind: value };
  const [kind, id] = value.split(':');
  return { kind: kind as 'department' | 'person', id };
};

/**
 * The departments whose schedule the user may open: every one in the subtrees they manage (all
 * entries), and their own (only what colleagues shared), in tree order.
 */
function viewableDepartments(all: DepartmentDTO[], myId: string, myDepartmentId: string): DepartmentDTO[] {
  const ids = new Set([myDepartmentId]);
  for (const d of all) if (d.managers.some((m) => m.id === myId)) for (const id of subtreeIds(all, d.id)) ids.add(id);
  return flattenTree(buildDepartmentTree(all)).filter((d) => ids.has(d.id));
}

/** The "whose schedule" choice and, for views of several people, "only customer-related". */
export function ScheduleWhose({ whose, customerOnly, onChange }: { whose: Whose; customerOnly: boolean; onChange: (whose: Whose, customerOnly: boolean) => void }) {
  const { t } = useI18n();
  const me = useMe();
  const [people, setPeople] = useState<UserSummaryDTO[]>([]);
  const [departments, setDepartments] = useState<DepartmentDTO[]>([]);
  useEffect(() => {
    scheduleApi.subordinates().then(setPeople, () => setPeople([]));
    scheduleApi.departments().then((all) => setDepartments(viewableDepartments(all, me.id, me.department.id)), () => setDepartments([]));
  }, [me.id, me.department.id]);

  const several = whose.kind === 'team' || whose.kind === 'department';
  return (
    <>
      <select value={encode(whose)} onChange={(e) => onChange(decode(e.target.value), customerOnly)} data-testid="schedule-whose" aria-label={t('schedule.whose')}>
        <option value="me">{t('schedule.mine')}</option>
        {people.length > 0 && <option value="team">{t('schedule.team')}</option>}
        {departments.length > 0 && (
          <optgroup label={t('schedule.departments')}>
            {departments.map((d) => <option key={d.id} value={`department:${d.id}`}>{d.name}</option>)}
          </optgroup>
        )}
        {people.length > 0 && (
          <optgroup label={t('schedule.people')}>
            {people.map((p) => <option key={p.id} value={`person:${p.id}`}>{p.displayName}</option>)}
          </optgroup>
        )}
      </select>
      {several && (
        <label>
          <input type="checkbox" checked={customerOnly} onChange={(e) => onChange(whose, e.target.checked)} data-testid="schedule-customer-only" /> {t('schedule.customerOnly')}
        </label>
      )}
    </>
  );
}
