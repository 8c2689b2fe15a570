import { afterEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { pgCode, PG } from '../lib/errors.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { refusedPage } from '../../test/helpers/refused-form.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';

const START = new Date('2026-11-22T10:00:00Z');
const clock = new FixedClock(START);
const t = await createTestApp({ overrides: { clock } });
afterEach(() => clock.set(START));
const MONDAY_9 = '2026-11-23T08:00:00.000Z';
type Agent = Awaited<ReturnType<typeof t.signIn>>;

async function post(agent: Agent, path: string, body: Record<string, string> = {}, partial = false) {
  const token = await t.csrf(agent, '/');
  const req = agent.post(path).type('form');
  if (partial) req.set('HX-Request', 'true').set('HX-Request-Type', 'partial');
  return req.send({ _csrf: token, ...body });
}

async function freeCourse(slug: string) {
  const [course] = await t.deps.knex('courses').insert({ slug, title: `Course ${slug}`, published: true, priceCents: 0 }).returning('*');
  return course as { id: string; slug: string };
}

const courseRow = (id: string) => t.deps.knex('courses').where({ id }).first();

describe('course reviews', () => {
  it('lets an enrolled student rate a course once and edit the review; the average follows', async () => {
    const course = await freeCourse('rated-course');
    const student = await t.signIn('student:reviewer');
    const outsider = await t.signIn('student:notenrolled');
    expect((await post(outsider, '/courses/rated-course/review', { rating: '5', body: 'I never took it but...' })).status).toBe(403);
    expect((await outsider.get('/courses/rated-course')).text).not.toContain('id="review-form"');

    await post(student, '/courses/rated-course/enrollment');
    const invalid = await refusedPage(student, await post(student, '/courses/rated-course/review', { body: 'short' }), '/courses/rated-course');
    expect(invalid.text).toContain('Choose from 1 to 5 stars.');
    expect(invalid.text).toContain('Write between 10 and 3000 characters.');
    expect(invalid.text).toContain('>short</textarea>');
    await refusedPage(student, await post(student, '/courses/rated-course/review', { rating: '6', body: 'A long enough testimonial.' }));

    const created = await post(student, '/courses/rated-course/review', { rating: '4', body: 'Clear lessons and useful downloads.' });
    expect(created.status).toBe(303);
    expect(created.headers.location).toBe('/courses/rated-course#reviews');
    expect(await courseRow(course.id)).toMatchObject({ ratingCount: 1, ratingAverage: '4.00' });
    const page = await student.get('/courses/rated-course');
    expect(page.text).toContain('Thank you, your review is published.');
    expect(page.text).toContain('Clear lessons and useful downloads.');
    expect(page.text).toContain('Your review');
    expect(page.text).toContain('value="4" checked');
    expect(page.text).toContain('aria-label="4 stars: 1 (100%)"');

    const edited = await post(student, '/courses/rated-course/review', { rating: '2', body: 'Changed my mind after module 3.' });
    expect(edited.status).toBe(303);
    const rows = await t.deps.knex('courseReviews').where({ courseId: course.id });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ rating: 2, body: 'Changed my mind after module 3.' });
    expect(await courseRow(course.id)).toMatchObject({ ratingCount: 1, ratingAverage: '2.00' });
    expect((await student.get('/courses/rated-course')).text).toContain('Your review is updated.');
  });

  it('keeps one review per user and course in the database', async () => {
    const course = await freeCourse('unique-course');
    const user = await t.user('student:twice');
    await t.deps.knex('courseReviews').insert({ courseId: course.id, userId: user.id, rating: 5, body: 'First review text.' });
    const second = await t.deps.knex('courseReviews').insert({ courseId: course.id, userId: user.id, rating: 1, body: 'Second review text.' }).catch((e: unknown) => e);
    expect(pgCode(second)).toBe(PG.uniqueViolation);
  });

  it('counts 20 concurrent reviews exactly: rating_count 20 and the rounded mean', async () => {
    const course = await freeCourse('busy-course');
    const agents = await Promise.all(Array.from({ length: 20 }, (_, i) => t.signIn(`student:rush${i}`)));
    for (const agent of agents) await post(agent, '/courses/busy-course/enrollment');
    const ratings = agents.map((_, i) => (i * 7) % 5 + 1); // 1..5 spread, mean 3
    ratings[0] = 5; // mean 3.1: not a round number
    const tokens = await Promise.all(agents.map((a) => t.csrf(a, '/')));
    const results = await Promise.all(agents.map((a, i) => a.post('/courses/busy-course/review').type('form')
      .send({ _csrf: tokens[i]!, rating: String(ratings[i]), body: `Review number ${i} of the rush.` })));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(303));
    const mean = ratings.reduce((s, r) => s + r, 0) / ratings.length;
    const row = await courseRow(course.id);
    expect(row.ratingCount).toBe(20);
    expect(row.ratingAverage).toBe(mean.toFixed(2));
    const bars = await t.deps.knex('courseReviews').where({ courseId: course.id }).count({ n: '*' }).first();
    expect(Number(bars?.n)).toBe(20);
  });
});

describe('mentor reviews', () => {
  /** A one-on-one booking that went through request and confirmation. */
  async function confirmedBooking(mentorFixture: string, studentFixture: string) {
    const { skillId, mentorId } = await mentorWithSkill(t, mentorFixture);
    const student = await t.signIn(studentFixture);
    const res = await post(student, `/skills/${skillId}/bookings`, { start: MONDAY_9, duration: '60', subject: 'Review my code' });
    expect(res.status).toBe(303);
    const url = res.headers.location!;
    const mentor = await t.signIn(mentorFixture);
    expect((await post(mentor, `${url}/confirmation`)).status).toBe(303);
    return { skillId, mentorId, student, mentor, url, id: url.split('/').pop()! };
  }

  it('lets the student of a completed booking rate the mentor once; the profile and skill cards show it', async () => {
    const booked = await confirmedBooking('mentor:rated', 'student:rater');
    const { mentorId, url, id } = booked;
    let { student, mentor } = booked;
    const body = { rating: '5', body: 'Patient and precise, thank you!' };

    const early = await post(student, `${url}/review`, body);
    expect(early.status).toBe(422);
    expect(early.text).toContain('once the session has taken place');
    expect((await student.get(`${url}/review`)).text).not.toContain('name="rating"');

    // A day later (sessions have timed out meanwhile: sign in again).
    clock.set(new Date('2026-11-23T09:30:00Z'));
    [student, mentor] = [await t.signIn('student:rater'), await t.signIn('mentor:rated')];
    expect((await post(mentor, `${url}/outcome`, { outcome: 'completed' })).status).toBe(303);
    const page = await student.get(url);
    expect(page.text).toContain(`hx-get="${url}/review"`);
    expect(page.text).toContain('Rate your mentor');
    const box = await student.get(`${url}/review`).set('HX-Request', 'true').set('HX-Request-Type', 'partial');
    expect(box.text.trim().startsWith('<section class="card stack" id="mentor-review"')).toBe(true);
    expect(box.text).toContain('name="rating"');

    // The mentor cannot rate themself, another student cannot see the booking.
    expect((await post(mentor, `${url}/review`, body)).status).toBe(404);
    const stranger = await t.signIn('student:stranger');
    expect((await post(stranger, `${url}/review`, body)).status).toBe(404);

    const invalid = await post(student, `${url}/review`, { rating: '', body: 'too short' }, true);
    expect(invalid.status).toBe(422);
    expect(invalid.text).toContain('Choose from 1 to 5 stars.');
    const saved = await post(student, `${url}/review`, body, true);
    expect(saved.status).toBe(200);
    expect(saved.text).toContain('Patient and precise, thank you!');
    expect(saved.text).toContain('Thank you for your review.');
    const again = await post(student, `${url}/review`, { rating: '1', body: 'Trying to rate twice here.' });
    expect(again.status).toBe(422);
    expect(again.text).toContain('already rated this session');
    expect(await t.deps.knex('mentorReviews').where({ bookingId: id })).toHaveLength(1);
    expect(await t.deps.knex('users').where({ id: mentorId }).first()).toMatchObject({ ratingCount: 1, ratingAverage: '5.00' });

    const profile = await t.agent().get('/mentors/rated');
    expect(profile.text).toContain('Rated 5 out of 5');
    expect(profile.text).toContain('1 review');
    expect(profile.text).toContain('hx-get="/mentors/rated/reviews"');
    const list = await t.agent().get('/mentors/rated/reviews');
    expect(list.status).toBe(200);
    expect(list.text).toContain('Patient and precise, thank you!');
    expect(list.text).toContain('Rater Test');
    const fragment = await t.agent().get('/mentors/rated/reviews').set('HX-Request', 'true').set('HX-Request-Type', 'partial');
    expect(fragment.text.trim().startsWith('<div id="mentor-reviews" class="profile-layout">')).toBe(true);
    const catalogue = await t.agent().get('/skills');
    expect(catalogue.text).toContain('5 (1)');
    // The mentor sees the review on the booking.
    expect((await mentor.get(`${url}/review`)).text).toContain('Patient and precise, thank you!');
  });

  it('is not possible after a no-show or a cancellation', async () => {
    const { url } = await confirmedBooking('mentor:noshow', 'student:absent');
    clock.set(new Date('2026-11-23T09:30:00Z'));
    const [student, mentor] = [await t.signIn('student:absent'), await t.signIn('mentor:noshow')];
    await post(mentor, `${url}/outcome`, { outcome: 'no_show' });
    expect((await post(student, `${url}/review`, { rating: '1', body: 'Never happened, sadly.' })).status).toBe(422);
    expect((await student.get(url)).text).not.toContain(`hx-get="${url}/review"`);
  });
});
