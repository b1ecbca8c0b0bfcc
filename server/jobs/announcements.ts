import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { announcementStream } from '../../shared/announcements.js';
import { announcementExpirer } from '../commands/announcements/manage.js';
import { notifyHeads, notifyUnacknowledged, type NoticeSource } from '../commands/announcements/notices.js';
import { publishNow } from '../commands/announcements/publish.js';
import { appendEvent, type CommandRunner } from '../commands/context.js';
import type { Clock } from '../clock.js';
import { announcementJob, type AnnouncementJob } from './queue.js';

export type AnnouncementJobDeps = { orm: MikroORM; runner: CommandRunner; clock: Clock; logger: Logger };

/** A job that pg-boss starts this much before its instant (by the database's clock against ours) still counts as due. */
const EARLY_MS = 2000;

type StepRow = {
  id: string; announcement_id: string; version: number; step: number; channel: 'app' | 'email' | 'sms' | 'head'; due_at: Date; fired_at: Date | null;
  title: string; body_text: string; category: string; priority: NoticeSource['priority']; requires_ack: boolean; ack_version: number | null;
  status: string; expires_at: Date | null;
};

/**
 * Fires one step of an escalation ladder exactly once: the step's row is locked (SKIP LOCKED, so a
 * second process does not wait for the first) and marked fired in the transaction that notifies its
 * people — only those who have not acknowledged the version it chases — or, for thousands, queues
 * the parts of that fan-out. A retried, duplicated or re-offered job finds it fired and does nothing;
 * a process that dies mid-way rolls back and the sweep offers the step again. A step of an expired
 * announcement, or of a version a revision replaced, closes without notifying anyone. Returns how
 * many were notified, or null when it was not due or not this process's to fire.
 */
export async function escalationStepFirer(deps: AnnouncementJobDeps, escalationId: string): Promise<number | null> {
  return deps.runner.run(deps.orm.em.fork(), null, async (cx) => {
    const [s] = await cx.em.execute<StepRow[]>(
      `SELECT e.id::text AS id, e.announcement_id::text AS announcement_id, e.version, e.step, e.channel, e.due_at, e.fired_at,
              a.title, a.body_text, a.category, a.priority, a.requires_ack, a.ack_version, a.status, a.expires_at
       FROM announcement_escalations e JOIN announcements a ON a.id = e.announcement_id
       WHERE e.id = ? FOR UPDATE OF e SKIP LOCKED`,
      [escalationId],
    );
    if (!s || s.fired_at) return null;
    const now = cx.clock.now();
    if (new Date(s.due_at).getTime() > now.getTime() + EARLY_MS) {
      // Started before its time by our clock: offered again at its time.
      await cx.jobs.insert([announcementJob({ task: 'escalate', escalationId }, new Date(s.due_at))]);
      return null;
    }
    const stale = s.status !== 'published' || s.ack_version !== s.version || (s.expires_at !== null && new Date(s.expires_at).getTime() <= now.getTime());
    let notified = 0;
    if (!stale) {
      const source: NoticeSource = { id: s.announcement_id, title: s.title, bodyText: s.body_text, category: s.category, priority: s.priority, requiresAck: s.requires_ack, ackVersion: s.ack_version };
      const extra = { step: s.step, version: s.version };
      notified = s.channel === 'head' ? await notifyHeads(cx, source, extra) : await notifyUnacknowledged(cx, source, s.channel, extra);
    }
    await cx.em.execute(`UPDATE announcement_escalations SET fired_at = ?, notified = ? WHERE id = ?`, [now, notified, escalationId]);
    if (notified > 0) await appendEvent(cx, announcementStream(s.announcement_id), 'ledger.changed', { change: 'reminded' });
    return notified;
  });
}

/** Publishes a scheduled announcement at its time, once (its row is locked; a second job finds it published). */
export async function scheduledPublisher(deps: AnnouncementJobDeps, announcementId: string): Promise<string[] | null> {
  return deps.runner.run(deps.orm.em.fork(), null, async (cx) => {
    const [a] = await cx.em.execute<{ publish_at: Date | null; status: string }[]>(`SELECT publish_at, status FROM announcements WHERE id = ? FOR UPDATE SKIP LOCKED`, [announcementId]);
    if (!a || a.status !== 'scheduled') return null;
    const at = a.publish_at ? new Date(a.publish_at) : cx.clock.now();
    if (at.getTime() > cx.clock.now().getTime() + EARLY_MS) {
      await cx.jobs.insert([announcementJob({ task: 'publish', announcementId }, at)]);
      return null;
    }
    return publishNow(cx, announcementId);
  });
}

/** Processes an announcement's expiry when it is due. */
export async function scheduledExpirer(deps: AnnouncementJobDeps, announcementId: string): Promise<boolean> {
  return deps.runner.run(deps.orm.em.fork(), null, (cx) => announcementExpirer(cx, announcementId));
}

/** Runs one job of ANNOUNCEMENT_QUEUE. */
export async function runAnnouncementJob(deps: AnnouncementJobDeps, job: AnnouncementJob): Promise<void> {
  if (job.task === 'escalate') await escalationStepFirer(deps, job.escalationId);
  else if (job.task === 'publish') await scheduledPublisher(deps, job.announcementId);
  else await scheduledExpirer(deps, job.announcementId);
}

export type DueWork = { published: number; fired: number; expired: number };

/**
 * Everything of announcements that was due `graceMs` ago by the clock and has not happened: its job
 * was lost with a process that died, or a test moved the clock forward. The sweep calls it with the
 * sweep's grace; each piece is done exactly once whoever gets to it first (the same locks as the jobs).
 */
export async function dueAnnouncementWork(deps: AnnouncementJobDeps, graceMs: number, limit = 200): Promise<DueWork> {
  const em = deps.orm.em.fork();
  const before = new Date(deps.clock.now().getTime() - graceMs);
  const publish = await em.execute<{ id: string }[]>(`SELECT id::text AS id FROM announcements WHERE status = 'scheduled' AND publish_at <= ? ORDER BY publish_at LIMIT ?`, [before, limit]);
  const steps = await em.execute<{ id: string }[]>(`SELECT id::text AS id FROM announcement_escalations WHERE fired_at IS NULL AND due_at <= ? ORDER BY due_at, id LIMIT ?`, [before, limit]);
  const expire = await em.execute<{ id: string }[]>(
    `SELECT id::text AS id FROM announcements WHERE expired_at IS NULL AND expires_at IS NOT NULL AND expires_at <= ? AND status = 'published' ORDER BY expires_at LIMIT ?`,
    [before, limit],
  );
  const done: DueWork = { published: 0, fired: 0, expired: 0 };
  for (const { id } of publish) if ((await scheduledPublisher(deps, id)) !== null) done.published++;
  for (const { id } of steps) if ((await escalationStepFirer(deps, id)) !== null) done.fired++;
  for (const { id } of expire) if (await scheduledExpirer(deps, id)) done.expired++;
  return done;
}
