import type { Knex } from 'knex';

// Counters shared by every app instance (express-rate-limit store, src/lib/rate-limit-store.ts).
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create unlogged table rate_limits (
      key text primary key,
      hits integer not null,
      reset_at timestamptz not null
    )`);
  await knex.raw('create index rate_limits_reset_idx on rate_limits (reset_at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('rate_limits');
}
