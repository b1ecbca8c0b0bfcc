import type { AnnouncementPriority, EscalationChannel } from '../../../shared/announcements.js';
import type { User } from '../../entities/User.js';
import type { ReminderChannel } from '../../entities/Reminder.js';
import { announcementAudienceSql } from '../../policies/announcements.js';
import type { CommandContext } from '../context.js';
import { notify, type NotificationSpec } from '../notifications/notify.js';
import { recipients } from '../notifications/recipients.js';

type Locale = 'zh-CN' | 'en';
const locales: Locale[] = ['zh-CN', 'en'];

/** What notifications say about an announcement, in each recipient's language (the announcement's own text is the publisher's). */
const words = {
  'zh-CN': {
    revised: (title: string) => `已修订：${title}`,
    reack: (title: string) => `已修订，请重新确认：${title}`,
    remind: (title: string) => `请确认：${title}`,
    head: (title: string) => `下属尚未确认：${title}`,
    headBody: '你负责的部门中有人尚未确认这条公告。打开确认台账查看是谁。',
    headBodyNoLedger: '你负责的部门中有人尚未确认这条公告，请提醒他们。',
  },
  en: {
    revised: (title: string) => `Revised: ${title}`,
    reack: (title: string) => `Revised, please acknowledge again: ${title}`,
    remind: (title: string) => `Please acknowledge: ${title}`,
    head: (title: string) => `Not yet acknowledged by your staff: ${title}`,
    headBody: 'Some of the people in the departments you head have not acknowledged this announcement. Open its ledger to see who.',
    headBodyNoLedger: 'Some of the people in the departments you head have not acknowledged this announcement; please remind them.',
  },
};

/** What an announcement notification needs of it. */
export type NoticeSource = { id: string; title: string; bodyText: string; category: string; priority: AnnouncementPriority; requiresAck: boolean; ackVersion: number | null };

/**
 * How a publication reaches people besides the app, by priority: a normal notice by e-mail when
 * their preferences say so (never SMS); an important one by e-mail and SMS as their preferences
 * say; an urgent one by e-mail and SMS whatever they chose, through their quiet hours.
 */
export function publicationChannels(priority: AnnouncementPriority): Pick<NotificationSpec, 'channels' | 'insist' | 'urgent'> {
  if (priority === 'urgent') return { channels: ['email', 'sms'], insist: true, urgent: true };
  if (priority === 'important') return { urgent: false };
  return { channels: ['email'], urgent: false };
}

/** A ladder step's or a manual reminder's channel: the app alone, or e-mail / SMS whatever the preferences (the administrator allowed the ladder). */
function stepChannels(channel: Exclude<EscalationChannel, 'head'>): { channels: ReminderChannel[]; insist: boolean } {
  return channel === 'app' ? { channels: [], insist: false } : { channels: [channel], insist: true };
}

const excerpt = (text: string) => text.slice(0, 500);

const baseData = (a: NoticeSource, event: string, extra: Record<string, unknown> = {}) => ({
  announcementId: a.id,
  category: a.category,
  priority: a.priority,
  requiresAck: a.requiresAck,
  event,
  ...extra,
});

/** Notifies the announcement's recipients named by `who` (a SELECT of user_id over recipients `r` and users `u`) of its publication: one fan-out. */
export async function notifyPublication(cx: CommandContext<User | null>, a: NoticeSource, who: { sql: string; params: unknown[] }, event: 'published' | 'joined') {
  return notify(cx, recipients.sql(who.sql, who.params), {
    kind: 'announcement',
    title: a.title,
    body: excerpt(a.bodyText),
    link: `/announcements/${a.id}`,
    data: baseData(a, event),
    ...publicationChannels(a.priority),
  });
}

/** The recipients who have not acknowledged the version that counts, in one language (SELECT user_id). */
const unacknowledgedSql = `SELECT r.user_id FROM announcement_recipients r JOIN users u ON u.id = r.user_id
  WHERE r.announcement_id = ? AND u.locale = ? AND (r.acknowledged_version IS NULL OR r.acknowledged_version < ?)`;

/**
 * Reminds everyone who has not acknowledged yet (a ladder step or the publisher's hand), on one
 * channel, in their own language: one fan-out per language, whatever the number of people.
 */
export async function notifyUnacknowledged(cx: CommandContext<User | null>, a: NoticeSource, channel: Exclude<EscalationChannel, 'head'>, extra: Record<string, unknown>): Promise<number> {
  let notified = 0;
  for (const locale of locales) {
    const { recipients: count } = await notify(cx, recipients.sql(unacknowledgedSql, [a.id, locale, a.ackVersion ?? 0]), {
      kind: 'announcement',
      title: words[locale].remind(a.title),
      body: excerpt(a.bodyText),
      link: `/announcements/${a.id}`,
      data: baseData(a, 'reminder', { channel, ...extra }),
      urgent: a.priority === 'urgent',
      ...stepChannels(channel),
    });
    notified += count;
  }
  return notified;
}

/** Tells every recipient of a new version of a policy; when it must be acknowledged again, as a reminder does. */
export async function notifyRevision(cx: CommandContext<User | null>, a: NoticeSource, version: number, reacknowledge: boolean): Promise<number> {
  let notified = 0;
  for (const locale of locales) {
    const { recipients: count } = await notify(
      cx,
      recipients.sql(`SELECT r.user_id FROM announcement_recipients r JOIN users u ON u.id = r.user_id WHERE r.announcement_id = ? AND u.locale = ?`, [a.id, locale]),
      {
        kind: 'announcement',
        title: (reacknowledge ? words[locale].reack : words[locale].revised)(a.title),
        body: excerpt(a.bodyText),
        link: `/announcements/${a.id}?version=${version}`,
        data: baseData(a, 'revised', { version, reacknowledge }),
        ...publicationChannels(a.priority),
      },
    );
    notified += count;
  }
  return notified;
}

/**
 * The "notify the direct head" step: for each recipient who has not acknowledged, the managers of the
 * nearest department up from theirs that is headed by someone else; each head is notified once, with
 * how many and which of their people are missing (in the notification's data). Heads who may see the
 * announcement get a link to its ledger; others learn only its title and that their people have not
 * acknowledged it. One fan-out per language and link, whatever the number of people.
 */
export async function notifyHeads(cx: CommandContext<User | null>, a: NoticeSource, extra: Record<string, unknown>): Promise<number> {
  const headsSql = (canSee: boolean) => `
    WITH RECURSIVE pending AS (
      SELECT r.user_id, pu.department_id, pu.display_name FROM announcement_recipients r JOIN users pu ON pu.id = r.user_id
      WHERE r.announcement_id = ? AND pu.active AND (r.acknowledged_version IS NULL OR r.acknowledged_version < ?)
    ), up(user_id, department_id, parent_id, depth) AS (
      SELECT p.user_id, d.id, d.parent_id, 0 FROM pending p JOIN departments d ON d.id = p.department_id
      UNION ALL
      SELECT up.user_id, d.id, d.parent_id, up.depth + 1 FROM up JOIN departments d ON d.id = up.parent_id
    ), nearest AS (
      SELECT DISTINCT ON (up.user_id) up.user_id, up.department_id FROM up
      WHERE EXISTS (SELECT 1 FROM department_managers m JOIN users mu ON mu.id = m.user_id AND mu.active WHERE m.department_id = up.department_id AND m.user_id <> up.user_id)
      ORDER BY up.user_id, up.depth
    )
    SELECT m.user_id, jsonb_build_object('count', count(*), 'people', (array_agg(p.display_name ORDER BY p.display_name))[1:20]) AS data
    FROM nearest n JOIN pending p ON p.user_id = n.user_id
    JOIN department_managers m ON m.department_id = n.department_id AND m.user_id <> n.user_id
    JOIN users hu ON hu.id = m.user_id AND hu.active AND hu.locale = ?
    JOIN announcements a ON a.id = ?::bigint
    WHERE ${canSee ? '' : 'NOT '}${announcementAudienceSql('hu', 'a')}
    GROUP BY m.user_id`;
  let notified = 0;
  for (const locale of locales) {
    for (const canSee of [true, false]) {
      const { recipients: count } = await notify(cx, recipients.sql(headsSql(canSee), [a.id, a.ackVersion ?? 0, locale, a.id]), {
        kind: 'announcement',
        title: words[locale].head(a.title),
        body: canSee ? words[locale].headBody : words[locale].headBodyNoLedger,
        link: canSee ? `/announcements/${a.id}/ledger` : null,
        data: baseData(a, 'head', extra),
        urgent: a.priority === 'urgent',
      });
      notified += count;
    }
  }
  return notified;
}
