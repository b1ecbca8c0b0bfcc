import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntryStatus, ScheduleEntryDTO } from '../../../shared/schedule.js';
import { badRequest } from '../../errors.js';
import { parseRichText, richTextToPlainText } from '../../editor/index.js';
import { departmentIdOf, requireEntryOwner } from '../../policies/schedule.js';
import { entryById } from '../../queries/scheduleEntries.js';
import { abilitiesFor } from '../../policies/schedule.js';

/** The owner's view of their own entries (what commands answer them with). */
const ownerView = (actor: { id: string }) => abilitiesFor(actor.id, () => false);
import { formatInZone } from '../../recurrence/expand.js';
import { feedItemAppender } from '../customers/feed.js';
import type { CommandContext } from '../context.js';
import { entryColumns, type EntryColumns, type EntryInput } from './entryFields.js';
import { entryRemindersSync } from './entryReminders.js';
import { overridesShifter, seriesMoves, shiftedLocals } from './seriesShift.js';

// Kinds whose completion counts as having contacted the customer (for the neglected-customers list).
const CONTACT_KINDS = new Set(['visit', 'call', 'meeting']);

/** The summary of an entry a feed item carries, so the feed needs no join to entries. */
export const feedSummary = (e: ScheduleEntryDTO) => ({ title: e.title, kind: e.kind, status: e.status, startsAt: e.startsAt, endsAt: e.endsAt, allDay: e.allDay, resultText: e.resultText, owner: e.owner });

const columnValues = (c: EntryColumns) => [
  c.kind, c.title, c.description, c.descriptionText, c.startsAt, c.endsAt, c.allDay, c.long, c.timeZone, c.planPeriod, c.customerId, c.contactIds, c.rrule, c.exdates, c.seriesEndsAt, c.reminderOffsets,
];
const columnNames = `kind, title, description, description_text, starts_at, ends_at, all_day, long, time_zone, plan_period, customer_id, contact_ids, rrule, exdates, series_ends_at, reminder_offsets`;

/** Inserts an entry row from checked columns; returns its id. */
export async function insertEntry(tx: EntityManager, ownerId: string, c: EntryColumns, extra: { sharedDepartmentId: string | null; masterId?: string | null; originalStart?: Date | null; status?: EntryStatus }): Promise<string> {
  const [row] = await tx.execute<{ id: string }[]>(
    `INSERT INTO schedule_entries (owner_id, ${columnNames}, shared_department_id, master_id, original_start, status, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now(), now()) RETURNING id::text AS id`,
    [ownerId, ...columnValues(c), extra.sharedDepartmentId, extra.masterId ?? null, extra.originalStart ?? null, extra.status ?? 'planned'],
  );
  return row.id;
}

/** Creates a schedule entry for the actor; one linked to a customer appears in its feed. */
export async function entryCreator(cx: CommandContext, input: EntryInput): Promise<ScheduleEntryDTO> {
  const { em: tx, actor } = cx;
  const columns = await entryColumns(tx, actor, input);
  const id = await insertEntry(tx, actor.id, columns, { sharedDepartmentId: input.shared ? departmentIdOf(actor) : null });
  await entryRemindersSync(cx, id);
  const entry = (await entryById(tx, id, ownerView(actor)))!;
  if (entry.customer) await feedItemAppender(cx, { customerId: entry.customer.id, kind: 'entry', actorId: actor.id, entryId: id, data: feedSummary(entry) });
  return entry;
}

/** The stored entry as editable input, so that a patch is checked as a whole. */
export function entryAsInput(e: ScheduleEntryDTO): EntryInput {
  return {
    kind: e.kind, title: e.title, description: e.description, start: formatInZone(new Date(e.startsAt), e.timeZone).slice(0, 19), end: formatInZone(new Date(e.endsAt), e.timeZone).slice(0, 19),
    allDay: e.allDay, timeZone: e.timeZone, planPeriod: e.planPeriod, customerId: e.customer?.id ?? null, contactIds: e.contactIds, shared: e.shared, rrule: e.rrule, exdates: e.exdates, reminderOffsets: e.reminderOffsets,
  };
}

/** Changes the owner's entry (fields, status, sharing); a status change shows in the customer's feed. */
export async function entryUpdater(cx: CommandContext, entryId: string, patch: Partial<EntryInput> & { status?: EntryStatus }): Promise<ScheduleEntryDTO> {
  const { em: tx, actor } = cx;
  await requireEntryOwner(tx, actor, entryId);
  await tx.execute(`SELECT 1 FROM schedule_entries WHERE id = ? FOR UPDATE`, [entryId]);
  const before = (await entryById(tx, entryId, ownerView(actor)))!;
  const { status, ...fields } = patch;
  if (before.masterId && (fields.rrule || fields.exdates?.length)) throw badRequest('An occurrence edited on its own cannot recur; edit the recurring entry', [{ path: 'rrule', message: 'not on an occurrence', code: 'not_for_one_occurrence' }]);
  const stored = entryAsInput(before);
  const input = { ...stored, ...fields };
  // A series that moves takes its exception dates along, unless the patch gives new ones.
  const moves = seriesMoves(stored, input);
  if (moves && !fields.exdates) input.exdates = shiftedLocals(stored.exdates, stored.start, input.start);
  // A new time zone without new times keeps the wall-clock times.
  const columns = await entryColumns(tx, actor, input);
  const shared = fields.shared === undefined ? (before.shared ? 'keep' : null) : fields.shared ? departmentIdOf(actor) : null;
  await tx.execute(
    `UPDATE schedule_entries SET (${columnNames}) = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?),
       shared_department_id = ${shared === 'keep' ? 'shared_department_id' : '?'}, status = coalesce(?, status), updated_at = now() WHERE id = ?`,
    [...columnValues(columns), ...(shared === 'keep' ? [] : [shared]), status ?? null, entryId],
  );
  if (moves) await overridesShifter(tx, entryId, { start: stored.start, timeZone: stored.timeZone! }, { start: input.start, timeZone: columns.timeZone });
  await entryRemindersSync(cx, entryId);
  const after = (await entryById(tx, entryId, ownerView(actor)))!;
  if (after.customer && (status && status !== before.status || after.customer.id !== before.customer?.id)) {
    await feedItemAppender(cx, {
      customerId: after.customer.id, kind: after.status === 'done' ? 'result' : 'entry', actorId: actor.id, entryId, data: feedSummary(after),
      contact: after.status === 'done' && CONTACT_KINDS.has(after.kind),
    });
  }
  return after;
}

/** The owner records the result (执行结果) of an entry, which marks it done and shows in the customer's feed. */
export async function resultRecorder(cx: CommandContext, entryId: string, rawResult: unknown): Promise<ScheduleEntryDTO> {
  const { em: tx, actor } = cx;
  const { rrule } = await requireEntryOwner(tx, actor, entryId);
  if (rrule) throw badRequest('Record the result on one occurrence of a recurring entry (edit that occurrence first)', [{ path: 'result', message: 'not on a recurring entry', code: 'recurring' }]);
  const result = parseRichText(rawResult);
  const text = richTextToPlainText(result);
  await tx.execute(`UPDATE schedule_entries SET result = ?, result_text = ?, status = 'done', updated_at = now() WHERE id = ?`, [JSON.stringify(result), text, entryId]);
  await entryRemindersSync(cx, entryId);
  const entry = (await entryById(tx, entryId, ownerView(actor)))!;
  if (entry.customer) {
    await feedItemAppender(cx, { customerId: entry.customer.id, kind: 'result', actorId: actor.id, entryId, body: result as never, text, data: feedSummary(entry), contact: CONTACT_KINDS.has(entry.kind) });
  }
  return entry;
}

/** The owner deletes an entry (a recurring one with all its occurrences). */
export async function entryDeleter(cx: CommandContext, entryId: string): Promise<void> {
  const { em: tx, actor } = cx;
  await requireEntryOwner(tx, actor, entryId);
  // Their reminders go too: the link rows cascade from the entry, the reminders themselves are deleted here.
  await tx.execute(`DELETE FROM reminders WHERE id IN (SELECT reminder_id FROM entry_reminders WHERE entry_id IN (SELECT id FROM schedule_entries WHERE id = ? OR master_id = ?))`, [entryId, entryId]);
  await tx.execute(`DELETE FROM schedule_entries WHERE id = ?`, [entryId]);
}
