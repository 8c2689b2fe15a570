import type { Knex } from 'knex';

// DRAFT for measurement
export async function up(knex: Knex): Promise<void> {
  await knex.raw('create index bookings_mentor_status_starts_idx on bookings (mentor_id, status, starts_at, id)');
  await knex.raw('create index bookings_mentor_starts_id_idx on bookings (mentor_id, starts_at, id)');
  await knex.raw('create index bookings_student_starts_id_idx on bookings (student_id, starts_at, id)');
  await knex.raw('create index bookings_starts_id_idx on bookings (starts_at, id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists bookings_starts_id_idx');
  await knex.raw('drop index if exists bookings_student_starts_id_idx');
  await knex.raw('drop index if exists bookings_mentor_starts_id_idx');
  await knex.raw('drop index if exists bookings_mentor_status_starts_idx');
}
