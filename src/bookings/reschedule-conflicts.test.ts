import { afterEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';
import { payAndReturn } from '../../test/helpers/payments.ts';

// Sunday 22 November 2026, 10:00 UTC. Paris is UTC+1: Monday 09:00 Paris is 08:00 UTC.
const START = new Date('2026-11-22T10:00:00Z');
const clock = new FixedClock(START);
const t = await createTestApp({ overrides: { clock } });
afterEach(() => clock.set(START));
const MONDAY_9 = '2026-11-23T08:00:00.000Z';
const MONDAY_930 = '2026-11-23T08:30:00.000Z';
const MONDAY_11 = '2026-11-23T10:00:00.000Z';
const TUESDAY_14 = '2026-11-24T13:00:00.000Z';
const THURSDAY_10 = '2026-11-26T09:00:00.000Z';
const SATURDAY_10 = '2026-11-28T09:00:00.000Z';
type Agent = Awaited<ReturnType<typeof t.signIn>>;
const instant = { settings: { minNoticeMinutes: 60, requiresApproval: false } };

async function post(agent: Agent, path: string, body: Record<string, string> = {}) {
  // The token first: the agent attaches cookies when the request is created.
  const token = await t.csrf(agent, '/');
  return agent.post(path).type('form').send({ _csrf: token, ...body });
}

async function book(student: Agent, skillId: string, start: string) {
  const res = await post(student, `/skills/${skillId}/bookings`, { start, duration: '60', subject: 'Lifetimes' });
  expect(res.status).toBe(303);
  return res.headers.location!.split('/').pop()!;
}

async function moveJson(agent: Agent, id: string, start: string, token?: string) {
  const csrf = token ?? (await t.csrf(agent, '/'));
  return agent.post(`/bookings/${id}/reschedule`).set('Accept', 'application/json').send({ _csrf: csrf, start });
}

const row = (id: string) => t.deps.knex('bookings').where({ id }).first();
/** Overlapping live bookings of one person, on either side: must always be none. */
const overlaps = () => t.deps.knex.raw(`
  select a.id from bookings a join bookings b on a.id < b.id
  and (a.student_id in (b.student_id, b.mentor_id) or a.mentor_id in (b.student_id, b.mentor_id))
  and tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at)
  where a.status in ('pending', 'confirmed') and b.status in ('pending', 'confirmed')`).then((r: { rows: unknown[] }) => r.rows);

describe('conflicts at the new time', () => {
  it('refuses the mentor\'s other booking (409 beside the picker, JSON code) and the student\'s booking with another mentor', async () => {
    const m = await mentorWithSkill(t, 'mentor:busy', instant);
    const other = await mentorWithSkill(t, 'mentor:elsewhere', instant);
    const student = await t.signIn('student:busykid');
    const id = await book(student, m.skillId, MONDAY_9);
    await book(await t.signIn('student:busyrival'), m.skillId, MONDAY_11);
    await book(student, other.skillId, TUESDAY_14);

    const taken = await post(student, `/bookings/${id}/reschedule`, { start: MONDAY_11 });
    expect(taken.status).toBe(409);
    expect(taken.text).toContain('id="reschedule-error"');
    expect(taken.text).toContain('Someone just took this slot');
    expect((await moveJson(student, id, MONDAY_11)).body.error).toMatchObject({ code: 'slot_taken' });

    // The student's own session with another mentor: marked in the list, refused if sent anyway.
    const picker = await student.get(`/bookings/${id}/reschedule?week=0`);
    expect(picker.text).toMatch(/slot--busy">14:00/);
    const busy = await moveJson(student, id, TUESDAY_14);
    expect(busy.status).toBe(409);
    expect(busy.body.error.code).toBe('student_busy');
    // The mentor proposing that time meets the same rule.
    const mentor = await t.signIn('mentor:busy');
    expect((await moveJson(mentor, id, TUESDAY_14)).body.error.code).toBe('student_busy');
    expect((await row(id)).startsAt.toISOString()).toBe(MONDAY_9);
    expect(await overlaps()).toEqual([]);
  });

  it('follows every booking rule: hours, notice and the same time are refused with their codes', async () => {
    const m = await mentorWithSkill(t, 'mentor:rules', instant);
    const student = await t.signIn('student:ruleskid');
    const id = await book(student, m.skillId, TUESDAY_14);
    expect((await moveJson(student, id, SATURDAY_10)).body.error.code).toBe('rule_outside_availability');
    expect((await moveJson(student, id, '2026-11-22T10:30:00.000Z')).body.error.code).toBe('rule_too_soon');
    expect((await moveJson(student, id, TUESDAY_14)).body.error.code).toBe('reschedule_same_time');
    expect((await moveJson(student, id, 'not a date')).status).toBe(422);
  });

  it('20 parallel moves of different bookings into one slot: exactly one wins, the rest 409, nothing half-written', async () => {
    const m = await mentorWithSkill(t, 'mentor:crowd', { ...instant, rules: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:00', end: '20:00' })) });
    const days = ['2026-11-23', '2026-11-24'];
    const students = await Promise.all(Array.from({ length: 20 }, (_, i) => t.signIn(`student:crowd${i}`)));
    // Twenty bookings of one mentor, Monday and Tuesday 08:00-18:00 Paris.
    const ids: string[] = [];
    for (const [i, s] of students.entries()) ids.push(await book(s, m.skillId, `${days[i % 2]}T${String(7 + Math.floor(i / 2)).padStart(2, '0')}:00:00.000Z`));
    const tokens = await Promise.all(students.map((s) => t.csrf(s, '/')));
    const eventsBefore = (await t.deps.knex('bookingEvents').whereIn('bookingId', ids)).length;

    const results = await Promise.all(students.map((s, i) => moveJson(s, ids[i]!, THURSDAY_10, tokens[i])));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(19);
    expect(new Set(results.filter((r) => r.status === 409).map((r) => r.body.error.code))).toEqual(new Set(['slot_taken']));
    const rows = await t.deps.knex('bookings').whereIn('id', ids);
    expect(rows.filter((b) => b.startsAt.toISOString() === THURSDAY_10)).toHaveLength(1);
    expect(rows.reduce((n, b) => n + b.rescheduleCount, 0)).toBe(1);
    expect((await t.deps.knex('bookingEvents').whereIn('bookingId', ids)).length).toBe(eventsBefore + 1);
    expect((await t.deps.knex('notifications').whereIn('bookingId', ids).where({ kind: 'booking.rescheduled' })).length).toBe(2);
    expect(await overlaps()).toEqual([]);
  });

  it('parallel proposals into one slot (approving mentor): one holds it, the rest 409', async () => {
    const m = await mentorWithSkill(t, 'mentor:crowdprop', { settings: { minNoticeMinutes: 60 } });
    const students = await Promise.all(Array.from({ length: 8 }, (_, i) => t.signIn(`student:cprop${i}`)));
    const mentor = await t.signIn('mentor:crowdprop');
    const ids: string[] = [];
    for (const [i, s] of students.entries()) {
      ids.push(await book(s, m.skillId, `2026-11-23T${String(8 + i).padStart(2, '0')}:00:00.000Z`));
      await post(mentor, `/bookings/${ids[i]}/confirmation`);
    }
    const tokens = await Promise.all(students.map((s) => t.csrf(s, '/')));
    const results = await Promise.all(students.map((s, i) => moveJson(s, ids[i]!, THURSDAY_10, tokens[i])));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(7);
    expect(await t.deps.knex('rescheduleProposals').whereIn('bookingId', ids)).toHaveLength(1);
    expect(await t.deps.knex('calendarClaims').whereNotNull('proposalId').whereIn('userId', [m.mentorId])).toHaveLength(1);
  });

  it('parallel moves of one student\'s bookings with five mentors into one time: one wins, the rest student_busy', async () => {
    const mentors = await Promise.all(Array.from({ length: 5 }, (_, i) => mentorWithSkill(t, `mentor:side${i}`, instant)));
    const student = await t.signIn('student:sidekid');
    const ids: string[] = [];
    for (const [i, m] of mentors.entries()) ids.push(await book(student, m.skillId, `2026-11-24T${String(8 + i).padStart(2, '0')}:00:00.000Z`));
    const token = await t.csrf(student, '/');
    const results = await Promise.all(ids.map((id) => moveJson(student, id, THURSDAY_10, token)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual(['student_busy', 'student_busy', 'student_busy', 'student_busy']);
    expect(await overlaps()).toEqual([]);
  });

  it('a proposal half an hour later overlaps the current time without blocking itself', async () => {
    const m = await mentorWithSkill(t, 'mentor:halfhour', { settings: { minNoticeMinutes: 60 } });
    const student = await t.signIn('student:halfkid');
    const id = await book(student, m.skillId, MONDAY_9);
    const mentor = await t.signIn('mentor:halfhour');
    await post(mentor, `/bookings/${id}/confirmation`);
    expect((await post(student, `/bookings/${id}/reschedule`, { start: MONDAY_930 })).status).toBe(303);
    const p = await t.deps.knex('rescheduleProposals').where({ bookingId: id, status: 'open' }).first();
    const held = await t.deps.knex('calendarClaims').where({ proposalId: p.id }).select(t.deps.knex.raw('lower(during) as s, upper(during) as e'));
    // Only the half hour the booking does not already cover is claimed again.
    expect(held.map((c: { s: Date; e: Date }) => `${c.s.toISOString()}/${c.e.toISOString()}`)).toEqual(['2026-11-23T09:00:00.000Z/2026-11-23T09:30:00.000Z', '2026-11-23T09:00:00.000Z/2026-11-23T09:30:00.000Z']);
    expect((await post(mentor, `/bookings/${id}/reschedule/acceptance`, { proposal: p.id })).status).toBe(303);
    expect((await row(id)).startsAt.toISOString()).toBe(MONDAY_930);
  });
});

describe('limits', () => {
  it('at most MAX_RESCHEDULES moves (3), then 409 and a note instead of the link', async () => {
    const m = await mentorWithSkill(t, 'mentor:limit', instant);
    const student = await t.signIn('student:limitkid');
    const id = await book(student, m.skillId, MONDAY_9);
    for (const start of [MONDAY_11, TUESDAY_14, THURSDAY_10]) expect((await moveJson(student, id, start)).status).toBe(200);
    const fourth = await moveJson(student, id, MONDAY_9);
    expect(fourth.status).toBe(409);
    expect(fourth.body.error.code).toBe('reschedule_limit');
    const page = await student.get(`/bookings/${id}`);
    expect(page.text).toContain('moved 3 times, the most allowed');
    expect(page.text).not.toContain(`href="/bookings/${id}/reschedule"`);
  });

  it('too late within the mentor\'s notice, none after the start; an open proposal cannot be accepted then', async () => {
    const m = await mentorWithSkill(t, 'mentor:late', { settings: { minNoticeMinutes: 720 } });
    let student = await t.signIn('student:latekid');
    const id = await book(student, m.skillId, TUESDAY_14);
    const mentor = await t.signIn('mentor:late');
    await post(mentor, `/bookings/${id}/confirmation`);
    const proposed = await moveJson(mentor, id, THURSDAY_10);
    expect(proposed.status).toBe(201);
    // Tuesday 13:00 UTC less 12 h: Tuesday 01:00 UTC is the last moment.
    clock.set(new Date('2026-11-24T01:30:00Z'));
    // Signed in again: the sessions' idle time has passed on this clock.
    student = await t.signIn('student:latekid');
    const late = await post(student, `/bookings/${id}/reschedule`, { start: THURSDAY_10 });
    expect(late.status).toBe(422);
    expect(late.text).toContain('too late to move this session');
    expect((await student.get(`/bookings/${id}`)).text).toContain('the mentor’s policy allows changes until');
    expect((await student.get(`/bookings/${id}`)).text).not.toContain('/reschedule/acceptance');
    const token = await t.csrf(student, '/');
    const accept = await student.post(`/bookings/${id}/reschedule/acceptance`).set('Accept', 'application/json').send({ _csrf: token, proposal: proposed.body.proposal.id });
    expect(accept.body.error.code).toBe('reschedule_too_late');
    clock.set(new Date('2026-11-24T13:30:00Z'));
    student = await t.signIn('student:latekid');
    expect((await moveJson(student, id, THURSDAY_10)).body.error.code).toBe('reschedule_too_late');
    expect((await row(id)).startsAt.toISOString()).toBe(TUESDAY_14);
  });

  it('a group seat keeps the session\'s time: 422 and said on the page', async () => {
    const g = await mentorWithSkill(t, 'mentor:grouptime', { skill: { mode: 'group', durations: [60], startsAt: new Date(TUESDAY_14), capacity: 4 } });
    const student = await t.signIn('student:seatkid');
    const res = await post(student, `/skills/${g.skillId}/bookings`);
    const id = res.headers.location!.split('/').pop()!;
    expect((await moveJson(student, id, THURSDAY_10)).body.error.code).toBe('reschedule_group_seat');
    expect((await student.get(`/bookings/${id}`)).text).toContain('A group session’s time is the same for everyone');
  });

  it('others cannot move what is not theirs: 404 for a stranger, 403 for the admin', async () => {
    const m = await mentorWithSkill(t, 'mentor:owner', instant);
    const id = await book(await t.signIn('student:ownerkid'), m.skillId, MONDAY_9);
    expect((await moveJson(await t.signIn('student:stranger'), id, TUESDAY_14)).status).toBe(404);
    expect((await moveJson(await t.signInAdmin(), id, TUESDAY_14)).status).toBe(403);
  });
});

describe('money', () => {
  it('a paid booking moved keeps its one payment row', async () => {
    const m = await mentorWithSkill(t, 'mentor:paidmove', { payable: true, skill: { priceCents: 4000, durations: [60] }, ...instant });
    const student = await t.signIn('student:paidkid');
    const started = await post(student, `/skills/${m.skillId}/bookings`, { start: MONDAY_9, duration: '60', subject: 'Lifetimes' });
    const back = await payAndReturn(t, student, started.headers.location!);
    const id = back.headers.location!.split('/').pop()!;
    const before = await t.deps.knex('payments').where({ bookingId: id });
    expect(before).toHaveLength(1);
    expect((await moveJson(student, id, TUESDAY_14)).status).toBe(200);
    const after = await t.deps.knex('payments').where({ bookingId: id });
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: before[0].id, amount: before[0].amount, status: before[0].status });
    expect(await t.deps.knex('payments').whereIn('bookingId', t.deps.knex('bookings').where({ studentId: (await t.user('student:paidkid')).id }).select('id'))).toHaveLength(1);
  });

  it('a student who moves a session keeps the cancellation deadline of the earlier time (no free cancellation bought by moving)', async () => {
    // 22 h before Monday 9:00: past the 24 h free cancellation, so a cancel refunds half.
    const m = await mentorWithSkill(t, 'mentor:latemove', { payable: true, skill: { priceCents: 4000, durations: [60] }, settings: { minNoticeMinutes: 60, requiresApproval: false, freeCancelHours: 24, lateCancelRefundPercent: 50 } });
    const student = await t.signIn('student:policykid');
    const started = await post(student, `/skills/${m.skillId}/bookings`, { start: MONDAY_9, duration: '60', subject: 'Lifetimes' });
    const id = (await payAndReturn(t, student, started.headers.location!)).headers.location!.split('/').pop()!;
    await t.runJobs();
    const moved = await moveJson(student, id, THURSDAY_10);
    expect(moved.status).toBe(200);
    expect((await row(id)).policyStartsAt.toISOString()).toBe(MONDAY_9);
    // Thursday is four days away, yet the page and the refund follow Monday's deadline.
    expect((await student.get(`/bookings/${id}`)).text).toContain('€20');
    expect((await post(student, `/bookings/${id}/cancellation`, { reason: 'Changed my mind' })).status).toBe(303);
    await t.runJobs();
    const refunds = await t.deps.knex('refunds').join('payments', 'payments.id', 'refunds.paymentId').where('payments.bookingId', id).select('refunds.amount');
    expect(refunds.map((r: { amount: number }) => r.amount)).toEqual([2000]);
  });
});
