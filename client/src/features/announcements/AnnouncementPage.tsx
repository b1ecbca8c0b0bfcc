import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { announcementStream, type AnnouncementDTO } from '../../../../shared/announcements';
import type { RichTextDocument } from '../../../../shared/richText';
import { userStream } from '../../../../shared/realtime';
import { Link, useLocation } from '../../app/router';
import { RichTextEditor, RichTextView } from '../../components/RichTextEditor';
import { useI18n } from '../../i18n';
import { useStream } from '../../realtime';
import { ErrorNotice, SuccessNotice } from '../../ui/ErrorNotice';
import { Field } from '../../ui/Field';
import { FieldProblemOf, FieldProblems } from '../../ui/fieldProblems';
import { useMe } from '../auth/session';
import { FilesPanel } from '../files/FilesPanel';
import { FileChangesProvider, useFileChangesSource, type FileChanges } from '../files/fileChanges';
import { useAttachingUploads } from '../files/useUploads';
import { AnnouncementBadges } from './AnnouncementBadges';
import { announcementsApi } from './announcementsApi';
import { fromLocalInput, toLocalInput } from './times';
import { VersionsList } from './VersionsList';
import './announcements.css';

/** The recipient's acknowledge button, with an optional short reply. */
function AcknowledgeForm({ announcement, onDone }: { announcement: AnnouncementDTO; onDone: (a: AnnouncementDTO) => void }) {
  const { t } = useI18n();
  const [reply, setReply] = useState('');
  const [state, setState] = useState<{ busy: boolean; error: unknown }>({ busy: false, error: null });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setState({ busy: true, error: null });
    try {
      onDone(await announcementsApi.acknowledge(announcement.id, reply.trim() || undefined));
    } catch (error) {
      setState({ busy: false, error });
    }
  };
  return (
    <form className="card form acknowledge" onSubmit={submit} data-testid="acknowledge-form">
      <FieldProblems error={state.error}>
        <ErrorNotice error={state.error} testId="acknowledge-error" fieldsShowProblems />
        <Field label={t('announcements.reply')} hint={t('announcements.replyHint')} name="reply">
          <input value={reply} maxLength={200} onChange={(e) => setReply(e.target.value)} data-testid="acknowledge-reply" />
        </Field>
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={state.busy} data-testid="acknowledge">
            {t('announcements.acknowledge')}
          </button>
        </div>
      </FieldProblems>
    </form>
  );
}

/** A new version of a policy (its publisher and administrators); files pasted into it go onto the announcement (its publisher's only). */
function ReviseForm({ announcement, onDone, onFiles }: { announcement: AnnouncementDTO; onDone: (a: AnnouncementDTO) => void; onFiles?: (files: File[]) => void }) {
  const { t } = useI18n();
  const [title, setTitle] = useState(announcement.title);
  const [body, setBody] = useState<RichTextDocument>(announcement.body as unknown as RichTextDocument);
  const [reack, setReack] = useState(false);
  const [state, setState] = useState<{ busy: boolean; error: unknown }>({ busy: false, error: null });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setState({ busy: true, error: null });
    try {
      onDone(await announcementsApi.revise(announcement.id, { title, body: body as unknown as Record<string, unknown>, requireReacknowledge: reack }));
    } catch (error) {
      setState({ busy: false, error });
    }
  };
  return (
    <form className="card form" onSubmit={submit} data-testid="revise-form">
      <h2>{t('announcements.revise')}</h2>
      <FieldProblems error={state.error}>
        <ErrorNotice error={state.error} testId="revise-error" fieldsShowProblems />
        <Field label={t('announcements.field.title')} name="title">
          <input value={title} onChange={(e) => setTitle(e.target.value)} data-testid="revise-title" />
        </Field>
        <RichTextEditor initialValue={body} onChange={setBody} onFiles={onFiles} />
        <FieldProblemOf name="body" />
        {announcement.requiresAck && (
          <label className="checkbox">
            <input type="checkbox" checked={reack} onChange={(e) => setReack(e.target.checked)} data-testid="revise-reack" /> {t('announcements.revise.reack')}
          </label>
        )}
        <div className="actions">
          <button type="submit" className="button" disabled={state.busy} data-testid="revise-save">
            {t('announcements.revise.save')}
          </button>
        </div>
      </FieldProblems>
    </form>
  );
}

/** Pinning and expiry (its publisher and administrators). */
function ManageBar({ announcement, onDone }: { announcement: AnnouncementDTO; onDone: (a: AnnouncementDTO) => void }) {
  const { t } = useI18n();
  const [expires, setExpires] = useState(announcement.expiresAt ? toLocalInput(announcement.expiresAt) : '');
  const [error, setError] = useState<unknown>(null);
  const act = (work: () => Promise<AnnouncementDTO>) => work().then((a) => (setError(null), onDone(a)), setError);
  return (
    <div className="card stack" data-testid="announcement-manage">
      <ErrorNotice error={error} testId="manage-error" />
      <div className="actions">
        <button type="button" className="button-quiet" data-testid="announcement-pin" onClick={() => void act(() => announcementsApi.update(announcement.id, { pinned: !announcement.pinned }))}>
          {announcement.pinned ? t('announcements.unpin') : t('announcements.pin')}
        </button>
        {announcement.status !== 'expired' && (
          <>
            <input type="datetime-local" value={expires} onChange={(e) => setExpires(e.target.value)} aria-label={t('announcements.field.expiresAt')} data-testid="announcement-expires" />
            <button type="button" className="button-quiet" onClick={() => void act(() => announcementsApi.update(announcement.id, { expiresAt: expires ? fromLocalInput(expires) : null }))}>
              {t('announcements.setExpiry')}
            </button>
          </>
        )}
        {announcement.can.viewLedger && (
          <Link to={`/announcements/${announcement.id}/ledger`} className="button" data-testid="announcement-ledger-link">
            {t('announcements.ledger')}
          </Link>
        )}
      </div>
    </div>
  );
}

/**
 * Its files, live for those who follow the announcement's stream (its policy: the ledger's readers —
 * the publisher, administrators, managers); other recipients see them as the page loads.
 */
function FilesLive({ id, changes }: { id: string; changes: FileChanges }) {
  useStream(announcementStream(id), (event) => event.type === 'attachments.changed' && changes.emit(event.data));
  return null;
}

/** One announcement: its text, one's own copy (read, acknowledge), its versions; the publisher's controls. */
export function AnnouncementPage({ id }: { id: string }) {
  const { t, formatDateTime } = useI18n();
  const me = useMe();
  const { search } = useLocation();
  const [announcement, setAnnouncement] = useState<AnnouncementDTO | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const fileChanges = useFileChangesSource();
  const uploads = useAttachingUploads('announcement', id, () => fileChanges.emit({ kind: 'announcement', hostId: id }));
  const load = useCallback(async () => {
    try {
      let a = await announcementsApi.get(id);
      // Opening it is reading it: the ledger's first read, and its notifications marked read.
      if (a.receipt && !a.receipt.firstReadAt) a = await announcementsApi.read(id);
      setAnnouncement(a);
    } catch (e) {
      setError(e);
    }
  }, [id]);
  useEffect(() => void load(), [load]);
  useStream(userStream(me.id), (event) => {
    if (event.type === 'announcement.acknowledged' && event.data.announcementId === id) void load();
    if (event.type === 'notification.created' && event.data.notification.data?.announcementId === id) void load();
  });
  if (!announcement) return <section className="page"><ErrorNotice error={error} testId="announcement-error" /></section>;
  const a = announcement;
  const highlight = Number(search.get('version')) || null;
  const publisher = a.publisher.id === me.id;
  return (
    <FileChangesProvider value={fileChanges}>
    <section className="page" data-testid="announcement-page" data-id={a.id}>
      {a.can.viewLedger && <FilesLive id={a.id} changes={fileChanges} />}
      <p>
        <Link to="/announcements">{t('announcements.back')}</Link>
      </p>
      <h1 data-testid="announcement-title">{a.title}</h1>
      <p className="announcement-meta muted">
        <AnnouncementBadges announcement={a} /> {a.publisher.displayName}
        {a.publishedAt && ` · ${formatDateTime(a.publishedAt, me.timeZone)}`}
        {a.publishAt && !a.publishedAt && ` · ${t('announcements.scheduledFor', { at: formatDateTime(a.publishAt, me.timeZone) })}`}
        {a.expiresAt && ` · ${t('announcements.expiresAt', { at: formatDateTime(a.expiresAt, me.timeZone) })}`}
        {a.version > 1 && ` · ${t('announcements.versions.version', { version: a.version })}`}
      </p>
      <SuccessNotice message={done} testId="announcement-done" />
      <article className="card announcement-body" data-testid="announcement-body">
        <RichTextView doc={a.body as unknown as RichTextDocument} />
      </article>
      {a.receipt && (
        <p className="muted" data-testid="announcement-receipt" data-state={a.receipt.mustAcknowledge ? 'pending' : a.receipt.acknowledgedAt ? 'acknowledged' : 'read'}>
          {t('announcements.receivedAt', { at: formatDateTime(a.receipt.receivedAt, me.timeZone) })}
          {a.receipt.acknowledgedAt && ` · ${t('announcements.acknowledgedAt', { at: formatDateTime(a.receipt.acknowledgedAt, me.timeZone), version: a.receipt.acknowledgedVersion ?? 1 })}`}
          {a.receipt.reply && ` · ${t('announcements.yourReply', { reply: a.receipt.reply })}`}
        </p>
      )}
      {a.can.acknowledge && (
        <AcknowledgeForm
          announcement={a}
          onDone={(next) => {
            setAnnouncement(next);
            setDone(t('announcements.acknowledgedDone'));
          }}
        />
      )}
      <FilesPanel kind="announcement" hostId={a.id} canAdd={publisher} uploads={uploads} />
      {a.can.edit && <ManageBar announcement={a} onDone={setAnnouncement} />}
      {a.can.revise && <ReviseForm key={a.version} announcement={a} onDone={(next) => (setAnnouncement(next), setDone(t('announcements.revised', { version: next.version })))} onFiles={publisher ? uploads.add : undefined} />}
      {(a.category === 'policy' || a.version > 1) && <VersionsList announcementId={a.id} current={a.version} highlight={highlight} />}
    </section>
    </FileChangesProvider>
  );
}
