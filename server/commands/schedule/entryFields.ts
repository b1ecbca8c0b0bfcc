import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntryKind, PlanPeriod } from '../../../shared/schedule.js';
import { MAX_ENTRY_DAYS } from '../../../shared/schemas/schedule.js';
import type { User } from '../../entities/User.js';
import { pgArray } from '../../db/sql.js';
import { badRequest, notFound } from '../../errors.js';
import { parseRichText, richTextToPlainText } from '../../editor/index.js';
import { requireVisibleCustomer } from '../../policies/customers.js';
import { compileSchedule, localToInstant, parseLocalDateTime, RecurrenceError } from '../../recurrence/expand.js';
import { SHORT_ENTRY_MS } from '../../queries/scheduleEntries.js';

export type EntryInput = {
  kind: EntryKind; title: string; description: Record<string, unknown> | null; start: string; end: string; allDay: boolean; timeZone?: string;
  planPeriod: PlanPeriod | null; customerId: string | null; contactIds: string[]; shared: boolean; rrule: string | null; exdates: string[]; reminderOffsets: number[];
};

/** What is written to the row: times as instants, rich text with its plain text, the series end. */
export type EntryColumns = {
  kind: EntryKind; title: string; description: string | null; descriptionText: string; startsAt: Date; endsAt: Date; allDay: boolean; long: boolean; timeZone: string;
  planPeriod: PlanPeriod | null; customerId: string | null; contactIds: string; rrule: string | null; exdates: string; seriesEndsAt: Date | null; reminderOffsets: string;
};

const MIDNIGHT = /T00:00(:00)?$/;
// Series longer than this many occurrences are treated as endless when computing their last day.
const SERIES_SCAN_LIMIT = 5000;

/** The instant the last occurrence of a bounded series ends, or null for an endless one. */
function seriesEnd(rrule: string, dtstart: string, timeZone: string, exdates: string[], durationMs: number): Date | null {
  if (!/(^|;)(COUNT|UNTIL)=/i.test(rrule)) return null;
  const schedule = compileSchedule({ rrule, dtstart, timeZone, exdates });
  let last: Date | undefined;
  let cursor: Date | undefined;
  for (let seen = 0; seen < SERIES_SCAN_LIMIT; seen += 500) {
    const batch = schedule.next(500, cursor);
    if (!batch.length) return last ? new Date(last.getTime() + durationMs) : new Date(localToInstant(dtstart, timeZone).getTime() + durationMs);
    last = cursor = batch[batch.length - 1];
  }
  return null;
}

/** Validates an entry's fields against each other and the database, and turns them into columns. */
export async function entryColumns(tx: EntityManager, actor: User, input: EntryInput): Promise<EntryColumns> {
  const timeZone = input.timeZone ?? actor.timeZone;
  let start: string;
  let end: string;
  try {
    start = parseLocalDateTime(input.start, 'start');
    end = parseLocalDateTime(input.end, 'end');
  } catch (error) {
    throw badRequest((error as Error).message, [{ path: error instanceof RecurrenceError ? error.field : 'start', message: (error as Error).message, code: 'invalid_local_time' }]);
  }
  if (input.allDay && !(MIDNIGHT.test(start) && MIDNIGHT.test(end))) throw badRequest('An all-day entry starts and ends at midnight (the end is exclusive)', [{ path: 'end', message: 'must be a midnight', code: 'not_midnight' }]);
  const startsAt = localToInstant(start, timeZone);
  const endsAt = localToInstant(end, timeZone);
  if (endsAt <= startsAt) throw badRequest('The end must be after the start', [{ path: 'end', message: 'must be after start', code: 'before_start' }]);
  if (endsAt.getTime() - startsAt.getTime() > MAX_ENTRY_DAYS * 86400_000) throw badRequest(`An entry lasts at most ${MAX_ENTRY_DAYS} days`, [{ path: 'end', message: 'too far after start', code: 'too_long' }]);
  let seriesEndsAt: Date | null = null;
  if (input.rrule) {
    try {
      compileSchedule({ rrule: input.rrule, dtstart: start, timeZone, exdates: input.exdates });
      seriesEndsAt = seriesEnd(input.rrule, start, timeZone, input.exdates, endsAt.getTime() - startsAt.getTime());
    } catch (error) {
      if (error instanceof RecurrenceError) throw badRequest(error.message, [{ path: error.field === 'zone' ? 'timeZone' : error.field, message: error.message, code: error.code }]);
      throw error;
    }
  }
  if (input.customerId) await requireVisibleCustomer(tx, actor, input.customerId);
  const contactIds = [...new Set(input.contactIds)];
  if (contactIds.length) {
    if (!input.customerId) throw badRequest('Contacts belong to a customer: choose the customer too', [{ path: 'contactIds', message: 'needs customerId', code: 'needs_customer' }]);
    const found = await tx.execute(`SELECT 1 FROM contacts WHERE customer_id = ? AND id = ANY(?::bigint[])`, [input.customerId, pgArray(contactIds)]);
    if (found.length !== contactIds.length) throw notFound('A contact of the customer');
  }
  const description = input.description ? parseRichText(input.description) : null;
  return {
    kind: input.kind, title: input.title, description: description ? JSON.stringify(description) : null, descriptionText: description ? richTextToPlainText(description) : '',
    startsAt, endsAt, allDay: input.allDay, long: endsAt.getTime() - startsAt.getTime() > SHORT_ENTRY_MS, timeZone, planPeriod: input.planPeriod,
    customerId: input.customerId, contactIds: JSON.stringify(contactIds), rrule: input.rrule, exdates: JSON.stringify(input.exdates.map((e) => parseLocalDateTime(e, 'exdates'))),
    seriesEndsAt, reminderOffsets: JSON.stringify([...new Set(input.reminderOffsets)].sort((a, b) => a - b)),
  };
}
