import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import pg from 'pg';
import { createTestDatabase } from '../../support/database.js';
import { quietHoursEnd as reference } from './quietHoursReference.js';

const at = (iso: string) => new Date(iso);

// The rule runs in PostgreSQL (quiet_hours_end, one INSERT … SELECT plans every recipient's deliveries).
let db: pg.Client;
beforeAll(async () => {
  db = new pg.Client({ connectionString: await createTestDatabase() });
  await db.connect();
});
afterAll(() => db?.end());

type Quiet = { start: string; end: string; weekends: boolean } | null;
async function quietHoursEnd(now: Date, timeZone: string, quiet: Quiet): Promise<Date> {
  const { rows } = await db.query<{ end: Date }>(`SELECT quiet_hours_end($1::timestamptz, $2, $3::jsonb) AS end`, [now, timeZone, quiet === null ? null : JSON.stringify(quiet)]);
  return new Date(rows[0].end);
}

describe('quietHoursEnd', () => {
  const night = { start: '22:00', end: '08:00', weekends: false };

  it('outside quiet hours: now', async () => {
    expect((await quietHoursEnd(at('2026-03-04T04:00:00Z'), 'Asia/Shanghai', night)).toISOString()).toBe('2026-03-04T04:00:00.000Z'); // 12:00 local
    expect((await quietHoursEnd(at('2026-03-04T04:00:00Z'), 'Asia/Shanghai', null)).toISOString()).toBe('2026-03-04T04:00:00.000Z');
  });

  it('a nightly window that crosses midnight, before and after midnight, in the user’s zone', async () => {
    // 23:30 Wednesday in Shanghai -> 08:00 Thursday local = 00:00Z.
    expect((await quietHoursEnd(at('2026-03-04T15:30:00Z'), 'Asia/Shanghai', night)).toISOString()).toBe('2026-03-05T00:00:00.000Z');
    // 06:00 in New York (EST) -> 08:00 EST = 13:00Z.
    expect((await quietHoursEnd(at('2026-03-04T11:00:00Z'), 'America/New_York', night)).toISOString()).toBe('2026-03-04T13:00:00.000Z');
  });

  it('ends at local 08:00 on the morning DST begins (New York, 8 March 2026)', async () => {
    // 23:00 EST on 7 March; the night is an hour shorter, and 08:00 that morning is EDT (12:00Z).
    expect((await quietHoursEnd(at('2026-03-08T04:00:00Z'), 'America/New_York', night)).toISOString()).toBe('2026-03-08T12:00:00.000Z');
  });

  it('a daytime window (13:00–14:00) in Berlin', async () => {
    expect((await quietHoursEnd(at('2026-07-01T11:30:00Z'), 'Europe/Berlin', { start: '13:00', end: '14:00', weekends: false })).toISOString()).toBe('2026-07-01T12:00:00.000Z');
  });

  it('weekends chain into the nightly window: Saturday noon waits until Monday 08:00', async () => {
    // Saturday 7 March 2026 12:00 in Shanghai -> Monday 9 March 08:00 local = 00:00Z.
    expect((await quietHoursEnd(at('2026-03-07T04:00:00Z'), 'Asia/Shanghai', { ...night, weekends: true })).toISOString()).toBe('2026-03-09T00:00:00.000Z');
    // Friday 23:00 -> through the weekend -> Monday 08:00.
    expect((await quietHoursEnd(at('2026-03-06T15:00:00Z'), 'Asia/Shanghai', { ...night, weekends: true })).toISOString()).toBe('2026-03-09T00:00:00.000Z');
  });

  it('agrees with the Temporal reference at random instants, in zones with DST, half-hour DST and none', async () => {
    const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'America/Sao_Paulo', 'Pacific/Chatham', 'UTC'];
    const hhmm = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45)).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    const quiet = fc.option(fc.record({ start: hhmm, end: hhmm, weekends: fc.boolean() }), { nil: null });
    // 2024-2027: years whose zone rules Node's and PostgreSQL's time zone data agree on.
    const instant = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2027, 11, 31) }).map((ms) => new Date(Math.floor(ms / 1000) * 1000));
    await fc.assert(
      fc.asyncProperty(instant, fc.constantFrom(...zones), quiet, async (now, zone, q) => {
        expect((await quietHoursEnd(now, zone, q)).toISOString()).toBe(reference(now, zone, q).toISOString());
      }),
      { numRuns: 400 },
    );
  });

  it('agrees with the reference when the window ends in the hour that happens twice, or is skipped, at a DST change', async () => {
    // New York: 2026-11-01 01:00-02:00 happens twice; 2026-03-08 02:00-03:00 is skipped. Lord Howe moves by half an hour.
    const cases: [string, string, Quiet][] = [
      ['2026-11-01T04:30:00Z', 'America/New_York', { start: '00:00', end: '01:30', weekends: false }],
      ['2026-11-01T05:10:00Z', 'America/New_York', { start: '23:00', end: '01:45', weekends: false }],
      ['2026-03-08T05:00:00Z', 'America/New_York', { start: '22:00', end: '02:30', weekends: false }],
      ['2026-04-04T13:00:00Z', 'Australia/Lord_Howe', { start: '23:00', end: '01:45', weekends: false }],
      ['2026-10-03T14:00:00Z', 'Australia/Lord_Howe', { start: '23:00', end: '02:15', weekends: false }],
    ];
    for (const [now, zone, q] of cases) expect((await quietHoursEnd(at(now), zone, q)).toISOString(), `${now} ${zone}`).toBe(reference(at(now), zone, q).toISOString());
  });

  it('reads a time zone PostgreSQL does not know as UTC rather than failing', async () => {
    expect((await quietHoursEnd(at('2026-03-04T23:00:00Z'), 'Mars/Olympus_Mons', { start: '22:00', end: '08:00', weekends: false })).toISOString()).toBe('2026-03-05T08:00:00.000Z');
  });
});
