import type { Knex } from 'knex';

// A key's claim is held by a lease its request keeps renewing, not for the key's whole day:
// when the instance running the first request dies (kill -9, a lost machine), the lease runs
// out within seconds and a retry through another instance takes the key over, instead of
// waiting for an answer that will never come. owner tells the takeover apart from the dead
// claimer, so a late finish of the first one cannot overwrite the new answer.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('idempotency_keys', (t) => {
    t.uuid('owner');
    t.timestamp('lease_until', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('idempotency_keys', (t) => {
    t.dropColumn('lease_until');
    t.dropColumn('owner');
  });
}
