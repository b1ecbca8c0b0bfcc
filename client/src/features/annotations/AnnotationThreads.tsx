import { useState } from 'react';
import type { AnnotationDTO } from '../../../../shared/annotations';
import type { RichTextDocument } from '../../../../shared/richText';
import { RichTextView } from '../../components/RichTextEditor';
import { useI18n } from '../../i18n';
import { annotationsApi } from './annotationsApi';
import { attachToAnnotation, Composer } from './Composer';
import type { FileDTO } from '../../../../shared/files';
import { Attachments } from '../files/Attachments';
import { useHostsFiles } from '../files/useHostsFiles';
import './annotations.css';

type Props = {
  annotations: AnnotationDTO[];
  /** Runs a change and reloads the threads (the caller shows a failure). */
  act: (work: () => Promise<unknown>) => Promise<void>;
  /** The thread to show as selected (its passage is highlighted), and how a click selects one. */
  selectedId?: string | null;
  onSelect?: (id: string) => void;
};

/** One annotation or reply: who, when, what, and the writer's edit and delete. */
function Remark({ item, act, testId, files }: { item: AnnotationDTO; act: Props['act']; testId: string; files?: FileDTO[] }) {
  const { t, formatDateTime } = useI18n();
  const [editing, setEditing] = useState(false);
  if (item.deleted) return <p className="muted" data-testid={`${testId}-deleted`}>{t('annotations.deleted')}</p>;
  return (
    <div className="remark">
      <div className="remark-head">
        <strong>{item.author.displayName}</strong> <span className="muted">{formatDateTime(item.createdAt)}</span>
        {item.editedAt && <span className="muted"> {t('annotations.edited')}</span>}
      </div>
      {editing ? (
        <Composer
          testId={`${testId}-editor`}
          label={t('annotations.save')}
          initial={item.body ?? undefined}
          onSend={(doc) => act(() => annotationsApi.edit(item.id, doc)).then(() => setEditing(false))}
          onCancel={() => setEditing(false)}
          cancelLabel={t('annotations.cancel')}
        />
      ) : (
        item.body && <RichTextView doc={item.body as unknown as RichTextDocument} />
      )}
      {files && <Attachments files={files} />}
      {!editing && (item.can.edit || item.can.delete) && (
        <div className="row-actions">
          {item.can.edit && (
            <button type="button" className="link-button" data-testid={`${testId}-edit`} onClick={() => setEditing(true)}>
              {t('annotations.edit')}
            </button>
          )}
          {item.can.delete && (
            <button type="button" className="link-button" data-testid={`${testId}-delete`} onClick={() => void act(() => annotationsApi.remove(item.id))}>
              {t('annotations.delete')}
            </button>
          )}
        </div>
      )}
    </div>
  );
}

/**
 * The annotation threads of one subject — a schedule entry or a report — oldest first: each with its
 * passage (the quote kept when it was made, and whether the passage changed since), its replies,
 * resolving, and the writer's editing and deleting, as the `can` flags of each allow.
 */
export function AnnotationThreads({ annotations, act, selectedId, onSelect }: Props) {
  const { t } = useI18n();
  // Their files, live where the page follows the subject's stream (a report's).
  const files = useHostsFiles(
    'annotation',
    annotations.flatMap((a) => [a.id, ...a.replies.map((r) => r.id)]).filter((id, i, all) => all.indexOf(id) === i),
  ).byHost;
  if (!annotations.length) return <p className="muted" data-testid="annotations-empty">{t('annotations.none')}</p>;
  return (
    <ul className="annotations" data-testid="annotations">
      {annotations.map((a) => (
        <li
          key={a.id}
          id={`annotation-${a.id}`}
          className={`annotation-thread${a.id === selectedId ? ' selected' : ''}${a.resolvedAt ? ' resolved' : ''}`}
          data-testid="annotation"
          data-annotation-id={a.id}
          data-mark-id={a.anchor?.markId}
          onClick={() => onSelect?.(a.id)}
        >
          {a.anchor && (
            <blockquote className="annotation-quote" data-testid="annotation-quote" data-state={a.anchor.state}>
              <span className="muted">{t('annotations.passage')}</span> {a.anchor.quote}
              {a.anchor.state !== 'intact' && (
                <span className="tag tag-warning" data-testid="annotation-passage-state">
                  {t(a.anchor.state === 'changed' ? 'annotations.passageChanged' : 'annotations.passageRemoved')}
                </span>
              )}
            </blockquote>
          )}
          <Remark item={a} act={act} testId="annotation-remark" files={files[a.id]} />
          {a.resolvedBy && <p className="muted" data-testid="annotation-resolved">{t('annotations.resolvedBy', { name: a.resolvedBy.displayName })}</p>}
          {a.can.resolve && (
            <button type="button" className="link-button" data-testid="annotation-resolve" onClick={() => void act(() => (a.resolvedAt ? annotationsApi.reopen(a.id) : annotationsApi.resolve(a.id)))}>
              {t(a.resolvedAt ? 'annotations.reopen' : 'annotations.resolve')}
            </button>
          )}
          <ul className="annotation-replies">
            {a.replies.map((r) => (
              <li key={r.id} data-testid="annotation-reply">
                <Remark item={r} act={act} testId="reply-remark" files={files[r.id]} />
              </li>
            ))}
          </ul>
          {a.can.reply && <Composer testId={`reply-${a.id}`} label={t('annotations.reply')} files onSend={(doc, fileIds) => act(async () => attachToAnnotation(await annotationsApi.reply(a.id, doc), fileIds))} />}
        </li>
      ))}
    </ul>
  );
}
