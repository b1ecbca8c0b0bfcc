/** Schedule entries and annotations as the API presents them. */
import type { UserSummaryDTO } from './dto.js';

export const entryKinds = ['visit', 'call', 'meeting', 'task', 'other'] as const;
export type EntryKind = (typeof entryKinds)[number];
export const planPeriods = ['year', 'quarter', 'month', 'week', 'day'] as const;
export type PlanPeriod = (typeof planPeriods)[number];
export const entryStatuses = ['planned', 'done', 'cancelled'] as const;
export type EntryStatus = (typeof entryStatuses)[number];

export type ScheduleEntryDTO = {
  id: string;
  owner: UserSummaryDTO;
  kind: EntryKind;
  title: string;
  description: Record<string, unknown> | null;
  descriptionText: string;
  /** Instants of this entry or, for a recurring entry listed in a range, of this occurrence. */
  startsAt: string;
  endsAt: string;
  /** Local wall-clock start and end in timeZone (all-day entries: midnight to midnight). */
  start: string;
  end: string;
  allDay: boolean;
  timeZone: string;
  planPeriod: PlanPeriod | null;
  customer: { id: string; name: string } | null;
  contactIds: string[];
  status: EntryStatus;
  result: Record<string, unknown> | null;
  resultText: string;
  shared: boolean;
  rrule: string | null;
  exdates: string[];
  /** Set on an occurrence edited on its own: the recurring entry and the start it replaces. */
  masterId: string | null;
  originalStart: string | null;
  /** Set on an expanded occurrence of a recurring entry: the start of that occurrence (its key for edits). */
  occurrenceStart: string | null;
  reminderOffsets: number[];
  annotationCount: number;
  createdAt: string;
  updatedAt: string;
  /** What the user who asked may do: change it (its owner), annotate it (the owner's superiors), reply under its annotations (both). */
  can: { edit: boolean; annotate: boolean; reply: boolean };
};

/** Annotations are shared with reports: see shared/annotations.ts. */
export type { AnnotationDTO } from './annotations.js';

export type EntryListDTO = { data: ScheduleEntryDTO[]; truncated: boolean };
