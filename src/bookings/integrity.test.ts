// Nobody is in two places at once: the student's calendar as well as the mentor's,
// group sessions as well as one-on-ones, enforced by PostgreSQL (calendar_claims) and
// explained by the code. Races run over two service graphs with their own pools, as two
// app instances on one database would.
import { afterAll, describe, expect, it } from 'vitest';
import { createDeps } from '../composition.ts';
import { loadConfig } from '../config.ts';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp, testEnv } from '../../test/helpers/app.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';

// Sunday 22 November 2026, 10:00 UTC (11:00 in Paris).
const clock = new FixedClock(new Date('2026-11-22T10:00:00Z'));
const t = await createTestApp({ overrides: { clock } });
// A second instance over the same database: its own pool, its own services.
const other = createDeps(loadConfig(testEnv()), t.deps.pool.options.connectionString!, { clock, mailTransport: { send: async () => undefined } });
// Registered after the first instance's: hooks run in reverse, so it closes first.
afterAll(() => other.close());

// Monday 23 November, 09:00 in Paris = 08:00 UTC.
const MONDAY_9 = '2026-11-23T08:00:00.000Z';
const MONDAY_930 = '2026-11-23T08:30:00.000Z';
const MONDAY_10 = '2026-11-23T09:00:00.000Z';

type Agent = Awaited<ReturnType<typeof t.signIn>>;

async function book(agent: Agent, skillId: string, start = MONDAY_9, duration = '60') {
  const token = await t.csrf(agent, '/');
  return agent.post(`/skills/${skillId}/bookings`).type('form').send({ _csrf: token, start, duration, subject: 'Help with my code' });
}

async function hold(agent: Agent, skillId: string, start = MONDAY_9, duration = '60') {
  const token = await t.csrf(agent, '/');
  return agent.post(`/skills/${skillId}/holds`).type('form').send({ _csrf: token, start, duration });
}

const slotButtons = (html: string) => [...html.matchAll(/name="start" value="([^"]+)"/g)].map((m) => m[1]);
const liveOf = (studentId: string) => t.deps.knex('bookings').where({ studentId }).whereIn('status', ['pending', 'confirmed']);

/** Every pair of live claims of one person that overlap: must always be empty. */
async function overlaps(): Promise<unknown[]> {
  const { rows } = await t.deps.knex.raw(`
    select a.user_id from calendar_claims a join calendar_claims b on a.user_id = b.user_id and a.id < b.id and a.during && b.during`);
  return rows;
}

describe("a student's own calendar", () => {
  it('refuses a second overlapping booking with another mentor and says why, in the slot list and on request', async () => {
    const first = await mentorWithSkill(t, 'mentor:cal1', { settings: { requiresApproval: false, minNoticeMinutes: 60 } });
    const second = await mentorWithSkill(t, 'mentor:cal2', { settings: { minNoticeMinutes: 60 } });
    const student = await t.signIn('student:calstudent');

    expect((await book(student, first.skillId)).status).toBe(303);
    const picker = await student.get(`/skills/${second.skillId}/book?duration=60`);
    // 09:00 and 08:30-long overlaps are shown as taken by the student's own session, not offered.
    expect(slotButtons(picker.text)).not.toContain(MONDAY_9);
    expect(slotButtons(picker.text)).not.toContain(MONDAY_930);
    expect(slotButtons(picker.text)).toContain(MONDAY_10);
    expect(picker.text).toContain('you already have a session then');

    const refused = await book(student, second.skillId, MONDAY_930);
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('You already have a session at that time');
    const heldRefused = await hold(student, second.skillId, MONDAY_930);
    expect(heldRefused.status).toBe(409);
    expect(await liveOf((await t.user('student:calstudent')).id)).toHaveLength(1);

    // The JSON twin says the same.
    const json = await student.get(`/api/mentors/${second.mentorId}/available-slots?duration=60&days=3`).set('Accept', 'application/json');
    const at9 = (json.body.slots as { datetime: string; available: boolean; reason?: string }[]).find((s) => s.datetime === MONDAY_9);
    expect(at9).toMatchObject({ available: false, reason: 'you_are_busy' });
  });

  it('holds across two instances: 20 racing requests of one student to 20 mentors give one booking', async () => {
    const mentors = await Promise.all(Array.from({ length: 20 }, (_, i) => mentorWithSkill(t, `mentor:race${i}`, { settings: { minNoticeMinutes: 60 } })));
    const student = await t.user('student:racer');
    const services = [t.deps.services.bookings, other.services.bookings];
    const results = await Promise.allSettled(mentors.map((m, i) => services[i % 2]!.request(student.id, m.skillId, { start: new Date(MONDAY_9), durationMinutes: 60, subject: 'Race' })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const codes = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as { code?: string }).code] : []));
    expect(new Set(codes)).toEqual(new Set(['student_busy']));
    expect(await liveOf(student.id)).toHaveLength(1);
    expect(await overlaps()).toEqual([]);
    // About a second as a rule; once, in a loaded CI run, it went past the default 20 s. Not
    // understood yet; the likeliest cause is twenty transactions waiting on one another's
    // claims deadlocking in turn, each found only after PostgreSQL's deadlock_timeout (1 s)
    // and retried by withClaimRetry. The verdict above is what this test is about, not speed.
  }, 60_000);

  it('counts a group seat as the student\'s time, both ways', async () => {
    const group = await mentorWithSkill(t, 'mentor:groupcal', { skill: { mode: 'group', durations: [60], startsAt: new Date(MONDAY_10), capacity: 5 } });
    const one = await mentorWithSkill(t, 'mentor:onecal', { settings: { minNoticeMinutes: 60 } });
    const student = await t.signIn('student:seatcal');
    const token = await t.csrf(student, '/');
    expect((await student.post(`/skills/${group.skillId}/bookings`).type('form').send({ _csrf: token })).status).toBe(303);
    const refused = await book(student, one.skillId, MONDAY_10);
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('You already have a session at that time');

    const student2 = await t.signIn('student:seatcal2');
    expect((await book(student2, one.skillId, MONDAY_10)).status).toBe(303);
    const token2 = await t.csrf(student2, '/');
    const seat = await student2.post(`/skills/${group.skillId}/bookings`).type('form').send({ _csrf: token2 });
    expect(seat.status).toBe(409);
    expect(seat.text).toContain('You already have a session at that time');
    expect((await t.deps.knex('skills').where({ id: group.skillId }).first()).seatsTaken).toBe(1);
  });

  it('is enforced by the database when the code is bypassed', async () => {
    const a = await mentorWithSkill(t, 'mentor:bypass1');
    const b = await mentorWithSkill(t, 'mentor:bypass2');
    const student = await t.user('student:bypass');
    const row = (m: typeof a, start: string, end: string) => ({
      skillId: m.skillId, mentorId: m.mentorId, studentId: student.id, kind: 'one_on_one', startsAt: start, endsAt: end,
      durationMinutes: 60, status: 'confirmed', subject: 'x', priceCents: 1000,
    });
    await t.deps.knex('bookings').insert(row(a, '2026-11-30T10:00Z', '2026-11-30T11:00Z'));
    await expect(t.deps.knex('bookings').insert(row(b, '2026-11-30T10:30Z', '2026-11-30T11:30Z')))
      .rejects.toMatchObject({ code: '23P01', constraint: 'calendar_claims_no_overlap' });
    // Back to back is fine; a cancelled booking frees the time.
    await t.deps.knex('bookings').insert(row(b, '2026-11-30T11:00Z', '2026-11-30T12:00Z'));
    await t.deps.knex('bookings').where({ studentId: student.id, startsAt: '2026-11-30T10:00Z' }).update({ status: 'cancelled' });
    await t.deps.knex('bookings').insert(row(b, '2026-11-30T10:00Z', '2026-11-30T11:00Z'));
  });
});

describe("a mentor's group sessions are busy time", () => {
  it('hides one-on-one slots over a published session (buffer included) and refuses requests there', async () => {
    const m = await mentorWithSkill(t, 'mentor:busygroup', { settings: { bufferMinutes: 30, minNoticeMinutes: 60 } });
    const [session] = await t.deps.knex('skills').insert({
      mentorId: m.mentorId, title: 'Group workshop', description: '', category: 'programming', priceCents: 1000, durations: [60], mode: 'group',
      status: 'published', startsAt: MONDAY_10, capacity: 4,
    }).returning('id');
    expect(session).toBeTruthy();
    const student = await t.signIn('student:busygroupkid');
    const picker = await student.get(`/skills/${m.skillId}/book?duration=30`);
    const offered = slotButtons(picker.text);
    // 10:00-11:00 Paris is the session; with a 30 min buffer 09:30 (ends 10:00) and 11:00 go too.
    for (const at of ['2026-11-23T08:30:00.000Z', MONDAY_10, '2026-11-23T09:30:00.000Z', '2026-11-23T10:00:00.000Z']) expect(offered).not.toContain(at);
    expect(offered).toContain('2026-11-23T10:30:00.000Z');
    const refused = await book(student, m.skillId, MONDAY_10);
    expect(refused.status).toBe(409);
    expect(await t.deps.knex('bookings').where({ mentorId: m.mentorId })).toHaveLength(0);
  });

  it('refuses to publish a group session over a live booking, and the database refuses it too', async () => {
    const m = await mentorWithSkill(t, 'mentor:publishclash', { payable: true, settings: { requiresApproval: true, minNoticeMinutes: 60 } });
    const student = await t.signIn('student:publishclashkid');
    expect((await book(student, m.skillId, MONDAY_10)).status).toBe(303);
    const mentor = await t.signIn('mentor:publishclash');
    const token = await t.csrf(mentor, '/my/skills');
    const created = await mentor.post('/skills').type('form').send({
      _csrf: token, title: 'Evening group', description: '', category: 'programming', price: '10', mode: 'group', durations: '60',
      startsAt: '2026-11-23T10:30', capacity: '5',
    });
    expect(created.status).toBe(303);
    const skillId = created.headers.location!.split('/').pop()!;
    const publish = await mentor.post(`/skills/${skillId}/publication`).type('form').send({ _csrf: token });
    expect(publish.status).toBe(303);
    const page = await mentor.get(`/skills/${skillId}`);
    expect(page.text).toContain('You already have a session at that time');
    expect((await t.deps.knex('skills').where({ id: skillId }).first()).status).toBe('draft');
    await expect(t.deps.knex('skills').where({ id: skillId }).update({ status: 'published' })).rejects.toMatchObject({ constraint: 'calendar_claims_no_overlap' });
    // At another time it publishes.
    await t.deps.knex('skills').where({ id: skillId }).update({ startsAt: '2026-11-24T15:00Z' });
    expect((await mentor.post(`/skills/${skillId}/publication`).type('form').send({ _csrf: token })).status).toBe(303);
    expect((await t.deps.knex('skills').where({ id: skillId }).first()).status).toBe('published');
  });
});

describe('withdrawing a group session', () => {
  it('cancels every live seat in one go, with the reason, a history row, a notification and a mail job each', async () => {
    const g = await mentorWithSkill(t, 'mentor:withdraw', { skill: { mode: 'group', durations: [90], startsAt: new Date('2026-11-25T16:00Z'), capacity: 6 } });
    const students = await Promise.all(['a', 'b', 'c'].map((s) => t.signIn(`student:withdrawkid${s}`)));
    for (const s of students) {
      const token = await t.csrf(s, '/');
      expect((await s.post(`/skills/${g.skillId}/bookings`).type('form').send({ _csrf: token })).status).toBe(303);
    }
    const mentor = await t.signIn('mentor:withdraw');
    const confirm = await mentor.get(`/skills/${g.skillId}/cancellation`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('3 students have a seat');
    const token = await t.csrf(mentor, `/skills/${g.skillId}/cancellation`);
    const noReason = await mentor.post(`/skills/${g.skillId}/cancellation`).type('form').send({ _csrf: token, reason: '' });
    expect(noReason.status).toBe(422);
    expect(noReason.text).toContain('id="w-reason-error"');
    expect((await t.deps.knex('skills').where({ id: g.skillId }).first()).status).toBe('published');

    const done = await mentor.post(`/skills/${g.skillId}/cancellation`).type('form').send({ _csrf: token, reason: 'I am ill, sorry' });
    expect(done.status).toBe(303);
    expect((await mentor.get(done.headers.location!)).text).toContain('3 students have been told');
    const skill = await t.deps.knex('skills').where({ id: g.skillId }).first();
    expect(skill).toMatchObject({ status: 'cancelled', seatsTaken: 0 });
    const seats = await t.deps.knex('bookings').where({ skillId: g.skillId });
    expect(seats.map((b) => [b.status, b.cancelReason, b.cancelledBy])).toEqual(Array(3).fill(['cancelled', 'I am ill, sorry', 'mentor']));
    for (const seat of seats) {
      expect((await t.deps.knex('bookingEvents').where({ bookingId: seat.id }).orderBy('id')).at(-1)).toMatchObject({ status: 'cancelled', note: 'I am ill, sorry' });
      const notes = await t.deps.knex('notifications').where({ bookingId: seat.id, userId: seat.studentId, kind: 'booking.cancelled' });
      expect(notes).toHaveLength(1);
      const { rows } = await t.deps.knex.raw(`select count(*)::int as n from graphile_worker._private_jobs j join graphile_worker._private_tasks k on k.id = j.task_id where k.identifier = 'notification-mail' and j.payload->>'notificationId' = ?`, [notes[0].id]);
      expect(rows[0].n).toBe(1);
    }
    // The students' time is free again.
    expect(await t.deps.knex('calendarClaims').whereIn('bookingId', seats.map((s) => s.id))).toHaveLength(0);
    expect(await t.deps.knex('calendarClaims').where({ skillId: g.skillId })).toHaveLength(0);
  });

  it("keeps a session's time once seats are sold", async () => {
    const g = await mentorWithSkill(t, 'mentor:lockedtime', { skill: { mode: 'group', durations: [60], startsAt: new Date('2026-11-26T16:00Z'), capacity: 6 } });
    const s = await t.signIn('student:lockedtimekid');
    const token = await t.csrf(s, '/');
    await s.post(`/skills/${g.skillId}/bookings`).type('form').send({ _csrf: token });
    const mentor = await t.signIn('mentor:lockedtime');
    const mt = await t.csrf(mentor, '/my/skills');
    const moved = await mentor.post(`/skills/${g.skillId}`).type('form').send({
      _csrf: mt, title: 'Session moved', description: '', category: 'programming', price: '40', mode: 'group', durations: '60', startsAt: '2026-11-27T18:00', capacity: '6',
    });
    expect(moved.status).toBe(422);
    expect(moved.text).toContain('Seats are booked');
    expect((await t.deps.knex('skills').where({ id: g.skillId }).first()).startsAt.toISOString()).toBe('2026-11-26T16:00:00.000Z');
  });
});

describe('the hold means something', () => {
  it("refuses a request for a slot another student holds, until the hold lapses", async () => {
    const m = await mentorWithSkill(t, 'mentor:holdrule', { settings: { minNoticeMinutes: 60 } });
    const holder = await t.signIn('student:holder');
    const sneaky = await t.signIn('student:sneaky');
    expect((await hold(holder, m.skillId)).status).toBe(303);
    const refused = await book(sneaky, m.skillId);
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('another student is booking it right now');
    expect(await t.deps.knex('bookings').where({ mentorId: m.mentorId })).toHaveLength(0);
    // The holder still books it.
    expect((await book(holder, m.skillId)).status).toBe(303);
  });

  it('lets a request without a hold through when the slot is free and unheld', async () => {
    const m = await mentorWithSkill(t, 'mentor:holdfree', { settings: { minNoticeMinutes: 60 } });
    const holder = await t.signIn('student:holder2');
    const direct = await t.signIn('student:direct2');
    expect((await hold(holder, m.skillId)).status).toBe(303);
    clock.advance(6 * 60_000); // the hold has lapsed
    expect((await book(direct, m.skillId)).status).toBe(303);
    clock.advance(-6 * 60_000);
  });
});
