import type { CalendarEntryRow } from '../queries/calendar.js';
import { formatInZone } from '../recurrence/expand.js';
import { vtimezone } from './vtimezone.js';


// RFC 5545 §3.3.11 TEXT escaping, and §3.1 folding at 75 octets.
const text = (v: string) => v.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
function fold(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let current = '';
  for (const ch of line) {
    if (Buffer.byteLength(current + ch, 'utf8') > (parts.length ? 74 : 75)) {
      parts.push(current);
      current = '';
    }
    current += ch;
  }
  parts.push(current);
  return parts.join('\r\n ');
}
const utc = (at: Date) => at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
const local = (at: Date, zone: string) => formatInZone(at, zone).slice(0, 19).replace(/[-:]/g, '');
const date = (at: Date, zone: string) => local(at, zone).slice(0, 8);

/** The user's schedule (see calendarEntries) as an iCalendar document: recurring entries with RRULE and EXDATE, edited occurrences with RECURRENCE-ID. */
export function calendarFeed(rows: CalendarEntryRow[], hostname: string): string {
  const zones = new Map<string, number>();
  for (const r of rows) if (!r.all_day || r.master_id) {
    const zone = r.time_zone;
    zones.set(zone, Math.min(zones.get(zone) ?? 9999, new Date(r.starts_at).getUTCFullYear()));
  }
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Huitong//Schedule//EN', 'CALSCALE:GREGORIAN', 'X-WR-CALNAME:Huitong'];
  const thisYear = new Date().getUTCFullYear();
  for (const [zone, from] of zones) lines.push(...vtimezone(zone, Math.min(from, thisYear) - 1, thisYear + 3));
  for (const r of rows) {
    const start = new Date(r.starts_at);
    const end = new Date(r.ends_at);
    const zone = r.time_zone;
    lines.push('BEGIN:VEVENT', `UID:entry-${r.master_id ?? r.id}@${hostname}`, `DTSTAMP:${utc(new Date(r.updated_at))}`);
    if (r.all_day) lines.push(`DTSTART;VALUE=DATE:${date(start, zone)}`, `DTEND;VALUE=DATE:${date(end, zone)}`);
    else lines.push(`DTSTART;TZID=${zone}:${local(start, zone)}`, `DTEND;TZID=${zone}:${local(end, zone)}`);
    if (r.rrule) lines.push(`RRULE:${r.rrule}`);
    for (const ex of r.exdates) lines.push(r.all_day ? `EXDATE;VALUE=DATE:${ex.slice(0, 10).replace(/-/g, '')}` : `EXDATE;TZID=${zone}:${ex.replace(/[-:]/g, '')}`);
    if (r.master_id && r.original_start) {
      const mz = r.master_zone ?? zone;
      lines.push(r.all_day ? `RECURRENCE-ID;VALUE=DATE:${date(new Date(r.original_start), mz)}` : `RECURRENCE-ID;TZID=${mz}:${local(new Date(r.original_start), mz)}`);
    }
    lines.push(`SUMMARY:${text(r.title)}`);
    const description = [r.customer_name ? `Customer: ${r.customer_name}` : '', r.description_text, r.result_text ? `Result: ${r.result_text}` : ''].filter(Boolean).join('\n');
    if (description) lines.push(`DESCRIPTION:${text(description)}`);
    lines.push(`CATEGORIES:${r.kind.toUpperCase()}`, `STATUS:${r.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED'}`, 'END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.map(fold).join('\r\n') + '\r\n';
}
