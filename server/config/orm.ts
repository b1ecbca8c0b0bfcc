import { defineConfig } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { entities } from '../entities/index.js';
import { migrationsList } from '../../migrations/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const migrationsDir = path.join(root, 'migrations');

/** MikroORM options for one database URL; shared by the server, the CLI and the tests. */
export function ormConfig(clientUrl: string, options: { debug?: boolean; poolMax?: number } = {}) {
  return defineConfig({
    clientUrl,
    entities,
    extensions: [Migrator],
    preferTs: true,
    debug: options.debug ?? false,
    pool: { min: 0, max: options.poolMax ?? 10 },
    forceUtcTimezone: true,
    migrations: {
      path: migrationsDir,
      pathTs: migrationsDir,
      glob: '!(*.d|index).ts',
      migrationsList,
      silent: true,
      snapshot: true,
      snapshotOnMigrate: false,
    },
  });
}
