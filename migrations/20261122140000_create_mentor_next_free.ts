import type { Knex } from 'knex';

// The first free slot of each mentor, kept fresh by jobs (after bookings and
// availability changes, and every few minutes as time moves the notice window).
// It answers the catalogue's "available this week" filter without running the slot
// engine for every mentor on every search.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('mentor_next_free', (t) => {
    t.uuid('mentor_id').primary().references('users.id').onDelete('CASCADE');
    t.timestamp('next_free_at', { useTz: true });
    t.timestamp('computed_at', { useTz: true }).notNullable();
  });
  await knex.raw('create index mentor_next_free_at_idx on mentor_next_free (next_free_at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('mentor_next_free');
}
