// For the knex CLI (`npx knex migrate:status`, `migrate:down`): it reads DATABASE_URL.
// The app itself migrates on start through src/db/migrate.ts.
import type { Knex } from 'knex';
import { knexSnakeCaseMappers } from 'objection';
import { migrationConfig } from './src/db/migrate.ts';

const config: Knex.Config = {
  client: 'pg',
  connection: process.env.DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5433/leboncours',
  migrations: migrationConfig,
  ...knexSnakeCaseMappers(),
};

export default config;
