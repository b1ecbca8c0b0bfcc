/** The demo company in tests: seeded into a test server's database through the product's commands. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { DEMO_PASSWORD, seedDemo, type DemoSeedResult } from '../../server/db/seedDemo.js';
import type { TestServer } from './server.js';

export { DEMO_PASSWORD };

/** Seeded people the tests sign in as. */
export const DEMO_USERS = {
  /** A salesperson of 华东销售部. */
  salesperson: { email: 'chenjing@example.com', name: '陈静' },
  /** The manager of 华东销售部 (superior of 陈静, 赵磊, 孙丽). */
  manager: { email: 'wangfang@example.com', name: '王芳' },
};

/** Seeds the demo company into the server's database, with the server's own pg-boss. */
export function seedDemoInto(server: TestServer, now?: Date): Promise<DemoSeedResult> {
  return seedDemo({ orm: server.orm, boss: server.jobs.boss, files: server.files, now });
}

/** Row counts of every table of the database, the application's and pg-boss's, by "schema.table". */
export async function tableCounts(em: EntityManager): Promise<Record<string, number>> {
  const tables = await em.execute<{ name: string }[]>(
    `SELECT format('%I.%I', schemaname, relname) AS name FROM pg_stat_user_tables ORDER BY schemaname, relname`,
  );
  const [row] = await em.execute<Record<string, string>[]>(`SELECT ${tables.map((t, i) => `(SELECT count(*) FROM ${t.name}) AS c${i}`).join(', ')}`);
  return Object.fromEntries(tables.map((t, i) => [t.name, Number(row[`c${i}`])]));
}
