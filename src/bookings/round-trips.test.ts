// How many database round trips one booking request costs, on every pool of the app
// (knex and the session store's), BEGIN and COMMIT included. Not timed: a count that
// grows back (a re-select, a second settings read, one query per rule) fails here.
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { captureQueries, readable } from '../../test/helpers/query-count.ts';
import { openMentor, slotAt } from '../../test/helpers/student-api.ts';

const t = await createTestApp();
const MAX_ROUND_TRIPS = 8;
// Through the form, one fewer: the signed-in user comes with the session read.
const FORM_ROUND_TRIPS = 7;

type Agent = Awaited<ReturnType<typeof t.signIn>>;


async function formBooking(student: Agent, token: string, skillId: string, start: string) {
  return student.post(`/skills/${skillId}/bookings`).type('form').send({ _csrf: token, start, duration: '60', subject: 'Round trips' });
}

async function apiAs(fixture: string) {
  const auth = `Bearer ${(await t.deps.services.tokens.issueAccess(await t.user(fixture))).accessToken}`;
  return (body: object) => t.agent().post('/api/v1/bookings').set('Authorization', auth).send(body);
}

/**
 * A first booking (the first request of a process also reads table metadata once), then a
 * second one counted: it must be a 303 within the bound. Answers where it redirected.
 */
async function countedFormBooking(fixture: string, skillId: string, days: number): Promise<{ student: Agent; location: string }> {
  const student = await t.signIn(fixture);
  const token = await t.csrf(student, '/');
  expect((await formBooking(student, token, skillId, slotAt(t, days, 9))).status).toBe(303);
  let location = '';
  const queries = await captureQueries(t.deps, async () => {
    const res = await formBooking(student, token, skillId, slotAt(t, days, 11));
    expect(res.status).toBe(303);
    location = res.headers.location!;
  });
  expect(queries.length, readable(queries)).toBeLessThanOrEqual(FORM_ROUND_TRIPS);
  // The session is read, never written: the flash rides in a cookie of its own.
  expect(queries.filter((q) => q.pool === 'session').map((q) => q.sql.trim().split(/\s/)[0]!.toLowerCase()), readable(queries)).toEqual(['select']);
  return { student, location };
}

describe('round trips per booking request', () => {
  it(`books through the form (303) in at most ${FORM_ROUND_TRIPS}, with every row and job the request writes`, async () => {
    const { skillId, mentorId } = await openMentor(t, 'mentor:rt_form_m');
    const { student, location } = await countedFormBooking('student:rt_form_s', skillId, 2);

    const bookingId = location.split('/').pop()!;
    expect(await t.deps.knex('bookings').where({ id: bookingId }).first()).toMatchObject({ status: 'pending', mentorId, subject: 'Round trips' });
    expect(await t.deps.knex('bookingEvents').where({ bookingId })).toMatchObject([{ status: 'pending', actorRole: 'student' }]);
    const [notice] = await t.deps.knex('notifications').where({ bookingId });
    expect(notice).toMatchObject({ userId: mentorId, kind: 'booking.requested', data: { other: 'Rt_form_s Test', skill: 'Session with Rt_form_m Test' } });
    const jobs = await t.deps.knex.raw(
      `select t.identifier as task_identifier from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
       where j.payload->>'notificationId' = ? or j.key = ?`, [notice.id, `next-free:${mentorId}`]);
    expect(jobs.rows.map((j: { task_identifier: string }) => j.task_identifier).sort()).toEqual(['notification-mail', 'refresh-next-free']);
    // The page after the redirect shows the flash, and reads the session without writing it.
    const page = await captureQueries(t.deps, async () => {
      expect((await student.get(location)).text).toContain('request has been sent');
    });
    expect(page.filter((q) => q.pool === 'session')).toHaveLength(1);
  });

  it('shows the booking page in at most 10 statements, the booking read once (scoped and with its graph)', async () => {
    const { skillId } = await openMentor(t, 'mentor:rt_page_m');
    const { student, location } = await countedFormBooking('student:rt_page_s', skillId, 4);
    await student.get(location);
    const queries = await captureQueries(t.deps, async () => {
      expect((await student.get(location)).status).toBe(200);
    });
    expect(queries.length, readable(queries)).toBeLessThanOrEqual(10);
    expect(queries.filter((q) => /from "bookings"/.test(q.sql)), readable(queries)).toHaveLength(1);
    // Someone else's booking is still not there.
    expect((await (await t.signIn('student:rt_page_other')).get(location)).status).toBe(404);
  });

  it(`confirms at once, with both parties' reminders, in at most ${FORM_ROUND_TRIPS}`, async () => {
    const { skillId, mentorId } = await openMentor(t, 'mentor:rt_instant_m', { requiresApproval: false });
    const { location } = await countedFormBooking('student:rt_instant_s', skillId, 3);
    const bookingId = location.split('/').pop()!;
    expect(await t.deps.knex('bookings').where({ id: bookingId }).first()).toMatchObject({ status: 'confirmed', mentorId });
    // The default offsets (a day and an hour before) for the mentor and the student, in one statement.
    const reminders = await t.deps.knex.raw<{ rows: { key: string }[] }>(
      `select j.key from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
       where t.identifier = 'booking-reminder' and j.payload->>'bookingId' = ?`, [bookingId]);
    expect(reminders.rows).toHaveLength(4);
  });

  it(`books through the API (201) in at most ${MAX_ROUND_TRIPS}`, async () => {
    const { skillId } = await openMentor(t, 'mentor:rt_api_m');
    const post = await apiAs('student:rt_api_s');
    expect((await post({ skillId, startsAt: slotAt(t, 2, 9), durationMinutes: 60 })).status).toBe(201);
    const queries = await captureQueries(t.deps, async () => {
      expect((await post({ skillId, startsAt: slotAt(t, 2, 11), durationMinutes: 60 })).status).toBe(201);
    });
    expect(queries.length, readable(queries)).toBeLessThanOrEqual(MAX_ROUND_TRIPS);
  });

  it('refuses a taken slot without writing the session or any row', async () => {
    const { skillId } = await openMentor(t, 'mentor:rt_taken_m');
    const first = await t.signIn('student:rt_taken_a');
    expect((await formBooking(first, await t.csrf(first, '/'), skillId, slotAt(t, 2, 9))).status).toBe(303);
    const second = await t.signIn('student:rt_taken_b');
    const token = await t.csrf(second, '/');
    const before = await t.deps.knex('bookings').where({ skillId }).count({ n: '*' }).first();
    const queries = await captureQueries(t.deps, async () => {
      expect((await formBooking(second, token, skillId, slotAt(t, 2, 9))).status).toBe(409);
    });
    expect(queries.filter((q) => q.pool === 'session' && !/^select/i.test(q.sql)), readable(queries)).toEqual([]);
    expect(await t.deps.knex('bookings').where({ skillId }).count({ n: '*' }).first()).toEqual(before);
  });
});
