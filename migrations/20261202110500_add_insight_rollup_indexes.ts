import type { Knex } from 'knex';

// Two read paths of the insights rollup (src/insights/rollup-sql.ts, service.ts), measured
// at 1,000,000 bookings (bench/insights.ts):
// - a dirty (mentor, hour) key recounts the bookings *requested* in that hour: without an
//   index on (mentor_id, created_at) each key read all of its mentor's bookings (a minute
//   with 2,000 dirty keys took 65 s);
// - the admin's top lists sum the booking rows of the range per mentor and skill: an
//   index-only scan of just those rows (traffic-only rows left out) instead of the heap.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('create index bookings_mentor_created_idx on bookings (mentor_id, created_at)');
  await knex.raw(`
    create index insight_hourly_booking_rows_idx on insight_hourly (hour)
      include (mentor_id, skill_id, requested, completed, reviews, rating_sum)
      where mentor_id is not null and (requested > 0 or reviews > 0)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists insight_hourly_booking_rows_idx');
  await knex.raw('drop index if exists bookings_mentor_created_idx');
}
