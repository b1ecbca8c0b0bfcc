import { MikroORM } from '@mikro-orm/postgresql';
import { ormConfig } from '../config/orm.js';

/** Opens the ORM against one database URL. */
export async function openOrm(url: string, options: { poolMax?: number } = {}): Promise<MikroORM> {
  return MikroORM.init(ormConfig(url, options));
}

/** Applies every pending migration; returns the names applied. */
export async function applyMigrations(orm: MikroORM): Promise<string[]> {
  const applied = await orm.migrator.up();
  return applied.map((m) => m.name);
}

/** True when the database answers and no migration is pending. */
export async function isDatabaseReady(orm: MikroORM): Promise<boolean> {
  try {
    const pending = await orm.migrator.getPending();
    return pending.length === 0;
  } catch {
    return false;
  }
}
