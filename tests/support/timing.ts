import { waitFor } from './wait.js';

/**
 * Polls `probe` until it returns a truthy value (no fixed sleeps): `waitFor` with truthiness
 * and a generous deadline, which only matters when the test is failing on a loaded machine.
 */
export function eventually<T>(probe: () => T | Promise<T>, options: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<NonNullable<T>> {
  return waitFor(async () => (await probe()) || undefined, { timeoutMs: 20_000, intervalMs: 50, ...options }) as Promise<NonNullable<T>>;
}

/** A local date-time (no offset) `offsetMs` from now in a zone, to the second: a reminder's DTSTART. */
export function localIn(timeZone: string, offsetMs: number): string {
  const at = new Date(Math.ceil((Date.now() + offsetMs) / 1000) * 1000);
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:${get('second')}`;
}

/** The env a test server needs to fire and retry quickly. */
export const fastJobsEnv = {
  JOB_POLL_MS: '500',
  DELIVERY_RETRY_BASE_SECONDS: '1',
  DELIVERY_CLAIM_SECONDS: '3',
  SWEEP_INTERVAL_SECONDS: '1',
  SWEEP_GRACE_SECONDS: '3',
};
