import type { Knex } from 'knex';

// A third level above the top lists' days and weeks: per UTC calendar month. A year of the
// admin's top lists read 52 weeks of (mentor, skill) rows — 76,500 at 1,000,000 bookings,
// hashed in 60 ms of the report's 120 — where eleven months and the weeks and days at their
// edges read far fewer. Weeks do not nest in months, so the report cuts a range into whole
// months, then whole weeks and days on each side of them (src/insights/top-levels.ts).
// Kept by the rollup like the other two, from the day rows; filled here from those.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table insight_top_monthly (
      month date not null check (extract(day from month) = 1),
      mentor_id uuid not null,
      skill_id uuid,
      requested integer not null,
      completed integer not null,
      reviews integer not null,
      rating_sum integer not null,
      unique nulls not distinct (mentor_id, month, skill_id)
    );
    create index insight_top_monthly_range_idx on insight_top_monthly (month) include (mentor_id, skill_id, requested, completed, reviews, rating_sum);
    insert into insight_top_monthly (month, mentor_id, skill_id, requested, completed, reviews, rating_sum)
    select date_trunc('month', day)::date, mentor_id, skill_id, sum(requested), sum(completed), sum(reviews), sum(rating_sum)
    from insight_top_daily group by 1, 2, 3`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table if exists insight_top_monthly');
}
