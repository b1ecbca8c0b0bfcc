import { Temporal } from 'temporal-polyfill';
import type { QuietHours } from '../../../server/entities/NotificationSettings.js';

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * The quiet-hours rule as the server computed it in JavaScript before it moved into SQL
 * (`quiet_hours_end`, see the fan-out migration), kept as the reference the SQL must agree with.
 * The instant e-mail and SMS may go out: `now` when it is outside the user's quiet hours,
 * otherwise the end of the quiet period in the user's time zone (a nightly window such as
 * 22:00–08:00, and all of Saturday and Sunday when `weekends` is set; the two may chain).
 */
export function quietHoursEnd(now: Date, timeZone: string, quiet: QuietHours | null | undefined): Date {
  if (!quiet) return now;
  const start = minutes(quiet.start);
  const end = minutes(quiet.end);
  let at = Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO(timeZone);
  // Each step moves to the end of one quiet stretch; a week has at most a few of them.
  for (let step = 0; step < 16; step++) {
    if (quiet.weekends && at.dayOfWeek >= 6) {
      at = at.toPlainDate().add({ days: 8 - at.dayOfWeek }).toZonedDateTime({ timeZone });
      continue;
    }
    const m = at.hour * 60 + at.minute;
    if (start === end) break;
    const date = at.toPlainDate();
    const endOn = (d: Temporal.PlainDate) => d.toZonedDateTime({ timeZone, plainTime: Temporal.PlainTime.from({ hour: Math.floor(end / 60), minute: end % 60 }) });
    if (start < end) {
      if (m >= start && m < end) {
        at = endOn(date);
        continue;
      }
    } else if (m >= start) {
      at = endOn(date.add({ days: 1 }));
      continue;
    } else if (m < end) {
      at = endOn(date);
      continue;
    }
    break;
  }
  return new Date(Math.max(now.getTime(), at.epochMilliseconds));
}
