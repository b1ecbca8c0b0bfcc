/** Polls `probe` until it returns a truthy value or the deadline passes (no fixed sleeps). */
export async function eventually<T>(probe: () => T | Promise<T>, options: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<NonNullable<T>> {
  // Generous: a deadline only matters when the test is failing, and a loaded machine is slow.
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  let last: T | undefined;
  for (;;) {
    last = await probe();
    if (last) return last as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${options.what ?? 'a condition'} (last value: ${JSON.stringify(last)})`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 50));
  }
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
