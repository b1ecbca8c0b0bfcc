import { memo, useState } from 'react';
import type { BoardReaction, ReplyDTO } from '../../../../shared/boards';
import { RichTextView } from '../../components/RichTextEditor';
import type { RichTextDocument } from '../../../../shared/richText/nodes';
import { useI18n } from '../../i18n';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { useMe } from '../auth/session';
import { boardsApi } from './boardsApi';
import type { FileDTO } from '../../../../shared/files';
import { Attachments } from '../files/Attachments';
import { PostEditor } from './PostEditor';
import { ReactionBar } from './ReactionBar';
import { ReasonForm } from './ReasonForm';

type Props = {
  reply: ReplyDTO;
  /** The thread takes replies from this user (quoting is replying). */
  mayReply: boolean;
  firstUnread: boolean;
  onQuote: (reply: ReplyDTO) => void;
  onChanged: (reply: ReplyDTO | null) => void;
  /** Its files (images as thumbnails, others as cards), live through the thread's stream. */
  files?: FileDTO[];
};

/** One reply: its number, author (匿名 for anonymous), the quote, the text or its marker, reactions and the actions the user may take. */
export const ReplyItem = memo(function ReplyItem({ reply, mayReply, firstUnread, onQuote, onChanged, files }: Props) {
  const { t, formatDateTime } = useI18n();
  const me = useMe();
  const [editing, setEditing] = useState(false);
  const [hiding, setHiding] = useState(false);
  const [author, setAuthor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const act = (work: () => Promise<ReplyDTO | null | void>) =>
    work().then(
      (changed) => changed !== undefined && onChanged(changed),
      (failure: unknown) => setError(failure),
    );
  const react = (reaction: BoardReaction, on: boolean) => act(() => boardsApi.reactToReply(reply.id, reaction, on));
  const name = reply.author?.displayName ?? t('boards.anonymous');
  const withdrawn = reply.deleted || (reply.hidden && reply.body === null);

  return (
    <li className={`reply card${reply.hidden ? ' reply-hidden' : ''}${firstUnread ? ' reply-first-unread' : ''}`} id={`reply-${reply.number}`} data-testid="reply-item" data-number={reply.number} data-reply-id={reply.id} data-deleted={reply.deleted || undefined}>
      {firstUnread && <div className="unread-divider" data-testid="first-unread">{t('boards.firstUnread')}</div>}
      <div className="reply-head">
        <span className="reply-number">#{reply.number}</span>
        <strong data-testid="reply-author">{name}</strong>
        {author && <span className="tag" data-testid="reply-real-author">{author}</span>}
        <time dateTime={reply.createdAt} className="muted">
          {formatDateTime(reply.createdAt, me.timeZone)}
        </time>
        {reply.editedAt && !reply.deleted && <span className="muted">{t('boards.edited')}</span>}
      </div>
      {reply.quote && (
        <blockquote className="reply-quote" data-testid="reply-quote" data-quote-number={reply.quote.number}>
          <strong>
            #{reply.quote.number} {reply.quote.author?.displayName ?? t('boards.anonymous')}
          </strong>{' '}
          {reply.quote.state === 'deleted' ? <em>{t('boards.replyDeleted')}</em> : reply.quote.excerpt ? reply.quote.excerpt : <em>{t('boards.replyHidden')}</em>}
        </blockquote>
      )}
      {reply.hidden && (
        <p className="notice notice-moderation" data-testid="reply-hidden-reason">
          {t('boards.hiddenBecause', { reason: reply.hidden.reason })}
        </p>
      )}
      {editing ? (
        <PostEditor
          initial={reply.body ?? {}}
          testId="reply-editor"
          files={reply.author?.id === me.id ? { kind: 'reply', hostId: reply.id } : undefined}
          onCancel={() => setEditing(false)}
          onSave={async (body) => {
            onChanged(await boardsApi.editReply(reply.id, body));
            setEditing(false);
          }}
        />
      ) : reply.deleted ? (
        <p className="muted" data-testid="reply-deleted">
          <em>{t('boards.replyDeleted')}</em>
        </p>
      ) : withdrawn ? null : (
        <div data-testid="reply-body">
          <RichTextView doc={reply.body as unknown as RichTextDocument} />
          {files && <Attachments files={files} />}
        </div>
      )}
      <ErrorNotice error={error} testId="reply-error" onDismiss={() => setError(null)} />
      <div className="reply-foot">
        <ReactionBar reactions={reply.reactions} me={me.id} enabled={reply.can.react} onToggle={react} testId="reply-reactions" />
        <div className="row-actions">
          {mayReply && !withdrawn && (
            <button type="button" className="link-button" data-testid="reply-quote-button" onClick={() => onQuote(reply)}>
              {t('boards.quote')}
            </button>
          )}
          {reply.can.edit && !editing && (
            <button type="button" className="link-button" data-testid="reply-edit" onClick={() => setEditing(true)}>
              {t('boards.edit')}
            </button>
          )}
          {reply.can.delete && (
            <button type="button" className="link-button" data-testid="reply-delete" onClick={() => window.confirm(t('boards.confirmDelete')) && act(async () => (await boardsApi.deleteReply(reply.id), boardsApi.getReply(reply.id)))}>
              {t('boards.delete')}
            </button>
          )}
          {reply.can.moderate && !reply.hidden && (
            <button type="button" className="link-button" data-testid="reply-hide" onClick={() => setHiding(true)}>
              {t('boards.hide')}
            </button>
          )}
          {reply.can.moderate && reply.hidden && (
            <button type="button" className="link-button" data-testid="reply-unhide" onClick={() => act(() => boardsApi.moderateReply(reply.id, { action: 'unhide' }))}>
              {t('boards.unhide')}
            </button>
          )}
          {reply.can.lookUpAuthor && !author && (
            <button type="button" className="link-button" data-testid="reply-lookup" onClick={() => boardsApi.lookUpReplyAuthor(reply.id).then((found) => setAuthor(found.author.displayName), setError)}>
              {t('boards.lookUpAuthor')}
            </button>
          )}
        </div>
      </div>
      {hiding && <ReasonForm testId="reply-hide-form" onCancel={() => setHiding(false)} onSubmit={(reason) => act(async () => (setHiding(false), boardsApi.moderateReply(reply.id, { action: 'hide', reason })))} />}
    </li>
  );
});
