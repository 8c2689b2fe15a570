import type { Knex } from 'knex';

// The start the mentor's cancellation policy counts from. A student who moves a
// session keeps the deadline of the earlier time: moving a session to next week must
// not buy back a free cancellation that had already run out. Null: the booking's start.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('bookings', (t) => {
    t.timestamp('policy_starts_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('bookings', (t) => {
    t.dropColumn('policy_starts_at');
  });
}
