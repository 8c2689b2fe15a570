import { describe, expect, it } from 'vitest';
import { createTestApp } from '../test/helpers/app.ts';
import { seedDemoOnce } from './demo.ts';
import { seedDemoBookingsOnce } from './demo-bookings.ts';
import { seedDemoSkillsOnce } from './demo-skills.ts';

const t = await createTestApp();

describe('demo marketplace data', () => {
  it('gives every mentor hours and skills, and bookings in every status, once', async () => {
    await seedDemoOnce(t.deps);
    const now = t.deps.clock.now();
    expect(await seedDemoSkillsOnce(t.deps.knex, now)).toBeGreaterThan(20);
    const loaded = await seedDemoBookingsOnce(t.deps.knex, now);
    expect(loaded?.bookings).toBeGreaterThan(200);

    const mentorsWithoutRules = await t.deps.knex('users').where({ role: 'mentor' })
      .whereNotExists(t.deps.knex('availabilityRules').whereRaw('availability_rules.mentor_id = users.id')).count({ n: '*' }).first();
    expect(Number(mentorsWithoutRules!.n)).toBe(0);
    const statuses = (await t.deps.knex('bookings').distinct('status')).map((r: { status: string }) => r.status).sort();
    expect(statuses).toEqual(['cancelled', 'completed', 'confirmed', 'expired', 'no_show', 'pending', 'rejected']);
    expect(await t.deps.knex('bookings').where('startsAt', '>', now).first()).toBeDefined();
    expect(await t.deps.knex('bookings').where('startsAt', '<', now).first()).toBeDefined();
    // The seat counter of each group session matches its live bookings.
    const drift = await t.deps.knex.raw(`
      select s.id from skills s
      where s.mode = 'group' and s.seats_taken <> (select count(*) from bookings b where b.skill_id = s.id and b.status in ('pending', 'confirmed'))`);
    expect(drift.rows).toEqual([]);
    // Pending requests have a deadline; every booking has a history.
    expect(await t.deps.knex('bookings').where({ status: 'pending' }).whereNull('expiresAt').first()).toBeUndefined();
    expect(await t.deps.knex('bookings').whereNotExists(t.deps.knex('bookingEvents').whereRaw('booking_events.booking_id = bookings.id')).first()).toBeUndefined();

    expect(await seedDemoSkillsOnce(t.deps.knex, now)).toBeUndefined();
    expect(await seedDemoBookingsOnce(t.deps.knex, now)).toBeUndefined();
  });
});

describe('demo courses', () => {
  it('loads published courses with lessons, files, enrollments, exact ratings and Q&A, once', async () => {
    const { seedDemoCoursesOnce } = await import('./demo-courses.ts');
    const now = t.deps.clock.now();
    expect(await seedDemoCoursesOnce(t.deps.knex, t.deps.storage, now)).toEqual({ courses: 4 });
    const courses = await t.deps.knex('courses').where({ published: true });
    expect(courses).toHaveLength(4);
    for (const c of courses) {
      const counts = await t.deps.knex.raw(`select (select count(*) from enrollments where course_id = ?) as e, (select coalesce(round(avg(rating)::numeric, 2), 0) from course_reviews where course_id = ?) as a`, [c.id, c.id]);
      expect(c.studentsCount).toBe(Number(counts.rows[0].e));
      expect(Number(c.ratingAverage)).toBe(Number(counts.rows[0].a));
    }
    const lesson = await t.deps.knex('lessons').whereNotNull('videoKey').first();
    expect(await t.deps.storage.get(lesson.videoKey)).toBeDefined();
    expect(await t.deps.knex('lessonComments').where({ pinned: true })).toHaveLength(4);
    // Lengths are the files' own (the sample clips last 6 s), never typed numbers.
    expect(new Set((await t.deps.knex('lessons').select('durationSeconds')).map((l: { durationSeconds: number }) => l.durationSeconds))).toEqual(new Set([6]));
    // A database seeded when lengths were typed (3:30 on a 0:06 clip, and no mark that they
    // were put right) is put right at the next start, once: later starts read no video.
    await t.deps.knex('appMeta').where({ key: 'demo_video_durations' }).del();
    await t.deps.knex('lessons').where({ id: lesson.id }).update({ durationSeconds: 210 });
    expect(await seedDemoCoursesOnce(t.deps.knex, t.deps.storage, now)).toBeUndefined();
    expect((await t.deps.knex('lessons').where({ id: lesson.id }).first()).durationSeconds).toBe(6);
    expect(await t.deps.knex('appMeta').where({ key: 'demo_video_durations' }).first('value')).toMatchObject({ value: { seconds: { 'lesson-a.mp4': 6, 'lesson-b.mp4': 6 } } });
  });
});

describe('demo payments', () => {
  it('connects every mentor and gives paid bookings the ledger their status implies, once', async () => {
    const { seedDemoPaymentsOnce } = await import('./demo-payments.ts');
    const loaded = await seedDemoPaymentsOnce(t.deps);
    expect(loaded!.payments).toBeGreaterThan(100);
    const mentors = await t.deps.knex('users').where({ role: 'mentor' }).count({ n: '*' }).first();
    expect(Number((await t.deps.knex('payoutAccounts').where({ chargesEnabled: true }).count({ n: '*' }).first())!.n)).toBe(Number(mentors!.n));
    const byStatus = await t.deps.knex('payments as p').join('bookings as b', 'b.id', 'p.bookingId').select('b.status as booking', 'p.status as payment').distinct();
    const pairs = new Set(byStatus.map((r: { booking: string; payment: string }) => `${r.booking}:${r.payment}`));
    for (const pair of ['pending:authorized', 'confirmed:captured', 'completed:captured', 'cancelled:refunded', 'rejected:released']) expect(pairs).toContain(pair);
    expect(await t.deps.knex('payouts').first()).toBeDefined();
    // The provider knows each payment: a refund of a demo booking goes through it.
    const captured = await t.deps.knex('payments').where({ status: 'captured' }).first();
    expect(await t.deps.payments.retrievePaymentIntent(captured.providerPaymentId)).toMatchObject({ status: 'succeeded', amount: captured.amount });
    // A plan's courses, a subscriber whose videos open, packs on sale.
    expect(await t.deps.knex('courses').where({ includedInSubscription: true })).toHaveLength(2);
    const sub = await t.deps.knex('subscriptions').where({ status: 'active' }).first();
    expect(await t.deps.payments.retrieveSubscription(sub.providerSubscriptionId)).toMatchObject({ status: 'active', interval: 'month' });
    expect((await t.deps.knex('sessionPackages')).length).toBeGreaterThan(0);
    expect(await seedDemoPaymentsOnce(t.deps)).toBeUndefined();
  });
});

describe('demo conversations', () => {
  it('turns each note to the mentor into the first message, adds a few replies, once', async () => {
    const { seedDemoConversationsOnce } = await import('./demo-scheduling.ts');
    const now = t.deps.clock.now();
    const loaded = await seedDemoConversationsOnce(t.deps.knex, now);
    const notes = Number((await t.deps.knex('bookings').whereNotNull('message').count({ n: '*' }).first())!.n);
    expect(notes).toBeGreaterThan(0);
    expect(Number((await t.deps.knex('bookingMessages').where({ authorRole: 'student' }).count({ n: '*' }).first())!.n)).toBe(notes);
    expect((await t.deps.knex('bookingMessages').where({ authorRole: 'mentor' })).length).toBeGreaterThan(0);
    expect(loaded!.messages).toBeGreaterThan(notes);
    expect(await seedDemoConversationsOnce(t.deps.knex, now)).toBeUndefined();
  });
});
