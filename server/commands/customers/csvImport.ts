import type { EntityManager } from '@mikro-orm/postgresql';
import { tierRank } from '../../../shared/customers.js';
import type { User } from '../../entities/User.js';
import { pgArray } from '../../db/sql.js';
import { AppError } from '../../errors.js';
import type { CommandContext } from '../context.js';
import { careRemindersSync } from './careReminders.js';
import { decodeCsv, readImportRows, type ImportCustomer, type ImportProblem } from './csvRows.js';

export type ImportReport = { dryRun: boolean; rows: number; customers: number; contacts: number; problems: ImportProblem[] };
export type ImportProgress = (done: number, total: number) => void;

/** Customers written per statement: large files go in batches (and report progress per batch). */
const BATCH = 500;

/** Rows and problems of a file, with owners' e-mail addresses resolved to active users. */
async function checkFile(em: EntityManager, bytes: Buffer, encoding: 'auto' | 'utf-8' | 'gbk') {
  let text: string;
  try {
    text = decodeCsv(bytes, encoding);
  } catch (error) {
    return { customers: [], problems: [{ line: 1, reason: (error as Error).message }], rows: 0, owners: new Map<string, string>() };
  }
  const { customers, problems, rows } = readImportRows(text);
  const emails = [...new Set(customers.flatMap((c) => c.ownerEmails))];
  const found = emails.length ? await em.execute<{ id: string; email: string }[]>(`SELECT id::text AS id, email FROM users WHERE email = ANY(?::text[]) AND active`, [pgArray(emails)]) : [];
  const owners = new Map(found.map((u) => [u.email, String(u.id)]));
  for (const c of customers) for (const e of c.ownerEmails) if (!owners.has(e)) problems.push({ line: c.line, column: 'owner', reason: `no active user has the e-mail address ${e}` });
  problems.sort((a, b) => a.line - b.line);
  return { customers, problems, rows, owners };
}

async function writeBatch(tx: EntityManager, actor: User, batch: ImportCustomer[], owners: Map<string, string>): Promise<string[]> {
  // Ids are drawn first so that owners and contacts can refer to them without relying on RETURNING order.
  const ids = (await tx.execute<{ id: string }[]>(`SELECT nextval('customers_id_seq')::text AS id FROM generate_series(1, ?)`, [batch.length])).map((r) => String(r.id));
  const col = <T>(f: (c: ImportCustomer) => T) => pgArray(batch.map((c) => String(f(c) ?? '')));
  await tx.execute(
    `INSERT INTO customers (id, name, type, tier, prospect_class, tier_rank, address, notes, created_by_id, created_at, updated_at)
     SELECT u.id, u.name, u.type, nullif(u.tier, ''), nullif(u.pc, ''), u.rank, u.address, u.notes, ?, now(), now()
     FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::smallint[], ?::text[], ?::text[]) AS u(id, name, type, tier, pc, rank, address, notes)`,
    [actor.id, pgArray(ids), col((c) => c.name), col((c) => c.type), col((c) => c.tier), col((c) => c.prospectClass), col((c) => tierRank(c.tier, c.prospectClass)), col((c) => c.address), col((c) => c.notes)],
  );
  const ownerPairs = batch.flatMap((c, i) => (c.ownerEmails.length ? c.ownerEmails.map((e) => owners.get(e)!) : [actor.id]).map((userId) => [ids[i], userId]));
  await tx.execute(`INSERT INTO customer_owners (customer_id, user_id) SELECT * FROM unnest(?::bigint[], ?::bigint[]) ON CONFLICT DO NOTHING`, [pgArray(ownerPairs.map((p) => p[0])), pgArray(ownerPairs.map((p) => p[1]))]);
  const contacts = batch.flatMap((c, i) => c.contacts.map((ct) => ({ ...ct, customerId: ids[i] })));
  if (contacts.length) {
    const cc = <K extends keyof (typeof contacts)[number]>(k: K) => pgArray(contacts.map((ct) => String(ct[k] ?? '')));
    await tx.execute(
      `INSERT INTO contacts (customer_id, name, title, phone, email, birthday, created_at)
       SELECT u.cid, u.name, u.title, u.phone, u.email, nullif(u.birthday, ''), now() FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) AS u(cid, name, title, phone, email, birthday)`,
      [cc('customerId'), cc('name'), cc('title'), cc('phone'), cc('email'), cc('birthday')],
    );
  }
  return ids;
}

/**
 * Imports customers and contacts from a CSV file. A dry run only reports; a real import writes
 * everything in one transaction or, when any row is bad, nothing (422 with every problem).
 */
export async function customerImporter(cx: CommandContext, bytes: Buffer, options: { encoding: 'auto' | 'utf-8' | 'gbk'; dryRun: boolean; progress?: ImportProgress }): Promise<ImportReport> {
  const { em: tx, actor } = cx;
  const { customers, problems, rows, owners } = await checkFile(tx, bytes, options.encoding);
  const report = { dryRun: options.dryRun, rows, customers: customers.length, contacts: customers.reduce((n, c) => n + c.contacts.length, 0), problems };
  if (problems.length && !options.dryRun) throw new AppError(422, 'validation_failed', `The file has ${problems.length} problem(s); nothing was imported`, report);
  if (options.dryRun || !customers.length) return report;
  for (let i = 0; i < customers.length; i += BATCH) {
    const ids = await writeBatch(tx, actor, customers.slice(i, i + BATCH), owners);
    await careRemindersSync(cx, ids.filter((_, j) => customers[i + j].contacts.some((c) => c.birthday)));
    options.progress?.(Math.min(i + BATCH, customers.length), customers.length);
  }
  return report;
}
