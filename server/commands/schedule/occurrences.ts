import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntryStatus, ScheduleEntryDTO } from '../../../shared/schedule.js';
import type { User } from '../../entities/User.js';
import { badRequest, conflict, notFound } from '../../errors.js';
import { departmentIdOf, requireEntryOwner } from '../../policies/schedule.js';
import { entryById } from '../../queries/scheduleEntries.js';
import { abilitiesFor } from '../../policies/schedule.js';

/** The owner's view of their own entries (what commands answer them with). */
const ownerView = (actor: { id: string }) => abilitiesFor(actor.id, () => false);
import { compileSchedule, formatInZone } from '../../recurrence/expand.js';
import { feedItemAppender } from '../customers/feed.js';
import type { CommandContext } from '../context.js';
import { entryAsInput, entryUpdater, feedSummary, insertEntry } from './entries.js';
import { entryColumns, type EntryInput } from './entryFields.js';
import { entryRemindersSync } from './entryReminders.js';

type Changes = Partial<EntryInput> & { status?: EntryStatus };
const local = (at: Date, zone: string) => formatInZone(at, zone).slice(0, 19);
const utcStamp = (at: Date) => at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
const withoutEnd = (rrule: string) => rrule.split(';').filter((p) => !/^(COUNT|UNTIL)=/i.test(p)).join(';');

/** The recurring entry, locked, and proof that `at` is one of its occurrences. */
async function requireOccurrence(tx: EntityManager, actor: User, entryId: string, at: Date): Promise<ScheduleEntryDTO> {
  const { rrule } = await requireEntryOwner(tx, actor, entryId);
  if (!rrule) throw badRequest('The entry does not recur; edit it directly', [{ path: 'occurrenceStart', message: 'not a recurring entry', code: 'not_recurring' }]);
  await tx.execute(`SELECT 1 FROM schedule_entries WHERE id = ? FOR UPDATE`, [entryId]);
  const master = (await entryById(tx, entryId, ownerView(actor)))!;
  const schedule = compileSchedule({ rrule, dtstart: local(new Date(master.startsAt), master.timeZone), timeZone: master.timeZone, exdates: master.exdates });
  const [found] = schedule.next(1, new Date(at.getTime() - 1));
  if (!found || found.getTime() !== at.getTime()) throw notFound('The occurrence');
  return master;
}

/** Ends a series just before `at`: UNTIL one second earlier, or COUNT cut to the occurrences before it. */
function truncatedRule(master: ScheduleEntryDTO, at: Date): { head: string; tailCount: number | null } {
  const rrule = master.rrule!;
  const count = /(^|;)COUNT=(\d+)/i.exec(rrule);
  if (!count) return { head: `${withoutEnd(rrule)};UNTIL=${utcStamp(new Date(at.getTime() - 1000))}`, tailCount: null };
  // Exception dates count toward COUNT (RFC 5545 §3.8.5.1), so they are counted here too.
  const all = compileSchedule({ rrule, dtstart: local(new Date(master.startsAt), master.timeZone), timeZone: master.timeZone, exdates: [] });
  let before = 0;
  for (let cursor: Date | undefined; ; ) {
    const [next] = all.next(1, cursor);
    if (!next || next >= at) break;
    before += 1;
    cursor = next;
  }
  return { head: `${withoutEnd(rrule)};COUNT=${before}`, tailCount: Number(count[2]) - before };
}

/**
 * Edits one occurrence ("this") or it and all after it ("following"), as calendar programs do:
 * "this" makes an entry of its own that replaces the occurrence; "following" ends the series
 * before it and starts a new series there with the changes (earlier occurrences keep theirs).
 */
export async function occurrenceEditor(cx: CommandContext, entryId: string, at: Date, scope: 'this' | 'following', changes: Changes): Promise<ScheduleEntryDTO> {
  const { em: tx, actor } = cx;
  const master = await requireOccurrence(tx, actor, entryId, at);
  const duration = new Date(master.endsAt).getTime() - new Date(master.startsAt).getTime();
  const atLocal = { start: local(at, master.timeZone), end: local(new Date(at.getTime() + duration), master.timeZone) };
  if (scope === 'following' && at.getTime() === new Date(master.startsAt).getTime()) return entryUpdater(cx, entryId, changes);
  const { status, ...fields } = changes;
  const sharedDepartmentId = (fields.shared ?? master.shared) ? departmentIdOf(actor) : null;
  let id: string;
  if (scope === 'this') {
    if (fields.rrule || fields.exdates?.length) throw badRequest('One occurrence cannot recur on its own', [{ path: 'changes.rrule', message: 'not for one occurrence', code: 'not_for_one_occurrence' }]);
    const exists = await tx.execute(`SELECT 1 FROM schedule_entries WHERE master_id = ? AND original_start = ?`, [entryId, at]);
    if (exists.length) throw conflict('This occurrence was already edited on its own; edit that entry instead');
    const columns = await entryColumns(tx, actor, { ...entryAsInput(master), ...atLocal, rrule: null, exdates: [], ...fields });
    id = await insertEntry(tx, actor.id, columns, { sharedDepartmentId, masterId: entryId, originalStart: at, status });
  } else {
    const { head, tailCount } = truncatedRule(master, at);
    const tailRule = fields.rrule ?? (tailCount === null ? master.rrule! : `${withoutEnd(master.rrule!)};COUNT=${tailCount}`);
    const columns = await entryColumns(tx, actor, { ...entryAsInput(master), ...atLocal, exdates: master.exdates.filter((x) => x >= atLocal.start), ...fields, rrule: tailRule });
    const headColumns = await entryColumns(tx, actor, { ...entryAsInput(master), rrule: head, exdates: master.exdates.filter((x) => x < atLocal.start) });
    await tx.execute(`UPDATE schedule_entries SET rrule = ?, exdates = ?, series_ends_at = ?, updated_at = now() WHERE id = ?`, [head, headColumns.exdates, headColumns.seriesEndsAt, entryId]);
    id = await insertEntry(tx, actor.id, columns, { sharedDepartmentId, status });
    // Occurrences after the split that were edited on their own now belong to the new series.
    const moved = await tx.execute<{ id: string }[]>(`UPDATE schedule_entries SET master_id = ? WHERE master_id = ? AND original_start >= ? RETURNING id::text AS id`, [id, entryId, at]);
    for (const m of moved) await entryRemindersSync(cx, String(m.id));
  }
  await entryRemindersSync(cx, entryId);
  await entryRemindersSync(cx, id);
  const created = (await entryById(tx, id, ownerView(actor)))!;
  if (created.customer) await feedItemAppender(cx, { customerId: created.customer.id, kind: 'entry', actorId: actor.id, entryId: id, data: feedSummary(created) });
  return created;
}

/** Deletes one occurrence (an exception date) or it and all after it (the series ends before it). */
export async function occurrenceDeleter(cx: CommandContext, entryId: string, at: Date, scope: 'this' | 'following'): Promise<void> {
  const { em: tx, actor } = cx;
  const master = await requireOccurrence(tx, actor, entryId, at);
  if (scope === 'following' && at.getTime() === new Date(master.startsAt).getTime()) {
    await tx.execute(`DELETE FROM reminders WHERE id IN (SELECT reminder_id FROM entry_reminders WHERE entry_id IN (SELECT id FROM schedule_entries WHERE id = ? OR master_id = ?))`, [entryId, entryId]);
    await tx.execute(`DELETE FROM schedule_entries WHERE id = ?`, [entryId]);
    return;
  }
  const atLocal = local(at, master.timeZone);
  const removed = await tx.execute<{ id: string }[]>(
    `SELECT id::text AS id FROM schedule_entries WHERE master_id = ? AND ${scope === 'this' ? 'original_start = ?' : 'original_start >= ?'}`,
    [entryId, at],
  );
  for (const r of removed) await tx.execute(`DELETE FROM reminders WHERE id IN (SELECT reminder_id FROM entry_reminders WHERE entry_id = ?)`, [r.id]);
  await tx.execute(`DELETE FROM schedule_entries WHERE id = ANY(?::bigint[])`, [`{${removed.map((r) => r.id).join(',')}}`]);
  if (scope === 'this') {
    const columns = await entryColumns(tx, actor, { ...entryAsInput(master), exdates: [...master.exdates, atLocal] });
    await tx.execute(`UPDATE schedule_entries SET exdates = ?, series_ends_at = ?, updated_at = now() WHERE id = ?`, [columns.exdates, columns.seriesEndsAt, entryId]);
  } else {
    const { head } = truncatedRule(master, at);
    const columns = await entryColumns(tx, actor, { ...entryAsInput(master), rrule: head, exdates: master.exdates.filter((x) => x < atLocal) });
    await tx.execute(`UPDATE schedule_entries SET rrule = ?, exdates = ?, series_ends_at = ?, updated_at = now() WHERE id = ?`, [head, columns.exdates, columns.seriesEndsAt, entryId]);
  }
  await entryRemindersSync(cx, entryId);
}
