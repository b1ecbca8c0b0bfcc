/**
 * Every call the demo seed makes into the product's commands, in one place: the story writes
 * only through these, so that it produces exactly the rows a user's requests would (feed items,
 * stream events and heads, notifications with their deliveries, reminder occurrences with their
 * pg-boss jobs, read positions). When command signatures change, this file is the one to adapt.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { ReminderCreateInput } from '../../../shared/schemas/reminders.js';
import type { EntryStatus } from '../../../shared/schedule.js';
import { User as UserEntity, type User } from '../../entities/User.js';
import { departmentCreator, departmentUpdater } from '../../commands/departments.js';
import { userCreator } from '../../commands/users.js';
import { customerCreator, customerFollower, customerUpdater, type CustomerInput } from '../../commands/customers/customers.js';
import { commentCreator, contactRecordCreator } from '../../commands/customers/contacts.js';
import { entryCreator, entryUpdater, resultRecorder } from '../../commands/schedule/entries.js';
import type { EntryInput } from '../../commands/schedule/entryFields.js';
import { occurrenceEditor } from '../../commands/schedule/occurrences.js';
import { annotationCreator, annotationReplier, annotationResolver } from '../../commands/annotations/annotations.js';
import { reportOpener, reportReader, reportSaver, reportSubmitter } from '../../commands/reports/reports.js';
import { scheduleDrafter } from '../../commands/reports/fromSchedule.js';
import { templateCreator } from '../../commands/reports/templates.js';
import { ruleSaver, type RuleInput } from '../../commands/reports/rules.js';
import { holidaySetter } from '../../commands/reports/calendar.js';
import type { ReportAnchorInput } from '../../commands/reports/passages.js';
import type { ReportKind } from '../../../shared/reportPeriods.js';
import type { ReportSectionDTO } from '../../../shared/reports.js';
import { directConversationOpener, groupCreator, memberRoleSetter } from '../../commands/chat/conversations.js';
import { messageSender } from '../../commands/chat/send.js';
import { MessageSendQueue } from '../../commands/chat/sendQueue.js';
import { OfflineDirectNotifier } from '../../commands/chat/offlineDirect.js';
import { readMarker } from '../../commands/chat/messages.js';
import { notificationsAllReader } from '../../commands/notifications/read.js';
import type { CommandContext } from '../../commands/context.js';
import { appendAuditEntry } from '../../commands/audit/record.js';
import { reminderCreator, reminderPauser } from '../../commands/reminders.js';
import { fireOccurrence } from '../../jobs/reminderFirer.js';
import type { AnnouncementCreateInput } from '../../../shared/schemas/announcements.js';
import { announcementCreator } from '../../commands/announcements/publish.js';
import { announcementAcknowledger, announcementReader } from '../../commands/announcements/acknowledge.js';
import { announcementReviser } from '../../commands/announcements/manage.js';
import { listConversations } from '../../queries/chat.js';
import { boardCreator, type BoardInput } from '../../commands/boards/boards.js';
import { threadCreator, type ThreadInput } from '../../commands/boards/threads.js';
import { replyCreator, replyFanOut } from '../../commands/boards/replies.js';
import { replyModerator, threadModerator, type ThreadModeration } from '../../commands/boards/moderation.js';
import { reactor } from '../../commands/boards/reactions.js';
import { boardSubscriber, threadReader, threadSubscriber } from '../../commands/boards/reading.js';
import type { BoardReaction, SubscriptionLevel } from '../../../shared/boards.js';
import type { StepContext } from './timeline.js';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import type { AttachmentHostKind } from '../../../shared/files.js';
import { attachmentsAdder, uploadRecorder } from '../../commands/files/files.js';
import { checkAllowed, sniff, type Spooled } from '../../files/upload.js';
import { requireMayAttach } from '../../policies/files.js';
import { readFileLimits } from '../../queries/files.js';

/**
 * An ORM whose every fork is the step's transaction. The parts of the product that open their
 * own transactions (the send queue, the offline direct-message notifier, the reminder firer) are
 * wired as server/start.ts wires them, but their transactions nest in the step's, so what they
 * write commits with the step and their deliveries are marked logged before anything can send them.
 */
const stepOrm = (s: StepContext) => ({ em: { fork: () => s.tx } }) as unknown as MikroORM;

/** The step's command context acting as `actor` (the events and jobs of every call stay the step's). */
const as = (s: StepContext, actor: User): CommandContext => ({ ...s.cx, actor, audit: (entry) => appendAuditEntry(s.tx, String(actor.id), null, entry) });
/** The step's context for the set-up commands an administrator would run (they do not look at who acts). */
const asSystem = (s: StepContext) => s.cx as CommandContext;
/** A command run inside the step's transaction, as a route's `run` would run it. */
const runAs = (s: StepContext, actorId: string) => async <T>(work: (cx: CommandContext) => Promise<T>) => {
  const actor = await s.tx.findOneOrFail(UserEntity, actorId);
  return work(as(s, actor));
};

export const demoCommands = {
  /** Uploads a file as its uploader would (POST /api/files): spooled, hashed, sniffed, checked against the limits, stored. */
  uploadFile: async (s: StepContext, uploaderId: string, name: string, bytes: Buffer) => {
    await s.files.ready();
    const spooled = await spoolBytes(s.files.spoolDir, name, bytes);
    try {
      const sniffed = await sniff(spooled.file, name);
      checkAllowed(sniffed, await readFileLimits(s.tx));
      return await uploadRecorder({ run: runAs(s, uploaderId), storage: s.files }, spooled, sniffed);
    } finally {
      await fsp.rm(spooled.file, { force: true });
    }
  },
  attachFiles: (s: StepContext, actorId: string, kind: AttachmentHostKind, hostId: string, fileIds: string[]) =>
    runAs(s, actorId)(async (cx) => {
      await requireMayAttach(cx.em, cx.actor!, kind, hostId);
      return attachmentsAdder(cx, kind, hostId, fileIds);
    }),

  createDepartment: (s: StepContext, input: { name: string; parentId: string | null; managerIds?: string[] }) => departmentCreator(asSystem(s), input),
  updateDepartment: (s: StepContext, id: string, input: { name?: string; managerIds?: string[] }) => departmentUpdater(asSystem(s), id, input),
  createUser: (s: StepContext, input: Parameters<typeof userCreator>[1]) => userCreator(asSystem(s), input),

  createCustomer: (s: StepContext, actor: User, input: CustomerInput) => customerCreator(as(s, actor), input),
  updateCustomer: (s: StepContext, actor: User, customerId: string, input: Parameters<typeof customerUpdater>[2]) => customerUpdater(as(s, actor), customerId, input),
  followCustomer: (s: StepContext, actor: User, customerId: string) => customerFollower(as(s, actor), customerId, true),
  recordContact: (s: StepContext, actor: User, customerId: string, input: { channel: 'call' | 'visit' | 'email' | 'other'; body: unknown; contactIds: string[] }) =>
    contactRecordCreator(as(s, actor), customerId, input),
  comment: (s: StepContext, actor: User, customerId: string, body: unknown) => commentCreator(as(s, actor), customerId, body),

  createEntry: (s: StepContext, actor: User, input: EntryInput) => entryCreator(as(s, actor), input),
  setEntryStatus: (s: StepContext, actor: User, entryId: string, status: EntryStatus) => entryUpdater(as(s, actor), entryId, { status }),
  recordResult: (s: StepContext, actor: User, entryId: string, result: unknown) => resultRecorder(as(s, actor), entryId, result),
  /** Makes one occurrence of a recurring entry an entry of its own (so that it can take a result). */
  detachOccurrence: (s: StepContext, actor: User, entryId: string, occurrenceStart: Date) => occurrenceEditor(as(s, actor), entryId, occurrenceStart, 'this', {}),
  annotate: (s: StepContext, actor: User, entryId: string, body: unknown) => annotationCreator(as(s, actor), { kind: 'entry', id: entryId }, { body }),
  replyToAnnotation: (s: StepContext, actor: User, annotationId: string, body: unknown) => annotationReplier(as(s, actor), annotationId, body),

  /** A report as its author opens it (a draft, or the one already there). */
  openReport: async (s: StepContext, author: User, kind: ReportKind, date: string) => (await reportOpener(as(s, author), { kind, date })).report,
  draftReportFromSchedule: (s: StepContext, author: User, reportId: string) => scheduleDrafter(as(s, author), reportId),
  saveReport: (s: StepContext, author: User, reportId: string, input: { revision: number; content?: Record<string, unknown>; ccUserIds?: string[] }) => reportSaver(as(s, author), reportId, input),
  submitReport: (s: StepContext, author: User, reportId: string, revision: number) => reportSubmitter(as(s, author), reportId, { revision }),
  readReport: (s: StepContext, reader: User, reportId: string) => reportReader(as(s, reader), reportId),
  annotateReport: (s: StepContext, reader: User, reportId: string, body: unknown, anchor?: ReportAnchorInput) => annotationCreator(as(s, reader), { kind: 'report', id: reportId }, { body, anchor }),
  resolveAnnotation: (s: StepContext, actor: User, annotationId: string) => annotationResolver(as(s, actor), annotationId, true),
  createReportTemplate: (s: StepContext, actor: User, input: { name: string; kinds: ReportKind[]; sections: ReportSectionDTO[]; departmentIds: string[] }) => templateCreator(as(s, actor), input),
  saveReportRule: (s: StepContext, actor: User, input: RuleInput) => ruleSaver(as(s, actor), input),
  setHoliday: (s: StepContext, day: string, kind: 'holiday' | 'workday', name: string) => holidaySetter(asSystem(s), day, { kind, name }),

  openDirect: (s: StepContext, actorId: string, otherId: string) => runAs(s, actorId)((cx) => directConversationOpener(cx, otherId)),
  createGroup: (s: StepContext, ownerId: string, name: string, memberIds: string[]) => runAs(s, ownerId)((cx) => groupCreator(cx, { name, memberIds })),
  makeGroupAdmin: (s: StepContext, ownerId: string, conversationId: string, userId: string) => runAs(s, ownerId)((cx) => memberRoleSetter(cx, conversationId, userId, 'admin')),
  /** Sends as the HTTP route and the socket event do, offline direct-message notices included. */
  sendMessage: async (s: StepContext, senderId: string, input: { conversationId: string; clientId: string; body: Record<string, unknown>; replyToId?: string | null; attachmentIds?: string[] }) => {
    const orm = stepOrm(s);
    const sendQueue = new MessageSendQueue(orm, s.emitter);
    const offlineDirect = new OfflineDirectNotifier(orm, s.emitter, s.runner, s.logger);
    sendQueue.onStored((message) => offlineDirect.messageStored(message));
    return (await messageSender({ em: s.tx, run: runAs(s, senderId), sendQueue }, senderId, input)).message;
  },
  /** The user opens their conversations and notifications: read positions move to the last message, notifications are read. */
  catchUp: (s: StepContext, userId: string) =>
    runAs(s, userId)(async (cx) => {
      for (const c of await listConversations(s.tx, userId)) {
        if (c.unreadCount > 0 && c.lastMessage) await readMarker(cx, { conversationId: c.id, messageId: c.lastMessage.id });
      }
      await notificationsAllReader(cx);
    }),

  /** The first administrator, who sets the boards up. */
  firstAdmin: async (s: StepContext) => {
    const [row] = await s.tx.execute<{ id: string }[]>(`SELECT id::text AS id FROM users WHERE role = 'admin' ORDER BY id LIMIT 1`);
    return s.tx.findOneOrFail(UserEntity, row.id);
  },
  createBoard: (s: StepContext, admin: User, input: BoardInput) => boardCreator(as(s, admin), input),
  startThread: (s: StepContext, actor: User, boardId: string, input: ThreadInput) => threadCreator(as(s, actor), boardId, input),
  /** A reply and, as the route does after its commit, its fan-out (here in the step's one transaction). */
  replyInThread: async (s: StepContext, actor: User, threadId: string, input: { body: Record<string, unknown>; quoteReplyId: string | null }) => {
    const posted = await replyCreator(as(s, actor), threadId, input);
    await replyFanOut(as(s, actor), posted.replyId);
    return posted;
  },
  moderateThread: (s: StepContext, actor: User, threadId: string, input: ThreadModeration) => threadModerator(as(s, actor), threadId, input),
  hideReply: (s: StepContext, actor: User, replyId: string, reason: string) => replyModerator(as(s, actor), replyId, { action: 'hide', reason }),
  react: (s: StepContext, actor: User, target: { threadId: string; replyId: null } | { replyId: string }, reaction: BoardReaction) => reactor(as(s, actor), target, { reaction, on: true }),
  readThread: (s: StepContext, actor: User, threadId: string, number: number) => threadReader(as(s, actor), threadId, number),
  subscribeThread: (s: StepContext, actor: User, threadId: string, level: SubscriptionLevel) => threadSubscriber(as(s, actor), threadId, level),
  subscribeBoard: (s: StepContext, actor: User, boardId: string, level: SubscriptionLevel) => boardSubscriber(as(s, actor), boardId, level),

  createReminder: (s: StepContext, owner: User, input: ReminderCreateInput) => reminderCreator(as(s, owner), input),
  pauseReminder: (s: StepContext, owner: User, reminderId: string) => reminderPauser(as(s, owner), reminderId),
  /**
   * A past occurrence of a recurring reminder, fired by the product's firer: the occurrence row as
   * the scheduler writes it, then the firer's notifications and deliveries.
   */
  publishAnnouncement: async (s: StepContext, publisher: User, input: AnnouncementCreateInput) => (await announcementCreator(as(s, publisher), input)).id,
  readAnnouncement: (s: StepContext, reader: User, announcementId: string) => announcementReader(as(s, reader), announcementId),
  acknowledgeAnnouncement: (s: StepContext, reader: User, announcementId: string, reply?: string) => announcementAcknowledger(as(s, reader), announcementId, reply),
  reviseAnnouncement: (s: StepContext, publisher: User, announcementId: string, input: { body: unknown; requireReacknowledge: boolean }) => announcementReviser(as(s, publisher), announcementId, input),
  /** The first administrator (in the company's department; not one of the demo's staff). */
  firstAdministrator: async (s: StepContext) => s.tx.findOneOrFail(UserEntity, { role: 'admin' }, { orderBy: { id: 'asc' } }),
  fireReminder: async (s: StepContext, reminderId: string, dueAt: Date) => {
    const [row] = await s.tx.execute<{ id: string }[]>(
      `INSERT INTO reminder_occurrences (reminder_id, due_at, created_at) VALUES (?, ?, now())
       ON CONFLICT (reminder_id, due_at) WHERE recipient_id IS NULL DO NOTHING RETURNING id::text AS id`,
      [reminderId, dueAt],
    );
    if (row) await fireOccurrence({ orm: stepOrm(s), runner: s.runner }, String(row.id));
  },
};

/** Bytes of a demo file written to the spool as an upload would be. */
async function spoolBytes(spoolDir: string, name: string, bytes: Buffer): Promise<Spooled> {
  const file = path.join(spoolDir, `${randomUUID()}.part`);
  await fsp.writeFile(file, bytes);
  return { file, name, claimedType: 'application/octet-stream', size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}
