import { describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { isoInstant, isoInstantOfMs, localIn } from '../../../server/presenters/instants.js';

// What the cached offsets must agree with: Intl asked about the instant itself.
const intlLocal = (ms: number, zone: string) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
    .format(ms)
    .replace(' ', 'T');

describe('isoInstant', () => {
  it('writes PostgreSQL’s UTC text exactly as Date#toISOString would', () => {
    for (const text of ['2026-03-03 17:12:00+00', '2026-11-30 18:10:48.393081+00', '2026-11-30 18:10:48.3+00', '2026-11-30 18:10:48.0005+00', '2026-12-31 23:59:59.999999+00', '0500-01-01 00:00:00+00', '1890-03-01 00:00:00.5+00']) {
      expect(isoInstant(text)).toBe(new Date(text).toISOString());
    }
  });

  it('falls back to Date for anything else', () => {
    expect(isoInstant('2026-03-03 17:12:00+08')).toBe('2026-03-03T09:12:00.000Z');
    expect(isoInstant(new Date('2026-03-03T17:12:00.250Z'))).toBe('2026-03-03T17:12:00.250Z');
  });

  it('writes milliseconds since the epoch as Date#toISOString would (isoInstantOfMs), edges of days and years included', () => {
    const edges = [0, 1, 999, 1000, 59_999, 3_599_999, 86_399_999, Date.UTC(2025, 11, 31, 23, 59, 59, 999), Date.UTC(2028, 1, 29, 12), Date.UTC(1000, 0, 2), Date.UTC(9999, 11, 29, 23, 59, 59, 999), Date.UTC(500, 5, 1), Date.UTC(12000, 0, 1), -1, -86_400_001];
    const random = Array.from({ length: 2000 }, () => Math.floor(Date.UTC(1900, 0, 1) + Math.random() * (Date.UTC(2200, 0, 1) - Date.UTC(1900, 0, 1))));
    for (const ms of [...edges, ...random]) expect(isoInstantOfMs(ms)).toBe(new Date(ms).toISOString());
  });
});

describe('localIn', () => {
  const zones = ['Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'America/Sao_Paulo', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Chatham', 'Africa/Casablanca', 'Pacific/Apia', 'UTC'];

  it('agrees with Intl around every transition from 1890 to 2040, in zones with odd offsets and rules', () => {
    for (const zone of zones) {
      let at: Temporal.ZonedDateTime | null = Temporal.Instant.from('1890-01-01T00:00:00Z').toZonedDateTimeISO(zone);
      for (let i = 0; i < 400 && at; i++) {
        at = at.getTimeZoneTransition('next');
        if (!at || at.year > 2040) break;
        for (const delta of [-86_400_000, -3_600_001, -1001, -1, 0, 1, 999, 3_600_000, 86_400_000]) {
          const ms = at.epochMilliseconds + delta;
          expect(localIn(new Date(ms), zone), `${zone} ${new Date(ms).toISOString()}`).toBe(intlLocal(ms, zone));
        }
      }
    }
  });

  it('agrees with Intl at random instants from 1800 to 2200, and far outside', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const from = Date.UTC(1800, 0, 1);
    const span = Date.UTC(2200, 0, 1) - from;
    for (const zone of zones) {
      for (let i = 0; i < 2000; i++) {
        const ms = from + Math.floor(random() * span);
        expect(localIn(ms, zone), `${zone} ${new Date(ms).toISOString()}`).toBe(intlLocal(ms, zone));
      }
      for (const ms of [Date.UTC(500, 5, 1, 12), Date.UTC(12000, 0, 1)]) expect(localIn(ms, zone)).toBe(intlLocal(ms, zone));
    }
  });
});
