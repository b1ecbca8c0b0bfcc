/** Saving, cancelling and deleting an existing entry, or one occurrence of a recurring entry, through the right endpoint. */
import type { ScheduleEntryDTO } from '../../../../shared/schedule';
import { changedFields, formToInput, shiftSeries, type EditScope, type EntryFormState } from './entryForm';
import { scheduleApi } from './scheduleApi';

/** The entry the details view shows: an entry, or one occurrence of a recurring one (by its start). */
export type EntryTarget = { id: string; occurrenceStart: string | null };

/** The part of a series a change is for when it needs the occurrence endpoints, null when it changes the whole entry. */
const seriesPart = (entry: ScheduleEntryDTO, occurrenceStart: string | null, scope: EditScope) => (entry.rrule && occurrenceStart && scope !== 'all' ? scope : null);

/** Saves what the user changed in the editor; answers what to show next (a split or single occurrence is a new entry). */
export async function saveEntryChanges(entry: ScheduleEntryDTO, occurrenceStart: string | null, before: EntryFormState, after: EntryFormState, scope: EditScope): Promise<EntryTarget> {
  const changes = changedFields(before, after);
  if (!Object.keys(changes).length) return { id: entry.id, occurrenceStart };
  const part = seriesPart(entry, occurrenceStart, scope);
  if (part && occurrenceStart) {
    // One occurrence cannot recur on its own; the editor does not offer "this" after a recurrence change.
    if (part === 'this') delete changes.rrule;
    const created = await scheduleApi.editOccurrence(entry.id, occurrenceStart, part, changes);
    return { id: created.id, occurrenceStart: created.rrule ? created.startsAt : null };
  }
  if (entry.rrule && occurrenceStart && changes.start && changes.end) {
    // The times in the editor were the occurrence's: the whole series moves by as much.
    Object.assign(changes, shiftSeries(entry.start, formToInput(before).start, changes.start, changes.end));
  }
  await scheduleApi.update(entry.id, changes);
  // A moved or re-ruled series may no longer have an occurrence at that start.
  return { id: entry.id, occurrenceStart: changes.start || 'rrule' in changes ? null : occurrenceStart };
}

/** Cancels an entry, or only the shown occurrence of a recurring one. */
export async function cancelEntry(entry: ScheduleEntryDTO, occurrenceStart: string | null): Promise<EntryTarget> {
  if (entry.rrule && occurrenceStart) {
    const created = await scheduleApi.editOccurrence(entry.id, occurrenceStart, 'this', { status: 'cancelled' });
    return { id: created.id, occurrenceStart: null };
  }
  await scheduleApi.update(entry.id, { status: 'cancelled' });
  return { id: entry.id, occurrenceStart };
}

/** Deletes an entry, or for a recurring one this occurrence, it and the following ones, or the whole series. */
export async function deleteEntry(entry: ScheduleEntryDTO, occurrenceStart: string | null, scope: EditScope): Promise<void> {
  const part = seriesPart(entry, occurrenceStart, scope);
  if (part && occurrenceStart) await scheduleApi.deleteOccurrence(entry.id, occurrenceStart, part);
  else await scheduleApi.remove(entry.id);
}
