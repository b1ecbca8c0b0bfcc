import { useState } from 'react';
import type { BoardDTO, ThreadDTO } from '../../../../shared/boards';
import { isRichTextEmpty, emptyDocument } from '../../../../shared/richText/document';
import type { RichTextDocument } from '../../../../shared/richText/nodes';
import { RichTextEditor } from '../../components/RichTextEditor';
import { useI18n } from '../../i18n';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { Field } from '../../ui/Field';
import { FieldProblemOf, FieldProblems } from '../../ui/fieldProblems';
import { CustomerPicker } from './CustomerPicker';
import { boardsApi } from './boardsApi';
import { ComposerFiles } from '../files/ComposerFiles';
import { filesApi } from '../files/filesApi';
import { storedFiles, useUploads } from '../files/useUploads';

/** Starts a thread: a title, the opening post in the Lexical editor (files chosen, pasted or dropped go with it), optionally anonymous or linked to a customer. */
export function ThreadComposer({ board, onPosted, onCancel }: { board: BoardDTO; onPosted: (thread: ThreadDTO) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [title, setTitle] = useState('');
  const [body, setBody] = useState<RichTextDocument>(emptyDocument);
  const [anonymous, setAnonymous] = useState(false);
  const [customer, setCustomer] = useState<{ id: string; name: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const uploads = useUploads();

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const thread = await boardsApi.startThread(board.id, { title, body: body as unknown as Record<string, unknown>, anonymous, customerId: anonymous ? null : (customer?.id ?? null) });
      const ready = storedFiles(uploads.uploads);
      // The thread exists whatever becomes of its files; its page lists what was attached.
      if (ready.length) await filesApi.attach('thread', thread.id, ready.map((f) => f.id)).catch(() => undefined);
      onPosted(thread);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <FieldProblems error={error}>
      <form
        className="card form thread-composer"
        data-testid="thread-composer"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Field label={t('boards.threadTitle')} name="title">
          <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} required data-testid="thread-title-input" />
        </Field>
        <div className="field">
          <span className="field-label">{t('boards.threadBody')}</span>
          <RichTextEditor onChange={setBody} placeholder={t('boards.threadBodyPlaceholder')} className="thread-editor" onFiles={uploads.add} />
          <ComposerFiles uploads={uploads} testId="thread-files" />
          <FieldProblemOf name="body" />
          <FieldProblemOf name="" />
        </div>
        {board.can.postAnonymously && (
          <label className="checkbox">
            <input type="checkbox" checked={anonymous} onChange={(e) => setAnonymous(e.target.checked)} data-testid="thread-anonymous" />
            {t('boards.postAnonymously')}
          </label>
        )}
        {!anonymous && <CustomerPicker customer={customer} onChange={setCustomer} />}
        <ErrorNotice error={error} testId="thread-composer-error" />
        <div className="actions">
          <button type="submit" className="button-primary" disabled={busy || uploads.busy || !title.trim() || isRichTextEmpty(body)} data-testid="thread-submit">
            {t('boards.post')}
          </button>
          <button type="button" className="button-quiet" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </FieldProblems>
  );
}
