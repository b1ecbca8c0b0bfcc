import { useState, type FormEvent } from 'react';
import type { DepartmentDTO } from '../../../../../shared/dto';
import { useI18n } from '../../../i18n';
import { ErrorNotice } from '../../../ui/ErrorNotice';
import { Field } from '../../../ui/Field';
import { FieldProblems } from '../../../ui/fieldProblems';
import { adminApi, type DepartmentInput } from '../adminApi';
import { UserPicker } from '../UserPicker';
import { DepartmentOptions } from './DepartmentOptions';
import { subtreeIds } from './tree';

const sameIds = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

/** Renames, moves, sets the managers of, or deletes one department (mount it keyed by id). */
export function DepartmentEditor({ department, departments, onChanged, onDeleted }: { department: DepartmentDTO; departments: DepartmentDTO[]; onChanged: (message: string) => void; onDeleted: (message: string) => void }) {
  const { t } = useI18n();
  const [name, setName] = useState(department.name);
  const [parentId, setParentId] = useState(department.parentId ?? '');
  const [managers, setManagers] = useState(department.managers);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // A department cannot move under itself or its own sub-departments; the server refuses that too.
  const excluded = subtreeIds(departments, department.id);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const change: DepartmentInput = {};
    if (name.trim() !== department.name) change.name = name.trim();
    if ((parentId || null) !== department.parentId) change.parentId = parentId || null;
    const managerIds = managers.map((m) => m.id);
    if (!sameIds(managerIds, department.managers.map((m) => m.id))) change.managerIds = managerIds;
    if (Object.keys(change).length === 0) return onChanged(t('departments.saved'));
    await run(async () => {
      await adminApi.updateDepartment(department.id, change);
      onChanged(t('departments.saved'));
    });
  };

  const remove = () =>
    run(async () => {
      await adminApi.deleteDepartment(department.id);
      onDeleted(t('departments.deleted', { name: department.name }));
    });

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  }

  return (
    <form className="card form" onSubmit={save} data-testid="department-editor" data-id={department.id}>
      <FieldProblems error={error}>
        <h2>{t('departments.edit')}</h2>
        <ErrorNotice error={error} testId="department-error" />
        <Field label={t('departments.name')} name="name">
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} data-testid="department-name" />
        </Field>
        <Field label={t('departments.parent')} name="parentId">
          <select value={parentId} onChange={(e) => setParentId(e.target.value)} data-testid="department-parent">
            <option value="">{t('departments.noParent')}</option>
            <DepartmentOptions departments={departments} exclude={excluded} />
          </select>
        </Field>
        <Field label={t('departments.managers')} name="managerIds">
          <UserPicker value={managers} onChange={setManagers} testId="department-managers" />
        </Field>
        {managers.length === 0 && <p className="muted">{t('departments.noManagers')}</p>}
        <div className="actions">
          <button type="submit" className="button-primary" disabled={busy} data-testid="department-save">
            {busy ? t('common.saving') : t('departments.save')}
          </button>
          {confirming ? (
            <button type="button" className="button-danger" disabled={busy} onClick={() => void remove()} data-testid="department-delete-confirm">
              {t('departments.confirmDelete', { name: department.name })}
            </button>
          ) : (
            <button type="button" className="button-quiet" disabled={busy} onClick={() => setConfirming(true)} data-testid="department-delete">
              {t('departments.delete')}
            </button>
          )}
        </div>
      </FieldProblems>
    </form>
  );
}
