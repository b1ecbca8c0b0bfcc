import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { customerTiers, customerTypes, prospectClasses, type CustomerTier, type CustomerType, type ProspectClass } from '../../../shared/customers.js';
import { birthdaySchema } from '../../../shared/schemas/customers.js';
import { INVALID_CHARACTERS, isSafeLine, isSafeText } from '../../../shared/schemas/common.js';
import type { ContactInput } from './customers.js';

/** One problem of an import file, by physical line (1 is the header). */
export type ImportProblem = { line: number; column?: string; reason: string; code?: typeof INVALID_CHARACTERS };
export type ImportCustomer = { line: number; name: string; type: CustomerType; tier: CustomerTier | null; prospectClass: ProspectClass | null; address: string; notes: string; ownerEmails: string[]; contacts: (ContactInput & { line: number })[] };

// Header spellings accepted per field: Chinese as the requirements' users write them, and English.
// The export (server/exports/customers.ts) writes the first Chinese or the first English one.
export const importHeaders: Record<string, string[]> = {
  name: ['客户名称', '客户', '名称', '公司名称', 'name', 'customer', 'customer name'],
  type: ['客户类型', '类型', 'type', 'customer type'],
  tier: ['客户等级', '价值等级', '等级', 'tier'],
  prospectClass: ['潜在客户分类', '意向等级', '潜客分类', 'prospect class', 'class'],
  address: ['地址', 'address'],
  notes: ['备注', 'notes', 'note'],
  owners: ['负责人', '负责人邮箱', 'owner', 'owners', 'owner email'],
  contactName: ['联系人', '联系人姓名', 'contact', 'contact name'],
  contactTitle: ['职务', '职位', 'title', 'contact title'],
  contactPhone: ['电话', '手机', '联系电话', 'phone', 'mobile'],
  contactEmail: ['邮箱', '电子邮件', 'email', 'e-mail', 'contact email'],
  contactBirthday: ['生日', '出生日期', 'birthday'],
};
export const importValues: Record<string, Record<string, string>> = {
  type: { 终端客户: 'end_customer', 最终客户: 'end_customer', 客户: 'end_customer', 渠道: 'channel', 渠道商: 'channel', 供应商: 'supplier', 竞争对手: 'competitor', 媒体: 'media', 合作伙伴: 'partner', ...Object.fromEntries(customerTypes.map((t) => [t, t])) },
  tier: { 铂金: 'platinum', 黄金: 'gold', 白银: 'silver', 一般: 'regular', 劣质: 'poor', ...Object.fromEntries(customerTiers.map((t) => [t, t])) },
  prospectClass: { 重要: 'A', 普通: 'B', 放弃: 'C', ...Object.fromEntries(prospectClasses.flatMap((c) => [[c, c], [c.toLowerCase(), c]])) },
};

/** The text of an uploaded file: UTF-8 (with or without BOM) when it decodes as such, else GBK (Excel's default in China). */
export function decodeCsv(bytes: Buffer, encoding: 'auto' | 'utf-8' | 'gbk'): string {
  if (encoding === 'gbk') return iconv.decode(bytes, 'gbk');
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    if (encoding === 'utf-8') throw new Error('The file is not valid UTF-8');
    return iconv.decode(bytes, 'gbk');
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

// Cells that may span lines; every other cell is one line (the boundary rule of shared/schemas/common.ts).
const multiLineFields = new Set(['address', 'notes']);

/**
 * Parses and checks every row; rows naming the same customer add contacts to it. Returns the
 * customers and every problem found (an import writes only when there are none).
 */
export function readImportRows(text: string): { customers: ImportCustomer[]; problems: ImportProblem[]; rows: number } {
  const problems: ImportProblem[] = [];
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, { columns: (row: string[]) => row.map((h) => h.trim().toLowerCase()), info: true, skip_empty_lines: true, trim: true, relax_column_count: false, bom: true }) as never;
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    return { customers: [], problems: [{ line, reason: `The file is not valid CSV: ${(error as Error).message}` }], rows: 0 };
  }
  const columns = records[0] ? Object.keys(records[0].record) : (parse(text, { to_line: 1, bom: true })[0] ?? []).map((h: string) => h.trim().toLowerCase());
  const columnOf: Record<string, string | undefined> = {};
  for (const [field, names] of Object.entries(importHeaders)) columnOf[field] = columns.find((c: string) => names.includes(c));
  if (!columnOf.name) return { customers: [], problems: [{ line: 1, reason: `No customer name column: name one of ${importHeaders.name.join(', ')}` }], rows: records.length };
  if (!columnOf.type) problems.push({ line: 1, reason: `No customer type column: name one of ${importHeaders.type.join(', ')}` });

  const byName = new Map<string, ImportCustomer>();
  for (const { record, info } of records) {
    const line = info.lines;
    const get = (field: string) => (columnOf[field] ? (record[columnOf[field]!] ?? '').trim() : '');
    const bad = (column: string, reason: string) => problems.push({ line, column, reason });
    // A cell with characters the database or our formats cannot hold: reported with the code the API uses, the row goes no further.
    let unsafe = false;
    for (const [field, column] of Object.entries(columnOf)) {
      const cell = column ? (record[column] ?? '') : '';
      if (column && cell && !(multiLineFields.has(field) ? isSafeText(cell) : isSafeLine(cell))) {
        problems.push({ line, column, code: INVALID_CHARACTERS, reason: `the ${column} cell holds NUL, control characters or broken Unicode` });
        unsafe = true;
      }
    }
    if (unsafe) continue;
    const name = get('name');
    if (!name) {
      bad(columnOf.name, 'the customer name is empty');
      continue;
    }
    if (name.length > 200) bad(columnOf.name, 'the customer name is longer than 200 characters');
    let customer = byName.get(name);
    if (!customer) {
      const map = (field: 'type' | 'tier' | 'prospectClass') => {
        const raw = get(field);
        if (!raw) return null;
        const value = importValues[field][raw] ?? importValues[field][raw.toLowerCase()];
        if (!value) bad(columnOf[field]!, `"${raw}" is not a ${field === 'prospectClass' ? 'prospect class' : field}: use one of ${Object.keys(importValues[field]).join(', ')}`);
        return value ?? null;
      };
      const type = map('type') as CustomerType | null;
      if (columnOf.type && !get('type')) bad(columnOf.type, 'the customer type is empty');
      const tier = map('tier') as CustomerTier | null;
      const prospectClass = map('prospectClass') as ProspectClass | null;
      if (tier && prospectClass) bad(columnOf.prospectClass!, 'a customer has a tier or a prospect class, not both');
      const ownerEmails = get('owners').split(/[;,，；\s]+/).filter(Boolean).map((e) => e.toLowerCase());
      for (const email of ownerEmails) if (!EMAIL.test(email)) bad(columnOf.owners!, `"${email}" is not an e-mail address`);
      customer = { line, name, type: type ?? 'end_customer', tier, prospectClass, address: get('address').slice(0, 500), notes: get('notes').slice(0, 5000), ownerEmails, contacts: [] };
      byName.set(name, customer);
    }
    const contactName = get('contactName');
    const contactFields = ['contactTitle', 'contactPhone', 'contactEmail', 'contactBirthday'].some((f) => get(f));
    if (!contactName && contactFields) bad(columnOf.contactName ?? 'contact', 'contact details without a contact name');
    if (contactName) {
      // Spreadsheets write 1980/2/9 or 1980.2.9 as well as 1980-02-09.
      const birthday = get('contactBirthday').replace(/[/.]/g, '-').replace(/^(\d{4})-(\d{1,2})-(\d{1,2})$/, (_m, y: string, mo: string, d: string) => `${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}`) || null;
      if (birthday && !birthdaySchema.safeParse(birthday).success) bad(columnOf.contactBirthday!, `"${birthday}" is not a date YYYY-MM-DD`);
      const email = get('contactEmail');
      if (email && !EMAIL.test(email)) bad(columnOf.contactEmail!, `"${email}" is not an e-mail address`);
      customer.contacts.push({ line, name: contactName.slice(0, 100), title: get('contactTitle').slice(0, 100), phone: get('contactPhone').slice(0, 40), email, birthday });
    }
  }
  return { customers: [...byName.values()], problems, rows: records.length };
}
