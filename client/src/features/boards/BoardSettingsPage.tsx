import { useEffect, useState } from 'react';
import { boardOpenness, type BoardDetailDTO, type BoardOpenness } from '../../../../shared/boards';
import type { DepartmentDTO } from '../../../../shared/dto';
import { api } from '../../api/http';
import { Link, navigate } from '../../app/router';
import { useI18n } from '../../i18n';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { Field } from '../../ui/Field';
import { FieldProblems } from '../../ui/fieldProblems';
import { boardsApi, type BoardSettingsInput } from './boardsApi';
import { GranteesField, type Grantees } from './GranteesField';
import './boards.css';

type Form = Omit<BoardSettingsInput, 'moderators' | 'viewers' | 'members' | 'posters' | 'category'> & { category: string } & Record<'moderators' | 'viewers' | 'members' | 'posters', Grantees>;
const roles = ['moderators', 'viewers', 'members', 'posters'] as const;
const none: Grantees = { users: [], departmentIds: [] };

function formOf(board: BoardDetailDTO | null): Form {
  const of = (role: (typeof roles)[number]): Grantees => (board?.access ? { users: board.access[role].users, departmentIds: board.access[role].departments.map((d) => d.id) } : none);
  return {
    name: board?.name ?? '',
    description: board?.description ?? '',
    category: board?.category ?? '',
    position: board?.position ?? 0,
    openness: board?.openness ?? 'open',
    readOnly: board?.readOnly ?? false,
    allowAnonymous: board?.allowAnonymous ?? false,
    everyonePosts: board?.everyonePosts ?? true,
    moderators: of('moderators'),
    viewers: of('viewers'),
    members: of('members'),
    posters: of('posters'),
  };
}

/** An administrator creates a board or changes one: name, category, openness, read-only, anonymity, and who holds which role. */
export function BoardSettingsPage({ id }: { id: string | null }) {
  const { t } = useI18n();
  const [form, setForm] = useState<Form | null>(id ? null : formOf(null));
  const [departments, setDepartments] = useState<DepartmentDTO[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api.get<DepartmentDTO[]>('/api/departments').then(setDepartments, setError);
    if (id) boardsApi.get(id).then((b) => setForm(formOf(b)), setError);
  }, [id]);
  if (!form) return <ErrorNotice error={error} testId="board-settings-error" />;
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm({ ...form, [key]: value });
  const save = async () => {
    setBusy(true);
    setError(null);
    const grants = (g: Grantees) => ({ userIds: g.users.map((u) => u.id), departmentIds: g.departmentIds });
    const input: BoardSettingsInput = {
      ...form,
      category: form.category.trim() || null,
      moderators: grants(form.moderators),
      viewers: grants(form.viewers),
      members: grants(form.members),
      posters: grants(form.posters),
    };
    try {
      const saved = id ? await boardsApi.update(id, input) : await boardsApi.create(input);
      navigate(`/boards/${saved.id}`);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  // Which lists mean something for the openness chosen.
  const shown: Record<BoardOpenness, (typeof roles)[number][]> = { open: ['moderators'], semi_open: ['moderators', 'viewers', ...(form.everyonePosts ? [] : (['posters'] as const))], closed: ['moderators', 'members'] };
  return (
    <section className="page boards" data-testid="board-settings">
      <nav className="breadcrumbs">
        <Link to="/boards">{t('boards.title')}</Link>
      </nav>
      <h1>{id ? t('boards.settings') : t('boards.newBoard')}</h1>
      <FieldProblems error={error}>
        <form
          className="card form"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <div className="form-grid">
            <Field label={t('boards.name')} name="name">
              <input value={form.name} onChange={(e) => set('name', e.target.value)} maxLength={100} required data-testid="board-name" />
            </Field>
            <Field label={t('boards.category')} name="category" hint={t('boards.categoryHint')}>
              <input value={form.category} onChange={(e) => set('category', e.target.value)} maxLength={60} data-testid="board-category-input" />
            </Field>
            <Field label={t('boards.position')} name="position">
              <input type="number" value={form.position} onChange={(e) => set('position', Number(e.target.value) || 0)} data-testid="board-position" />
            </Field>
          </div>
          <Field label={t('boards.description')} name="description">
            <textarea value={form.description} onChange={(e) => set('description', e.target.value)} maxLength={2000} rows={3} data-testid="board-description" />
          </Field>
          <fieldset className="field" data-testid="board-openness">
            <legend className="field-label">{t('boards.openness')}</legend>
            {boardOpenness.map((o) => (
              <label key={o} className="checkbox">
                <input type="radio" name="openness" value={o} checked={form.openness === o} onChange={() => set('openness', o)} data-testid={`board-openness-${o}`} />
                <span>
                  {t(`boards.openness.${o}`)} <span className="muted">{t(`boards.openness.${o}.hint`)}</span>
                </span>
              </label>
            ))}
          </fieldset>
          {form.openness === 'semi_open' && (
            <label className="checkbox">
              <input type="checkbox" checked={form.everyonePosts} onChange={(e) => set('everyonePosts', e.target.checked)} data-testid="board-everyone-posts" />
              {t('boards.everyonePosts')}
            </label>
          )}
          <label className="checkbox">
            <input type="checkbox" checked={form.readOnly} onChange={(e) => set('readOnly', e.target.checked)} data-testid="board-read-only" />
            {t('boards.readOnlyOption')}
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={form.allowAnonymous} onChange={(e) => set('allowAnonymous', e.target.checked)} data-testid="board-allow-anonymous" />
            {t('boards.allowAnonymous')}
          </label>
          {shown[form.openness].map((role) => (
            <GranteesField key={role} role={role} value={form[role]} departments={departments} onChange={(value) => set(role, value)} />
          ))}
          <ErrorNotice error={error} testId="board-settings-error" />
          <div className="actions">
            <button type="submit" className="button-primary" disabled={busy || !form.name.trim()} data-testid="board-save">
              {t('common.save')}
            </button>
            <Link to={id ? `/boards/${id}` : '/boards'} className="button-quiet">
              {t('common.cancel')}
            </Link>
          </div>
        </form>
      </FieldProblems>
    </section>
  );
}
