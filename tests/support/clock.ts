import type { Clock } from '../../server/clock.js';

/**
 * A clock a test moves forward: the real time plus an offset, so that time still passes between
 * steps and a test reaches "30 minutes later" or "a day later" at once, without sleeping.
 */
export class TestClock implements Clock {
  private offsetMs = 0;
  now = () => new Date(Date.now() + this.offsetMs);
  /** Moves the clock forward by `ms`. */
  advance(ms: number) {
    this.offsetMs += ms;
  }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
