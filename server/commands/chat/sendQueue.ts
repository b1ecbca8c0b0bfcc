import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { MessageDTO } from '../../../shared/chat.js';
import { conversationStream } from '../../../shared/chat.js';
import { conflict, notFound, toAppError } from '../../errors.js';
import { loadMessage } from '../../presenters/message.js';
import { preparedStatement } from '../../db/prepared.js';
import type { RealtimeEmitter } from '../../realtime/emitter.js';
import type { PendingEvents } from '../transaction.js';

/** A message presented before it is stored: everything but the id, which the database assigns. */
export type MessageDraft = Omit<MessageDTO, 'id'> & { author: NonNullable<MessageDTO['author']>; clientId: string };
export type StoreItem = { draft: MessageDraft; replyToId: string | null };
export type SendResult = { message: MessageDTO; created: boolean };
/** What became of one send: its result, or why it was refused or failed. */
export type SendOutcome = { result: SendResult } | { error: unknown };

/**
 * Stores a batch of messages of ONE conversation in one statement: per message the membership
 * check, the insert (idempotent on the author's client id), then once the conversation's last
 * message, each author's read position and the stream events with the presented messages.
 *
 * The parts take their row locks in a fixed order — the conversation row (moved_last) first, then
 * the members' rows and the stream's head, which read moved_last — so concurrent writers of one
 * conversation queue on the conversation row instead of deadlocking, and the head lock gives
 * consecutive stream sequences in commit order. Ids follow the input order (the INSERT reads it
 * ordered), and so do the sequences (numbered by id).
 */
const storeStatement = preparedStatement<{ ord: number; is_member: boolean; id: string | null; seq: string | null }>('chat.storeMessages', `
  WITH input AS (
    SELECT * FROM jsonb_to_recordset(?::jsonb) AS t(ord int, author_id bigint, client_id text, body jsonb, text text, reply_to_id bigint, mentions jsonb, created_at timestamptz, payload jsonb)
  ), allowed AS (
    SELECT i.* FROM input i
    WHERE EXISTS (SELECT 1 FROM conversation_members cm WHERE cm.conversation_id = ? AND cm.user_id = i.author_id)
  ), inserted AS (
    INSERT INTO messages (conversation_id, author_id, client_id, kind, body, text, reply_to_id, mentions, created_at)
    SELECT ?, author_id, client_id, 'text', body, text, reply_to_id, mentions, created_at FROM allowed ORDER BY ord
    ON CONFLICT (author_id, client_id) DO NOTHING RETURNING id, author_id, client_id, created_at
  ), moved_last AS (
    UPDATE conversations c SET last_message_id = l.id, last_message_at = l.created_at
    FROM (SELECT id, created_at FROM inserted ORDER BY id DESC LIMIT 1) l
    WHERE c.id = ? RETURNING c.id
  ), read_own AS (
    UPDATE conversation_members cm SET last_read_message_id = r.id
    FROM (SELECT author_id, max(id) AS id FROM inserted GROUP BY author_id) r, moved_last
    WHERE cm.conversation_id = moved_last.id AND cm.user_id = r.author_id
  ), head AS (
    INSERT INTO stream_heads (stream, last_seq) SELECT ?, (SELECT count(*) FROM inserted) FROM moved_last
    ON CONFLICT (stream) DO UPDATE SET last_seq = stream_heads.last_seq + excluded.last_seq RETURNING last_seq
  ), numbered AS (
    SELECT i.id, i.author_id, i.client_id, h.last_seq - count(*) OVER () + row_number() OVER (ORDER BY i.id) AS seq
    FROM inserted i, head h
  ), event AS (
    INSERT INTO stream_events (stream, seq, type, payload, created_at)
    SELECT ?, n.seq, 'message.created', jsonb_set(i.payload, '{message,id}', to_jsonb(n.id::text)), i.created_at
    FROM numbered n JOIN input i ON i.author_id = n.author_id AND i.client_id = n.client_id
  )
  SELECT i.ord, a.ord IS NOT NULL AS is_member, n.id::text AS id, n.seq
  FROM input i LEFT JOIN allowed a ON a.ord = i.ord LEFT JOIN numbered n ON n.author_id = i.author_id AND n.client_id = i.client_id`);

/**
 * Stores the items (distinct author and client id pairs, one conversation) and appends their
 * events. Answers per item: the stored message, a 404 for a non-member, or — for a client id
 * already used — the message stored before. Once the statement ran nothing throws: its events must
 * reach the caller.
 */
export async function storeMessages(em: EntityManager, events: PendingEvents, conversationId: string, items: StoreItem[]): Promise<SendOutcome[]> {
  const stream = conversationStream(conversationId);
  const input = items.map(({ draft, replyToId }, ord) => ({
    ord,
    author_id: draft.author.id,
    client_id: draft.clientId,
    body: draft.body,
    text: draft.text,
    reply_to_id: replyToId,
    mentions: draft.mentions,
    created_at: draft.createdAt,
    payload: { message: draft },
  }));
  const rows = await storeStatement(em, [
    JSON.stringify(input),
    conversationId,
    conversationId,
    conversationId,
    stream,
    stream,
  ]);
  const byOrd = new Map(rows.map((row) => [row.ord, row]));
  const outcomes: SendOutcome[] = [];
  for (const [ord, { draft }] of items.entries()) {
    const row = byOrd.get(ord)!;
    if (!row.is_member) {
      outcomes.push({ error: notFound('The conversation') });
    } else if (row.id) {
      const message: MessageDTO = { id: row.id, ...draft };
      events.push({ stream, seq: Number(row.seq), type: 'message.created', data: { message }, at: draft.createdAt });
      outcomes.push({ result: { message, created: true } });
    } else {
      // A retry: the client id is taken, by an earlier send or a concurrent one that committed first.
      outcomes.push(await earlierSend(em, draft.author.id, draft.clientId, conversationId));
    }
  }
  events.sort((a, b) => a.seq - b.seq);
  return outcomes;
}

async function earlierSend(em: EntityManager, authorId: string, clientId: string, conversationId: string): Promise<SendOutcome> {
  try {
    const [row] = await em.execute<{ id: string; conversation_id: string }[]>(
      `SELECT id::text AS id, conversation_id::text AS conversation_id FROM messages WHERE author_id = ? AND client_id = ?`,
      [authorId, clientId],
    );
    if (!row) return { error: conflict('The message is being sent by another request; retry') };
    if (row.conversation_id !== conversationId) return { error: conflict('This client id was already used for a message in another conversation') };
    return { result: { message: (await loadMessage(em, row.id))!, created: false } };
  } catch (error) {
    return { error };
  }
}

type Waiting = StoreItem & { settle: ((outcome: SendOutcome) => void)[] };

/**
 * Group commit for sends. Sends into one conversation serialise on its row lock anyway, and each
 * one commits on its own (a WAL flush) while holding it, so under load a conversation's sends
 * would queue in the database one commit at a time. Instead, while one batch of a conversation
 * is being stored, later sends wait here and go together in the next statement: at low load every
 * send is stored at once, alone; under load a busy conversation costs one statement and one
 * commit per batch. Nothing is acknowledged before its batch committed.
 */
export class MessageSendQueue {
  /** Conversations with a batch being stored, and the sends waiting for the next one. */
  private readonly busy = new Map<string, Waiting[]>();
  private readonly storedListeners: ((message: MessageDTO) => Promise<void> | void)[] = [];

  constructor(
    private readonly orm: MikroORM,
    private readonly emitter: RealtimeEmitter,
    private readonly maxBatch = 100,
  ) {}

  /**
   * Calls `listener` with every message stored, after its commit and before its sender's
   * acknowledgement, also for those stored outside the queue (see `stored`). A listener must not
   * throw; what it does is settled when the sender hears back.
   */
  onStored(listener: (message: MessageDTO) => Promise<void> | void) {
    this.storedListeners.push(listener);
  }

  /** Reports a message that a command stored in a transaction of its own, once committed. */
  async stored(message: MessageDTO) {
    await Promise.all(this.storedListeners.map((listener) => listener(message)));
  }

  send(item: StoreItem): Promise<SendResult> {
    return new Promise((resolve, reject) => {
      const settle = (outcome: SendOutcome) => ('result' in outcome ? resolve(outcome.result) : reject(outcome.error));
      const conversationId = item.draft.conversationId;
      const waiting = this.busy.get(conversationId);
      if (!waiting) {
        this.busy.set(conversationId, []);
        void this.run(conversationId, [{ ...item, settle: [settle] }]);
        return;
      }
      // A retry of a send that is still waiting shares its answer (one batch must not hold a client id twice).
      const twin = waiting.find((w) => w.draft.author.id === item.draft.author.id && w.draft.clientId === item.draft.clientId);
      if (twin) twin.settle.push(settle);
      else waiting.push({ ...item, settle: [settle] });
    });
  }

  private async run(conversationId: string, batch: Waiting[]) {
    const outcomes = await this.store(conversationId, batch);
    batch.forEach((item, i) => item.settle.forEach((settle) => settle(outcomes[i])));
    const waiting = this.busy.get(conversationId)!;
    if (waiting.length === 0) {
      this.busy.delete(conversationId);
      return;
    }
    const next = waiting.splice(0, this.maxBatch);
    void this.run(conversationId, next);
  }

  private async store(conversationId: string, batch: Waiting[]): Promise<SendOutcome[]> {
    try {
      const events: PendingEvents = [];
      const outcomes = await storeMessages(this.orm.em.fork(), events, conversationId, batch);
      this.emitter.publish(events);
      await Promise.all(outcomes.map((outcome) => ('result' in outcome && outcome.result.created ? this.stored(outcome.result.message) : undefined)));
      return outcomes;
    } catch (error) {
      const appError = toAppError(error);
      // One send that the database refuses must not fail the others: a batch that failed for
      // anything but a lost database is stored again one by one.
      if (batch.length > 1 && appError.code !== 'unavailable') {
        const outcomes: SendOutcome[] = [];
        for (const item of batch) outcomes.push(...(await this.store(conversationId, [item])));
        return outcomes;
      }
      return batch.map(() => ({ error }));
    }
  }
}
