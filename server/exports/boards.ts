import type { EntityManager } from '@mikro-orm/postgresql';
import type { Locale } from '../../shared/schemas/common.js';
import type { User } from '../entities/User.js';
import { threadVisibilityFilter } from '../policies/boards.js';
import { ANONYMOUS_NAME } from '../commands/boards/notifications.js';
import { isoInstant } from '../presenters/instants.js';
import type { CsvCell } from './csv.js';

const PAGE = 500;

const headers: Record<Locale, string[]> = {
  'zh-CN': ['编号', '标题', '作者', '发表时间', '回复数', '最后活动', '置顶', '锁定', '已隐藏', '正文'],
  en: ['Id', 'Title', 'Author', 'Started', 'Replies', 'Last activity', 'Pinned', 'Locked', 'Hidden', 'Text'],
};

/** The header of a board's thread export in the user's language. */
export const boardExportHeader = (locale: Locale) => headers[locale];

type Row = { id: string; title: string; anonymous: boolean; author: string; created_at: string | Date; last_number: number; last_activity_at: string | Date; pinned: boolean; locked: boolean; hidden: boolean; text: string };

/**
 * The threads of a board the user may see (threadVisibilityFilter, as every thread read: a
 * semi-open board's poster exports only their own), newest activity first, as CSV rows; anonymous
 * authors stay 匿名. Read a page at a time in key order.
 */
export async function* boardExportRows(em: EntityManager, user: User, boardId: string): AsyncGenerator<CsvCell[]> {
  const visible = await threadVisibilityFilter(em, user);
  const yes = user.locale === 'zh-CN' ? '是' : 'yes';
  let after: [string, string] | null = null;
  for (;;) {
    const rows: Row[] = await em.execute<Row[]>(
      `SELECT t.id::text AS id, t.title, t.anonymous, u.display_name AS author, t.created_at, t.last_number, t.last_activity_at, t.pinned, t.locked,
              t.hidden_at IS NOT NULL AS hidden, t.text
       FROM board_threads t JOIN users u ON u.id = t.author_id
       WHERE t.board_id = ? AND ${visible.sql} ${after ? 'AND (t.last_activity_at, t.id) < (?::timestamptz, ?::bigint)' : ''}
       ORDER BY t.last_activity_at DESC, t.id DESC LIMIT ?`,
      [boardId, ...visible.params, ...(after ?? []), PAGE],
    );
    for (const r of rows) {
      yield [r.id, r.title, r.anonymous ? ANONYMOUS_NAME : r.author, isoInstant(r.created_at), Number(r.last_number), isoInstant(r.last_activity_at), r.pinned ? yes : '', r.locked ? yes : '', r.hidden ? yes : '', r.text];
    }
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1];
    after = [String(last.last_activity_at), String(last.id)];
  }
}
