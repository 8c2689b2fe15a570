import type { Knex } from 'knex';

// The simulated payment provider keeps its own objects (checkout sessions, payment
// intents, refunds, customers, subscriptions, accounts) here, shaped like Stripe's, so
// every app instance sees the same state, as they would with a real provider. The
// idempotency table makes a retried create return the first object, as Stripe does.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('simulated_provider_objects', (t) => {
    t.text('id').primary();
    t.text('kind').notNullable();
    t.jsonb('data').notNullable();
    t.timestamps(true, true, false);
  });
  await knex.schema.createTable('simulated_provider_requests', (t) => {
    t.text('idempotency_key').notNullable();
    t.text('operation').notNullable();
    t.text('object_id').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['idempotency_key', 'operation']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('simulated_provider_requests');
  await knex.schema.dropTable('simulated_provider_objects');
}
