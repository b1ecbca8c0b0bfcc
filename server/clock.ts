/**
 * Where commands and jobs read the time they stamp and compare with. Production uses the system
 * clock; tests hand the server a clock they can move forward (tests/support/clock.ts), so that an
 * escalation ladder's "after 30 minutes" or "after 1 day" can be reached without waiting. Only what
 * schedules against the wall clock reads it (announcements' publish, expiry and ladder); timestamps
 * that only record when a row was written keep the database's now().
 */
export type Clock = { now: () => Date };

/** The machine's clock. */
export const systemClock: Clock = { now: () => new Date() };
