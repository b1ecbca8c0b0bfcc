/** Work reports (日报 / 周报 / 月报), their templates, rules and submission status as the API presents them. */
import type { AnnotationDTO, AnnotationEventDTO } from './annotations.js';
import type { UserSummaryDTO } from './dto.js';
import type { ReportKind } from './reportPeriods.js';

export { reportKinds, type ReportKind, type Period } from './reportPeriods.js';

export const reportStatuses = ['draft', 'submitted'] as const;
export type ReportStatus = (typeof reportStatuses)[number];

/** What "draft from my schedule" writes into a section: the period's entries and results, or the next period's plan. */
export const sectionFills = ['done', 'plan'] as const;
export type SectionFill = (typeof sectionFills)[number];

/** One section of a template (and of every report written from it): a rich-text field. */
export type ReportSectionDTO = { key: string; title: string; titleEn: string; required: boolean; fill: SectionFill | null };

export type DepartmentRefDTO = { id: string; name: string };

export type ReportTemplateDTO = {
  id: string;
  name: string;
  kinds: ReportKind[];
  sections: ReportSectionDTO[];
  /** The departments (with everything below them) it applies to; none for the built-in templates, which apply where no other does. */
  departments: DepartmentRefDTO[];
  builtIn: boolean;
  active: boolean;
  updatedAt: string;
  can: { edit: boolean };
};

/** A report in a list (the inbox, one's own reports). */
export type ReportSummaryDTO = {
  id: string;
  author: UserSummaryDTO;
  /** The author's department when the report was written. */
  department: DepartmentRefDTO | null;
  kind: ReportKind;
  periodStart: string;
  periodEnd: string;
  status: ReportStatus;
  submittedAt: string | null;
  deadlineAt: string | null;
  /** Submitted after its deadline. */
  late: boolean;
  version: number;
  preview: string;
  /** The viewer has not opened it since it was submitted (always false for the author). */
  unread: boolean;
  annotationCount: number;
  readCount: number;
  updatedAt: string;
};

export type ReportReceiverDTO = { user: UserSummaryDTO; role: 'superior' | 'cc'; readAt: string | null };
export type ReportReadDTO = { user: UserSummaryDTO; readAt: string };
/** A schedule entry the report was drafted from, and its customer. */
export type ReportLinkDTO = { entryId: string; entryTitle: string; customer: DepartmentRefDTO | null };

export type ReportDTO = ReportSummaryDTO & {
  templateId: string | null;
  sections: ReportSectionDTO[];
  /** Rich text per section key. */
  content: Record<string, Record<string, unknown>>;
  /** Moves with every change of the content (marks of passage annotations included): a save or a mark names the revision it started from. */
  revision: number;
  receivers: ReportReceiverDTO[];
  ccDepartments: DepartmentRefDTO[];
  reads: ReportReadDTO[];
  /** Earlier versions kept when the author changed the report after it had been read. */
  versions: { version: number; savedAt: string }[];
  links: ReportLinkDTO[];
  annotations: AnnotationDTO[];
  /**
   * What the viewer may do: change it (its author, while the period is open), submit it (a draft),
   * annotate it (its receivers), reply under annotations (author and receivers).
   */
  can: { edit: boolean; submit: boolean; annotate: boolean; reply: boolean };
};

/** One earlier version of a report. */
export type ReportVersionDTO = { reportId: string; version: number; sections: ReportSectionDTO[]; content: Record<string, Record<string, unknown>>; submittedAt: string | null; savedAt: string };

/** How a person stands for one period: the status views' cells. `elsewhere`: then in a department outside the view. */
export const reportCellStatuses = ['submitted', 'late', 'missing', 'pending', 'not_required', 'elsewhere'] as const;
export type ReportCellStatus = (typeof reportCellStatuses)[number];
export type ReportStatusCounts = Record<Exclude<ReportCellStatus, 'elsewhere'>, number>;

export type ReportStatusPeriodDTO = { start: string; end: string; working: boolean; holiday: string | null };
export type ReportStatusCellDTO = { status: ReportCellStatus; reportId: string | null; submittedAt: string | null };
export type ReportStatusPersonDTO = {
  user: UserSummaryDTO;
  /** Where the person is counted: their department at the end of the view (or now). */
  department: DepartmentRefDTO;
  /** The person changed department during the view. */
  moved: boolean;
  cells: ReportStatusCellDTO[];
};
export type ReportStatusDTO = {
  kind: ReportKind;
  view: 'day' | 'week' | 'month';
  from: string;
  to: string;
  timeZone: string;
  periods: ReportStatusPeriodDTO[];
  people: ReportStatusPersonDTO[];
  departments: (DepartmentRefDTO & { counts: ReportStatusCounts; missing: UserSummaryDTO[] })[];
  totals: ReportStatusCounts;
};

/** Deadlines, requirement and submit reminders of a kind for a department subtree (or the whole organisation). */
export type ReportRuleDTO = {
  id: string;
  kind: ReportKind;
  department: DepartmentRefDTO | null;
  required: boolean;
  deadlineDay: number;
  deadlineTime: string;
  remindRrule: string | null;
  remindTime: string | null;
  lateReminder: boolean;
  headDigest: boolean;
  lateTime: string;
  channels: ('email' | 'sms')[];
  updatedAt: string;
  can: { edit: boolean };
};

export type HolidayDTO = { day: string; kind: 'holiday' | 'workday'; name: string };

/** The calendar settings the report pages need: the organisation's zone and limits, holidays around a year. */
export type ReportCalendarDTO = { timeZone: string; daysAhead: number; closedAfterDays: number; holidays: HolidayDTO[] };

/** Events of the stream `report:<id>` (followed by those who may read the report). */
export type ReportStreamEvents = {
  /** The content, status or version changed (edits, submission, a passage mark): reload it. */
  'report.changed': { reportId: string; revision: number; version: number; status: ReportStatus };
  /** Someone opened it for the first time (已阅). */
  'report.read': { reportId: string; reader: UserSummaryDTO; readAt: string };
  'annotation.created': { annotation: AnnotationEventDTO };
  /** Edited, resolved, reopened or deleted. */
  'annotation.changed': { annotation: AnnotationEventDTO };
};

/** The realtime stream of one report. */
export const reportStream = (reportId: string): `report:${string}` => `report:${reportId}`;
