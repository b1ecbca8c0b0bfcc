import { useEffect, useState, type FormEvent } from 'react';
import { announcementCategories, announcementPriorities, type AnnouncementScope, type EscalationLadder, type EscalationLimits } from '../../../../shared/announcements';
import type { DepartmentDTO, UserSummaryDTO } from '../../../../shared/dto';
import type { RichTextDocument } from '../../../../shared/richText';
import { navigate } from '../../app/router';
import { RichTextEditor } from '../../components/RichTextEditor';
import { useI18n } from '../../i18n';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { Field } from '../../ui/Field';
import { FieldProblemOf, FieldProblems } from '../../ui/fieldProblems';
import { useMe } from '../auth/session';
import { announcementsApi, type AnnouncementInput } from './announcementsApi';
import { ComposerFiles } from '../files/ComposerFiles';
import { filesApi } from '../files/filesApi';
import { storedFiles, useUploads } from '../files/useUploads';
import { defaultLadder, LadderEditor } from './LadderEditor';
import { ScopePicker } from './ScopePicker';
import { fromLocalInput } from './times';
import './announcements.css';

const emptyScope: AnnouncementScope = { everyone: false, departmentIds: [], userIds: [] };

/** How many people the scope reaches now, asked of the server as the scope changes (with its refusal when outside one's rights). */
function useRecipientCount(scope: AnnouncementScope) {
  const [state, setState] = useState<{ count: number | null; error: unknown }>({ count: null, error: null });
  const key = JSON.stringify(scope);
  useEffect(() => {
    if (!scope.everyone && scope.departmentIds.length === 0 && scope.userIds.length === 0) {
      setState({ count: 0, error: null });
      return;
    }
    let cancelled = false;
    const timer = setTimeout(() => {
      announcementsApi.previewScope(scope).then(
        (r) => !cancelled && setState({ count: r.recipients, error: null }),
        (error) => !cancelled && setState({ count: null, error }),
      );
    }, 200);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
    // The scope's content decides, not its identity (a new object on every render).
  }, [key]);
  return state;
}

/** Writing and publishing an announcement: text, category, priority, scope with its resolved count, acknowledgement and ladder, schedule, expiry, pin. */
export function ComposePage() {
  const { t } = useI18n();
  const me = useMe();
  const [title, setTitle] = useState('');
  const [body, setBody] = useState<RichTextDocument | null>(null);
  const [category, setCategory] = useState<AnnouncementInput['category']>('notice');
  const [priority, setPriority] = useState<AnnouncementInput['priority']>('normal');
  const [requiresAck, setRequiresAck] = useState(false);
  const [ladder, setLadder] = useState<EscalationLadder | null>(null);
  const [scope, setScope] = useState<AnnouncementScope>(emptyScope);
  const [people, setPeople] = useState<UserSummaryDTO[]>([]);
  const [publishAt, setPublishAt] = useState('');
  const [expiresAt, setExpiresAt] = useState('');
  const [pinned, setPinned] = useState(false);
  const [departments, setDepartments] = useState<DepartmentDTO[]>([]);
  const [limits, setLimits] = useState<EscalationLimits | null>(null);
  const [state, setState] = useState<{ busy: boolean; error: unknown }>({ busy: false, error: null });
  const recipients = useRecipientCount(scope);
  // Files chosen, pasted or dropped into the text go onto the announcement once it exists.
  const uploads = useUploads();

  useEffect(() => {
    announcementsApi.departments().then(setDepartments, (error) => setState({ busy: false, error }));
    announcementsApi.limits().then(setLimits, () => {});
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setState({ busy: true, error: null });
    try {
      const created = await announcementsApi.create({
        title,
        body: (body ?? {}) as Record<string, unknown>,
        category,
        priority,
        requiresAck,
        scope,
        publishAt: publishAt ? fromLocalInput(publishAt) : null,
        expiresAt: expiresAt ? fromLocalInput(expiresAt) : null,
        pinned,
        escalation: requiresAck ? ladder : null,
      });
      const ready = storedFiles(uploads.uploads);
      // The announcement exists whatever becomes of its files; its page lists what was attached.
      if (ready.length) await filesApi.attach('announcement', created.id, ready.map((f) => f.id)).catch(() => undefined);
      navigate(`/announcements/${created.id}`);
    } catch (error) {
      setState({ busy: false, error });
    }
  };

  return (
    <section className="page" data-testid="compose-page">
      <h1>{t('announcements.new')}</h1>
      <form className="card form" onSubmit={submit} data-testid="compose-form">
        <FieldProblems error={state.error}>
          <ErrorNotice error={state.error} testId="compose-error" fieldsShowProblems />
          <Field label={t('announcements.field.title')} name="title">
            <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} required data-testid="compose-title" />
          </Field>
          <div className="field">
            <span className="field-label">{t('announcements.field.body')}</span>
            <div data-testid="compose-body">
              <RichTextEditor onChange={setBody} onFiles={uploads.add} />
            </div>
            <ComposerFiles uploads={uploads} testId="compose-files" />
            <FieldProblemOf name="body" />
          </div>
          <div className="form-grid">
            <Field label={t('announcements.category')} name="category">
              <select value={category} onChange={(e) => setCategory(e.target.value as AnnouncementInput['category'])} data-testid="compose-category">
                {announcementCategories.map((c) => (
                  <option key={c} value={c}>
                    {t(`announcements.category.${c}`)}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t('announcements.priority')} name="priority">
              <select value={priority} onChange={(e) => setPriority(e.target.value as AnnouncementInput['priority'])} data-testid="compose-priority">
                {announcementPriorities.map((p) => (
                  <option key={p} value={p}>
                    {t(`announcements.priority.${p}`)}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t('announcements.field.publishAt')} hint={t('announcements.field.publishAtHint')} name="publishAt">
              <input type="datetime-local" value={publishAt} onChange={(e) => setPublishAt(e.target.value)} data-testid="compose-publish-at" />
            </Field>
            <Field label={t('announcements.field.expiresAt')} name="expiresAt">
              <input type="datetime-local" value={expiresAt} onChange={(e) => setExpiresAt(e.target.value)} data-testid="compose-expires-at" />
            </Field>
          </div>
          <label className="checkbox">
            <input type="checkbox" checked={pinned} onChange={(e) => setPinned(e.target.checked)} data-testid="compose-pinned" /> {t('announcements.field.pinned')}
          </label>
          <ScopePicker value={scope} onChange={setScope} departments={departments} people={people} onPeople={setPeople} administrator={me.can.administer} myId={me.id} />
          <p className="recipient-count" data-testid="compose-recipients" data-count={recipients.count ?? ''}>
            {recipients.count !== null ? t('announcements.recipientsResolved', { count: recipients.count }) : null}
          </p>
          <ErrorNotice error={recipients.error} testId="compose-scope-error" />
          <label className="checkbox">
            <input
              type="checkbox"
              checked={requiresAck}
              onChange={(e) => {
                setRequiresAck(e.target.checked);
                if (!e.target.checked) setLadder(null);
              }}
              data-testid="compose-requires-ack"
            />
            {t('announcements.field.requiresAck')}
          </label>
          {requiresAck && (
            <label className="checkbox">
              <input type="checkbox" checked={ladder !== null} onChange={(e) => setLadder(e.target.checked ? defaultLadder : null)} data-testid="compose-escalate" /> {t('announcements.field.escalate')}
            </label>
          )}
          {requiresAck && ladder && <LadderEditor value={ladder} onChange={setLadder} limits={limits} />}
          <div className="actions">
            <button type="submit" className="button button-primary" disabled={state.busy || uploads.busy} data-testid="compose-publish">
              {publishAt ? t('announcements.schedule') : t('announcements.publish')}
            </button>
          </div>
        </FieldProblems>
      </form>
    </section>
  );
}
