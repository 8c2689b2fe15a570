// The statements that keep the top lists' levels (insight_top_daily, _weekly, _monthly,
// _quarterly; see top-levels.ts for how the report reads them): a day is the sum of its hours,
// a week and a month the sum of their days, a quarter of its three months. Set, never added:
// a row is recomputed whole from the level below.

const list = (cols: readonly string[], f: (c: string) => string) => cols.map(f).join(', ');

/** The four columns the admin's top lists read. */
export const TOP_COLUMNS = ['requested', 'completed', 'reviews', 'rating_sum'] as const;

/**
 * The rows of the given (mentor, period) keys recomputed from the level below: set, rows
 * no longer counted deleted, unchanged rows left alone (no dead tuple: the report reads
 * these tables by index-only scans). The keys come as :mentors and :days, pairs by position.
 */
function setTopLevel(table: string, key: string, keys: string, below: string): string {
  return `
    with k as (${keys}), fresh as (${below}), upserted as (
      insert into ${table} (mentor_id, ${key}, skill_id, ${TOP_COLUMNS.join(', ')})
      select * from fresh
      on conflict (mentor_id, ${key}, skill_id) do update set ${list(TOP_COLUMNS, (c) => `${c} = excluded.${c}`)}
        where (${list(TOP_COLUMNS, (c) => `${table}.${c}`)}) is distinct from (${list(TOP_COLUMNS, (c) => `excluded.${c}`)})
      returning 1
    )
    delete from ${table} t using k
    where t.mentor_id = k.mentor_id and t.${key} = k.${key}
      and not exists (select 1 from fresh f where f.mentor_id = t.mentor_id and f.${key} = t.${key} and f.skill_id is not distinct from t.skill_id)`;
}

const sums = (from: string) => list(TOP_COLUMNS, (c) => `sum(${from}.${c})::int as ${c}`);
/** Only booking and review rows carry the four columns (completed ≤ requested, rating_sum ≤ 5 × reviews). */
const BOOKING_ROWS = 'h.mentor_id is not null and (h.requested > 0 or h.reviews > 0)';

export const SET_TOP_DAYS = setTopLevel(
  'insight_top_daily', 'day',
  'select distinct mentor_id, day from unnest(:mentors::uuid[], :days::date[]) k(mentor_id, day)',
  `select k.mentor_id, k.day, h.skill_id, ${sums('h')}
   from k join insight_hourly h on h.mentor_id = k.mentor_id
     and h.hour >= k.day::timestamp at time zone 'UTC' and h.hour < (k.day + 1)::timestamp at time zone 'UTC'
   where ${BOOKING_ROWS}
   group by k.mentor_id, k.day, h.skill_id`,
);

/**
 * A level above another (`period` is its first day as computed from a touched day, `span` its
 * length): the sums of the rows below it, `below` keyed by `belowKey`.
 */
const setFromBelow = (table: string, key: string, period: string, span: string, below: string, belowKey: string) => setTopLevel(
  table, key,
  `select distinct mentor_id, ${period} as ${key} from unnest(:mentors::uuid[], :days::date[]) k(mentor_id, day)`,
  `select k.mentor_id, k.${key}, d.skill_id, ${sums('d')}
   from k join ${below} d on d.mentor_id = k.mentor_id and d.${belowKey} >= k.${key} and d.${belowKey} < (k.${key} + ${span})::date
   group by k.mentor_id, k.${key}, d.skill_id`,
);

/** Run after SET_TOP_DAYS with the same keys, in this order: each reads the rows just set below it. */
export const SET_TOP_WEEKS = setFromBelow('insight_top_weekly', 'week', `date_trunc('week', day)::date`, `7`, 'insight_top_daily', 'day');
export const SET_TOP_MONTHS = setFromBelow('insight_top_monthly', 'month', `date_trunc('month', day)::date`, `interval '1 month'`, 'insight_top_daily', 'day');
export const SET_TOP_QUARTERS = setFromBelow('insight_top_quarterly', 'quarter', `date_trunc('quarter', day)::date`, `interval '3 months'`, 'insight_top_monthly', 'month');

/** The backfill: every level rebuilt whole from insight_hourly, days first. */
export const BACKFILL_TOP_LEVELS = [
  'delete from insight_top_daily',
  `insert into insight_top_daily (day, mentor_id, skill_id, ${TOP_COLUMNS.join(', ')})
   select (h.hour at time zone 'UTC')::date, h.mentor_id, h.skill_id, ${sums('h')}
   from insight_hourly h where ${BOOKING_ROWS}
   group by 1, 2, 3`,
  ...([['insight_top_weekly', 'week', 'insight_top_daily', 'day'], ['insight_top_monthly', 'month', 'insight_top_daily', 'day'],
    ['insight_top_quarterly', 'quarter', 'insight_top_monthly', 'month']] as const).flatMap(([table, key, below, belowKey]) => [
    `delete from ${table}`,
    `insert into ${table} (${key}, mentor_id, skill_id, ${TOP_COLUMNS.join(', ')})
     select date_trunc('${key}', d.${belowKey})::date, d.mentor_id, d.skill_id, ${sums('d')}
     from ${below} d
     group by 1, 2, 3`,
  ]),
];
