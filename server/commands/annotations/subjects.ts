import type { AnnotationEventDTO, AnnotationSubjectKind } from '../../../shared/annotations.js';
import { reportStream } from '../../../shared/reports.js';
import { reportAudienceSql } from '../../policies/reports.js';
import { entryAudienceSql } from '../../policies/schedule.js';
import type { SubjectAccess } from '../../policies/annotations.js';
import { feedItemAppender } from '../customers/feed.js';
import { appendEvent, type CommandContext } from '../context.js';
import type { Recipients } from '../notifications/recipients.js';
import { reportTitle } from '../reports/titles.js';

/** What an annotation's notification says and opens, by subject. */
export type Wording = { created: (actor: string) => string; replied: (actor: string) => string; mentioned: (actor: string) => string; link: (annotationId: string) => string; data: Record<string, unknown> };

/**
 * What differs between the subjects of annotations; everything else (threads, replies, editing,
 * resolving, notifying) is the one mechanism of ./annotations.ts.
 */
type SubjectHooks = {
  wording: (cx: CommandContext, access: SubjectAccess) => Promise<Wording>;
  /** Leaves out of a notification those who may no longer see the subject (recipients as `x.user_id`). */
  audience: (access: SubjectAccess, selection: Recipients) => Recipients;
  /** Keeps of a selection only those who may see the subject: whom a remark may mention. */
  viewers: (access: SubjectAccess, selection: Recipients) => Recipients;
  /** After an annotation was made (not a reply): the customer feed of an entry. */
  created: (cx: CommandContext, access: SubjectAccess, annotation: AnnotationEventDTO, wording: Wording) => Promise<void>;
  /** After any change (a new annotation or reply, an edit, resolving, deleting): live followers of the subject. */
  changed: (cx: CommandContext, access: SubjectAccess, annotation: AnnotationEventDTO, created: boolean) => Promise<void>;
};

const entryTitle = async (cx: CommandContext, entryId: string) => ((await cx.em.execute<{ title: string }[]>(`SELECT title FROM schedule_entries WHERE id = ?`, [entryId]))[0]).title;

export const subjectHooks: Record<AnnotationSubjectKind, SubjectHooks> = {
  entry: {
    wording: async (cx, access) => {
      const title = await entryTitle(cx, access.subject.id);
      return {
        created: (actor) => `${actor} annotated “${title}”`,
        replied: (actor) => `${actor} replied to an annotation on “${title}”`,
        mentioned: (actor) => `${actor} mentioned you on “${title}”`,
        link: () => `/schedule/entries/${access.subject.id}`,
        data: { entryId: access.subject.id, entryTitle: title },
      };
    },
    // Who sees an entry is decided when they are notified about it, as before: its owner and superiors.
    audience: (_access, selection) => selection,
    viewers: (access, selection) => ({
      sql: `SELECT x.user_id FROM (${selection.sql}) x JOIN users u ON u.id = x.user_id JOIN schedule_entries e ON e.id = ? WHERE ${entryAudienceSql('u', 'e')}`,
      params: [...selection.params, access.subject.id],
    }),
    created: async (cx, access, annotation, wording) => {
      if (!access.customerId) return;
      await feedItemAppender(cx, {
        customerId: access.customerId, kind: 'annotation', actorId: annotation.author.id, entryId: access.subject.id, body: annotation.body, text: annotation.text,
        data: { annotationId: annotation.id, entryTitle: wording.data.entryTitle },
      });
    },
    changed: async () => {},
  },
  report: {
    wording: async (cx, access) => {
      const title = await reportTitle(cx.em, access.subject.id);
      return {
        created: (actor) => `${actor} annotated ${title}`,
        replied: (actor) => `${actor} replied to an annotation on ${title}`,
        mentioned: (actor) => `${actor} mentioned you on ${title}`,
        link: (annotationId) => `/reports/${access.subject.id}?annotation=${annotationId}`,
        data: { reportId: access.subject.id },
      };
    },
    audience: (access, selection) => subjectHooks.report.viewers(access, selection),
    viewers: (access, selection) => ({
      sql: `SELECT x.user_id FROM (${selection.sql}) x JOIN users u ON u.id = x.user_id JOIN reports r ON r.id = ? WHERE ${reportAudienceSql('u', 'r')}`,
      params: [...selection.params, access.subject.id],
    }),
    created: async () => {},
    changed: async (cx, access, annotation, created) => {
      await appendEvent(cx, reportStream(access.subject.id), created ? 'annotation.created' : 'annotation.changed', { annotation });
    },
  },
};
