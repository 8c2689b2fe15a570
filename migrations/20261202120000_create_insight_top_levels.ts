import type { Knex } from 'knex';

// The admin's top lists sum requested, completed, reviews and rating_sum per mentor and
// skill over the range: from insight_hourly alone that is every booking row of the range
// (1.1M index entries for 366 days at 1,000,000 bookings, 1.7 s). Two coarser levels of just
// those four columns, per UTC day and per ISO week (Monday, UTC), let the report read whole
// weeks, then whole days, then hours only at the range's edges: the same sums, a few rows
// per pair. Kept by the rollup (src/insights/rollup.ts) from insight_hourly: set, never added,
// and a row whose four columns are all zero is deleted rather than kept.
// Filled here from the rows already rolled up, so a database that was backfilled before this
// migration has its levels at once; the rollup keeps them from then on.
const LEVELS = [['insight_top_daily', 'day'], ['insight_top_weekly', 'week']] as const;

export async function up(knex: Knex): Promise<void> {
  for (const [table, key] of LEVELS) {
    await knex.raw(`
      create table ${table} (
        ${key} date not null${key === 'week' ? ` check (extract(isodow from ${key}) = 1)` : ''},
        mentor_id uuid not null,
        skill_id uuid,
        requested integer not null,
        completed integer not null,
        reviews integer not null,
        rating_sum integer not null,
        -- The rollup recomputes a mentor's days and weeks: its key leads.
        unique nulls not distinct (mentor_id, ${key}, skill_id)
      );
      -- The report reads a range of days or weeks, every mentor: an index-only scan.
      create index ${table}_range_idx on ${table} (${key}) include (mentor_id, skill_id, requested, completed, reviews, rating_sum)`);
  }
  await knex.raw(`
    insert into insight_top_daily (day, mentor_id, skill_id, requested, completed, reviews, rating_sum)
    select (hour at time zone 'UTC')::date, mentor_id, skill_id, sum(requested), sum(completed), sum(reviews), sum(rating_sum)
    from insight_hourly where mentor_id is not null and (requested > 0 or reviews > 0)
    group by 1, 2, 3`);
  await knex.raw(`
    insert into insight_top_weekly (week, mentor_id, skill_id, requested, completed, reviews, rating_sum)
    select date_trunc('week', day)::date, mentor_id, skill_id, sum(requested), sum(completed), sum(reviews), sum(rating_sum)
    from insight_top_daily group by 1, 2, 3`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table if exists insight_top_weekly, insight_top_daily');
}
