// Booking through the public API: the booking flow's rules, named in problems; the
// paid hand-over; a booking's reads and transitions by its parties only.
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { paidCourse } from '../../test/helpers/courses.ts';
import { openMentor, pendingBooking, slotAt } from '../../test/helpers/student-api.ts';

const t = await createTestApp();

async function as(fixture: string) {
  const auth = `Bearer ${(await t.deps.services.tokens.issueAccess(await t.user(fixture))).accessToken}`;
  return {
    get: (path: string) => t.agent().get(`/api/v1${path}`).set('Authorization', auth),
    post: (path: string, body?: object) => {
      const req = t.agent().post(`/api/v1${path}`).set('Authorization', auth);
      return body ? req.send(body) : req;
    },
  };
}

const problem = (res: { text: string }) => JSON.parse(res.text) as { code: string; status: number; errors?: { name: string; reason: string }[] };

describe('POST /bookings', () => {
  it('books a free session: 201, the booking and its Location, pending for the mentor', async () => {
    const { skillId, mentorId } = await openMentor(t, 'mentor:ab_ok_m');
    const res = await (await as('student:ab_ok_s')).post('/bookings', { skillId, startsAt: slotAt(t, 2), durationMinutes: 60, message: 'Hello!' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'pending', skillId, mentorId, durationMinutes: 60, price: { amount: 0, currency: 'EUR' } });
    expect(res.headers.location).toBe(`/api/v1/bookings/${res.body.id}`);
    expect(await t.deps.knex('bookingMessages').where({ bookingId: res.body.id }).first()).toMatchObject({ body: 'Hello!' });
  });

  it('names the conflict: the mentor\'s calendar (taken, held) and the student\'s own', async () => {
    const { skillId } = await openMentor(t, 'mentor:ab_conf_m');
    const { skillId: otherSkill } = await openMentor(t, 'mentor:ab_conf_m2');
    const first = await as('student:ab_conf_a');
    expect((await first.post('/bookings', { skillId, startsAt: slotAt(t, 2), durationMinutes: 60 })).status).toBe(201);

    const second = await as('student:ab_conf_b');
    const taken = await second.post('/bookings', { skillId, startsAt: slotAt(t, 2), durationMinutes: 30 });
    expect(taken.status).toBe(409);
    expect(taken.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(problem(taken).code).toBe('slot_taken');
    expect(problem(await second.post('/holds', { skillId, startsAt: slotAt(t, 2), durationMinutes: 30 })).code).toBe('slot_taken');

    // Held by another student: theirs while the hold lasts.
    const held = await (await as('student:ab_conf_c')).post('/holds', { skillId, startsAt: slotAt(t, 2, 14), durationMinutes: 60 });
    expect(held.status).toBe(201);
    expect(held.body).toMatchObject({ id: expect.any(String), skillId, durationMinutes: 60 });
    expect(problem(await second.post('/bookings', { skillId, startsAt: slotAt(t, 2, 14), durationMinutes: 60 })).code).toBe('slot_held');

    // The first student's own calendar: another mentor, an overlapping time.
    const busy = await first.post('/bookings', { skillId: otherSkill, startsAt: new Date(Date.parse(slotAt(t, 2)) + 30 * 60_000).toISOString(), durationMinutes: 60 });
    expect(busy.status).toBe(409);
    expect(problem(busy).code).toBe('student_busy');
    expect(await t.deps.knex('bookings').where({ skillId: otherSkill }).first()).toBeUndefined();
  });

  it('refuses what the flow refuses with a 422 naming the rule, and bad input field by field, never a 500', async () => {
    const { skillId } = await openMentor(t, 'mentor:ab_rule_m');
    const student = await as('student:ab_rule_s');
    const code = async (body: object) => problem(await student.post('/bookings', { skillId, startsAt: slotAt(t, 2), durationMinutes: 60, ...body })).code;
    expect(await code({ startsAt: slotAt(t, -1) })).toBe('rule_too_soon');
    expect(await code({ durationMinutes: 90 })).toBe('rule_duration_not_offered');

    for (const body of [{ durationMinutes: 45 }, { durationMinutes: '60' }, { subject: 'x'.repeat(10_000) }, { startsAt: 'tomorrow' }, { skillId: 'nope' }]) {
      const res = await student.post('/bookings', { skillId, startsAt: slotAt(t, 2), durationMinutes: 60, ...body });
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(422);
      expect(problem(res).errors?.length).toBeGreaterThan(0);
    }
    // NUL is refused for every body of the app, before any handler: a 400 problem.
    const nul = await student.post('/bookings', { skillId, startsAt: slotAt(t, 2), durationMinutes: 60, subject: 'a\u0000b c' });
    expect([nul.status, problem(nul).code]).toEqual([400, 'bad_request']);
    expect(await t.deps.knex('bookings').where({ skillId }).first()).toBeUndefined();

    const course = await paidCourse(t, 'ab-reserved');
    await t.deps.knex('skills').where({ id: skillId }).update({ courseId: course.id });
    expect(await code({})).toBe('rule_not_enrolled');

    const mentor = await as('mentor:ab_rule_m');
    expect((await mentor.post('/bookings', { skillId, startsAt: slotAt(t, 2), durationMinutes: 60 })).status).toBe(403);
  });

  it('a paid session answers 202 with the checkout to pay at, books nothing yet, and holds the slot', async () => {
    const { skillId } = await openMentor(t, 'mentor:ab_paid_m', { priceCents: 3000, payable: true });
    const res = await (await as('student:ab_paid_s')).post('/bookings', { skillId, startsAt: slotAt(t, 2), durationMinutes: 60 });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'awaiting_payment', checkoutId: expect.any(String), checkoutUrl: expect.stringMatching(/^http/) });
    expect(await t.deps.knex('bookings').where({ skillId }).first()).toBeUndefined();
    expect(await t.deps.knex('checkouts').where({ id: res.body.checkoutId }).first()).toMatchObject({ amount: 6000 }) // 30 € for 30 minutes, pro rata;
    expect(problem(await (await as('student:ab_paid_other')).post('/bookings', { skillId, startsAt: slotAt(t, 2), durationMinutes: 60 })).code).toBe('slot_held');
  });

  it('the seed alias books a mentor\'s only skill, and asks for skillId when there are several', async () => {
    const { mentorId, skillId } = await openMentor(t, 'mentor:ab_alias_m');
    const student = await as('student:ab_alias_s');
    const booked = await student.post(`/mentors/${mentorId}/book`, { startsAt: slotAt(t, 2), durationMinutes: 30 });
    expect(booked.status).toBe(201);
    expect(booked.body.skillId).toBe(skillId);
    await t.deps.knex('skills').insert({ mentorId, title: 'Second skill', description: 'Another one.', category: 'programming', priceCents: 0, durations: [30], mode: 'one_on_one', status: 'published' });
    const unclear = await student.post(`/mentors/${mentorId}/book`, { startsAt: slotAt(t, 3), durationMinutes: 30 });
    expect(unclear.status).toBe(422);
    expect(problem(unclear).errors?.map((e) => e.name)).toEqual(['skillId']);
  });
});

describe('a booking through the API', () => {
  it('is read by its parties only: anyone else gets a 404', async () => {
    const { booking } = await pendingBooking(t, 'mentor:ab_read_m', 'student:ab_read_s');
    expect((await (await as('student:ab_read_s')).get(`/bookings/${booking.id}`)).body).toMatchObject({ id: booking.id, status: 'pending' });
    expect((await (await as('mentor:ab_read_m')).get(`/bookings/${booking.id}`)).status).toBe(200);
    expect((await (await as('student:ab_read_other')).get(`/bookings/${booking.id}`)).status).toBe(404);
  });

  it('is cancelled by a party with a reason, once', async () => {
    const { booking } = await pendingBooking(t, 'mentor:ab_cancel_m', 'student:ab_cancel_s');
    const student = await as('student:ab_cancel_s');
    expect((await student.post(`/bookings/${booking.id}/cancellation`, { reason: 'x' })).status).toBe(422);
    const res = await student.post(`/bookings/${booking.id}/cancellation`, { reason: 'I am ill' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'cancelled', cancelledBy: 'student', cancelReason: 'I am ill' });
    const again = await student.post(`/bookings/${booking.id}/cancellation`, { reason: 'Once more' });
    expect(again.status).toBe(409);
    expect(problem(again).code).toBe('invalid_transition');
    expect((await (await as('student:ab_cancel_x')).post(`/bookings/${booking.id}/cancellation`, { reason: 'Not mine' })).status).toBe(404);
  });

  it('is moved by the reschedule service: at once for a pending request, refused onto a taken time', async () => {
    const { booking, skillId } = await pendingBooking(t, 'mentor:ab_move_m', 'student:ab_move_s');
    await t.deps.services.bookings.request((await t.user('student:ab_move_t')).id, skillId, { start: new Date(slotAt(t, 4)), durationMinutes: 60, subject: 'Taken time' });
    const student = await as('student:ab_move_s');
    const moved = await student.post(`/bookings/${booking.id}/reschedule`, { startsAt: slotAt(t, 3, 11) });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ moved: true, proposal: null, booking: { id: booking.id, startsAt: slotAt(t, 3, 11), rescheduleCount: 1 } });
    const refused = await student.post(`/bookings/${booking.id}/reschedule`, { startsAt: slotAt(t, 4) });
    expect(refused.status).toBe(409);
    expect(problem(refused).code).toMatch(/taken/);
  });

  it('has a conversation: a message posted is listed, a stranger gets a 404, an empty body a 422, a NUL a 400', async () => {
    const { booking } = await pendingBooking(t, 'mentor:ab_msg_m', 'student:ab_msg_s');
    const student = await as('student:ab_msg_s');
    const posted = await student.post(`/bookings/${booking.id}/messages`, { body: 'Can we look at <b>generics</b>?' });
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({ body: 'Can we look at <b>generics</b>?', mine: true, authorRole: 'student' });
    expect(posted.body.html).not.toContain('<b>');
    const listed = await (await as('mentor:ab_msg_m')).get(`/bookings/${booking.id}/messages`);
    expect(listed.body).toMatchObject({ items: [{ id: posted.body.id, mine: false }], nextCursor: null });
    expect((await (await as('student:ab_msg_x')).post(`/bookings/${booking.id}/messages`, { body: 'Hi' })).status).toBe(404);
    expect((await student.post(`/bookings/${booking.id}/messages`, { body: '   ' })).status).toBe(422);
    expect((await student.post(`/bookings/${booking.id}/messages`, { body: 'a\u0000b' })).status).toBe(400);
    expect(await t.deps.knex('bookingMessages').where({ bookingId: booking.id }).count('id as n')).toEqual([{ n: 1 }]);
  });
});

describe('the caller\'s sessions', () => {
  it('come a page at a time with a cursor that stays put when a booking is added between pages', async () => {
    const { skillId } = await openMentor(t, 'mentor:ab_list_m');
    const me = await t.user('student:ab_list_s');
    for (const day of [2, 3, 4]) await t.deps.services.bookings.request(me.id, skillId, { start: new Date(slotAt(t, day)), durationMinutes: 30, subject: `Day ${day}` });
    const client = await as('student:ab_list_s');
    const first = await client.get('/sessions?when=upcoming&limit=2');
    expect(first.body.items.map((b: { startsAt: string }) => b.startsAt)).toEqual([slotAt(t, 2), slotAt(t, 3)]);
    await t.deps.services.bookings.request(me.id, skillId, { start: new Date(slotAt(t, 1)), durationMinutes: 30, subject: 'Added meanwhile' });
    const second = await client.get(`/sessions?when=upcoming&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body).toEqual({ items: [expect.objectContaining({ startsAt: slotAt(t, 4) })], nextCursor: null });
    expect((await client.get('/mentorship/sessions?limit=10')).body.items).toHaveLength(4);
    expect((await client.get('/sessions?cursor=bm90LWEtY3Vyc29y')).status).toBe(422);
    expect((await client.get('/sessions?limit=101')).status).toBe(422);
  });
});

describe('courses through the API', () => {
  it('enrols in a free course (201, then 200), sends a paid one to its checkout (202), 404 for none', async () => {
    const free = await paidCourse(t, 'ab-free', { priceCents: 0 });
    const paid = await paidCourse(t, 'ab-paid');
    const student = await as('student:ab_course_s');
    const enrolled = await student.post(`/courses/${free.id}/enrollment`);
    expect(enrolled.status).toBe(201);
    expect(enrolled.body).toMatchObject({ courseId: free.id, source: 'free' });
    expect((await student.post(`/courses/${free.id}/enrollment`)).status).toBe(200);
    const buy = await student.post(`/courses/${paid.id}/enrollment`);
    expect(buy.status).toBe(202);
    expect(buy.body.status).toBe('awaiting_payment');
    expect(await t.deps.knex('enrollments').where({ courseId: paid.id }).first()).toBeUndefined();
    expect((await student.post('/courses/00000000-0000-4000-8000-000000000000/enrollment')).status).toBe(404);
  });

  it('gives a lesson\'s video URL under the lesson page\'s rule: 403 not enrolled, 404 for a text-only lesson', async () => {
    const course = await paidCourse(t, 'ab-video');
    const student = await as('student:ab_video_s');
    expect((await student.get(`/lessons/${course.lessonId}/video-url`)).status).toBe(403);
    await t.deps.knex('enrollments').insert({ courseId: course.id, userId: (await t.user('student:ab_video_s')).id, source: 'admin' });
    const ok = await student.get(`/lessons/${course.lessonId}/video-url`);
    expect(ok.status).toBe(200);
    expect(Date.parse(ok.body.expiresAt) - Date.now()).toBeGreaterThan(60_000);
    expect(ok.headers['cache-control']).toBe('no-store');
    await t.deps.knex('lessons').where({ id: course.lessonId }).update({ videoKey: null });
    expect((await student.get(`/lessons/${course.lessonId}/video-url`)).status).toBe(404);
  });
});
