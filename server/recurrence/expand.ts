import { RRuleTemporal } from 'rrule-temporal';
import { Temporal } from 'temporal-polyfill';
import { isTimeZone } from '../../shared/schemas/common.js';
import { checkRrule, RecurrenceError } from './rruleSyntax.js';

export { RecurrenceError } from './rruleSyntax.js';

/**
 * Recurrence evaluated in a reminder's own time zone with rrule-temporal (chosen over rrule
 * 2.8.1 because it passes RFC 5545's examples independently of the server's TZ and treats DST
 * gaps and folds as §3.3.5 and §3.3.10 say; see tests/server/recurrence).
 */
export type RecurrenceInput = {
  /** The RRULE value, or null/undefined for a one-time reminder at `dtstart`. */
  rrule?: string | null;
  /** Local date-time without offset: 2026-03-01T09:00 or 2026-03-01T09:00:00. */
  dtstart: string;
  timeZone: string;
  /** Local date-times (same form as dtstart) that are left out. */
  exdates?: string[];
};

export type Schedule = {
  rrule: string | null;
  dtstart: string;
  timeZone: string;
  exdates: string[];
  /** Occurrences strictly after `after` (or from DTSTART) and, given `before`, before it; at most `limit`. */
  next: (limit: number, after?: Date, before?: Date) => Date[];
};

// Checking a zone builds an Intl.DateTimeFormat, which is slow; reminders reuse a few zones.
const knownZones = new Map<string, boolean>();
const zoneExists = (zone: string) => {
  let known = knownZones.get(zone);
  if (known === undefined) knownZones.set(zone, (known = isTimeZone(zone)));
  return known;
};

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** Parses a local date-time (no offset) to its canonical `YYYY-MM-DDTHH:mm:ss` form. */
export function parseLocalDateTime(value: string, field = 'dtstart'): string {
  const m = LOCAL.exec(value.trim());
  if (!m) throw new RecurrenceError(`${field} must be a local date-time without offset, such as 2026-03-01T09:00:00, got "${value}"`, field, 'invalid_local_time');
  try {
    return Temporal.PlainDateTime.from(value.trim(), { overflow: 'reject' }).toString({ smallestUnit: 'second' });
  } catch {
    throw new RecurrenceError(`${field} is not a real date and time: "${value}"`, field, 'invalid_local_time');
  }
}

/** An instant as ISO 8601 with the zone's offset at that instant: 2026-03-01T09:00:00+08:00. */
export function formatInZone(instant: Date, timeZone: string): string {
  return Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(timeZone).toString({ timeZoneName: 'never', smallestUnit: 'second' });
}

/** The instant of a local date-time in a zone; a time in a DST gap moves forward by the gap (RFC 5545 §3.3.5). */
export function localToInstant(local: string, timeZone: string): Date {
  const zoned = Temporal.PlainDateTime.from(local).toZonedDateTime(timeZone, { disambiguation: 'compatible' });
  return new Date(zoned.epochMilliseconds);
}

/** Validates a recurrence and returns a schedule that lists its occurrences. Throws RecurrenceError with a readable message. */
export function compileSchedule(input: RecurrenceInput): Schedule {
  if (!zoneExists(input.timeZone)) throw new RecurrenceError(`"${input.timeZone}" is not a known IANA time zone, such as Asia/Shanghai`, 'zone', 'unknown_time_zone');
  const dtstart = parseLocalDateTime(input.dtstart);
  const exdates = [...new Set((input.exdates ?? []).map((e) => parseLocalDateTime(e, 'exdates')))].sort();
  const rrule = input.rrule ? checkRrule(input.rrule) : null;
  const start = Temporal.PlainDateTime.from(dtstart).toZonedDateTime(input.timeZone, { disambiguation: 'compatible' });
  const excluded = new Set(exdates.map((e) => localToInstant(e, input.timeZone).getTime()));

  if (!rrule) {
    const at = new Date(start.epochMilliseconds);
    return {
      rrule,
      dtstart,
      timeZone: input.timeZone,
      exdates,
      next: (limit, after, before) => (limit > 0 && !excluded.has(at.getTime()) && (!after || at > after) && (!before || at < before) ? [at] : []),
    };
  }

  let rule: RRuleTemporal;
  try {
    rule = new RRuleTemporal({ rruleString: rrule, dtstart: start as never });
  } catch (error) {
    throw new RecurrenceError(`The rule is not valid: ${(error as Error).message}`);
  }
  const next = (limit: number, after?: Date, before?: Date): Date[] => {
    const out: Date[] = [];
    let cursor: Date | undefined = after;
    try {
      // next() is exclusive of `cursor`; exception dates are filtered here so COUNT still counts them (RFC 5545 §3.8.5.1).
      while (out.length < limit) {
        const found = cursor ? rule.next(cursor) : rule.next(new Date(start.epochMilliseconds), true);
        if (!found) break;
        const at = new Date(Number(found.epochMilliseconds));
        // A range's end stops the search, rather than computing a whole batch of occurrences past it.
        if (before && at >= before) break;
        cursor = at;
        if (!excluded.has(at.getTime())) out.push(at);
      }
    } catch (error) {
      if (out.length === 0 && !after) throw new RecurrenceError(`The rule produces no occurrences (${(error as Error).message})`, 'rrule', 'no_occurrences');
    }
    return out;
  };
  // A rule that can never match (FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30) is refused up front.
  if (next(1).length === 0) throw new RecurrenceError('The rule produces no occurrences from DTSTART on', 'rrule', 'no_occurrences');
  return { rrule, dtstart, timeZone: input.timeZone, exdates, next };
}
