import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { preparedStatement } from '../db/prepared.js';

const statements = new Map<string, (em: EntityManager, params: unknown[]) => Promise<unknown[]>>();

/**
 * Runs a board read as a named prepared statement (see db/prepared.ts): the visibility predicate
 * makes these statements long, and parsing and planning them afresh took several times their
 * execution. The name comes from the text, so each shape of a query (with or without a cursor, an
 * administrator's TRUE) is prepared once per connection; the text must hold no literal values.
 */
export function boardStatement<Row>(em: EntityManager, sql: string, params: unknown[]): Promise<Row[]> {
  let statement = statements.get(sql);
  if (!statement) {
    statement = preparedStatement<unknown>(`boards_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`, sql);
    statements.set(sql, statement);
  }
  return statement(em, params) as Promise<Row[]>;
}
