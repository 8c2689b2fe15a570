// The admin's top lists read whole quarters, months, weeks and days from the top levels
// (insight_top_quarterly, _monthly, _weekly, _daily) and only the edge hours from insight_hourly: they must give exactly
// the plain hourly sum, for ranges of any length in any zone, and the levels must follow
// the hours through later changes and a redone backfill.
import { beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { addReview, at, insertBooking, transition } from '../../test/helpers/insights.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';
import { MIN_RATINGS_TO_RANK, TOP_LIMIT, type InsightRange, type TopRow } from './model.ts';
import { resolveRange } from './service.ts';
import { topLevels } from './top-levels.ts';

const clock = new FixedClock(at('2026-12-01T12:00:00Z'));
const t = await createTestApp({ overrides: { clock } });
const insights = t.deps.services.insights;
const knex = t.deps.knex;

const bookings: { id: string; status: string }[] = [];
const skills: { mentorId: string; skillId: string }[] = [];

async function extraSkill(mentorId: string, title: string) {
  const [row] = await knex('skills').insert({
    mentorId, title, description: 'A focused live session.', category: 'programming', priceCents: 0, durations: [60], mode: 'one_on_one', status: 'published',
  }).returning('id');
  return { mentorId, skillId: (row as { id: string }).id };
}

beforeAll(async () => {
  for (const name of ['ana', 'ben', 'cleo', 'dan']) {
    const m = await mentorWithSkill(t, `mentor:top_${name}`, { skill: { title: `Top ${name}` } });
    skills.push(m, await extraSkill(m.mentorId, `Top ${name} bis`));
  }
  const students = [];
  for (let i = 0; i < 3; i++) students.push((await t.user(`student:top_s${i}`)).id);
  // A fixed pseudo-random spread over ten weeks around three DST changes (Auckland 27 Sept,
  // Paris 25 Oct, Los Angeles 1 Nov), hours near UTC midnight included.
  let seed = 7;
  const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  const statuses = ['completed', 'completed', 'cancelled', 'pending', 'confirmed', 'completed'] as const;
  const first = at('2026-09-20T00:00:00Z').getTime();
  for (let i = 0; i < 120; i++) {
    const skill = skills[next(skills.length)]!;
    const createdAt = new Date(first + next(70 * 24) * 3600_000 + next(60) * 60_000);
    // Every session two hours after the one before: no two overlap, whoever the mentor or student.
    const startsAt = new Date(at('2026-12-10T00:00:00Z').getTime() + i * 2 * 3600_000);
    const status = statuses[next(statuses.length)]!;
    const id = await insertBooking(t, {
      ...skill, studentId: students[i % 3]!, createdAt, startsAt, status,
      cancelledBy: status === 'cancelled' ? 'student' : undefined,
      history: status === 'pending' ? [] : [{ status: 'confirmed', at: new Date(createdAt.getTime() + 3600_000) }, ...(status === 'confirmed' ? [] : [{ status, at: new Date(createdAt.getTime() + 7200_000) }])],
    });
    bookings.push({ id, status });
    if (status === 'completed' && next(3) > 0) await addReview(t, id, 1 + next(5), new Date(createdAt.getTime() + (3 + next(200)) * 3600_000));
  }
  // Fewer, earlier requests (late June to mid-September): a whole UTC quarter (July to
  // September) and months on both sides of it for the quarter level.
  const summer = at('2026-06-20T00:00:00Z').getTime();
  for (let i = 0; i < 40; i++) {
    const skill = skills[next(skills.length)]!;
    const createdAt = new Date(summer + next(88 * 24) * 3600_000 + next(60) * 60_000);
    const startsAt = new Date(at('2026-12-30T00:00:00Z').getTime() + i * 2 * 3600_000);
    const id = await insertBooking(t, {
      ...skill, studentId: students[i % 3]!, createdAt, startsAt, status: 'completed',
      history: [{ status: 'confirmed', at: new Date(createdAt.getTime() + 3600_000) }, { status: 'completed', at: new Date(createdAt.getTime() + 7200_000) }],
    });
    // Every other one reviewed (the generator's low bits alternate: next(2) would pick none).
    if (i % 2 === 0) await addReview(t, id, 1 + (i % 5), new Date(createdAt.getTime() + (3 + next(200)) * 3600_000));
  }
  await insights.rollup();
});

interface Sums { id: string; requested: number; completed: number; reviews: number; ratingSum: number }

/** The top lists as the plain sum of the range's hour rows would rank them. */
async function expectedTops(range: InsightRange) {
  const { start, end } = resolveRange(range).current;
  const { rows } = await knex.raw(
    `select mentor_id::text as mentor, skill_id::text as skill, sum(requested)::int as requested, sum(completed)::int as completed,
       sum(reviews)::int as reviews, sum(rating_sum)::int as "ratingSum"
     from insight_hourly where mentor_id is not null and hour >= ? and hour < ? group by 1, 2`,
    [start, end],
  );
  const by = (key: 'mentor' | 'skill') => {
    const out = new Map<string, Sums>();
    for (const r of rows as (Sums & { mentor: string; skill: string })[]) {
      const s = out.get(r[key]) ?? { id: r[key], requested: 0, completed: 0, reviews: 0, ratingSum: 0 };
      s.requested += r.requested; s.completed += r.completed; s.reviews += r.reviews; s.ratingSum += r.ratingSum;
      out.set(r[key], s);
    }
    const all = [...out.values()];
    const avg = (s: Sums) => s.ratingSum / s.reviews;
    const row = (s: Sums) => ({ id: s.id, requested: s.requested, completed: s.completed, reviews: s.reviews, averageRating: s.reviews >= MIN_RATINGS_TO_RANK ? avg(s) : null });
    const top = (keep: (s: Sums) => boolean, order: (a: Sums, b: Sums) => number) => all.filter(keep).sort(order).slice(0, TOP_LIMIT).map(row);
    return {
      byRequests: top((s) => s.requested > 0, (a, b) => b.requested - a.requested || b.completed - a.completed || a.id.localeCompare(b.id)),
      byCompleted: top((s) => s.completed > 0, (a, b) => b.completed - a.completed || b.requested - a.requested || a.id.localeCompare(b.id)),
      byRating: top((s) => s.reviews >= MIN_RATINGS_TO_RANK, (a, b) => avg(b) - avg(a) || b.reviews - a.reviews || a.id.localeCompare(b.id)),
    };
  };
  return { topMentors: by('mentor'), topSkills: by('skill') };
}

const withoutNames = (lists: Record<string, TopRow[]>) => Object.fromEntries(Object.entries(lists).map(([k, rows]) => [k, rows.map(({ name: _name, ...r }) => r)]));

async function expectSameTops(range: InsightRange) {
  const r = await insights.report({ kind: 'platform' }, range);
  const expected = await expectedTops(range);
  expect({ range, mentors: withoutNames(r.platform!.topMentors), skills: withoutNames(r.platform!.topSkills) })
    .toEqual({ range, mentors: expected.topMentors, skills: expected.topSkills });
  return expected;
}

/** Each level equal to the group sums of the hour rows it stands for (zero rows absent). */
async function expectLevelsMatchHours() {
  const level = async (table: string, key: string, period: string) => {
    const cols = 'sum(requested)::int as requested, sum(completed)::int as completed, sum(reviews)::int as reviews, sum(rating_sum)::int as rating_sum';
    const held = await knex.raw(`select ${key}::text as period, mentor_id, skill_id, requested, completed, reviews, rating_sum from ${table} order by 1, 2, 3`);
    const fromHours = await knex.raw(
      `select ${period}::text as period, mentor_id, skill_id, ${cols} from insight_hourly where mentor_id is not null
       group by 1, 2, 3 having sum(requested) > 0 or sum(reviews) > 0 order by 1, 2, 3`,
    );
    expect(fromHours.rows.length).toBeGreaterThan(0);
    expect({ table, rows: held.rows }).toEqual({ table, rows: fromHours.rows });
  };
  await level('insight_top_daily', 'day', `(hour at time zone 'UTC')::date`);
  await level('insight_top_weekly', 'week', `date_trunc('week', hour at time zone 'UTC')::date`);
  await level('insight_top_monthly', 'month', `date_trunc('month', hour at time zone 'UTC')::date`);
  await level('insight_top_quarterly', 'quarter', `date_trunc('quarter', hour at time zone 'UTC')::date`);
}

describe('the top lists from the day, week, month and quarter levels', () => {
  const zones = ['UTC', 'Europe/Paris', 'America/Los_Angeles', 'Pacific/Auckland', 'Asia/Kolkata'];
  const ranges: [string, string][] = [
    ['2026-10-01', '2026-10-01'], // one day: shorter than a UTC day's edges in most zones
    ['2026-10-24', '2026-10-26'], // Paris's 25-hour day
    ['2026-10-31', '2026-11-02'], // Los Angeles's
    ['2026-09-26', '2026-09-28'], // Auckland's 23-hour day
    ['2026-10-05', '2026-10-11'], // a whole ISO week in UTC
    ['2026-10-07', '2026-10-20'], // two weeks, neither whole
    ['2026-10-01', '2026-10-31'], // October: one whole month in UTC, weeks and days elsewhere
    ['2026-09-28', '2026-11-08'], // a whole month in every zone, weeks on both sides
    ['2026-09-20', '2026-11-30'], // the autumn's bookings: ten weeks and edges, three DST changes
    ['2026-06-15', '2026-11-30'], // every booking: the summer quarter whole, months, weeks and days around it
    ['2026-07-01', '2026-09-30'], // exactly a UTC quarter
  ];

  it('rank exactly as the plain sum of the hour rows, for short and long ranges in five zones', async () => {
    let ranked = 0;
    for (const timeZone of zones) for (const [from, to] of ranges) {
      const expected = await expectSameTops({ from, to, timeZone });
      ranked += expected.topMentors.byRequests.length;
    }
    // The ranges are not empty: the comparison compares figures, not two empty lists.
    expect(ranked).toBeGreaterThan(zones.length * ranges.length);
  });

  it('cut a range into pieces that never overlap and cover it whole', () => {
    const auckland = resolveRange({ from: '2026-09-20', to: '2026-11-30', timeZone: 'Pacific/Auckland' }).current;
    // Auckland's 1 December starts on Monday 30 November, 11:00 UTC: October whole; before
    // it a day, a week and three days; after it a day (Sunday 1 November) and four weeks
    // ending on that Monday; no whole day is left after them, eleven hours are.
    expect(topLevels(auckland.start, auckland.end)).toEqual({
      start: at('2026-09-19T12:00:00Z'), hoursTo: at('2026-09-20T00:00:00Z'), hoursFrom: at('2026-11-30T00:00:00Z'), end: at('2026-11-30T11:00:00Z'),
      days: ['2026-09-20', '2026-09-28', '2026-09-29', '2026-09-30', '2026-11-01'],
      weeks: ['2026-09-21', '2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23'],
      months: ['2026-10-01'], quartersFrom: '2026-11-01', quartersTo: '2026-11-01',
    });
    // No whole month: weeks and days, as before the month level.
    const la = resolveRange({ from: '2026-10-07', to: '2026-10-20', timeZone: 'America/Los_Angeles' }).current;
    expect(topLevels(la.start, la.end)).toEqual({
      start: at('2026-10-07T07:00:00Z'), hoursTo: at('2026-10-08T00:00:00Z'), hoursFrom: at('2026-10-21T00:00:00Z'), end: at('2026-10-21T07:00:00Z'),
      days: ['2026-10-08', '2026-10-09', '2026-10-10', '2026-10-11', '2026-10-19', '2026-10-20'], weeks: ['2026-10-12'],
      months: [], quartersFrom: '2026-10-21', quartersTo: '2026-10-21',
    });
    // Exactly a UTC month: nothing but the month.
    const october = resolveRange({ from: '2026-10-01', to: '2026-10-31', timeZone: 'UTC' }).current;
    expect(topLevels(october.start, october.end)).toEqual({
      start: october.start, hoursTo: october.start, hoursFrom: october.end, end: october.end, days: [], weeks: [], months: ['2026-10-01'], quartersFrom: '2026-11-01', quartersTo: '2026-11-01',
    });
    // A year in Paris: three whole quarters, the months on either side, then weeks and days.
    const year = resolveRange({ from: '2025-12-02', to: '2026-12-01', timeZone: 'Europe/Paris' }).current;
    const pieces = topLevels(year.start, year.end);
    expect({ months: pieces.months, quartersFrom: pieces.quartersFrom, quartersTo: pieces.quartersTo })
      .toEqual({ months: ['2026-10-01', '2026-11-01'], quartersFrom: '2026-01-01', quartersTo: '2026-10-01' });
    expect(pieces.days.filter((d) => d < '2026-01-01').length + pieces.weeks.filter((w) => w < '2026-01-01').length * 7).toBe(30);
    // Exactly a UTC quarter: nothing but the quarter.
    const summer = resolveRange({ from: '2026-07-01', to: '2026-09-30', timeZone: 'UTC' }).current;
    expect(topLevels(summer.start, summer.end)).toEqual({
      start: summer.start, hoursTo: summer.start, hoursFrom: summer.end, end: summer.end, days: [], weeks: [], months: [], quartersFrom: '2026-07-01', quartersTo: '2026-10-01',
    });
    // Less than a UTC day: hours only.
    const paris = resolveRange({ from: '2026-10-01', to: '2026-10-01', timeZone: 'Europe/Paris' }).current;
    expect(topLevels(paris.start, paris.end)).toEqual({ start: paris.start, hoursTo: paris.end, hoursFrom: paris.end, end: paris.end, days: [], weeks: [], months: [], quartersFrom: '2026-10-01', quartersTo: '2026-10-01' });
  });

  it('are built whole by the backfill and equal the hour rows', async () => {
    await expectLevelsMatchHours();
    // A backfill redone by hand over stale levels rebuilds them rather than adds to them.
    await knex.raw(`update insight_top_weekly set requested = requested + 100`);
    await knex.raw(`update insight_top_monthly set reviews = reviews + 3`);
    await knex.raw(`update insight_top_quarterly set completed = completed + 1`);
    await knex.raw(`delete from insight_top_daily where day < '2026-10-15'`);
    await knex('insightRollupState').update({ backfilledAt: null });
    expect((await insights.rollup()).backfilled).toBe(true);
    await expectLevelsMatchHours();
  });

  it('follow a completion, a cancellation, a booking moved to another week, a new and a deleted review', async () => {
    const pending = bookings.filter((b) => b.status === 'pending' || b.status === 'confirmed');
    await transition(t, pending[0]!.id, 'completed', at('2026-12-01T10:00:00Z'));
    await transition(t, pending[1]!.id, 'cancelled', at('2026-12-01T10:00:00Z'), { cancelledBy: 'mentor' });
    await knex.raw(`update bookings set starts_at = starts_at + interval '7 days', ends_at = ends_at + interval '7 days' where id = ?`, [pending[2]!.id]);
    await addReview(t, pending[0]!.id, 2, at('2026-10-12T23:30:00Z'));
    // The only review of its mentor's day: its day row goes, and its week row shrinks.
    const [lone] = (await knex.raw(
      `select r.id from mentor_reviews r where not exists (
         select 1 from insight_hourly h where h.mentor_id = r.mentor_id and h.requested > 0
           and (h.hour at time zone 'UTC')::date = (r.created_at at time zone 'UTC')::date)
       and (select count(*) from mentor_reviews o where o.mentor_id = r.mentor_id
           and (o.created_at at time zone 'UTC')::date = (r.created_at at time zone 'UTC')::date) = 1
       order by r.id limit 1`,
    )).rows as { id: string }[];
    expect(lone).toBeDefined();
    await knex('mentorReviews').where({ id: lone!.id }).delete();
    // A review of the summer quarter goes too: its quarter row follows its month.
    const august = await knex('mentorReviews').where('createdAt', '>=', at('2026-08-01T00:00:00Z')).andWhere('createdAt', '<', at('2026-09-01T00:00:00Z')).first('id');
    expect(august).toBeDefined();
    await knex('mentorReviews').where({ id: august.id }).delete();
    expect((await insights.rollup()).dirtyKeys).toBeGreaterThan(0);
    await expectLevelsMatchHours();
    for (const timeZone of ['Europe/Paris', 'Pacific/Auckland']) {
      await expectSameTops({ from: '2026-09-20', to: '2026-11-30', timeZone });
      await expectSameTops({ from: '2026-06-15', to: '2026-11-30', timeZone });
    }
  });
});
