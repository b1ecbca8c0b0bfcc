import { Temporal } from 'temporal-polyfill';

/** The demo company works in Shanghai: "today" and every story time are local there. */
export const DEMO_ZONE = 'Asia/Shanghai';

/**
 * Dates of the story relative to today in Shanghai: a day is an offset from today (0 today, -1
 * yesterday) and a time is the wall clock there, so the seed tells the same story on any day.
 */
export class StoryCalendar {
  readonly today: Temporal.PlainDate;

  constructor(readonly now: Date) {
    this.today = Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO(DEMO_ZONE).toPlainDate();
  }

  /** The calendar date `offset` days from today. */
  date(offset: number): Temporal.PlainDate {
    return this.today.add({ days: offset });
  }

  /** The instant of a wall-clock time (HH:MM) on a day. */
  at(offset: number, time: string): Date {
    return new Date(this.zoned(offset, time).epochMilliseconds);
  }

  /** A local date-time as the schedule's inputs take it (2026-03-02T09:30:00). */
  local(offset: number, time: string): string {
    return this.zoned(offset, time).toPlainDateTime().toString({ smallestUnit: 'second' });
  }

  /** 1 Monday … 7 Sunday. */
  weekday(offset: number): number {
    return this.date(offset).dayOfWeek;
  }

  isWorkday(offset: number): boolean {
    return this.weekday(offset) <= 5;
  }

  /** The working day `offset`, or the nearest one before it. */
  workdayOnOrBefore(offset: number): number {
    while (!this.isWorkday(offset)) offset -= 1;
    return offset;
  }

  /** The offset of the Monday of the week `weeks` from this one (0 this week, -1 last week). */
  monday(weeks: number): number {
    return 1 - this.weekday(0) + 7 * weeks;
  }

  /** The offset of the first day of the month `months` from this one. */
  monthStart(months: number): number {
    return this.today.with({ day: 1 }).add({ months }).since(this.today).days;
  }

  /** ISO week number of a day (第 N 周). */
  weekNumber(offset: number): number {
    return this.date(offset).weekOfYear ?? 1;
  }

  /** Days from today to a date. */
  offsetOf(date: Temporal.PlainDate): number {
    return date.since(this.today).days;
  }

  /**
   * `at`, or when that falls outside working hours (08:30–20:30 on a working day) the start of the
   * next working morning: superiors annotate and people answer in office hours.
   */
  workingMoment(at: Date): Date {
    let zoned = Temporal.Instant.fromEpochMilliseconds(at.getTime()).toZonedDateTimeISO(DEMO_ZONE);
    const minutes = zoned.hour * 60 + zoned.minute;
    if (zoned.dayOfWeek <= 5 && minutes >= 8 * 60 + 30 && minutes <= 20 * 60 + 30) return at;
    // Spread over the first half hour of the morning by the original minute, so it stays deterministic.
    let day = minutes < 8 * 60 + 30 ? zoned.toPlainDate() : zoned.toPlainDate().add({ days: 1 });
    while (day.dayOfWeek > 5) day = day.add({ days: 1 });
    zoned = day.toZonedDateTime({ timeZone: DEMO_ZONE, plainTime: new Temporal.PlainTime(8, 30 + (zoned.minute % 30)) });
    return new Date(zoned.epochMilliseconds);
  }

  /** A time later than `at` by some minutes. */
  static plus(at: Date, minutes: number): Date {
    return new Date(at.getTime() + minutes * 60_000);
  }

  private zoned(offset: number, time: string): Temporal.ZonedDateTime {
    const [hour, minute] = time.split(':').map(Number);
    return this.date(offset).toZonedDateTime({ timeZone: DEMO_ZONE, plainTime: new Temporal.PlainTime(hour, minute) });
  }
}
