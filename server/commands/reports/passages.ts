import type { ReportSectionDTO } from '../../../shared/reports.js';
import { reportStream } from '../../../shared/reports.js';
import { emptyDocument, type RichTextDocument } from '../../../shared/richText/index.js';
import { parseRichText } from '../../editor/index.js';
import { filterMarks, markedTexts, markIdsOf, withoutMarksCanonical } from '../../editor/marks.js';
import { AppError, badRequest, conflict } from '../../errors.js';
import type { ReportAccess } from '../../policies/reports.js';
import { appendEvent, type CommandContext } from '../context.js';

/** A reader's selection: the section as it looks with a new mark (`markId`) around the passage, made from `revision`. */
export type ReportAnchorInput = { sectionKey: string; markId: string; revision: number; document: unknown };

const refuse = (path: string, code: string, message: string) => badRequest(`The passage cannot be annotated: ${message}`, [{ path, code, message }]);

type Locked = { content: Record<string, RichTextDocument>; sections: ReportSectionDTO[]; revision: number; version: number; status: 'draft' | 'submitted' };

async function lockContent(cx: CommandContext, reportId: string): Promise<Locked> {
  const [row] = await cx.em.execute<{ content: Locked['content']; sections: ReportSectionDTO[]; revision: number; version: number; status: Locked['status'] }[]>(
    `SELECT content, sections, revision, version, status FROM reports WHERE id = ? FOR UPDATE`,
    [reportId],
  );
  return { ...row, revision: Number(row.revision), version: Number(row.version) };
}

async function storeSection(cx: CommandContext, reportId: string, key: string, doc: RichTextDocument, locked: Locked) {
  await cx.em.execute(`UPDATE reports SET content = jsonb_set(content, ?::text[], ?::jsonb), revision = revision + 1 WHERE id = ?`, [`{${key}}`, JSON.stringify(doc), reportId]);
  await appendEvent(cx, reportStream(reportId), 'report.changed', { reportId, revision: locked.revision + 1, version: locked.version, status: locked.status });
}

/**
 * Anchors a passage annotation: the reader's client wrapped the selected text in a Lexical mark
 * (@lexical/mark) and sends the section so marked. It must be the section as stored at the revision
 * the reader saw, apart from marks, and keep every mark already there; the new mark must hold text.
 * The section is stored with the mark, and the marked text is kept as the annotation's quote so
 * that it stays readable whatever later happens to the passage.
 */
export async function passageMarker(cx: CommandContext, report: ReportAccess, anchor: ReportAnchorInput): Promise<{ sectionKey: string; markId: string; quote: string }> {
  const locked = await lockContent(cx, report.id);
  if (locked.revision !== anchor.revision) throw conflict('The report changed while you were reading it: select the passage again');
  if (!locked.sections.some((s) => s.key === anchor.sectionKey)) throw refuse('anchor.sectionKey', 'unknown_section', 'the report has no such section');
  let marked: RichTextDocument;
  try {
    marked = parseRichText(anchor.document);
  } catch (error) {
    if (error instanceof AppError && error.status === 400) throw refuse('anchor.document', 'invalid_rich_text', error.message);
    throw error;
  }
  const current = locked.content[anchor.sectionKey] ?? emptyDocument();
  if (withoutMarksCanonical(marked) !== withoutMarksCanonical(current)) throw refuse('anchor.document', 'anchor_mismatch', 'the marked section differs from the report’s text');
  const existing = markIdsOf(current);
  const sent = markIdsOf(marked);
  if ([...existing].some((id) => !sent.has(id))) throw refuse('anchor.document', 'anchor_mismatch', 'the marked section drops marks of other annotations');
  if (existing.has(anchor.markId) || (await cx.em.execute(`SELECT 1 FROM annotations WHERE report_id = ? AND mark_id = ?`, [report.id, anchor.markId])).length) {
    throw refuse('anchor.markId', 'mark_id_taken', 'another annotation has this mark id');
  }
  const stored = filterMarks(marked, (id) => existing.has(id) || id === anchor.markId);
  const quote = markedTexts(stored).get(anchor.markId) ?? '';
  if (!quote.trim()) throw refuse('anchor.markId', 'anchor_not_in_report', 'the mark holds no text of the section');
  await storeSection(cx, report.id, anchor.sectionKey, stored, locked);
  return { sectionKey: anchor.sectionKey, markId: anchor.markId, quote };
}

/** Takes a deleted passage annotation's mark out of the report (its text stays). */
export async function passageUnmarker(cx: CommandContext, reportId: string, sectionKey: string, markId: string): Promise<void> {
  const locked = await lockContent(cx, reportId);
  const doc = locked.content[sectionKey];
  if (!doc || !markIdsOf(doc).has(markId)) return;
  await storeSection(cx, reportId, sectionKey, filterMarks(doc, (id) => id !== markId), locked);
}
