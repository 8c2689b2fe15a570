// The report over rolled-up rows on a real database: the scenario with known
// answers, scoping, the previous period, the day cut in two zones (a DST day included),
// the admin's top lists and weeks, and the ranges it refuses.
import { beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { addReview, at, insertBooking, insertEvents } from '../../test/helpers/insights.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';
import { countQueries } from '../../test/helpers/query-count.ts';
import { InsightRangeError } from './errors.ts';
import { averageMinutes, MAX_RANGE_DAYS, qualityRates, stepRates, type InsightScope } from './model.ts';

const clock = new FixedClock(at('2026-11-20T12:00:00Z'));
const t = await createTestApp({ overrides: { clock } });
const insights = t.deps.services.insights;
const WEEK = { from: '2026-11-10', to: '2026-11-16', timeZone: 'UTC' };

let alice: { mentorId: string; skillId: string };
let bruno: { mentorId: string; skillId: string };
let dst: { mentorId: string; skillId: string };
const mentor = (m: { mentorId: string }): InsightScope => ({ kind: 'mentor', mentorId: m.mentorId });

beforeAll(async () => {
  alice = await mentorWithSkill(t, 'mentor:rep_alice', { skill: { title: 'Guitare rep' } });
  bruno = await mentorWithSkill(t, 'mentor:rep_bruno', { skill: { title: 'Piano rep' } });
  dst = await mentorWithSkill(t, 'mentor:rep_dst', { skill: { title: 'Late night rep' } });
  await t.user('mentor:rep_nobody');
  const s1 = await t.user('student:rep_s1');
  const s2 = await t.user('student:rep_s2');
  const s3 = await t.user('student:rep_s3');

  // The scenario for Alice, on Thursday 12 November: 10 views by 6 visitors, 4 modals,
  // 3 details, 3 summaries, 3 requests, 2 confirmed, 1 completed (rated 4), 1 cancelled late.
  await insertEvents(t, [
    { kind: 'skill_view', at: at('2026-11-12T09:10:00Z'), skillId: alice.skillId, visitor: 'v1', count: 3 },
    { kind: 'skill_view', at: at('2026-11-12T09:20:00Z'), skillId: alice.skillId, visitor: 'v2', count: 2 },
    { kind: 'skill_view', at: at('2026-11-12T10:00:00Z'), skillId: alice.skillId, visitor: 'v3' },
    { kind: 'skill_view', at: at('2026-11-12T10:05:00Z'), skillId: alice.skillId, visitor: 'v4' },
    { kind: 'mentor_view', at: at('2026-11-12T10:06:00Z'), mentorUsername: 'rep_alice', visitor: 'v5', count: 2 },
    { kind: 'mentor_view', at: at('2026-11-12T11:00:00Z'), mentorUsername: 'REP_ALICE', visitor: 'v6' },
    { kind: 'modal_opened', at: at('2026-11-12T09:30:00Z'), skillId: alice.skillId, visitor: 'v1', count: 4 },
    { kind: 'details_reached', at: at('2026-11-12T09:31:00Z'), skillId: alice.skillId, visitor: 'v1', count: 3 },
    { kind: 'summary_reached', at: at('2026-11-12T09:32:00Z'), skillId: alice.skillId, visitor: 'v1', count: 3 },
    // Bruno's page, the same day: never in Alice's figures.
    { kind: 'skill_view', at: at('2026-11-12T09:10:00Z'), skillId: bruno.skillId, visitor: 'v1', count: 7 },
    { kind: 'modal_opened', at: at('2026-11-12T09:11:00Z'), skillId: bruno.skillId, visitor: 'v1', count: 5 },
    // The week before: Alice's previous period.
    { kind: 'skill_view', at: at('2026-11-05T15:00:00Z'), skillId: alice.skillId, visitor: 'v1', count: 5 },
    { kind: 'modal_opened', at: at('2026-11-05T15:01:00Z'), skillId: alice.skillId, visitor: 'v1', count: 1 },
  ]);
  const done = await insertBooking(t, {
    ...alice, studentId: s1.id, createdAt: at('2026-11-12T09:33:00Z'), startsAt: at('2026-11-14T10:00:00Z'), durationMinutes: 90, status: 'completed',
    history: [{ status: 'confirmed', at: at('2026-11-12T12:00:00Z') }, { status: 'completed', at: at('2026-11-14T11:30:00Z') }],
  });
  await addReview(t, done, 4, at('2026-11-15T08:00:00Z'));
  await insertBooking(t, {
    ...alice, studentId: s2.id, createdAt: at('2026-11-12T09:40:00Z'), startsAt: at('2026-11-16T10:00:00Z'), status: 'cancelled', cancelledBy: 'student',
    history: [{ status: 'confirmed', at: at('2026-11-12T12:00:00Z') }, { status: 'cancelled', at: at('2026-11-15T18:00:00Z') }],
  });
  await insertBooking(t, { ...alice, studentId: s3.id, createdAt: at('2026-11-12T09:45:00Z'), startsAt: at('2026-11-17T10:00:00Z'), status: 'pending' });
  // Previous period: one request, completed and a no-show the same week.
  await insertBooking(t, {
    ...alice, studentId: s1.id, createdAt: at('2026-11-05T15:05:00Z'), startsAt: at('2026-11-06T10:00:00Z'), status: 'no_show',
    history: [{ status: 'confirmed', at: at('2026-11-05T16:00:00Z') }, { status: 'no_show', at: at('2026-11-06T11:00:00Z') }],
  });
  // Bruno: 2 requests, 2 completed sessions, 3 reviews of 5 (ranked by rating), in the same week.
  for (const [i, student] of [s2, s3].entries()) {
    const id = await insertBooking(t, {
      ...bruno, studentId: student.id, createdAt: at(`2026-11-11T0${8 + i}:00:00Z`), startsAt: at(`2026-11-13T1${4 + i}:00:00Z`), status: 'completed',
      history: [{ status: 'confirmed', at: at('2026-11-11T12:00:00Z') }, { status: 'completed', at: at('2026-11-13T18:00:00Z') }],
    });
    await addReview(t, id, 5, at('2026-11-14T09:00:00Z'));
  }
  const third = await insertBooking(t, {
    ...bruno, studentId: s1.id, createdAt: at('2026-10-30T08:00:00Z'), startsAt: at('2026-11-02T08:00:00Z'), status: 'completed',
    history: [{ status: 'confirmed', at: at('2026-10-30T09:00:00Z') }, { status: 'completed', at: at('2026-11-02T09:00:00Z') }],
  });
  await addReview(t, third, 5, at('2026-11-13T10:00:00Z'));

  // Around the end of summer time in Paris (Sunday 25 October 2026, a 25-hour day there).
  for (const [i, startsAt] of ['2026-10-24T22:30:00Z', '2026-10-25T22:30:00Z', '2026-10-25T23:30:00Z'].entries()) {
    await insertBooking(t, {
      ...dst, studentId: [s1, s2, s3][i]!.id, createdAt: at('2026-10-20T10:00:00Z'), startsAt: at(startsAt), durationMinutes: 30, status: 'completed',
      history: [{ status: 'confirmed', at: at('2026-10-20T11:00:00Z') }, { status: 'completed', at: at(startsAt) }],
    });
  }
  await insights.rollup();
});

describe('the mentor report', () => {
  it('gives every count and rate of the scenario exactly', async () => {
    const r = await insights.report(mentor(alice), WEEK);
    expect(r.range).toEqual({ ...WEEK, days: 7 });
    expect(r.previousRange).toEqual({ from: '2026-11-03', to: '2026-11-09', timeZone: 'UTC' });
    expect(r.updatedAt).toEqual(clock.now());
    expect(r.funnel.current).toEqual({ views: 10, visitors: 6, modalOpened: 4, detailsReached: 3, summaryReached: 3, requested: 3, confirmed: 2, completed: 1 });
    expect(stepRates(r.funnel.current)).toEqual({ modalOpened: 0.4, detailsReached: 0.75, summaryReached: 1, requested: 1, confirmed: 2 / 3, completed: 0.5 });
    expect(r.quality.current).toEqual({ requested: 3, cancelledByStudent: 1, cancelledByMentor: 0, lateCancelled: 1, noShows: 0, sessionsDue: 1, reviews: 1, ratingSum: 4 });
    expect(qualityRates(r.quality.current)).toEqual({ cancelledByStudent: 1 / 3, cancelledByMentor: 0, lateCancelled: 1 / 3, noShow: 0, averageRating: 4 });
    expect(r.usage.current).toEqual({ sessions: 1, minutes: 90 });
    expect(averageMinutes(r.usage.current)).toBe(90);
    expect(r.platform).toBeUndefined();
  });

  it('lists every day of the range, zeros included, and the weeks and months of the sessions', async () => {
    const r = await insights.report(mentor(alice), WEEK);
    expect(r.daily.map((d) => d.day)).toEqual(['2026-11-10', '2026-11-11', '2026-11-12', '2026-11-13', '2026-11-14', '2026-11-15', '2026-11-16']);
    const byDay = Object.fromEntries(r.daily.map((d) => [d.day, d]));
    expect(byDay['2026-11-12']).toEqual({ day: '2026-11-12', sessions: 0, minutes: 0, requested: 3, cancelled: 1, noShows: 0, reviews: 0, ratingSum: 0, views: 10 });
    expect(byDay['2026-11-14']).toMatchObject({ sessions: 1, minutes: 90 });
    expect(byDay['2026-11-15']).toMatchObject({ reviews: 1, ratingSum: 4 });
    expect(byDay['2026-11-10']).toEqual({ day: '2026-11-10', sessions: 0, minutes: 0, requested: 0, cancelled: 0, noShows: 0, reviews: 0, ratingSum: 0, views: 0 });
    // Tuesday 10 to Sunday 15 is the week of Monday 9; Monday 16 starts the next.
    expect(r.usage.weekly).toEqual([{ period: '2026-11-09', sessions: 1, minutes: 90 }, { period: '2026-11-16', sessions: 0, minutes: 0 }]);
    expect(r.usage.monthly).toEqual([{ period: '2026-11', sessions: 1, minutes: 90 }]);
  });

  it('compares with the days just before, of the same number', async () => {
    const r = await insights.report(mentor(alice), WEEK);
    expect(r.funnel.previous).toEqual({ views: 5, visitors: 1, modalOpened: 1, detailsReached: 0, summaryReached: 0, requested: 1, confirmed: 1, completed: 0 });
    expect(r.quality.previous).toMatchObject({ requested: 1, noShows: 1, sessionsDue: 1 });
    expect(qualityRates(r.quality.previous).noShow).toBe(1);
  });

  it("never includes another mentor's bookings or views", async () => {
    const a = await insights.report(mentor(alice), WEEK);
    const b = await insights.report(mentor(bruno), WEEK);
    expect(a.funnel.current.views).toBe(10);
    expect(b.funnel.current).toEqual({ views: 7, visitors: 1, modalOpened: 5, detailsReached: 0, summaryReached: 0, requested: 2, confirmed: 2, completed: 2 });
    expect(b.quality.current.reviews).toBe(3);
    const nobody = await insights.report({ kind: 'mentor', mentorId: (await t.user('mentor:rep_nobody')).id }, WEEK);
    expect(nobody.funnel.current).toEqual({ views: 0, visitors: 0, modalOpened: 0, detailsReached: 0, summaryReached: 0, requested: 0, confirmed: 0, completed: 0 });
    expect(nobody.heatmap.every((c) => c.sessions === 0)).toBe(true);
  });
});

describe('days cut at the viewer\u2019s midnight', () => {
  it('puts a session at 23:30 UTC on its UTC day, and on the next day in Paris, across the DST change', async () => {
    const inUtc = await insights.report(mentor(dst), { from: '2026-10-24', to: '2026-10-26', timeZone: 'UTC' });
    const inParis = await insights.report(mentor(dst), { from: '2026-10-24', to: '2026-10-26', timeZone: 'Europe/Paris' });
    expect(inUtc.daily.map((d) => [d.day, d.sessions])).toEqual([['2026-10-24', 1], ['2026-10-25', 2], ['2026-10-26', 0]]);
    expect(inParis.daily.map((d) => [d.day, d.sessions])).toEqual([['2026-10-24', 0], ['2026-10-25', 2], ['2026-10-26', 1]]);
    // The 25-hour Sunday in Paris is one day: 00:30 CEST and 23:30 CET are both on it.
    const sunday = await insights.report(mentor(dst), { from: '2026-10-25', to: '2026-10-25', timeZone: 'Europe/Paris' });
    expect(sunday.range.days).toBe(1);
    expect(sunday.usage.current).toEqual({ sessions: 2, minutes: 60 });
  });

  it('places the heatmap cells by weekday and hour of the start in the zone', async () => {
    const range = { from: '2026-10-24', to: '2026-10-26' };
    const cells = (r: Awaited<ReturnType<typeof insights.report>>) => r.heatmap.filter((c) => c.sessions > 0).map((c) => [c.weekday, c.hour, c.sessions]);
    const utc = await insights.report(mentor(dst), { ...range, timeZone: 'UTC' });
    const paris = await insights.report(mentor(dst), { ...range, timeZone: 'Europe/Paris' });
    expect(utc.heatmap).toHaveLength(7 * 24);
    expect(cells(utc)).toEqual([[6, 22, 1], [7, 22, 1], [7, 23, 1]]);
    // Saturday 22:30 UTC is Sunday 00:30 CEST; Sunday 22:30 and 23:30 UTC are 23:30 Sunday and 00:30 Monday CET.
    expect(cells(paris)).toEqual([[1, 0, 1], [7, 0, 1], [7, 23, 1]]);
  });
});

describe('the platform report', () => {
  it('sums every mentor, ranks the tops and counts new accounts per week', async () => {
    const r = await insights.report({ kind: 'platform' }, WEEK);
    expect(r.funnel.current).toMatchObject({ views: 17, modalOpened: 9, requested: 5, confirmed: 4, completed: 3 });
    expect(r.quality.current).toMatchObject({ reviews: 4, ratingSum: 19 });
    const p = r.platform!;
    expect(p.topMentors.byRequests.map((m) => [m.name, m.requested])).toEqual([['Rep_alice Test', 3], ['Rep_bruno Test', 2]]);
    expect(p.topMentors.byCompleted.map((m) => [m.name, m.completed])).toEqual([['Rep_bruno Test', 2], ['Rep_alice Test', 1]]);
    // Only Bruno has MIN_RATINGS_TO_RANK reviews in the range.
    expect(p.topMentors.byRating).toEqual([{ id: bruno.mentorId, name: 'Rep_bruno Test', requested: 2, completed: 2, reviews: 3, averageRating: 5 }]);
    expect(p.topSkills.byRequests.map((s) => [s.name, s.requested])).toEqual([['Guitare rep', 3], ['Piano rep', 2]]);
    expect(p.topMentors.byRequests[0]!.averageRating).toBeNull();
    expect(p.weeks.map((w) => w.week)).toEqual(['2026-11-09', '2026-11-16']);
  });

  it('counts the accounts, enrollments and course reviews of each week', async () => {
    // Accounts are rolled up by their creation time: these are created now, on the real clock.
    const today = new Date().toISOString().slice(0, 10);
    const r = await insights.report({ kind: 'platform' }, { from: today, to: today, timeZone: 'UTC' });
    const created = await t.deps.knex('users').where('createdAt', '>=', `${today}T00:00:00Z`).select('role');
    const week = r.platform!.weeks[0]!;
    expect(week.students).toBe(created.filter((u) => u.role === 'student').length);
    expect(week.mentors).toBe(created.filter((u) => u.role === 'mentor').length);
    expect(week.students).toBeGreaterThanOrEqual(3);
  });

  it('answers in a few statements on the rollup tables only', async () => {
    const mentorRun = await countQueries(t.deps, () => insights.report(mentor(alice), WEEK));
    const platformRun = await countQueries(t.deps, () => insights.report({ kind: 'platform' }, WEEK));
    expect(mentorRun.app).toHaveLength(3);
    expect(platformRun.app).toHaveLength(4);
    for (const sql of [...mentorRun.app, ...platformRun.app]) expect(sql).not.toMatch(/\bbookings\b|mentor_reviews/);
  });
});

describe('ranges it refuses', () => {
  it.each([
    [{ from: '2026-11-10', to: '2026-11-09', timeZone: 'UTC' }, 'to', 'backwards'],
    [{ from: '2025-11-10', to: '2026-11-11', timeZone: 'UTC' }, 'to', 'tooLong'],
    [{ from: '2026-02-30', to: '2026-03-02', timeZone: 'UTC' }, 'from', 'invalidDay'],
    [{ from: '2026-11-10', to: 'tomorrow', timeZone: 'UTC' }, 'to', 'invalidDay'],
    [{ from: '2026-11-10', to: '2026-11-11', timeZone: 'Mars/Olympus' }, 'timeZone', 'invalidZone'],
  ])('%o → %s %s', async (range, field, rule) => {
    const error = await insights.report(mentor(alice), range).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InsightRangeError);
    expect(error).toMatchObject({ field, rule, status: 422, code: 'invalid_range' });
  });

  it(`takes a leap year's ${MAX_RANGE_DAYS} days`, async () => {
    const r = await insights.report(mentor(alice), { from: '2027-11-10', to: '2028-11-09', timeZone: 'UTC' });
    expect(r.daily).toHaveLength(MAX_RANGE_DAYS);
  });
});
