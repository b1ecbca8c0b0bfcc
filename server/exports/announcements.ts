import type { LedgerRowDTO } from '../../shared/announcements.js';
import type { Locale } from '../../shared/schemas/common.js';
import type { CsvCell } from './csv.js';

const headers: Record<Locale, string[]> = {
  'zh-CN': ['姓名', '邮箱', '部门', '状态', '收到时间', '首次阅读', '确认时间', '确认的版本', '回复', '邮件', '短信'],
  en: ['Name', 'E-mail', 'Department', 'State', 'Received', 'First read', 'Acknowledged', 'Version acknowledged', 'Reply', 'E-mail', 'SMS'],
};

const states: Record<Locale, Record<LedgerRowDTO['state'], string>> = {
  'zh-CN': { unread: '未读', read: '已读未确认', acknowledged: '已确认' },
  en: { unread: 'Unread', read: 'Read, not acknowledged', acknowledged: 'Acknowledged' },
};

/** The ledger export's header in the viewer's language. */
export function ledgerExportHeader(locale: Locale): string[] {
  return headers[locale];
}

/** A time as the viewer reads it: their zone, to the minute (2026-12-06 18:30). */
function localTime(iso: string | null, timeZone: string): string {
  if (!iso) return '';
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/** Ledger rows (already limited to what the viewer may see, by queries/announcementLedger.ts) as CSV cells. */
export async function* ledgerExportRows(rows: AsyncIterable<LedgerRowDTO>, viewer: { locale: Locale; timeZone: string }): AsyncGenerator<CsvCell[]> {
  for await (const row of rows) {
    yield [
      row.user.displayName, row.user.email, row.department.name, states[viewer.locale][row.state],
      localTime(row.receivedAt, viewer.timeZone), localTime(row.firstReadAt, viewer.timeZone), localTime(row.acknowledgedAt, viewer.timeZone),
      row.acknowledgedVersion, row.reply, row.email?.status ?? '', row.sms?.status ?? '',
    ];
  }
}
