import type { Knex } from 'knex';

// The API's Idempotency-Key answers: the first request with a key claims the row (its
// answer still null while it runs), the ones after it wait for that answer and get it
// replayed. A key is scoped to who sent it, and kept 24 hours.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('idempotency_keys', (t) => {
    t.text('scope').notNullable();
    t.text('key').notNullable();
    t.text('request_hash').notNullable();
    t.integer('status');
    t.json('response'); // json, not jsonb: a replay sends the first answer's bytes, keys in their order
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['scope', 'key']);
    t.index(['created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('idempotency_keys');
}
