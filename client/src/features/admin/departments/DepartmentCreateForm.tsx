import { useState, type FormEvent } from 'react';
import type { DepartmentDTO } from '../../../../../shared/dto';
import { useI18n } from '../../../i18n';
import { ErrorNotice } from '../../../ui/ErrorNotice';
import { Field } from '../../../ui/Field';
import { FieldProblems } from '../../../ui/fieldProblems';
import { adminApi } from '../adminApi';
import { DepartmentOptions } from './DepartmentOptions';

/** Creates a department under a chosen parent (the selected one by default). */
export function DepartmentCreateForm({ departments, defaultParentId, onCreated }: { departments: DepartmentDTO[]; defaultParentId: string | null; onCreated: (created: DepartmentDTO, message: string) => void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [parentId, setParentId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const parent = parentId ?? defaultParentId ?? '';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await adminApi.createDepartment({ name: name.trim(), parentId: parent || null });
      setName('');
      onCreated(created, t('departments.created', { name: created.name }));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card form" onSubmit={submit} data-testid="department-create-form">
      <FieldProblems error={error}>
        <h2>{t('departments.create')}</h2>
        <ErrorNotice error={error} testId="department-create-error" fieldsShowProblems />
        <Field label={t('departments.name')} name="name">
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} data-testid="department-create-name" />
        </Field>
        <Field label={t('departments.parent')} name="parentId">
          <select value={parent} onChange={(e) => setParentId(e.target.value)} data-testid="department-create-parent">
            <option value="">{t('departments.noParent')}</option>
            <DepartmentOptions departments={departments} />
          </select>
        </Field>
        <button type="submit" className="button-primary" disabled={busy} data-testid="department-create-submit">
          {busy ? t('common.saving') : t('departments.create')}
        </button>
      </FieldProblems>
    </form>
  );
}
