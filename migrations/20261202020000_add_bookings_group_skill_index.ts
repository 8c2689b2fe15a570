import type { Knex } from 'knex';

// The mentor's dashboard lists who attends each group session: bookings by skill, of any
// status. The only index on skill_id was the live-seat one (pending and confirmed), so the
// list read every booking: 65 ms per dashboard at 100,000 bookings, growing with the table.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create index bookings_group_skill_idx on bookings (skill_id) where kind = 'group'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists bookings_group_skill_idx');
}
