import type { EscalationLadder } from '../../../shared/announcements.js';
import type { AnnouncementCreateInput } from '../../../shared/schemas/announcements.js';
import { parseRichText, richTextToPlainText } from '../../editor/index.js';
import type { User } from '../../entities/User.js';
import { AppError } from '../../errors.js';
import { announcementJob } from '../../jobs/queue.js';
import { requirePublishableScope } from '../../policies/announcements.js';
import { readOrgSettings } from '../../queries/settings.js';
import type { CommandContext } from '../context.js';
import { checkLadder, ladderSteps } from './ladder.js';
import { notifyPublication, type NoticeSource } from './notices.js';
import { scopeUsersSql } from './scope.js';

const invalid = (path: string, code: string, message: string) => new AppError(400, 'validation_failed', `The request is not valid: ${path}: ${message}`, [{ path, code, message }]);

/** A publish time this far in the past is taken as "now" (a form filled in a minute ago); earlier is a mistake. */
const PUBLISH_SLACK_MS = 60_000;

/** The body as stored: the checked Lexical JSON and its plain text; a malformed body is a 400 naming `body`. */
export function checkBody(raw: unknown): { body: Record<string, unknown>; bodyText: string } {
  try {
    const doc = parseRichText(raw);
    const bodyText = richTextToPlainText(doc);
    if (!bodyText.trim()) throw invalid('body', 'required', 'is required');
    return { body: doc as unknown as Record<string, unknown>, bodyText };
  } catch (error) {
    if (error instanceof AppError && error.status === 400 && error.code !== 'validation_failed') throw invalid('body', 'invalid_rich_text', error.message);
    throw error;
  }
}

/** How many active people a scope reaches now, after the same checks as publishing to it (the compose page's count). */
export async function scopePreviewer(cx: CommandContext, scope: AnnouncementCreateInput['scope']): Promise<{ recipients: number }> {
  await requirePublishableScope(cx.em, cx.actor, scope);
  const reach = scopeUsersSql(scope, cx.actor.id);
  const [row] = await cx.em.execute<{ n: string }[]>(`SELECT count(*) AS n FROM (${reach.sql}) s`, reach.params);
  return { recipients: Number(row.n) };
}

/**
 * Publishes an announcement, or schedules it (its job starts at the publish time, inserted in this
 * transaction like a reminder's occurrence). Checked first: the body, the scope (known departments
 * and people, within the publisher's rights), the times against the clock, the ladder against the
 * administrator's limits. Returns the new announcement's id, and its recipients when it went out now.
 */
export async function announcementCreator(cx: CommandContext, input: AnnouncementCreateInput): Promise<{ id: string; recipientIds: string[] | null }> {
  const { em: tx, actor } = cx;
  const now = cx.clock.now();
  const { body, bodyText } = checkBody(input.body);
  await requirePublishableScope(tx, actor, input.scope);
  const asked = input.publishAt ? new Date(input.publishAt) : null;
  if (asked && asked.getTime() < now.getTime() - PUBLISH_SLACK_MS) throw invalid('publishAt', 'in_the_past', 'must not lie in the past');
  const publishAt = asked && asked.getTime() > now.getTime() ? asked : null;
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && expiresAt.getTime() <= (publishAt ?? now).getTime()) throw invalid('expiresAt', 'in_the_past', 'must be after the publication');
  if (input.escalation) checkLadder(input.escalation, (await readOrgSettings(tx)).escalationLimits);

  const [row] = await tx.execute<{ id: string }[]>(
    `INSERT INTO announcements (publisher_id, title, body, body_text, category, priority, requires_ack, scope, status, publish_at, expires_at, pinned, version, ack_version, escalation, recipient_count, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'scheduled', ?, ?, ?, 1, ?, ?, 0, ?, ?) RETURNING id::text AS id`,
    [
      actor.id, input.title, JSON.stringify(body), bodyText, input.category, input.priority, input.requiresAck, JSON.stringify(input.scope),
      publishAt, expiresAt, input.pinned, input.requiresAck ? 1 : null, input.escalation ? JSON.stringify(input.escalation) : null, now, now,
    ],
  );
  const id = row.id;
  await tx.execute(`INSERT INTO announcement_versions (announcement_id, version, title, body, body_text, requires_reacknowledge, author_id, created_at) VALUES (?, 1, ?, ?, ?, false, ?, ?)`, [
    id, input.title, JSON.stringify(body), bodyText, actor.id, now,
  ]);
  // Its scope says who may read it: a permission set by its publisher.
  await cx.audit({ action: 'announcement.published', targetType: 'announcement', targetId: String(id), data: { title: input.title, scope: input.scope, publishAt: publishAt?.toISOString() ?? null } });
  const recipientIds = publishAt ? null : await publishNow(cx, id);
  if (publishAt) await cx.jobs.insert([announcementJob({ task: 'publish', announcementId: id }, publishAt)]);
  if (expiresAt) await cx.jobs.insert([announcementJob({ task: 'expire', announcementId: id }, expiresAt)]);
  return { id, recipientIds };
}

type Publishing = NoticeSource & { publisher_id: string; scope: AnnouncementCreateInput['scope']; escalation: EscalationLadder | null; status: string };

/**
 * Publishes a scheduled announcement now, in the caller's transaction (the creator, or the job at
 * the publish time): the scope is resolved into every recipient's ledger row with one INSERT …
 * SELECT, each is notified through one fan-out (handed to background jobs above FANOUT_CHUNK_SIZE,
 * so that the request does not wait for thousands of notifications), and the ladder's steps are
 * written with their jobs. Returns the recipients, or null when it was published already.
 */
export async function publishNow(cx: CommandContext<User | null>, id: string): Promise<string[] | null> {
  const { em: tx } = cx;
  const now = cx.clock.now();
  const [a] = await tx.execute<(Omit<Publishing, 'id' | 'bodyText' | 'requiresAck' | 'ackVersion'> & { id: string; body_text: string; requires_ack: boolean; ack_version: number | null })[]>(
    `SELECT id::text AS id, publisher_id::text AS publisher_id, title, body_text, category, priority, requires_ack, ack_version, scope, escalation, status
     FROM announcements WHERE id = ? FOR UPDATE`,
    [id],
  );
  if (!a || a.status !== 'scheduled') return null;
  const reach = scopeUsersSql(a.scope, a.publisher_id);
  const added = await tx.execute<{ user_id: string }[]>(
    `INSERT INTO announcement_recipients (announcement_id, user_id, via, received_at)
     SELECT ?, s.user_id, 'publish', ? FROM (${reach.sql}) s
     ON CONFLICT DO NOTHING RETURNING user_id::text AS user_id`,
    [id, now, ...reach.params],
  );
  const count = added.length;
  await tx.execute(`UPDATE announcements SET status = 'published', published_at = ?, recipient_count = ?, updated_at = ? WHERE id = ?`, [now, count, now, id]);
  const source: NoticeSource = { id, title: a.title, bodyText: a.body_text, category: a.category, priority: a.priority, requiresAck: a.requires_ack, ackVersion: a.ack_version };
  await notifyPublication(cx, source, { sql: `SELECT r.user_id FROM announcement_recipients r WHERE r.announcement_id = ?`, params: [id] }, 'published');
  if (a.escalation && a.requires_ack) await scheduleLadder(cx, id, a.escalation, a.ack_version ?? 1, now);
  return added.map((r) => String(r.user_id));
}

/** Writes the ladder's steps from `from` on, for the acknowledgement version they chase, and a job for each (one statement each). */
export async function scheduleLadder(cx: CommandContext<User | null>, id: string, ladder: EscalationLadder, version: number, from: Date): Promise<void> {
  const steps = ladderSteps(ladder, from);
  if (steps.length === 0) return;
  const rows = await cx.em.execute<{ id: string; due_at: Date }[]>(
    `INSERT INTO announcement_escalations (announcement_id, version, step, channel, due_at)
     SELECT ?, ?, s.step, s.channel, s.due_at FROM jsonb_to_recordset(?::jsonb) AS s(step int, channel text, due_at timestamptz)
     RETURNING id::text AS id, due_at`,
    [id, version, JSON.stringify(steps.map((s) => ({ step: s.step, channel: s.channel, due_at: s.dueAt.toISOString() })))],
  );
  await cx.jobs.insert(rows.map((r) => announcementJob({ task: 'escalate', escalationId: r.id }, new Date(r.due_at))));
}
