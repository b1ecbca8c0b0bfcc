import { memo, useState } from 'react';
import { mayChangeMessage, type ConversationDTO, type MessageDTO } from '../../../../shared/chat';
import type { RichTextDocument } from '../../../../shared/richText/nodes';
import { RichTextView } from '../../components/RichTextEditor';
import { useI18n } from '../../i18n';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { useMe } from '../auth/session';
import { useChatStore } from './ChatProvider';
import { MessageEditor } from './MessageEditor';
import type { PendingMessage } from './outbox';
import { Attachments } from '../files/Attachments';

/** The quoted message a reply refers to. */
function Quote({ replyTo }: { replyTo: NonNullable<MessageDTO['replyTo']> }) {
  const { t } = useI18n();
  return (
    <blockquote className="message-quote" data-testid="message-quote" data-reply-to={replyTo.id}>
      <strong>{replyTo.authorName ?? t('chat.someone')}</strong> {replyTo.deleted ? <em>{t('chat.messageDeleted')}</em> : replyTo.text}
    </blockquote>
  );
}

type Props = {
  message: MessageDTO;
  kind: ConversationDTO['kind'];
  /** The sentence of a system message (names resolved by the list). */
  systemLine?: string;
  /** Same author as the message above, shortly before: no author line. */
  continued: boolean;
  /** Members whose read position is this message. */
  readers?: { id: string; displayName: string }[];
  onReply: (message: MessageDTO) => void;
};

/**
 * One stored message: author and time, quote, body (or the deleted marker), actions and read
 * receipts. Memoised: typing indicators and other messages' changes do not re-render it.
 */
export const MessageItem = memo(function MessageItem({ message, kind, systemLine, continued, readers, onReply }: Props) {
  const { t, formatDateTime } = useI18n();
  const me = useMe();
  const store = useChatStore();
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const mine = message.author?.id === me.id;
  // Messages reach every member in one payload, so the rule is the shared one the server's policy asks too.
  const mayChange = mayChangeMessage(message, me.id);
  const deleted = !!message.deletedAt;

  if (message.kind === 'system') {
    return (
      <li className="message message-system" data-testid="message-item" data-message-id={message.id} data-kind="system">
        {systemLine}
      </li>
    );
  }

  const remove = async () => {
    if (!window.confirm(t('chat.confirmDelete'))) return;
    setError(null);
    try {
      await store.remove(message.id);
    } catch (failure) {
      setError(failure);
    }
  };
  const save = async (body: RichTextDocument) => {
    await store.edit(message.id, body);
    setEditing(false);
  };

  return (
    <li tabIndex={-1} className={`message${mine ? ' message-mine' : ''}${continued ? ' message-continued' : ''}`} data-testid="message-item" data-message-id={message.id} data-author-id={message.author?.id} data-deleted={deleted || undefined}>
      {!continued && (
        <div className="message-head">
          <strong className="message-author">{message.author?.displayName ?? t('chat.someone')}</strong>
          <time dateTime={message.createdAt} className="muted">
            {formatDateTime(message.createdAt, me.timeZone)}
          </time>
        </div>
      )}
      {message.replyTo && <Quote replyTo={message.replyTo} />}
      {deleted ? (
        <p className="message-deleted muted" data-testid="message-deleted">
          {t('chat.messageDeleted')}
        </p>
      ) : editing ? (
        <MessageEditor conversationId={message.conversationId} initial={message.body as unknown as RichTextDocument} onSave={save} onCancel={() => setEditing(false)} />
      ) : (
        <div className="message-body" data-testid="message-body">
          <RichTextView doc={message.body as unknown as RichTextDocument} />
          <Attachments files={message.attachments ?? []} />
          {message.editedAt && (
            <span className="muted message-edited" data-testid="message-edited">
              {t('chat.edited')}
            </span>
          )}
        </div>
      )}
      {!deleted && !editing && (
        <div className="message-actions">
          <button type="button" className="link-button" data-testid="message-reply" onClick={() => onReply(message)}>
            {t('chat.reply')}
          </button>
          {mayChange && (
            <>
              <button type="button" className="link-button" data-testid="message-edit" onClick={() => setEditing(true)}>
                {t('chat.edit')}
              </button>
              <button type="button" className="link-button" data-testid="message-delete" onClick={() => void remove()}>
                {t('chat.delete')}
              </button>
            </>
          )}
        </div>
      )}
      <ErrorNotice error={error} testId="message-error" onDismiss={() => setError(null)} />
      {readers && readers.length > 0 && (
        <div className="read-receipt muted" data-testid="read-receipt" data-reader-ids={readers.map((r) => r.id).join(',')}>
          {kind === 'direct' ? t('chat.readDirect') : t('chat.readBy', { names: readers.map((r) => r.displayName).join(t('common.listSeparator')) })}
        </div>
      )}
    </li>
  );
});

/** A message written here and not yet acknowledged: shown at once, marked as sending or failed. */
export function PendingItem({ pending }: { pending: PendingMessage }) {
  const { t } = useI18n();
  const me = useMe();
  const store = useChatStore();
  return (
    <li className="message message-mine message-pending" data-testid="message-item" data-pending="true" data-client-id={pending.clientId} data-status={pending.status}>
      <div className="message-head">
        <strong className="message-author">{me.displayName}</strong>
      </div>
      {pending.replyTo && <Quote replyTo={pending.replyTo} />}
      <div className="message-body" data-testid="message-body">
        <RichTextView doc={pending.body} />
        <Attachments files={pending.attachments ?? []} />
      </div>
      {pending.status === 'sending' ? (
        <span className="muted message-status" data-testid="message-sending">
          {t('chat.sending')}
        </span>
      ) : (
        <div className="message-status message-failed" data-testid="message-failed" data-code={pending.error?.code}>
          {t('chat.sendFailed', { reason: pending.error?.message ?? '' })}{' '}
          <button type="button" className="link-button" onClick={() => store.sender.retry(pending.clientId)}>
            {t('common.retry')}
          </button>{' '}
          <button type="button" className="link-button" onClick={() => store.sender.discard(pending.clientId)}>
            {t('chat.discard')}
          </button>
        </div>
      )}
    </li>
  );
}
