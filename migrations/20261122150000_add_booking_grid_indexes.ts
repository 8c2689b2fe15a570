import type { Knex } from 'knex';

// Indexes for the dashboards' grids (src/dashboards/grid-query.ts), measured with
// EXPLAIN ANALYZE on the bench database: 1,000,000 bookings, 500 mentors (the busiest
// with 3,356 bookings), 5,000 students (200 each).
//
// Every grid orders by its sort keys then the booking id (a stable tiebreaker for
// paging), in the direction of the last key, so one ascending (…, starts_at, id) index
// serves both "latest first" (scanned backwards) and "soonest first".
//
// Built in the migration's transaction: at a million rows each index takes 1–2.5 s,
// during which bookings cannot be written (about 8 s in all).
export async function up(knex: Knex): Promise<void> {
  // The mentor's default view (latest first) and date ranges: an ordered scan that stops
  // after one block, and an index-only count. Replaces (mentor_id, starts_at), its
  // prefix: every query that used it (slot engine overlaps, lists) uses this one.
  await knex.raw('create index bookings_mentor_starts_id_idx on bookings (mentor_id, starts_at, id)');
  await knex.raw('drop index bookings_mentor_starts_idx');

  // The mentor's status tabs ("pending", "confirmed"…): a block in index order and an
  // index-only count, whatever the length of the mentor's history (busiest mentor:
  // pending block 8 ms → 0.4 ms, no-show count 5 ms → 0.1 ms).
  await knex.raw('create index bookings_mentor_status_starts_idx on bookings (mentor_id, status, starts_at, id)');

  // The student's grid (sorted by start, and the upcoming/past default which sorts
  // their ~200 rows in memory) and its count. Replaces its prefix (student_id, starts_at).
  await knex.raw('create index bookings_student_starts_id_idx on bookings (student_id, starts_at, id)');
  await knex.raw('drop index bookings_student_starts_idx');

  // The admin's unscoped grid, latest first, and its from/to ranges: without it the
  // first block sorts the whole table (1.9 s → 1 ms).
  await knex.raw('create index bookings_starts_id_idx on bookings (starts_at, id)');

  // The admin's quick filter looks names up before touching bookings (skills already
  // have skills_title_trgm_idx on the same expression): 5.7 s → 5 ms for a block.
  await knex.raw('create index users_display_name_trgm_idx on users using gin (immutable_unaccent(lower(display_name)) gin_trgm_ops)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists users_display_name_trgm_idx');
  await knex.raw('drop index if exists bookings_starts_id_idx');
  await knex.raw('create index if not exists bookings_student_starts_idx on bookings (student_id, starts_at)');
  await knex.raw('drop index if exists bookings_student_starts_id_idx');
  await knex.raw('drop index if exists bookings_mentor_status_starts_idx');
  await knex.raw('create index if not exists bookings_mentor_starts_idx on bookings (mentor_id, starts_at)');
  await knex.raw('drop index if exists bookings_mentor_starts_id_idx');
}
