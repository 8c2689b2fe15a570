// The insights service: the rollups (rollup.ts) and the report the pages show, read from
// insight_hourly and insight_daily_visitors only, never from bookings, so a year of
// figures costs the same few indexed statements at any number of bookings.
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import type { Clock } from '../lib/clock.ts';
import { InsightRangeError } from './errors.ts';
import {
  MAX_RANGE_DAYS, MIN_RATINGS_TO_RANK, TOP_LIMIT,
  type DayPoint, type FunnelCounts, type HeatCell, type InsightRange, type InsightScope, type InsightsReport,
  type PeriodPoint, type QualityTotals, type TopRow, type UsageTotals, type WeekCount,
} from './model.ts';
import { insightsRollup } from './rollup.ts';
import { topLevels } from './top-levels.ts';

/** A day's sums from the rollups (every column the report reads). */
interface DaySums {
  day: string;
  views: number; modalOpened: number; detailsReached: number; summaryReached: number;
  requested: number; confirmed: number; completed: number;
  cancelledByStudent: number; cancelledByMentor: number; lateCancelled: number;
  sessions: number; sessionMinutes: number; noShows: number; sessionsDue: number;
  reviews: number; ratingSum: number;
  newStudents: number; newMentors: number; enrollments: number; courseReviews: number;
}

const SUMMED = [
  'views', 'modal_opened', 'details_reached', 'summary_reached', 'requested', 'confirmed', 'completed',
  'cancelled_by_student', 'cancelled_by_mentor', 'late_cancelled', 'sessions', 'session_minutes', 'no_shows',
  'sessions_due', 'reviews', 'rating_sum', 'new_students', 'new_mentors', 'enrollments', 'course_reviews',
] as const;

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The range's days as instants: from its first midnight to the midnight after its last day, in its zone. */
interface Bounds {
  range: InsightRange;
  days: number;
  start: Date;
  end: Date;
}

function parseDay(value: string, field: 'from' | 'to', zone: string): DateTime {
  if (typeof value !== 'string' || !DAY.test(value)) throw new InsightRangeError(field, 'invalidDay');
  const day = DateTime.fromISO(value, { zone });
  if (!day.isValid) throw new InsightRangeError(field, 'invalidDay');
  return day.startOf('day');
}

export function resolveRange(range: InsightRange): { current: Bounds; previous: Bounds } {
  if (typeof range.timeZone !== 'string' || !DateTime.local().setZone(range.timeZone).isValid) throw new InsightRangeError('timeZone', 'invalidZone');
  const from = parseDay(range.from, 'from', range.timeZone);
  const to = parseDay(range.to, 'to', range.timeZone);
  if (to < from) throw new InsightRangeError('to', 'backwards');
  // Calendar days, not 24-hour spans: a range over a DST change still counts its days right.
  const days = Math.round(to.diff(from, 'days').days) + 1;
  if (days > MAX_RANGE_DAYS) throw new InsightRangeError('to', 'tooLong', { max: MAX_RANGE_DAYS });
  const bounds = (first: DateTime, last: DateTime): Bounds => ({
    range: { from: first.toISODate()!, to: last.toISODate()!, timeZone: range.timeZone },
    days,
    start: first.toJSDate(),
    end: last.plus({ days: 1 }).startOf('day').toJSDate(),
  });
  return { current: bounds(from, to), previous: bounds(from.minus({ days }), from.minus({ days: 1 })) };
}

function emptySums(day: string): DaySums {
  const sums = { day } as DaySums;
  for (const c of SUMMED) (sums as unknown as Record<string, number>)[camel(c)] = 0;
  return sums;
}

function total(days: DaySums[]): DaySums {
  const t = emptySums('');
  for (const d of days) for (const c of SUMMED) {
    const k = camel(c) as keyof DaySums;
    (t as unknown as Record<string, number>)[k] = (t[k] as number) + (d[k] as number);
  }
  return t;
}

const funnel = (s: DaySums, visitors: number): FunnelCounts => ({
  views: s.views, visitors, modalOpened: s.modalOpened, detailsReached: s.detailsReached, summaryReached: s.summaryReached,
  requested: s.requested, confirmed: s.confirmed, completed: s.completed,
});
const usage = (s: DaySums): UsageTotals => ({ sessions: s.sessions, minutes: s.sessionMinutes });
const quality = (s: DaySums): QualityTotals => ({
  requested: s.requested, cancelledByStudent: s.cancelledByStudent, cancelledByMentor: s.cancelledByMentor, lateCancelled: s.lateCancelled,
  noShows: s.noShows, sessionsDue: s.sessionsDue, reviews: s.reviews, ratingSum: s.ratingSum,
});

/** Totals per period key (a week's Monday, a month), in the order the days come. */
function periods<T>(days: DaySums[], key: (day: string) => string, make: (period: string) => T, add: (into: T, d: DaySums) => void): T[] {
  const out = new Map<string, T>();
  for (const d of days) {
    const k = key(d.day);
    if (!out.has(k)) out.set(k, make(k));
    add(out.get(k)!, d);
  }
  return [...out.values()];
}

const monday = (day: string) => DateTime.fromISO(day, { zone: 'UTC' }).startOf('week').toISODate()!;

type Platform = NonNullable<InsightsReport['platform']>;

interface TopSql { list: 'mentor' | 'skill'; rank: 'requests' | 'completed' | 'rating'; id: string; name: string | null; requested: number; completed: number; reviews: number; ratingSum: number }

export function insightsService(deps: { knex: Knex; clock: Clock }) {
  const { knex } = deps;
  const rollups = insightsRollup(deps);

  const scopeSql = (scope: InsightScope) => (scope.kind === 'mentor' ? knex.raw('mentor_id = ?', [scope.mentorId]) : knex.raw('mentor_id is null'));

  /**
   * Statement 1: every column summed per day of the viewer's zone, both ranges at once. The
   * midnights come computed (luxon, DST included): each row finds its day by a binary search
   * of them (width_bucket) rather than a time-zone conversion per row.
   */
  async function daySums(scope: InsightScope, previous: Bounds, current: Bounds): Promise<Map<string, DaySums>> {
    const labels: string[] = [];
    const midnights: Date[] = [];
    const first = DateTime.fromISO(previous.range.from, { zone: current.range.timeZone });
    for (let i = 0; i <= previous.days + current.days; i++) {
      const day = first.plus({ days: i });
      labels.push(day.toISODate()!);
      midnights.push(day.toJSDate());
    }
    const { rows } = await knex.raw(
      `select width_bucket(hour, ?::timestamptz[]) as bucket, ${SUMMED.map((c) => `sum(${c})::int as "${camel(c)}"`).join(', ')}
       from insight_hourly where ? and hour >= ? and hour < ? group by 1`,
      [midnights, scopeSql(scope), previous.start, current.end],
    );
    return new Map((rows as (DaySums & { bucket: number })[]).map(({ bucket, ...r }) => [labels[bucket - 1]!, { ...r, day: labels[bucket - 1]! }]));
  }

  /** Statement 2: visitors of both ranges (UTC days, as the salts are) and when the rollups last ran. */
  async function visitorsAndState(scope: InsightScope, current: InsightRange, previous: InsightRange) {
    const { rows } = await knex.raw(
      `select coalesce(sum(visitors) filter (where day >= ?::date), 0)::int as current,
         coalesce(sum(visitors) filter (where day < ?::date), 0)::int as previous,
         (select updated_at from insight_rollup_state) as "updatedAt"
       from insight_daily_visitors where ? and day >= ?::date and day <= ?::date`,
      [current.from, current.from, scopeSql(scope), previous.from, current.to],
    );
    return rows[0] as { current: number; previous: number; updatedAt: Date | null };
  }

  /** Statement 3: sessions on the calendar by weekday and hour of their start in the zone. */
  async function heatmap(scope: InsightScope, b: Bounds): Promise<HeatCell[]> {
    const { rows } = await knex.raw(
      `select extract(isodow from hour at time zone ?)::int as weekday, extract(hour from hour at time zone ?)::int as hour, sum(scheduled)::int as sessions
       from insight_hourly where ? and hour >= ? and hour < ? and scheduled > 0 group by 1, 2`,
      [b.range.timeZone, b.range.timeZone, scopeSql(scope), b.start, b.end],
    );
    const found = new Map((rows as HeatCell[]).map((r) => [`${r.weekday}:${r.hour}`, r.sessions]));
    const cells: HeatCell[] = [];
    for (let weekday = 1; weekday <= 7; weekday++) for (let hour = 0; hour < 24; hour++) cells.push({ weekday, hour, sessions: found.get(`${weekday}:${hour}`) ?? 0 });
    return cells;
  }

  /** Statement 4 (platform): the six top lists from the mentor rows, with their names. */
  async function tops(b: Bounds): Promise<Pick<Platform, 'topMentors' | 'topSkills'>> {
    const ranked = (list: 'mentor' | 'skill') => {
      const src = list === 'mentor' ? 'm' : 's';
      return `
        (select '${list}' as list, 'requests' as rank, * from ${src} where requested > 0 order by requested desc, completed desc, id limit :limit)
        union all (select '${list}', 'completed', * from ${src} where completed > 0 order by completed desc, requested desc, id limit :limit)
        union all (select '${list}', 'rating', * from ${src} where reviews >= :minRatings order by rating_sum::float / reviews desc, reviews desc, id limit :limit)`;
    };
    const cols = 'sum(requested)::int as requested, sum(completed)::int as completed, sum(reviews)::int as reviews, sum(rating_sum)::int as rating_sum';
    const four = 'mentor_id, skill_id, requested, completed, reviews, rating_sum';
    // The range's booking rows at the coarsest level that fits (whole quarters, months, weeks, days,
    // then the hours at each edge: see top-levels.ts), then per mentor and per skill. Hour rows
    // without a booking or a review are left out (completed ≤ requested), as the levels do.
    const hours = (from: string, to: string) => `select ${four} from insight_hourly
         where mentor_id is not null and hour >= :${from} and hour < :${to} and (requested > 0 or reviews > 0)`;
    const { rows } = await knex.raw(
      `with pairs as (
         select mentor_id, skill_id, ${cols} from (
           ${hours('start', 'hoursTo')}
           union all ${hours('hoursFrom', 'end')}
           union all select ${four} from insight_top_daily where day = any(:days::date[])
           union all select ${four} from insight_top_weekly where week = any(:weeks::date[])
           union all select ${four} from insight_top_monthly where month = any(:months::date[])
           union all select ${four} from insight_top_quarterly where quarter >= :quartersFrom::date and quarter < :quartersTo::date
         ) levels
         group by mentor_id, skill_id
       ),
       m as (select mentor_id as id, ${cols} from pairs group by mentor_id),
       s as (select skill_id as id, ${cols} from pairs where skill_id is not null group by skill_id),
       ranked as (${ranked('mentor')} union all ${ranked('skill')})
       select r.list, r.rank, r.id, coalesce(u.display_name, k.title) as name, r.requested, r.completed, r.reviews, r.rating_sum as "ratingSum"
       from ranked r
       left join users u on r.list = 'mentor' and u.id = r.id
       left join skills k on r.list = 'skill' and k.id = r.id`,
      { ...topLevels(b.start, b.end), limit: TOP_LIMIT, minRatings: MIN_RATINGS_TO_RANK },
    );
    const all = rows as TopSql[];
    const average = (r: TopSql) => (r.reviews >= MIN_RATINGS_TO_RANK ? r.ratingSum / r.reviews : null);
    const order: Record<TopSql['rank'], (a: TopSql, b: TopSql) => number> = {
      requests: (a, c) => c.requested - a.requested || c.completed - a.completed || a.id.localeCompare(c.id),
      completed: (a, c) => c.completed - a.completed || c.requested - a.requested || a.id.localeCompare(c.id),
      rating: (a, c) => average(c)! - average(a)! || c.reviews - a.reviews || a.id.localeCompare(c.id),
    };
    const pick = (list: TopSql['list'], rank: TopSql['rank']): TopRow[] => all
      .filter((r) => r.list === list && r.rank === rank)
      .sort(order[rank])
      .map((r) => ({ id: r.id, name: r.name ?? '', requested: r.requested, completed: r.completed, reviews: r.reviews, averageRating: average(r) }));
    const lists = (list: TopSql['list']) => ({ byRequests: pick(list, 'requests'), byCompleted: pick(list, 'completed'), byRating: pick(list, 'rating') });
    return { topMentors: lists('mentor'), topSkills: lists('skill') };
  }

  /** The figures of a range and of the range of the same length just before it. */
  async function report(scope: InsightScope, range: InsightRange): Promise<InsightsReport> {
    const { current, previous } = resolveRange(range);
    const [sums, visitors, heat, top] = await Promise.all([
      daySums(scope, previous, current),
      visitorsAndState(scope, current.range, previous.range),
      heatmap(scope, current),
      scope.kind === 'platform' ? tops(current) : Promise.resolve(undefined),
    ]);
    const daysOf = (b: Bounds): DaySums[] => {
      const out: DaySums[] = [];
      const first = DateTime.fromISO(b.range.from, { zone: 'UTC' });
      for (let i = 0; i < b.days; i++) {
        const day = first.plus({ days: i }).toISODate()!;
        out.push(sums.get(day) ?? emptySums(day));
      }
      return out;
    };
    const days = daysOf(current);
    const now = total(days);
    const before = total(daysOf(previous));
    const held = (make: (d: string) => string) => periods<PeriodPoint>(days, make, (period) => ({ period, sessions: 0, minutes: 0 }), (p, d) => {
      p.sessions += d.sessions;
      p.minutes += d.sessionMinutes;
    });
    const daily: DayPoint[] = days.map((d) => ({
      day: d.day, sessions: d.sessions, minutes: d.sessionMinutes, requested: d.requested, cancelled: d.cancelledByStudent + d.cancelledByMentor,
      noShows: d.noShows, reviews: d.reviews, ratingSum: d.ratingSum, views: d.views,
    }));
    const result: InsightsReport = {
      range: { ...current.range, days: current.days },
      previousRange: previous.range,
      updatedAt: visitors.updatedAt,
      funnel: { current: funnel(now, visitors.current), previous: funnel(before, visitors.previous) },
      usage: { current: usage(now), previous: usage(before), weekly: held(monday), monthly: held((d) => d.slice(0, 7)) },
      quality: { current: quality(now), previous: quality(before) },
      daily,
      heatmap: heat,
    };
    if (top) {
      const weeks = periods<WeekCount>(days, monday, (week) => ({ week, students: 0, mentors: 0, enrollments: 0, courseReviews: 0 }), (w, d) => {
        w.students += d.newStudents;
        w.mentors += d.newMentors;
        w.enrollments += d.enrollments;
        w.courseReviews += d.courseReviews;
      });
      result.platform = { ...top, weeks };
    }
    return result;
  }

  return { ...rollups, report };
}

export type InsightsService = ReturnType<typeof insightsService>;
