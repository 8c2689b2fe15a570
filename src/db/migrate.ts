// knex's folder loader uses a native import() that bypasses tsx/vite for .ts files,
// so migrations are listed and imported here. Names are recorded without the
// extension, so the build's compiled dist/migrations/*.js keep the history valid.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Knex } from 'knex';
import { fromRoot, RUNNING_BUILD } from '../lib/project-root.ts';

// The build runs without tsx, which the .ts sources would need: it reads its own copies.
const MIGRATIONS_DIR = RUNNING_BUILD ? fromRoot('dist', 'migrations') : fromRoot('migrations');

interface MigrationModule {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

class FolderMigrationSource implements Knex.MigrationSource<string> {
  async getMigrations(): Promise<string[]> {
    return fs
      .readdirSync(MIGRATIONS_DIR)
      .filter((f) => /^\d{14}_[a-z0-9-_]+\.(ts|js)$/.test(f))
      .map((f) => f.replace(/\.(ts|js)$/, ''))
      .sort();
  }
  getMigrationName(name: string): string {
    return name;
  }
  async getMigration(name: string): Promise<MigrationModule> {
    const file = ['.ts', '.js'].map((ext) => path.join(MIGRATIONS_DIR, name + ext)).find((f) => fs.existsSync(f));
    if (!file) throw new Error(`migration file for ${name} not found`);
    return (await import(pathToFileURL(file).href)) as MigrationModule;
  }
}

export const migrationConfig: Knex.MigratorConfig = {
  migrationSource: new FolderMigrationSource(),
  tableName: 'knex_migrations',
};

export async function migrateLatest(knex: Knex): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest(migrationConfig)) as [number, string[]];
  return applied;
}

export async function rollbackAll(knex: Knex): Promise<void> {
  await knex.migrate.rollback(migrationConfig, true);
}
