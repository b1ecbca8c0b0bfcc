import type { ReportKind } from '../../shared/reportPeriods.js';
import type { HolidayDTO, ReportDTO, ReportRuleDTO, ReportSectionDTO, ReportStatus, ReportSummaryDTO, ReportTemplateDTO } from '../../shared/reports.js';
import type { UserSummaryDTO } from '../../shared/dto.js';
import type { RichTextDocument } from '../../shared/richText/nodes.js';
import { markedTexts } from '../editor/marks.js';
import { presentThreads, type AnnotationAbilities, type AnnotationRow, type MarkTexts } from './annotation.js';
import { isoInstant } from './instants.js';

type Timestamp = string | Date;
const instant = (t: Timestamp | null) => (t === null ? null : isoInstant(t));

export type ReportSummaryRow = {
  id: string; author_id: string; author_name: string; author_email: string; department_id: string | null; department_name: string | null;
  kind: ReportKind; period_start: string; period_end: string; status: ReportStatus; submitted_at: Timestamp | null; deadline_at: Timestamp | null;
  version: number; preview: string; unread: boolean; annotation_count: number; read_count: number; updated_at: Timestamp;
};

/** A report in a list. */
export const presentReportSummary = (r: ReportSummaryRow): ReportSummaryDTO => {
  const submittedAt = instant(r.submitted_at);
  const deadlineAt = instant(r.deadline_at);
  return {
    id: String(r.id), author: { id: String(r.author_id), displayName: r.author_name, email: r.author_email },
    department: r.department_id ? { id: String(r.department_id), name: r.department_name ?? '' } : null,
    kind: r.kind, periodStart: r.period_start, periodEnd: r.period_end, status: r.status, submittedAt, deadlineAt,
    late: !!submittedAt && !!deadlineAt && submittedAt > deadlineAt, version: Number(r.version), preview: r.preview, unread: r.unread,
    annotationCount: Number(r.annotation_count), readCount: Number(r.read_count), updatedAt: isoInstant(r.updated_at),
  };
};

type UserJson = { id: string; display_name: string; email: string };
const user = (u: UserJson): UserSummaryDTO => ({ id: String(u.id), displayName: u.display_name, email: u.email });

export type ReportDetailRow = Omit<ReportSummaryRow, 'unread' | 'annotation_count' | 'read_count'> & {
  template_id: string | null; sections: ReportSectionDTO[]; content: Record<string, RichTextDocument>; revision: number;
  receivers: (UserJson & { role: 'superior' | 'cc'; read_at: string | null })[]; cc_departments: { id: string; name: string }[];
  reads: (UserJson & { read_at: string })[]; versions: { version: number; saved_at: string }[];
  links: { entry_id: string; entry_title: string; customer_id: string | null; customer_name: string | null }[];
  annotations: AnnotationRow[];
  receiver: boolean; closed: boolean;
};

/** The text every passage mark of each section holds now. */
export function sectionMarkTexts(content: Record<string, RichTextDocument>): MarkTexts {
  return new Map(Object.entries(content).map(([key, doc]) => [key, markedTexts(doc)]));
}

/**
 * One report with everything its page shows, with what the viewer may do with it and with each
 * annotation (from the policies). Its counts and the viewer's unread marker are those a list shows,
 * counted here in its read list and annotations.
 */
export function presentReport(r: ReportDetailRow, viewerId: string, can: ReportDTO['can'], annotationCan: AnnotationAbilities): ReportDTO {
  const unread = r.status === 'submitted' && String(r.author_id) !== viewerId && !r.reads.some((x) => String(x.id) === viewerId);
  const annotationCount = r.annotations.filter((a) => a.parent_id === null && a.deleted_at === null).length;
  return {
    ...presentReportSummary({ ...r, unread, annotation_count: annotationCount, read_count: r.reads.length }),
    templateId: r.template_id ? String(r.template_id) : null,
    sections: r.sections,
    content: r.content as Record<string, Record<string, unknown>>,
    revision: Number(r.revision),
    receivers: r.receivers.map((x) => ({ user: user(x), role: x.role, readAt: instant(x.read_at) })),
    ccDepartments: r.cc_departments.map((d) => ({ id: String(d.id), name: d.name })),
    reads: r.reads.map((x) => ({ user: user(x), readAt: isoInstant(x.read_at) })),
    versions: r.versions.map((v) => ({ version: Number(v.version), savedAt: isoInstant(v.saved_at) })),
    links: r.links.map((l) => ({ entryId: String(l.entry_id), entryTitle: l.entry_title, customer: l.customer_id ? { id: String(l.customer_id), name: l.customer_name ?? '' } : null })),
    annotations: presentThreads(r.annotations, annotationCan, sectionMarkTexts(r.content)),
    can,
  };
}

export type TemplateRow = {
  id: string; name: string; kinds: ReportKind[]; sections: ReportSectionDTO[]; departments: { id: string; name: string }[]; built_in: boolean; active: boolean; updated_at: Timestamp; editable: boolean;
};

export const presentTemplate = (t: TemplateRow): ReportTemplateDTO => ({
  id: String(t.id), name: t.name, kinds: t.kinds, sections: t.sections, departments: t.departments.map((d) => ({ id: String(d.id), name: d.name })),
  builtIn: t.built_in, active: t.active, updatedAt: isoInstant(t.updated_at), can: { edit: t.editable },
});

export type RuleRow = {
  id: string; kind: ReportKind; department_id: string | null; department_name: string | null; required: boolean; deadline_day: number; deadline_time: string;
  remind_rrule: string | null; remind_time: string | null; late_reminder: boolean; head_digest: boolean; late_time: string; channels: ('email' | 'sms')[]; updated_at: Timestamp; editable: boolean;
};

export const presentRule = (r: RuleRow): ReportRuleDTO => ({
  id: String(r.id), kind: r.kind, department: r.department_id ? { id: String(r.department_id), name: r.department_name ?? '' } : null, required: r.required,
  deadlineDay: Number(r.deadline_day), deadlineTime: r.deadline_time, remindRrule: r.remind_rrule, remindTime: r.remind_time, lateReminder: r.late_reminder,
  headDigest: r.head_digest, lateTime: r.late_time, channels: r.channels, updatedAt: isoInstant(r.updated_at), can: { edit: r.editable },
});

export const presentHoliday = (h: { day: string; kind: 'holiday' | 'workday'; name: string }): HolidayDTO => ({ day: h.day, kind: h.kind, name: h.name });
