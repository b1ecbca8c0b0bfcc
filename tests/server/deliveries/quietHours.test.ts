import { describe, expect, it } from 'vitest';
import { quietHoursEnd } from '../../../server/commands/quietHours.js';

const at = (iso: string) => new Date(iso);

describe('quietHoursEnd', () => {
  const night = { start: '22:00', end: '08:00', weekends: false };

  it('outside quiet hours: now', () => {
    expect(quietHoursEnd(at('2026-03-04T04:00:00Z'), 'Asia/Shanghai', night).toISOString()).toBe('2026-03-04T04:00:00.000Z'); // 12:00 local
    expect(quietHoursEnd(at('2026-03-04T04:00:00Z'), 'Asia/Shanghai', null).toISOString()).toBe('2026-03-04T04:00:00.000Z');
  });

  it('a nightly window that crosses midnight, before and after midnight, in the user’s zone', () => {
    // 23:30 Wednesday in Shanghai -> 08:00 Thursday local = 00:00Z.
    expect(quietHoursEnd(at('2026-03-04T15:30:00Z'), 'Asia/Shanghai', night).toISOString()).toBe('2026-03-05T00:00:00.000Z');
    // 06:00 in New York (EST) -> 08:00 EST = 13:00Z.
    expect(quietHoursEnd(at('2026-03-04T11:00:00Z'), 'America/New_York', night).toISOString()).toBe('2026-03-04T13:00:00.000Z');
  });

  it('ends at local 08:00 on the morning DST begins (New York, 8 March 2026)', () => {
    // 23:00 EST on 7 March; the night is an hour shorter, and 08:00 that morning is EDT (12:00Z).
    expect(quietHoursEnd(at('2026-03-08T04:00:00Z'), 'America/New_York', night).toISOString()).toBe('2026-03-08T12:00:00.000Z');
  });

  it('a daytime window (13:00–14:00) in Berlin', () => {
    expect(quietHoursEnd(at('2026-07-01T11:30:00Z'), 'Europe/Berlin', { start: '13:00', end: '14:00', weekends: false }).toISOString()).toBe('2026-07-01T12:00:00.000Z');
  });

  it('weekends chain into the nightly window: Saturday noon waits until Monday 08:00', () => {
    // Saturday 7 March 2026 12:00 in Shanghai -> Monday 9 March 08:00 local = 00:00Z.
    expect(quietHoursEnd(at('2026-03-07T04:00:00Z'), 'Asia/Shanghai', { ...night, weekends: true }).toISOString()).toBe('2026-03-09T00:00:00.000Z');
    // Friday 23:00 -> through the weekend -> Monday 08:00.
    expect(quietHoursEnd(at('2026-03-06T15:00:00Z'), 'Asia/Shanghai', { ...night, weekends: true }).toISOString()).toBe('2026-03-09T00:00:00.000Z');
  });
});
