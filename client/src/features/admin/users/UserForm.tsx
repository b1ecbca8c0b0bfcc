import { useState, type FormEvent } from 'react';
import type { DepartmentDTO, UserDTO } from '../../../../../shared/dto';
import type { Locale } from '../../../../../shared/schemas/common';
import { isLocale, locales, useI18n } from '../../../i18n';
import { ErrorNotice } from '../../../ui/ErrorNotice';
import { Field } from '../../../ui/Field';
import { FieldProblems } from '../../../ui/fieldProblems';
import { adminApi, type UserInput } from '../adminApi';
import { DepartmentOptions } from '../departments/DepartmentOptions';

type Draft = { displayName: string; email: string; password: string; departmentId: string; role: 'admin' | 'member'; locale: Locale; timeZone: string; mobile: string };

const draftOf = (user: UserDTO | null, departmentId: string): Draft => ({
  displayName: user?.displayName ?? '',
  email: user?.email ?? '',
  password: '',
  departmentId: user?.departmentId ?? departmentId,
  role: user?.role ?? 'member',
  locale: user?.locale ?? 'zh-CN',
  timeZone: user?.timeZone ?? 'Asia/Shanghai',
  mobile: user?.mobile ?? '',
});

/** Creates a user (no `user`) or edits one, sending only the fields that changed. */
export function UserForm({ user, departments, onSaved, onCancel }: { user: UserDTO | null; departments: DepartmentDTO[]; onSaved: (saved: UserDTO) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState(() => draftOf(user, departments.find((d) => d.parentId === null)?.id ?? ''));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // The department list may arrive after the form opened; new users then default to the root.
  const departmentId = draft.departmentId || (departments.find((d) => d.parentId === null)?.id ?? '');
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const full: UserInput = {
      displayName: draft.displayName.trim(),
      email: draft.email.trim(),
      departmentId,
      role: draft.role,
      locale: draft.locale,
      timeZone: draft.timeZone.trim(),
      mobile: draft.mobile.trim() || null,
    };
    const original = user ? draftOf(user, user.departmentId) : null;
    const changes = user
      ? Object.fromEntries(Object.entries(full).filter(([key, value]) => (original![key as keyof Draft] || null) !== value))
      : { ...full, password: draft.password };
    if (user && Object.keys(changes).length === 0) return onCancel();
    setBusy(true);
    setError(null);
    try {
      onSaved(user ? await adminApi.updateUser(user.id, changes) : await adminApi.createUser(changes));
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  return (
    <form className="card form" onSubmit={submit} data-testid="user-form">
      <FieldProblems error={error}>
        <h2>{user ? t('users.editTitle', { name: user.displayName }) : t('users.create')}</h2>
        <ErrorNotice error={error} testId="user-form-error" fieldsShowProblems />
        <div className="form-grid">
          <Field label={t('users.name')} name="displayName">
            <input value={draft.displayName} onChange={(e) => set('displayName', e.target.value)} required maxLength={100} data-testid="user-form-name" />
          </Field>
          <Field label={t('users.email')} name="email">
            <input type="email" value={draft.email} onChange={(e) => set('email', e.target.value)} required data-testid="user-form-email" />
          </Field>
          {!user && (
            <Field label={t('users.password')} name="password" hint={t('password.hint')}>
              <input type="password" autoComplete="new-password" value={draft.password} onChange={(e) => set('password', e.target.value)} required minLength={8} data-testid="user-form-password" />
            </Field>
          )}
          <Field label={t('users.department')} name="departmentId">
            <select value={departmentId} onChange={(e) => set('departmentId', e.target.value)} required data-testid="user-form-department">
              <DepartmentOptions departments={departments} />
            </select>
          </Field>
          <Field label={t('users.role')} name="role">
            <select value={draft.role} onChange={(e) => set('role', e.target.value === 'admin' ? 'admin' : 'member')} data-testid="user-form-role">
              <option value="member">{t('role.member')}</option>
              <option value="admin">{t('role.admin')}</option>
            </select>
          </Field>
          <Field label={t('users.locale')} name="locale">
            <select value={draft.locale} onChange={(e) => isLocale(e.target.value) && set('locale', e.target.value)} data-testid="user-form-locale">
              {locales.map((l) => (
                <option key={l} value={l}>
                  {t(`language.${l}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('users.timeZone')} name="timeZone">
            <input value={draft.timeZone} onChange={(e) => set('timeZone', e.target.value)} required data-testid="user-form-timezone" />
          </Field>
          <Field label={t('users.mobile')} name="mobile">
            <input type="tel" value={draft.mobile} onChange={(e) => set('mobile', e.target.value)} data-testid="user-form-mobile" />
          </Field>
        </div>
        <div className="actions">
          <button type="submit" className="button-primary" disabled={busy} data-testid="user-form-submit">
            {busy ? t('common.saving') : t('users.save')}
          </button>
          <button type="button" className="button-quiet" onClick={onCancel}>
            {t('users.cancel')}
          </button>
        </div>
      </FieldProblems>
    </form>
  );
}
