import type { EntityManager } from '@mikro-orm/postgresql';
import type { Locale } from '../../shared/schemas/common.js';
import type { User } from '../entities/User.js';
import { customerVisibilityFilter } from '../policies/customers.js';
import { importHeaders, importValues } from '../commands/customers/csvRows.js';
import type { CsvCell } from './csv.js';

const PAGE = 500;
// The columns in the order of the import, one row per contact (a customer without contacts has one row of its own).
const fields = ['name', 'type', 'tier', 'prospectClass', 'owners', 'address', 'notes', 'contactName', 'contactTitle', 'contactPhone', 'contactEmail', 'contactBirthday'] as const;

const isChinese = (s: string) => /[^\x00-\x7f]/.test(s);

/** The header in the user's language, spelled as the import reads it back. */
export function customerExportHeader(locale: Locale): string[] {
  return fields.map((field) => importHeaders[field].find((name) => isChinese(name) === (locale === 'zh-CN'))!);
}

/** A type, tier or class as the user's language writes it (Chinese labels the import maps back, or the codes). */
function label(field: 'type' | 'tier' | 'prospectClass', code: string | null, locale: Locale): string {
  if (!code) return '';
  if (locale !== 'zh-CN') return code;
  return Object.entries(importValues[field]).find(([name, value]) => value === code && isChinese(name))?.[0] ?? code;
}

type Row = {
  id: string; tier_rank: number; name: string; type: string; tier: string | null; prospect_class: string | null; address: string; notes: string; owners: string | null;
  contacts: { name: string; title: string; phone: string; email: string; birthday: string | null }[];
};

/**
 * The customers the user may see (customerVisibilityFilter, as every customer read), most valuable
 * first, as CSV rows in the import's format: read a page at a time in key order, so that an export
 * of 50,000 customers holds one page in memory.
 */
export async function* customerExportRows(em: EntityManager, user: User): AsyncGenerator<CsvCell[]> {
  const filter = await customerVisibilityFilter(em, user);
  let after: [number, string, string] | null = null;
  for (;;) {
    const rows: Row[] = await em.execute<Row[]>(
      `SELECT c.id::text AS id, c.tier_rank, c.name, c.type, c.tier, c.prospect_class, c.address, c.notes,
         (SELECT string_agg(u.email, ';' ORDER BY u.email) FROM customer_owners o JOIN users u ON u.id = o.user_id WHERE o.customer_id = c.id) AS owners,
         coalesce((SELECT json_agg(json_build_object('name', ct.name, 'title', ct.title, 'phone', ct.phone, 'email', ct.email, 'birthday', ct.birthday) ORDER BY ct.name, ct.id)
                   FROM contacts ct WHERE ct.customer_id = c.id), '[]'::json) AS contacts
       FROM customers c
       WHERE ${filter.sql} ${after ? 'AND (c.tier_rank, c.name, c.id) > (?, ?, ?::bigint)' : ''}
       ORDER BY c.tier_rank, c.name, c.id LIMIT ?`,
      [...filter.params, ...(after ?? []), PAGE],
    );
    for (const r of rows) {
      const customer = [r.name, label('type', r.type, user.locale), label('tier', r.tier, user.locale), label('prospectClass', r.prospect_class, user.locale), r.owners ?? '', r.address, r.notes];
      if (!r.contacts.length) yield [...customer, '', '', '', '', ''];
      for (const ct of r.contacts) yield [...customer, ct.name, ct.title, ct.phone, ct.email, ct.birthday ?? ''];
    }
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1];
    after = [Number(last.tier_rank), last.name, String(last.id)];
  }
}
