import { afterEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';

// Sunday 22 November 2026, 10:00 UTC. Monday 09:00 Paris is 08:00 UTC.
const START = new Date('2026-11-22T10:00:00Z');
const clock = new FixedClock(START);
const t = await createTestApp({ overrides: { clock } });
afterEach(() => clock.set(START));
const MONDAY_9 = '2026-11-23T08:00:00.000Z';
const MONDAY_930 = '2026-11-23T08:30:00.000Z';
const TUESDAY_14 = '2026-11-24T13:00:00.000Z';
const WEDNESDAY_10 = '2026-11-25T09:00:00.000Z';
type Agent = Awaited<ReturnType<typeof t.signIn>>;

async function post(agent: Agent, path: string, body: Record<string, string> = {}) {
  const token = await t.csrf(agent, '/');
  return agent.post(path).type('form').send({ _csrf: token, ...body });
}

async function book(student: Agent, skillId: string, start = MONDAY_9) {
  const res = await post(student, `/skills/${skillId}/bookings`, { start, duration: '60', subject: 'Lifetimes' });
  expect(res.status).toBe(303);
  return res.headers.location!.split('/').pop()!;
}

const row = (id: string) => t.deps.knex('bookings').where({ id }).first();
const openProposal = (bookingId: string) => t.deps.knex('rescheduleProposals').where({ bookingId, status: 'open' }).first();
const notices = (bookingId: string, kind: string) => t.deps.knex('notifications').where({ bookingId, kind }).orderBy('createdAt');

describe('a student moves a booking at once', () => {
  it('moves a pending request: still pending, its expiry follows, one history row, both told', async () => {
    const m = await mentorWithSkill(t, 'mentor:pend', { settings: { minNoticeMinutes: 60 } });
    const student = await t.signIn('student:pendkid');
    const id = await book(student, m.skillId);
    const page = await student.get(`/bookings/${id}`);
    expect(page.text).toContain(`href="/bookings/${id}/reschedule"`);
    expect(page.text).toContain('Change the time');
    const picker = await student.get(`/bookings/${id}/reschedule`);
    expect(picker.status).toBe(200);
    expect(picker.text).toContain(`action="/bookings/${id}/reschedule"`);
    expect(picker.text).toContain(`value="${TUESDAY_14}"`);
    // The booking's own time is not offered as a choice.
    expect(picker.text).not.toContain(`name="start" value="${MONDAY_9}"`);

    const moved = await post(student, `/bookings/${id}/reschedule`, { start: TUESDAY_14 });
    expect(moved.status).toBe(303);
    expect(moved.headers.location).toBe(`/bookings/${id}`);
    const b = await row(id);
    expect(b).toMatchObject({ status: 'pending', rescheduleCount: 1 });
    expect(b.startsAt.toISOString()).toBe(TUESDAY_14);
    expect(b.endsAt.toISOString()).toBe('2026-11-24T14:00:00.000Z');
    // A fresh 48 h for the mentor (it was capped by the old start, Monday 08:00 UTC).
    expect(b.expiresAt.toISOString()).toBe('2026-11-24T10:00:00.000Z');
    const told = await notices(id, 'booking.rescheduled');
    expect(told.map((n) => n.userId).sort()).toEqual([b.mentorId, b.studentId].sort());
    expect(told[0].data).toMatchObject({ previousStartsAt: MONDAY_9, by: 'student' });
    const after = await student.get(`/bookings/${id}`);
    expect(after.text).toContain('Moved from 23 Nov 2026, 09:00 to 24 Nov 2026, 14:00');
    // The old time is free again for anyone.
    expect((await post(await t.signIn('student:pendother'), `/skills/${m.skillId}/bookings`, { start: MONDAY_9, duration: '60', subject: 'Other topic' })).status).toBe(303);
  });

  it('moves a confirmed booking of an instant mentor, keeping its id, link and history, and overlapping its own time', async () => {
    const m = await mentorWithSkill(t, 'mentor:instant', { settings: { minNoticeMinutes: 60, requiresApproval: false } });
    const student = await t.signIn('student:instantkid');
    const id = await book(student, m.skillId);
    const before = await row(id);
    expect(before.status).toBe('confirmed');
    // Half an hour later: the new time overlaps the current one, which does not block itself.
    const moved = await post(student, `/bookings/${id}/reschedule`, { start: MONDAY_930 });
    expect(moved.status).toBe(303);
    const b = await row(id);
    expect(b).toMatchObject({ status: 'confirmed', meetingUrl: before.meetingUrl, rescheduleCount: 1 });
    expect(b.startsAt.toISOString()).toBe(MONDAY_930);
    const claims = await t.deps.knex('calendarClaims').where({ bookingId: id }).select(t.deps.knex.raw('lower(during) as start'));
    expect(claims.map((c: { start: Date }) => c.start.toISOString())).toEqual([MONDAY_930, MONDAY_930]);
    expect((await t.deps.knex('bookingEvents').where({ bookingId: id })).length).toBe(2);
    await t.runJobs();
    const mail = t.mails.find((x) => x.to === 'instantkid@example.test' && x.subject.startsWith('New time'));
    expect(mail?.text).toContain('09:30');
  });
});

describe('a proposal that waits for the other side', () => {
  it('a student of an approving mentor proposes: the booking stays, the new time is held from others, the mentor accepts', async () => {
    const m = await mentorWithSkill(t, 'mentor:approve', { settings: { minNoticeMinutes: 60 } });
    const student = await t.signIn('student:propkid');
    const id = await book(student, m.skillId);
    const mentor = await t.signIn('mentor:approve');
    expect((await post(mentor, `/bookings/${id}/confirmation`)).status).toBe(303);
    const link = (await row(id)).meetingUrl;

    expect((await post(student, `/bookings/${id}/reschedule`, { start: WEDNESDAY_10 })).status).toBe(303);
    const b = await row(id);
    expect(b.status).toBe('confirmed');
    expect(b.startsAt.toISOString()).toBe(MONDAY_9);
    const p = await openProposal(id);
    expect(p).toMatchObject({ proposedBy: 'student' });
    expect(p.expiresAt.toISOString()).toBe(MONDAY_9);
    expect(await notices(id, 'booking.reschedule_proposed')).toHaveLength(1);
    // Someone else cannot take the held time, through the app or straight in the database.
    const other = await t.signIn('student:propthief');
    const stolen = await post(other, `/skills/${m.skillId}/bookings`, { start: WEDNESDAY_10, duration: '60', subject: 'Mine now' });
    expect(stolen.status).toBe(409);
    await expect(t.deps.knex('bookings').insert({ skillId: m.skillId, mentorId: m.mentorId, studentId: (await t.user('student:propthief')).id, kind: 'one_on_one', startsAt: WEDNESDAY_10, endsAt: '2026-11-25T10:00:00Z', durationMinutes: 60, status: 'pending', subject: 'raw', priceCents: 0, currency: 'EUR' }))
      .rejects.toMatchObject({ constraint: 'calendar_claims_no_overlap' });

    const studentPage = await student.get(`/bookings/${id}`);
    expect(studentPage.text).toContain('Waiting for');
    expect(studentPage.text).not.toContain('/reschedule/acceptance');
    const mentorPage = await mentor.get(`/bookings/${id}`);
    expect(mentorPage.text).toContain('The student proposes another time');
    expect(mentorPage.text).toContain('/reschedule/acceptance');
    // The proposer cannot answer their own proposal.
    expect((await post(student, `/bookings/${id}/reschedule/acceptance`, { proposal: p.id })).status).toBe(403);

    expect((await post(mentor, `/bookings/${id}/reschedule/acceptance`, { proposal: p.id })).status).toBe(303);
    const after = await row(id);
    expect(after).toMatchObject({ status: 'confirmed', meetingUrl: link, rescheduleCount: 1 });
    expect(after.startsAt.toISOString()).toBe(WEDNESDAY_10);
    expect(await openProposal(id)).toBeUndefined();
    expect(await t.deps.knex('calendarClaims').whereNotNull('proposalId')).toHaveLength(0);
    expect((await notices(id, 'booking.rescheduled')).map((n) => n.data.by)).toEqual(['student', 'student']);
    // A second answer finds the proposal closed.
    expect((await post(mentor, `/bookings/${id}/reschedule/acceptance`, { proposal: p.id })).status).toBe(409);
  });

  it('the mentor proposes, a new proposal replaces the old, the student declines and the held time is free', async () => {
    const m = await mentorWithSkill(t, 'mentor:mprop', { settings: { minNoticeMinutes: 60 } });
    const student = await t.signIn('student:mpropkid');
    const id = await book(student, m.skillId);
    const mentor = await t.signIn('mentor:mprop');
    await post(mentor, `/bookings/${id}/confirmation`);
    const picker = await mentor.get(`/bookings/${id}/reschedule`);
    expect(picker.text).toContain('the student accepts or declines');
    expect((await post(mentor, `/bookings/${id}/reschedule`, { start: TUESDAY_14 })).status).toBe(303);
    const first = await openProposal(id);
    expect((await post(mentor, `/bookings/${id}/reschedule`, { start: WEDNESDAY_10 })).status).toBe(303);
    const second = await openProposal(id);
    expect(second.id).not.toBe(first.id);
    expect((await t.deps.knex('rescheduleProposals').where({ id: first.id }).first()).status).toBe('replaced');
    expect((await t.deps.knex('calendarClaims').where({ proposalId: first.id })).length).toBe(0);
    expect((await t.deps.knex('calendarClaims').where({ proposalId: second.id })).length).toBe(2);

    const page = await student.get(`/bookings/${id}`);
    expect(page.text).toContain('The mentor proposes another time');
    expect((await post(student, `/bookings/${id}/reschedule/refusal`, { proposal: second.id })).status).toBe(303);
    expect((await row(id)).startsAt.toISOString()).toBe(MONDAY_9);
    expect((await row(id)).rescheduleCount).toBe(0);
    expect(await notices(id, 'booking.reschedule_declined')).toHaveLength(1);
    const freed = await post(await t.signIn('student:mpropother'), `/skills/${m.skillId}/bookings`, { start: WEDNESDAY_10, duration: '60', subject: 'Other topic' });
    expect(freed.status).toBe(303);
  });

  it('a mentor proposal the student accepts moves it; JSON callers get the moved booking', async () => {
    const m = await mentorWithSkill(t, 'mentor:jsonprop', { settings: { minNoticeMinutes: 60 } });
    const student = await t.signIn('student:jsonkid');
    const id = await book(student, m.skillId);
    const mentor = await t.signIn('mentor:jsonprop');
    await post(mentor, `/bookings/${id}/confirmation`);
    const token = await t.csrf(mentor, '/');
    const proposed = await mentor.post(`/bookings/${id}/reschedule`).set('Accept', 'application/json').send({ _csrf: token, start: TUESDAY_14 });
    expect(proposed.status).toBe(201);
    expect(proposed.body).toMatchObject({ moved: false, proposal: { startsAt: TUESDAY_14 } });
    const sToken = await t.csrf(student, '/');
    const accepted = await student.post(`/bookings/${id}/reschedule/acceptance`).set('Accept', 'application/json').send({ _csrf: sToken, proposal: proposed.body.proposal.id });
    expect(accepted.status).toBe(200);
    expect(accepted.body.booking).toMatchObject({ id, status: 'confirmed', startsAt: TUESDAY_14 });
    expect((await notices(id, 'booking.rescheduled'))[0].data).toMatchObject({ previousStartsAt: MONDAY_9, by: 'mentor' });
  });

  it('lapses at the booking\'s start (cron sweep) and when the booking is cancelled, freeing the held time', async () => {
    const m = await mentorWithSkill(t, 'mentor:lapse', { settings: { minNoticeMinutes: 60 } });
    const student = await t.signIn('student:lapsekid');
    const id = await book(student, m.skillId);
    const mentor = await t.signIn('mentor:lapse');
    await post(mentor, `/bookings/${id}/confirmation`);
    await post(student, `/bookings/${id}/reschedule`, { start: WEDNESDAY_10 });
    const p = await openProposal(id);
    clock.set(new Date(MONDAY_9));
    expect(await t.deps.services.reschedule.lapseDue()).toBe(1);
    expect((await t.deps.knex('rescheduleProposals').where({ id: p.id }).first()).status).toBe('lapsed');
    expect((await t.deps.knex('calendarClaims').where({ proposalId: p.id })).length).toBe(0);
    clock.set(START);

    const id2 = await book(student, m.skillId, TUESDAY_14);
    await post(mentor, `/bookings/${id2}/reschedule`, { start: WEDNESDAY_10 });
    const p2 = await openProposal(id2);
    expect((await post(student, `/bookings/${id2}/cancellation`, { reason: 'Cannot come' })).status).toBe(303);
    expect((await t.deps.knex('rescheduleProposals').where({ id: p2.id }).first()).status).toBe('lapsed');
    expect((await t.deps.knex('calendarClaims').where({ proposalId: p2.id })).length).toBe(0);
  });
});
