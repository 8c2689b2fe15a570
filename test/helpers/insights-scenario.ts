// One seeded week for the insights pages, with answers known by hand: a mentor whose pages
// had 10 views from 8 visitors, 4 booking windows opened, 3 details and 3 summaries, 3 requests,
// 2 confirmed, 1 completed (60 min, rated 4) and 1 cancelled late by the student; and another
// mentor whose figures must never show on the first one's page. Rolled up by the real service.
import type { TestApp } from './app.ts';
import { addReview, insertBooking, insertEvents } from './insights.ts';
import { mentorWithSkill } from './marketplace.ts';

const DAY = 86_400_000;

/** `now` minus `days`, at `hourUtc` o'clock UTC (10–13 h: the same date in Paris). */
const daysAgo = (now: number, days: number, hourUtc: number) => {
  const d = new Date(now - days * DAY);
  d.setUTCHours(hourUtc, 0, 0, 0);
  return d;
};

export async function seedInsightsWeek(t: TestApp, fixture: string, now: number) {
  const username = fixture.split(':')[1]!;
  const mine = await mentorWithSkill(t, fixture, { skill: { title: 'Insightful clinic' } });
  const other = await mentorWithSkill(t, `mentor:${username}-other`, { skill: { title: 'Someone else\u2019s clinic' } });
  const [s1, s2, s3, s4] = await Promise.all([1, 2, 3, 4].map((i) => t.user(`student:${username}-s${i}`)));
  const seen = daysAgo(now, 2, 10);
  const visitors = (names: string[]) => names.map((v) => ({ visitor: `${username}-${v}` }));
  await insertEvents(t, [
    ...visitors(['v1', 'v2', 'v3', 'v4', 'v5', 'v6']).map((v) => ({ ...v, kind: 'skill_view' as const, at: seen, skillId: mine.skillId })),
    ...visitors(['v1', 'v2', 'v7', 'v8']).map((v) => ({ ...v, kind: 'mentor_view' as const, at: seen, mentorUsername: username })),
    ...visitors(['v1', 'v2', 'v3', 'v4']).map((v) => ({ ...v, kind: 'modal_opened' as const, at: seen, skillId: mine.skillId })),
    ...visitors(['v1', 'v2', 'v3']).map((v) => ({ ...v, kind: 'details_reached' as const, at: seen, skillId: mine.skillId })),
    ...visitors(['v1', 'v2', 'v3']).map((v) => ({ ...v, kind: 'summary_reached' as const, at: seen, skillId: mine.skillId })),
    { kind: 'skill_view', at: seen, skillId: other.skillId, count: 5 },
  ]);
  const requested = daysAgo(now, 5, 10);
  const confirmedAt = new Date(requested.getTime() + 3_600_000);
  const heldStart = daysAgo(now, 3, 13);
  const held = await insertBooking(t, {
    ...mine, studentId: s1!.id, createdAt: requested, startsAt: heldStart, status: 'completed',
    history: [{ status: 'confirmed', at: confirmedAt }, { status: 'completed', at: new Date(heldStart.getTime() + 3_600_000) }],
  });
  const lateStart = daysAgo(now, 1, 11);
  await insertBooking(t, {
    ...mine, studentId: s2!.id, createdAt: requested, startsAt: lateStart, status: 'cancelled', cancelledBy: 'student',
    history: [{ status: 'confirmed', at: confirmedAt }, { status: 'cancelled', at: new Date(lateStart.getTime() - 10 * 3_600_000) }],
  });
  await insertBooking(t, { ...mine, studentId: s3!.id, createdAt: daysAgo(now, 4, 10), startsAt: daysAgo(now, -8, 10), status: 'pending' });
  await addReview(t, held, 4, seen);
  const theirs = await insertBooking(t, {
    ...other, studentId: s4!.id, createdAt: daysAgo(now, 4, 10), startsAt: daysAgo(now, 2, 12), status: 'completed', durationMinutes: 90,
    history: [{ status: 'confirmed', at: daysAgo(now, 4, 11) }, { status: 'completed', at: daysAgo(now, 2, 14) }],
  });
  await addReview(t, theirs, 2, seen);
  await t.deps.services.insights.rollup();
  return { mine, other, heldStart };
}
