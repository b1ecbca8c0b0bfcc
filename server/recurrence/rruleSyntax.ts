/**
 * A strict reader of RFC 5545 §3.3.10 RRULE text. The expansion library is lenient (it ignores
 * unknown parts and out-of-range values), so a rule is checked here first and a user gets a
 * readable reason instead of a silently different schedule.
 */
export class RecurrenceError extends Error {
  constructor(
    message: string,
    /** The input at fault: `rrule`, `zone`, or the name of the date-time field (`dtstart`, `exdates`, `start` …). */
    readonly field: string = 'rrule',
    /** Why, for a client that shows the problem beside the field in its own language. */
    readonly code: 'invalid_rule' | 'no_occurrences' | 'unknown_time_zone' | 'invalid_local_time' = 'invalid_rule',
  ) {
    super(message);
    this.name = 'RecurrenceError';
  }
}

const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
/** Reminders repeat at most hourly: a finer rule would flood e-mail and SMS. */
export const ALLOWED_FREQUENCIES = ['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY', 'HOURLY'] as const;

const intList = (name: string, value: string, min: number, max: number, allowNegative: boolean) => {
  for (const item of value.split(',')) {
    if (!/^[+-]?\d{1,3}$/.test(item)) throw new RecurrenceError(`${name} must be a comma-separated list of numbers, got "${value}"`);
    const n = Number(item);
    const abs = Math.abs(n);
    if ((n < 0 && !allowNegative) || abs < min || abs > max || (allowNegative && n === 0)) {
      throw new RecurrenceError(`${name} values must be ${allowNegative ? `between -${max} and -1 or ` : ''}between ${min} and ${max}, got ${item}`);
    }
  }
};

const validDate = (y: number, m: number, d: number) => {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
};

/** Checks an RRULE value (with or without the `RRULE:` prefix) and returns it normalised (upper case, no prefix). */
export function checkRrule(input: string): string {
  const text = input.trim().replace(/^RRULE:/i, '').toUpperCase();
  if (!text) throw new RecurrenceError('The rule is empty');
  if (text.length > 500) throw new RecurrenceError('The rule is longer than 500 characters');
  if (/[\r\n]/.test(text) || text.includes('DTSTART')) throw new RecurrenceError('Give only the RRULE value; DTSTART and the time zone are separate fields');
  const seen = new Map<string, string>();
  for (const part of text.split(';')) {
    const match = /^([A-Z]+)=([^=;]+)$/.exec(part);
    if (!match) throw new RecurrenceError(`"${part}" is not a NAME=VALUE rule part`);
    const [, name, value] = match;
    if (seen.has(name)) throw new RecurrenceError(`${name} appears twice`);
    seen.set(name, value);
    switch (name) {
      case 'FREQ':
        if (!(ALLOWED_FREQUENCIES as readonly string[]).includes(value)) {
          throw new RecurrenceError(`FREQ must be one of ${ALLOWED_FREQUENCIES.join(', ')} (reminders repeat at most hourly), got ${value}`);
        }
        break;
      case 'INTERVAL':
        if (!/^\d{1,4}$/.test(value) || Number(value) < 1) throw new RecurrenceError(`INTERVAL must be a whole number from 1 to 9999, got ${value}`);
        break;
      case 'COUNT':
        if (!/^\d{1,4}$/.test(value) || Number(value) < 1) throw new RecurrenceError(`COUNT must be a whole number from 1 to 9999, got ${value}`);
        break;
      case 'UNTIL': {
        const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z?)?$/.exec(value);
        if (!m || !validDate(+m[1], +m[2], +m[3]) || (m[4] && (+m[4] > 23 || +m[5] > 59 || +m[6] > 59))) {
          throw new RecurrenceError(`UNTIL must be a date (20261231) or a UTC date-time (20261231T235959Z), got ${value}`);
        }
        break;
      }
      case 'BYSECOND':
        intList(name, value, 0, 60, false);
        break;
      case 'BYMINUTE':
        intList(name, value, 0, 59, false);
        break;
      case 'BYHOUR':
        intList(name, value, 0, 23, false);
        break;
      case 'BYMONTHDAY':
        intList(name, value, 1, 31, true);
        break;
      case 'BYYEARDAY':
      case 'BYSETPOS':
        intList(name, value, 1, 366, true);
        break;
      case 'BYWEEKNO':
        intList(name, value, 1, 53, true);
        break;
      case 'BYMONTH':
        intList(name, value, 1, 12, false);
        break;
      case 'BYDAY':
        for (const item of value.split(',')) {
          const m = /^([+-]?)(\d{1,2})?([A-Z]{2})$/.exec(item);
          if (!m || !WEEKDAYS.includes(m[3]) || (m[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > 53))) {
            throw new RecurrenceError(`BYDAY values are weekdays such as MO, 1FR or -1SU (ordinals 1 to 53), got ${item}`);
          }
        }
        break;
      case 'WKST':
        if (!WEEKDAYS.includes(value)) throw new RecurrenceError(`WKST must be one of ${WEEKDAYS.join(', ')}, got ${value}`);
        break;
      default:
        throw new RecurrenceError(`${name} is not a rule part this product supports`);
    }
  }
  if (!seen.has('FREQ')) throw new RecurrenceError('The rule needs FREQ, for example FREQ=WEEKLY;BYDAY=MO,WE');
  if (seen.has('COUNT') && seen.has('UNTIL')) throw new RecurrenceError('Use either COUNT or UNTIL, not both (RFC 5545)');
  return text;
}
