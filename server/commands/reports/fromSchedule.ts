import { shiftPeriod, type Period } from '../../../shared/reportPeriods.js';
import { reportStream, type ReportDTO, type ReportSectionDTO } from '../../../shared/reports.js';
import type { ScheduleEntryDTO } from '../../../shared/schedule.js';
import { isRichTextEmpty, type RichTextDocument } from '../../../shared/richText/index.js';
import type { RichTextListItemNode, RichTextTextNode } from '../../../shared/richText/nodes.js';
import { conflict } from '../../errors.js';
import { requireReportAuthor } from '../../policies/reports.js';
import { readReportCalendar } from '../../queries/reportCalendar.js';
import { dayRange, personEntries } from '../../queries/schedule.js';
import { appendEvent, type CommandContext } from '../context.js';
import { authorView, reportPlainText } from './reports.js';

const words = {
  'zh-CN': { planned: '未完成', cancelled: '已取消', nothing: '本期日程中没有内容。', sep: '：' },
  en: { planned: 'not done', cancelled: 'cancelled', nothing: 'Nothing in the schedule for this period.', sep: ': ' },
};

const text = (value: string, format = 0): RichTextTextNode => ({ type: 'text', version: 1, text: value, format, detail: 0, mode: 'normal', style: '' });

/**
 * One list item per entry: its title (bold), the customer, and the recorded result, or whether it
 * is still open or was cancelled, so that the author edits rather than retypes.
 */
function entryItem(entry: ScheduleEntryDTO, locale: 'zh-CN' | 'en', withResult: boolean): RichTextListItemNode {
  const w = words[locale];
  const parts: RichTextTextNode[] = [text(entry.title, 1)];
  if (entry.customer) parts.push(text(` · ${entry.customer.name}`));
  const result = entry.resultText.trim();
  if (withResult && result) parts.push(text(`${w.sep}${result.replace(/\s*\n\s*/g, ' ')}`));
  else if (withResult && entry.status !== 'done') parts.push(text(`（${w[entry.status === 'cancelled' ? 'cancelled' : 'planned']}）`));
  return { type: 'listitem', version: 1, direction: null, format: '', indent: 0, value: 1, children: parts };
}

/** A section's text from entries: a bulleted list, or a line saying there was nothing. */
function listOf(entries: ScheduleEntryDTO[], locale: 'zh-CN' | 'en', withResult: boolean): RichTextDocument {
  const block = entries.length
    ? { type: 'list' as const, version: 1 as const, direction: null, format: '' as const, indent: 0, listType: 'bullet' as const, start: 1, tag: 'ul' as const, children: entries.map((e) => entryItem(e, locale, withResult)) }
    : { type: 'paragraph' as const, version: 1 as const, direction: null, format: '' as const, indent: 0, textFormat: 0, textStyle: '' as const, children: [text(words[locale].nothing)] };
  return { root: { type: 'root', version: 1, direction: null, format: '', indent: 0, children: [block] } } as RichTextDocument;
}

async function entriesOf(cx: CommandContext, period: Period, timeZone: string): Promise<ScheduleEntryDTO[]> {
  const range = { from: dayRange(period.start, timeZone).from, to: dayRange(period.end, timeZone).to };
  return (await personEntries(cx.em, cx.actor, cx.actor.id, range)).data.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
}

/**
 * "Draft from my schedule": the sections that take it are filled from the author's schedule — what
 * they did in the period (entries with their results) and what they plan for the next one — where
 * the author has written nothing yet. The entries and their customers stay linked to the report; on
 * submission the customers' feeds show that the report mentions them.
 */
export async function scheduleDrafter(cx: CommandContext, reportId: string): Promise<{ report: ReportDTO; filled: string[] }> {
  const { em: tx, actor } = cx;
  const access = await requireReportAuthor(tx, actor, reportId);
  if (access.status !== 'draft') throw conflict('A submitted report is changed in its editor; drafting from the schedule is for drafts');
  const [row] = await tx.execute<{ sections: ReportSectionDTO[]; content: Record<string, RichTextDocument>; revision: number; version: number }[]>(
    `SELECT sections, content, revision, version FROM reports WHERE id = ?`,
    [reportId],
  );
  const period = { start: access.periodStart, end: access.periodEnd };
  const { timeZone } = await readReportCalendar(tx, period);
  const done = (await entriesOf(cx, period, timeZone)).filter((e) => e.kind !== 'other' || e.resultText);
  const next = (await entriesOf(cx, shiftPeriod(access.kind, period.start, 1), timeZone)).filter((e) => e.status === 'planned');
  const content = { ...row.content };
  const filled: string[] = [];
  for (const section of row.sections) {
    if (!section.fill || (content[section.key] && !isRichTextEmpty(content[section.key]))) continue;
    content[section.key] = section.fill === 'done' ? listOf(done, actor.locale, true) : listOf(next, actor.locale, false);
    filled.push(section.key);
  }
  await tx.execute(`DELETE FROM report_links WHERE report_id = ?`, [reportId]);
  const entryIds = [...new Set(done.map((e) => e.id))];
  if (done.length) {
    await tx.execute(
      `INSERT INTO report_links (report_id, entry_id, customer_id) SELECT ?, e.id, e.customer_id FROM schedule_entries e WHERE e.id = ANY(?::bigint[]) ON CONFLICT DO NOTHING`,
      [reportId, `{${entryIds.join(',')}}`],
    );
  }
  await tx.execute(`UPDATE reports SET content = ?, text = ?, revision = revision + 1, updated_at = now() WHERE id = ?`, [JSON.stringify(content), reportPlainText(row.sections, content), reportId]);
  await appendEvent(cx, reportStream(reportId), 'report.changed', { reportId, revision: Number(row.revision) + 1, version: Number(row.version), status: 'draft' });
  return { report: await authorView(cx, reportId), filled };
}
