import type { Knex } from 'knex';

// The admin's status tabs sorted by a name: on (name, id) alone, a first block of
// pending requests (2 % of a million bookings) walked ~5,000 index entries and their
// heap pages (110 ms). With the status first, a single-status filter and the name
// order read just the block.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('create index bookings_status_student_sort_idx on bookings (status, student_sort_name, id)');
  await knex.raw('create index bookings_status_mentor_sort_idx on bookings (status, mentor_sort_name, id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists bookings_status_mentor_sort_idx');
  await knex.raw('drop index if exists bookings_status_student_sort_idx');
}
