import type { Knex } from 'knex';

// A fourth level above the top lists' months: per UTC calendar quarter. A year of the admin's
// top lists still read eleven months of (mentor, skill) rows — 16,500 of the statement's 37,000
// at 1,000,000 bookings — where three quarters and the months at their edges read 7,500.
// Quarters nest in months, so the report reads whole quarters, then whole months on each
// side of them, then weeks, days and hours (src/insights/top-levels.ts). Kept by the rollup
// from the month rows; filled here from those.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table insight_top_quarterly (
      quarter date not null check (extract(day from quarter) = 1 and extract(month from quarter) in (1, 4, 7, 10)),
      mentor_id uuid not null,
      skill_id uuid,
      requested integer not null,
      completed integer not null,
      reviews integer not null,
      rating_sum integer not null,
      unique nulls not distinct (mentor_id, quarter, skill_id)
    );
    create index insight_top_quarterly_range_idx on insight_top_quarterly (quarter) include (mentor_id, skill_id, requested, completed, reviews, rating_sum);
    insert into insight_top_quarterly (quarter, mentor_id, skill_id, requested, completed, reviews, rating_sum)
    select date_trunc('quarter', month)::date, mentor_id, skill_id, sum(requested), sum(completed), sum(reviews), sum(rating_sum)
    from insight_top_monthly group by 1, 2, 3`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table if exists insight_top_quarterly');
}
