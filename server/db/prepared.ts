import type { EntityManager } from '@mikro-orm/postgresql';
import type { Pool } from 'pg';
import { createHash } from 'node:crypto';

/**
 * A hot statement as a named prepared statement. MikroORM's raw queries inline every parameter
 * into the SQL text, so PostgreSQL parses and plans each execution afresh — for the chat send, a
 * CTE of six parts, that was more than half of its database time. Outside a transaction this runs
 * on the pg pool under the ORM with bind parameters and a name, so each connection parses and plans
 * it once; inside one (`em.isInTransaction()`) it must use the transaction's connection, and goes
 * through the ORM as before. `sql` uses `?` placeholders as em.execute does; it must not contain
 * a literal `?` (such as a jsonb operator).
 */
export function preparedStatement<Row>(name: string, sql: string) {
  let n = 0;
  const numbered = sql.replace(/\?/g, () => `$${++n}`);
  return async (em: EntityManager, params: unknown[]): Promise<Row[]> => {
    if (em.isInTransaction()) return em.execute<Row[]>(sql, params);
    const pool = (await em.getConnection().getNativeClient()) as Pool;
    const result = await pool.query({ name, text: numbered, values: params });
    return result.rows as Row[];
  };
}

const byText = new Map<string, ReturnType<typeof preparedStatement>>();

/**
 * `preparedStatement` for SQL built at run time in a few shapes (an administrator's and anyone
 * else's, a list with or without each filter): one prepared statement per distinct text, named by
 * its hash and made on first use, so that each shape is planned once per connection.
 */
export function preparedQuery<Row>(em: EntityManager, sql: string, params: unknown[]): Promise<Row[]> {
  let statement = byText.get(sql);
  if (!statement) byText.set(sql, (statement = preparedStatement(`q_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`, sql)));
  return statement(em, params) as Promise<Row[]>;
}
