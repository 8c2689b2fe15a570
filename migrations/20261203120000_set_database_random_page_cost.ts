import type { Knex } from 'knex';

// The planner setting src/db/knex.ts used to SET on every new connection (data in memory
// or on SSD: 1.1, not 4). Behind PgBouncer in transaction mode a session SET sticks to one
// server connection and leaks to whoever gets it next, so it lives on the database instead,
// where every session starts with it, pooled or not. ALTER DATABASE needs the database's
// owner: a role that is not only loses the tuning (a notice), not the deployment.
const SET = `do $$ begin
  execute format('alter database %I set random_page_cost = 1.1', current_database());
exception when insufficient_privilege then
  raise notice 'random_page_cost left at its default: only the owner of the database may set it';
end $$`;

const RESET = `do $$ begin
  execute format('alter database %I reset random_page_cost', current_database());
exception when insufficient_privilege then
  null;
end $$`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(SET);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(RESET);
}
