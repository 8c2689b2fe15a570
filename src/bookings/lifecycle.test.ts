import { afterEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { refusedPage } from '../../test/helpers/refused-form.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';
import { waitFor } from '../../test/helpers/wait.ts';

const START = new Date('2026-11-22T10:00:00Z');
const clock = new FixedClock(START);
const t = await createTestApp({ overrides: { clock }, worker: true });
afterEach(() => clock.set(START));
const MONDAY_9 = '2026-11-23T08:00:00.000Z';
type Agent = Awaited<ReturnType<typeof t.signIn>>;

async function post(agent: Agent, path: string, body: Record<string, string> = {}) {
  // The token first: the agent attaches cookies when the request is created.
  const token = await t.csrf(agent, '/');
  return agent.post(path).type('form').send({ _csrf: token, ...body });
}

async function requestBooking(student: Agent, skillId: string, start = MONDAY_9) {
  const res = await post(student, `/skills/${skillId}/bookings`, { start, duration: '60', subject: 'Help with lifetimes' });
  expect(res.status).toBe(303);
  return res.headers.location!;
}

describe('booking lifecycle', () => {
  it('mentor approves with a meeting link; the student sees it, a notification and a mail with an invitation', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:approver');
    const student = await t.signIn('student:happy');
    const url = await requestBooking(student, skillId);
    const mentor = await t.signIn('mentor:approver');

    const requestMail = await waitFor(() => t.mails.find((m) => m.to === 'approver@example.test'));
    expect(requestMail.subject).toBe('New booking request from Happy Test');
    expect(requestMail.text).toContain('Help with lifetimes');

    const bad = await refusedPage(mentor, await post(mentor, `${url}/confirmation`, { meetingUrl: 'javascript:alert(1)' }), url);
    expect(bad.text).toContain('id="c-meetingUrl-error"');
    const ok = await post(mentor, `${url}/confirmation`, { meetingUrl: 'https://meet.example.com/room-42', notes: 'Bring your code' });
    expect(ok.status).toBe(303);

    const page = await student.get(url);
    expect(page.text).toContain('Confirmed');
    expect(page.text).toContain('https://meet.example.com/room-42');
    expect(page.text).toContain('Bring your code');
    const bell = await student.get('/notifications/bell');
    expect(bell.text).toContain('bell__count');
    const list = await student.get('/notifications');
    expect(list.text).toContain('is confirmed');

    const confirmation = await waitFor(() => t.mails.find((m) => m.to === 'happy@example.test' && m.subject.startsWith('Confirmed')));
    const ics = confirmation.attachments?.[0];
    expect(ics?.contentType).toContain('text/calendar');
    expect(ics?.content).toContain('DTSTART:20261123T080000Z');
    expect(ics?.content).toContain('https://meet.example.com/room-42');
    // Times in mails are in the recipient's zone (Europe/Paris: 09:00).
    expect(confirmation.text).toContain('09:00');

    // The second approval is refused: it is no longer pending.
    expect((await post(mentor, `${url}/confirmation`, {})).status).toBe(409);
  });

  it('generates a video room when the mentor gives no link', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:roomless');
    const url = await requestBooking(await t.signIn('student:roomy'), skillId);
    await post(await t.signIn('mentor:roomless'), `${url}/confirmation`);
    const row = await t.deps.knex('bookings').where({ id: url.split('/').pop() }).first();
    expect(row.meetingUrl).toMatch(/^https:\/\/meet\.jit\.si\/leboncours-[A-Za-z0-9_-]{12}$/);
  });

  it('rejection needs a reason, which the student sees', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:rejecter');
    const url = await requestBooking(await t.signIn('student:sad'), skillId);
    const mentor = await t.signIn('mentor:rejecter');
    const noReason = await refusedPage(mentor, await post(mentor, `${url}/rejection`, { reason: '' }), url);
    expect(noReason.text).toContain('id="r-reason-error"');
    expect((await post(mentor, `${url}/rejection`, { reason: 'Travelling that week' })).status).toBe(303);
    const page = await (await t.signIn('student:sad')).get(url);
    expect(page.text).toContain('Declined: Travelling that week');
  });

  it('either side cancels with a reason, which frees the slot', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:canceller');
    const student = await t.signIn('student:fickle');
    const url = await requestBooking(student, skillId);
    const other = await t.signIn('student:waiting');
    const slots = async () => [...(await other.get(`/skills/${skillId}/book?duration=60`)).text.matchAll(/name="start" value="([^"]+)"/g)].map((m) => m[1]);
    expect(await slots()).not.toContain(MONDAY_9);
    expect((await post(student, `${url}/cancellation`, { reason: 'Exam moved' })).status).toBe(303);
    expect(await slots()).toContain(MONDAY_9);
    const note = await t.deps.knex('notifications').join('users', 'users.id', 'notifications.userId').where('users.username', 'canceller').where('kind', 'booking.cancelled').first();
    expect(note.data).toMatchObject({ reason: 'Exam moved', by: 'student' });
    expect((await post(student, `${url}/cancellation`, { reason: 'again' })).status).toBe(409);
  });

  it('only the two parties can see or act on a booking', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:private');
    const url = await requestBooking(await t.signIn('student:owner'), skillId);
    const stranger = await t.signIn('student:stranger');
    expect((await stranger.get(url)).status).toBe(404);
    expect((await post(stranger, `${url}/cancellation`, { reason: 'mischief' })).status).toBe(404);
    const otherMentor = await t.signIn('mentor:othermentor');
    expect((await post(otherMentor, `${url}/confirmation`)).status).toBe(404);
    expect((await post(await t.signIn('student:owner'), `${url}/confirmation`)).status).toBe(403);
  });

  it('the mentor records completed or no-show only after the end', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:outcome', { settings: { requiresApproval: false } });
    const url = await requestBooking(await t.signIn('student:attendee'), skillId);
    expect((await post(await t.signIn('mentor:outcome'), `${url}/outcome`, { outcome: 'completed' })).status).toBe(409);
    clock.set(new Date('2026-11-23T09:05:00Z'));
    // A day later the old session has timed out: sign in again.
    expect((await post(await t.signIn('mentor:outcome'), `${url}/outcome`, { outcome: 'no_show' })).status).toBe(303);
    expect((await t.deps.knex('bookings').where({ id: url.split('/').pop() }).first()).status).toBe('no_show');
  });

  it('a request left unanswered expires after 48 hours and the student is told', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:silent');
    const student = await t.signIn('student:patient');
    const url = await requestBooking(student, skillId, '2026-11-27T08:00:00.000Z'); // Friday
    const service = t.deps.services.bookings;
    const status = async () => (await t.deps.knex('bookings').where({ id: url.split('/').pop() }).first()).status;
    clock.set(new Date('2026-11-24T09:59:00Z'));
    await service.expireDue();
    expect(await status()).toBe('pending');
    clock.set(new Date('2026-11-24T10:00:01Z'));
    await service.expireDue();
    expect(await status()).toBe('expired');
    expect((await (await t.signIn('student:patient')).get(url)).text).toContain('Expired');
    await waitFor(() => t.mails.find((m) => m.to === 'patient@example.test' && m.subject.includes('expired')));
  });

  it('marks notifications read, one or all, only for their owner', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:notified');
    for (const start of [MONDAY_9, '2026-11-24T08:00:00.000Z']) await requestBooking(await t.signIn('student:asker'), skillId, start);
    const mentor = await t.signIn('mentor:notified');
    const ids = (await t.deps.knex('notifications').join('users', 'users.id', 'notifications.userId').where('users.username', 'notified').select('notifications.id')).map((r: { id: string }) => r.id);
    expect(ids).toHaveLength(2);
    expect((await mentor.get('/notifications/bell')).text).toMatch(/bell__count">2</);
    await post(await t.signIn('student:asker'), `/notifications/${ids[0]}/read`);
    expect((await mentor.get('/notifications/bell')).text).toMatch(/bell__count">2</);
    await post(mentor, `/notifications/${ids[0]}/read`);
    expect((await mentor.get('/notifications/bell')).text).toMatch(/bell__count">1</);
    await post(mentor, '/notifications/read');
    expect((await mentor.get('/notifications/bell')).text).not.toContain('bell__count');
  });

  it('serves free slots as JSON', async () => {
    const { mentorId } = await mentorWithSkill(t, 'mentor:api', { rules: [{ weekday: 1, start: '09:00', end: '11:00' }] });
    const json = await t.agent().get(`/api/mentors/${mentorId}/available-slots?duration=60&days=7`);
    expect(json.status).toBe(200);
    expect(json.body.slots.map((s: { datetime: string }) => s.datetime)).toEqual(['2026-11-23T08:00:00.000Z', '2026-11-23T08:30:00.000Z', '2026-11-23T09:00:00.000Z']);
    expect(json.body.slots[0]).toMatchObject({ date: '2026-11-23', dayName: 'Monday', available: true });
    expect((await t.agent().get(`/api/mentors/${mentorId}/available-slots?duration=45`)).status).toBe(422);
    expect((await t.agent().get('/api/mentors/not-a-uuid/available-slots')).status).toBe(404);
  });
});
