import { useState } from 'react';
import type { ReplyDTO } from '../../../../shared/boards';
import { emptyDocument, isRichTextEmpty } from '../../../../shared/richText/document';
import type { RichTextDocument } from '../../../../shared/richText/nodes';
import { RichTextEditor } from '../../components/RichTextEditor';
import { useI18n } from '../../i18n';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { FieldProblemOf, FieldProblems } from '../../ui/fieldProblems';
import { boardsApi } from './boardsApi';
import type { FileDTO } from '../../../../shared/files';
import { ComposerFiles } from '../files/ComposerFiles';
import { filesApi } from '../files/filesApi';
import { storedFiles, useUploads } from '../files/useUploads';

/**
 * Writes a reply, optionally quoting one; @mentions notify those who may see the thread. Files
 * chosen, pasted or dropped upload at once and are attached to the reply once it is posted.
 */
export function ReplyComposer({ threadId, quote, onCancelQuote, onPosted }: { threadId: string; quote: ReplyDTO | null; onCancelQuote: () => void; onPosted: (reply: ReplyDTO, files: FileDTO[]) => void }) {
  const { t } = useI18n();
  const [doc, setDoc] = useState<RichTextDocument>(emptyDocument);
  // The editor is cleared by remounting it (its initial value is read once).
  const [round, setRound] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const uploads = useUploads();
  const ready = storedFiles(uploads.uploads);
  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      const reply = await boardsApi.reply(threadId, doc as unknown as Record<string, unknown>, quote?.id ?? null);
      // The reply is posted whatever becomes of its files: a failed attach is shown, not posted twice.
      let refused: unknown = null;
      const files = ready.length ? await filesApi.attach('reply', reply.id, ready.map((f) => f.id)).catch((failure: unknown) => ((refused = failure), [])) : [];
      onPosted(reply, files);
      uploads.clear();
      setDoc(emptyDocument());
      setRound((r) => r + 1);
      onCancelQuote();
      if (refused) setError(refused);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <FieldProblems error={error}>
      <div className="composer card" data-testid="reply-composer">
        {quote && (
          <div className="composer-reply" data-testid="composer-quote" data-quote-number={quote.number}>
            <span>
              {t('boards.quoting', { number: quote.number, name: quote.author?.displayName ?? t('boards.anonymous') })} <span className="muted">{quote.text.slice(0, 80)}</span>
            </span>
            <button type="button" className="link-button" onClick={onCancelQuote}>
              {t('common.cancel')}
            </button>
          </div>
        )}
        <RichTextEditor key={round} onChange={setDoc} placeholder={t('boards.replyPlaceholder')} className="reply-editor" onFiles={uploads.add} />
        <ComposerFiles uploads={uploads} testId="reply-files" />
        <FieldProblemOf name="body" />
        <FieldProblemOf name="quoteReplyId" />
        <ErrorNotice error={error} testId="reply-composer-error" />
        <div className="actions">
          <button type="button" className="button-primary" disabled={busy || uploads.busy || isRichTextEmpty(doc)} onClick={() => void send()} data-testid="reply-submit">
            {t('boards.reply')}
          </button>
        </div>
      </div>
    </FieldProblems>
  );
}
