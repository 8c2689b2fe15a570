import type { Knex } from 'knex';

// One row per live graphile-worker worker, refreshed every few seconds (src/lib/jobs.ts):
// a worker whose row goes stale died without shutting down, and its locked jobs are
// handed back to the queue instead of waiting for graphile-worker's 4-hour recovery.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table worker_heartbeats (
      worker_id text primary key,
      seen_at timestamptz not null default now()
    )`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('worker_heartbeats');
}
