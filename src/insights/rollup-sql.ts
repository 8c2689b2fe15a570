// The rollup's statements. Each one is set-based (INSERT … SELECT … ON CONFLICT), so the
// same text serves a minute's few dirty hours and the first run's whole history.

/** The columns recomputed from bookings and reviews (never added to). */
export const BOOKING_COLUMNS = [
  'requested', 'confirmed', 'completed', 'cancelled_by_student', 'cancelled_by_mentor', 'late_cancelled',
  'sessions', 'session_minutes', 'no_shows', 'sessions_due', 'scheduled', 'reviews', 'rating_sum',
] as const;

export const TRAFFIC_COLUMNS = ['views', 'modal_opened', 'details_reached', 'summary_reached'] as const;

export const PLATFORM_COLUMNS = ['new_students', 'new_mentors', 'enrollments', 'course_reviews'] as const;

const list = (cols: readonly string[], f: (c: string) => string) => cols.map(f).join(', ');

/**
 * Events after the high-water mark, resolved to their mentor (a skill's owner, or the
 * mentor whose page it was) and added to their hour, per skill and for the platform.
 * Events whose skill or mentor is gone resolve to no one and are passed over, but still
 * move the mark. Returns the new mark and the UTC days the events fall on.
 */
export const ROLL_EVENTS = `
  with ev as (
    select e.id, e.kind, date_trunc('hour', e.occurred_at) as hour, coalesce(s.mentor_id, u.id) as mentor_id, s.id as skill_id,
      (e.occurred_at at time zone 'UTC')::date as day
    from insight_events e
    left join skills s on e.kind <> 'mentor_view' and s.id = e.skill_id
    left join users u on e.kind = 'mentor_view' and u.username = e.mentor_username::citext and u.role = 'mentor'
    where e.id > :through
  ), counted as (
    select hour, mentor_id, skill_id,
      count(*) filter (where kind in ('skill_view', 'mentor_view')) as views,
      count(*) filter (where kind = 'modal_opened') as modal_opened,
      count(*) filter (where kind = 'details_reached') as details_reached,
      count(*) filter (where kind = 'summary_reached') as summary_reached
    from ev where mentor_id is not null
    group by grouping sets ((hour, mentor_id, skill_id), (hour))
  ), added as (
    insert into insight_hourly (hour, mentor_id, skill_id, ${TRAFFIC_COLUMNS.join(', ')})
    select hour, mentor_id, skill_id, ${TRAFFIC_COLUMNS.join(', ')} from counted
    on conflict (mentor_id, hour, skill_id) do update set ${list(TRAFFIC_COLUMNS, (c) => `${c} = insight_hourly.${c} + excluded.${c}`)}
    returning 1
  )
  select max(id) as through, array_agg(distinct day) as days, count(*) as events, (select count(*) from added) as rows from ev`;

/** Distinct visitors of whole UTC days, recounted from the events those days still hold. */
export const RECOUNT_VISITORS = `
  with ev as (
    select e.visitor, coalesce(s.mentor_id, u.id) as mentor_id, (e.occurred_at at time zone 'UTC')::date as day
    from insight_events e
    left join skills s on e.kind <> 'mentor_view' and s.id = e.skill_id
    left join users u on e.kind = 'mentor_view' and u.username = e.mentor_username::citext and u.role = 'mentor'
    where e.occurred_at >= (select min(d) from unnest(:days::date[]) d)::timestamp at time zone 'UTC'
      and e.occurred_at < ((select max(d) from unnest(:days::date[]) d) + 1)::timestamp at time zone 'UTC'
      and (e.occurred_at at time zone 'UTC')::date = any(:days::date[])
  )
  insert into insight_daily_visitors (day, mentor_id, visitors)
  select day, mentor_id, count(distinct visitor) from ev where mentor_id is not null
  group by grouping sets ((day, mentor_id), (day))
  on conflict (mentor_id, day) do update set visitors = excluded.visitors`;

/**
 * One row per booking hour it counts in (its request, its start) and per review, keyed by
 * mentor, hour and skill. `keyed` restricts to the bookings of the dirty (mentor, hour) keys
 * in the CTE `k`; without it, every booking (the backfill). What each column means is in
 * src/insights/model.ts.
 */
function facts(keyed: boolean): string {
  const createdIn = keyed ? `join k on b.mentor_id = k.mentor_id and b.created_at >= k.hour and b.created_at < k.hour + interval '1 hour'` : '';
  const startsIn = keyed ? `join k on b.mentor_id = k.mentor_id and b.starts_at >= k.hour and b.starts_at < k.hour + interval '1 hour'` : '';
  const reviewedIn = keyed ? `join k on r.mentor_id = k.mentor_id and r.created_at >= k.hour and r.created_at < k.hour + interval '1 hour'` : '';
  // A few bookings: look their history up one by one (an index per booking); all of them: one pass.
  const history = keyed
    ? `left join lateral (
         select bool_or(be.status = 'confirmed') as ever_confirmed, max(be.created_at) filter (where be.status = 'cancelled') as cancelled_at
         from booking_events be where be.booking_id = b.id and be.status in ('confirmed', 'cancelled')
       ) ev on true`
    : `left join ev on ev.booking_id = b.id`;
  const zeros = (cols: readonly string[]) => list(cols, (c) => `0 as ${c}`);
  return `
    select b.mentor_id, date_trunc('hour', b.created_at) as hour, b.skill_id,
      1 as requested,
      (coalesce(ev.ever_confirmed, false) or b.status in ('confirmed', 'completed', 'no_show'))::int as confirmed,
      (b.status = 'completed')::int as completed,
      (b.status = 'cancelled' and b.cancelled_by = 'student')::int as cancelled_by_student,
      (b.status = 'cancelled' and b.cancelled_by = 'mentor')::int as cancelled_by_mentor,
      (b.status = 'cancelled' and b.cancelled_by is not null
        and b.starts_at - coalesce(ev.cancelled_at, b.updated_at) <= make_interval(hours => :lateHours))::int as late_cancelled,
      ${zeros(['sessions', 'session_minutes', 'no_shows', 'sessions_due', 'scheduled', 'reviews', 'rating_sum'])}
    from bookings b ${createdIn} ${history}
    union all
    select b.mentor_id, date_trunc('hour', b.starts_at), b.skill_id,
      ${zeros(['requested', 'confirmed', 'completed', 'cancelled_by_student', 'cancelled_by_mentor', 'late_cancelled'])},
      (b.status = 'completed')::int,
      case when b.status = 'completed' then b.duration_minutes else 0 end,
      (b.status = 'no_show')::int,
      (b.status in ('completed', 'no_show'))::int,
      (b.status in ('confirmed', 'completed', 'no_show'))::int,
      0, 0
    from bookings b ${startsIn}
    where b.status in ('confirmed', 'completed', 'no_show')
    union all
    select r.mentor_id, date_trunc('hour', r.created_at), b.skill_id,
      ${zeros(['requested', 'confirmed', 'completed', 'cancelled_by_student', 'cancelled_by_mentor', 'late_cancelled', 'sessions', 'session_minutes', 'no_shows', 'sessions_due', 'scheduled'])},
      1, r.rating
    from mentor_reviews r ${reviewedIn} join bookings b on b.id = r.booking_id`;
}

/**
 * `fresh`: the recomputed rows; `upserted`: them written over the old values. Into an empty
 * table (the first backfill) a plain insert in key order: no conflict to look for, and the
 * unique index grows at its end instead of at random pages (the whole first run: 140 s → 56 s
 * at 1,000,000 bookings on this loaded 2-core machine, bench/insights.ts).
 */
const freshRows = (keyed: boolean, intoEmpty = false) => `
  fresh as (
    select mentor_id, hour, skill_id, ${list(BOOKING_COLUMNS, (c) => `sum(${c})::int as ${c}`)}
    from (${facts(keyed)}) f
    group by mentor_id, hour, skill_id
  ), upserted as (
    insert into insight_hourly (mentor_id, hour, skill_id, ${BOOKING_COLUMNS.join(', ')})
    ${intoEmpty
    ? 'select * from fresh order by mentor_id, hour, skill_id'
    : `select * from fresh
    on conflict (mentor_id, hour, skill_id) do update set ${list(BOOKING_COLUMNS, (c) => `${c} = excluded.${c}`)}`}
    returning 1
  )`;

/**
 * A batch of dirty (mentor, hour) keys taken off the queue and recomputed: set, not added,
 * and the rows of those keys that no booking or review counts in any more set back to zero.
 * Returns the hours touched, for the platform rows, and the (mentor, UTC day) pairs touched
 * as two arrays of the same order, for the top lists' levels.
 */
export const ROLL_DIRTY = `
  with k as (
    delete from insight_dirty where ctid = any(array(select ctid from insight_dirty limit :batch))
    returning mentor_id, hour
  ), ${freshRows(true)}, zeroed as (
    update insight_hourly h set ${list(BOOKING_COLUMNS, (c) => `${c} = 0`)}
    from k
    where h.mentor_id = k.mentor_id and h.hour = k.hour
      and not exists (select 1 from fresh f where f.mentor_id = h.mentor_id and f.hour = h.hour and f.skill_id is not distinct from h.skill_id)
    returning 1
  ), days as (
    select distinct mentor_id, (hour at time zone 'UTC')::date::text as day from k
  )
  select (select coalesce(array_agg(distinct hour), '{}') from k) as hours, (select count(*) from k) as keys,
    (select coalesce(array_agg(mentor_id order by mentor_id, day), '{}') from days) as mentors,
    (select coalesce(array_agg(day order by mentor_id, day), '{}') from days) as days`;

/** Every booking and review of all time, on the first run (queued keys are covered by it). */
export const backfillBookings = (intoEmpty: boolean) => `
  with ev as (
    select booking_id, bool_or(status = 'confirmed') as ever_confirmed, max(created_at) filter (where status = 'cancelled') as cancelled_at
    from booking_events where status in ('confirmed', 'cancelled') group by booking_id
  ), ${freshRows(false, intoEmpty)}
  select count(*) as rows from upserted`;

/** The platform row of the given hours: the sum of its mentors' rows (booking and review columns). */
export const SUM_PLATFORM_HOURS = `
  insert into insight_hourly (hour, mentor_id, skill_id, ${BOOKING_COLUMNS.join(', ')})
  select h.hour, null, null, ${list(BOOKING_COLUMNS, (c) => `coalesce(sum(m.${c}), 0)`)}
  from unnest(:hours::timestamptz[]) h(hour)
  left join insight_hourly m on m.mentor_id is not null and m.hour = h.hour
  group by h.hour
  on conflict (mentor_id, hour, skill_id) do update set ${list(BOOKING_COLUMNS, (c) => `${c} = excluded.${c}`)}`;

export const SUM_PLATFORM_ALL = `
  insert into insight_hourly (hour, mentor_id, skill_id, ${BOOKING_COLUMNS.join(', ')})
  select hour, null, null, ${list(BOOKING_COLUMNS, (c) => `sum(${c})`)}
  from insight_hourly where mentor_id is not null
  group by hour
  on conflict (mentor_id, hour, skill_id) do update set ${list(BOOKING_COLUMNS, (c) => `${c} = excluded.${c}`)}`;

/**
 * Accounts, enrollments and course reviews created per hour since :since (all time on the
 * backfill). With :recent, every hour from :since to :until is set, zeros included, so an
 * account deleted within the window leaves no stale count.
 */
export function platformColumns(recent: boolean): string {
  const hours = recent
    ? `select generate_series(:since::timestamptz, :until::timestamptz, interval '1 hour') as hour`
    : `select distinct hour from c`;
  return `
    with c as (
      select date_trunc('hour', created_at) as hour, (role = 'student')::int as new_students, (role = 'mentor')::int as new_mentors, 0 as enrollments, 0 as course_reviews
      from users where created_at >= :since
      union all select date_trunc('hour', created_at), 0, 0, 1, 0 from enrollments where created_at >= :since
      union all select date_trunc('hour', created_at), 0, 0, 0, 1 from course_reviews where created_at >= :since
    ), hours as (${hours}), agg as (
      select hour, ${list(PLATFORM_COLUMNS, (c) => `sum(${c})::int as ${c}`)} from c group by hour
    )
    insert into insight_hourly (hour, mentor_id, skill_id, ${PLATFORM_COLUMNS.join(', ')})
    select h.hour, null, null, ${list(PLATFORM_COLUMNS, (c) => `coalesce(a.${c}, 0)`)}
    from hours h left join agg a on a.hour = h.hour
    on conflict (mentor_id, hour, skill_id) do update set ${list(PLATFORM_COLUMNS, (c) => `${c} = excluded.${c}`)}`;
}

