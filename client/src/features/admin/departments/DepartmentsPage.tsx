import { useCallback, useEffect, useMemo, useState } from 'react';
import type { DepartmentDTO } from '../../../../../shared/dto';
import { useI18n } from '../../../i18n';
import { ErrorNotice, SuccessNotice } from '../../../ui/ErrorNotice';
import { adminApi } from '../adminApi';
import { DepartmentCreateForm } from './DepartmentCreateForm';
import { DepartmentEditor } from './DepartmentEditor';
import { DepartmentTree } from './DepartmentTree';
import { buildDepartmentTree } from './tree';

/** The organisation tree on the left, the selected department's editor on the right. */
export function DepartmentsPage() {
  const { t } = useI18n();
  const [departments, setDepartments] = useState<DepartmentDTO[] | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  // Bumped after every save so the editor remounts with the server's current values.
  const [revision, setRevision] = useState(0);

  const reload = useCallback(async () => {
    try {
      setDepartments(await adminApi.departments());
      setLoadError(null);
      setRevision((r) => r + 1);
    } catch (error) {
      setLoadError(error);
    }
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  const roots = useMemo(() => buildDepartmentTree(departments ?? []), [departments]);
  const selected = departments?.find((d) => d.id === selectedId) ?? null;

  const done = (text: string) => {
    setMessage(text);
    void reload();
  };

  return (
    <div className="two-columns" data-testid="departments-page">
      <div className="column">
        <ErrorNotice error={loadError} testId="departments-load-error" />
        {departments === null ? <p className="muted">{t('app.loading')}</p> : <DepartmentTree roots={roots} selectedId={selectedId} onSelect={(id) => (setSelectedId(id), setMessage(null))} />}
        {departments && (
          <DepartmentCreateForm
            departments={departments}
            defaultParentId={selectedId}
            onCreated={(created, text) => {
              setSelectedId(created.id);
              done(text);
            }}
          />
        )}
      </div>
      <div className="column">
        <SuccessNotice message={message} testId="departments-success" />
        {selected && departments ? (
          <DepartmentEditor
            key={`${selected.id}:${revision}`}
            department={selected}
            departments={departments}
            onChanged={done}
            onDeleted={(text) => {
              setSelectedId(null);
              done(text);
            }}
          />
        ) : (
          <p className="muted">{t('departments.selectHint')}</p>
        )}
      </div>
    </div>
  );
}
