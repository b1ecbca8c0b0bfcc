import type { ScheduleEntryDTO } from '../../shared/schedule.js';
import { isoInstant, localIn } from './instants.js';

// Timestamps arrive as PostgreSQL's text (the ORM does not parse them); isoInstant writes them for the API.
type Timestamp = string | Date;
export type EntryRow = {
  id: string; owner_id: string; owner_name: string; owner_email: string; kind: ScheduleEntryDTO['kind']; title: string; description: ScheduleEntryDTO['description']; description_text: string;
  starts_at: Timestamp; ends_at: Timestamp; all_day: boolean; time_zone: string; plan_period: ScheduleEntryDTO['planPeriod']; customer_id: string | null; customer_name: string | null;
  contact_ids: string[]; status: ScheduleEntryDTO['status']; result: ScheduleEntryDTO['result']; result_text: string; shared_department_id: string | null;
  rrule: string | null; exdates: string[]; master_id: string | null; original_start: Timestamp | null; reminder_offsets: number[]; annotation_count: number; created_at: Timestamp; updated_at: Timestamp;
};

/** What the viewer may do with an entry of an owner (see policies/schedule entryAbilities). */
export type EntryAbilities = (ownerId: string) => ScheduleEntryDTO['can'];

/** An entry row as the API shows it; `at` places an occurrence of a recurring entry. */
export function presentEntry(r: EntryRow, can: EntryAbilities, at?: { startsAt: Date; endsAt: Date }): ScheduleEntryDTO {
  const startsAt = at ? at.startsAt.toISOString() : isoInstant(r.starts_at);
  const endsAt = at ? at.endsAt.toISOString() : isoInstant(r.ends_at);
  return {
    id: String(r.id), owner: { id: String(r.owner_id), displayName: r.owner_name, email: r.owner_email }, kind: r.kind, title: r.title, description: r.description, descriptionText: r.description_text,
    startsAt, endsAt, start: localIn(Date.parse(startsAt), r.time_zone), end: localIn(Date.parse(endsAt), r.time_zone), allDay: r.all_day, timeZone: r.time_zone, planPeriod: r.plan_period,
    customer: r.customer_id ? { id: String(r.customer_id), name: r.customer_name ?? '' } : null, contactIds: r.contact_ids, status: r.status, result: r.result, resultText: r.result_text,
    shared: r.shared_department_id !== null, rrule: r.rrule, exdates: r.exdates, masterId: r.master_id ? String(r.master_id) : null, originalStart: r.original_start ? isoInstant(r.original_start) : null,
    occurrenceStart: at ? startsAt : null, reminderOffsets: r.reminder_offsets, annotationCount: r.annotation_count, createdAt: isoInstant(r.created_at), updatedAt: isoInstant(r.updated_at),
    can: can(String(r.owner_id)),
  };
}
