import { describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';
import { waitFor } from '../../test/helpers/wait.ts';

// Sunday 22 November 2026; Monday 23 at 09:00 in Paris is 08:00 UTC.
const clock = new FixedClock(new Date('2026-11-22T10:00:00Z'));
const t = await createTestApp({ overrides: { clock }, worker: true });
type Agent = Awaited<ReturnType<typeof t.signIn>>;
const MONDAY = '2026-11-23';
const MONDAY_9 = '2026-11-23T08:00:00.000Z';
const MONDAY_11 = '2026-11-23T10:00:00.000Z';

async function post(agent: Agent, path: string, body: Record<string, string> = {}) {
  const token = await t.csrf(agent, '/');
  return agent.post(path).type('form').send({ _csrf: token, ...body });
}

/** A mentor (Mon–Fri 09:00–17:00 Paris) and a booking by `student` at `start`. */
async function booked(mentor: string, student: string, options: { confirmed?: boolean; start?: string } = {}) {
  const { mentorId, skillId } = await mentorWithSkill(t, mentor, { settings: { requiresApproval: !options.confirmed }, skill: { title: `Rust with ${mentor.split(':')[1]}` } });
  const res = await post(await t.signIn(student), `/skills/${skillId}/bookings`, { start: options.start ?? MONDAY_9, duration: '60', subject: 'Lifetimes' });
  expect(res.status).toBe(303);
  return { mentorId, bookingId: res.headers.location!.split('/').pop()! };
}

/** The fields the confirmation step re-posts (the change itself and the ids it listed). */
function stepFields(html: string): Record<string, string> {
  const form = /<form class="card form"[\s\S]*?<\/form>/.exec(html)?.[0] ?? '';
  return Object.fromEntries([...form.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].filter((m) => m[1] !== '_csrf').map((m) => [m[1]!, m[2]!]));
}

const booking = (id: string) => t.deps.knex('bookings').where({ id }).first();
const overridesOf = (mentorId: string) => t.deps.knex('availabilityOverrides').where({ mentorId });

describe('closing time that holds bookings', () => {
  it('time off over a confirmed booking shows the step, lists it, and writes nothing yet', async () => {
    const { mentorId, bookingId } = await booked('mentor:ada', 'student:sam', { confirmed: true });
    const mentor = await t.signIn('mentor:ada');
    const step = await post(mentor, '/availability/overrides', { kind: 'blocked', date: MONDAY, start: '', end: '' });
    expect(step.status).toBe(200);
    expect(step.text).toContain('1 booking is affected');
    expect(step.text).toContain('Sam Test');
    expect(step.text).toContain('Rust with ada');
    expect(step.text).toContain('09:00–10:00'); // the viewer's zone, Paris
    expect(step.text).toContain('Time off on Mon, 23 Nov 2026, all day');
    expect(step.text).toMatch(/name="decision" value="keep"[^>]* checked>/);
    expect(stepFields(step.text)).toMatchObject({ kind: 'blocked', date: MONDAY, affected: bookingId });
    expect(await overridesOf(mentorId)).toHaveLength(0);
    expect((await booking(bookingId)).status).toBe('confirmed');
  });

  it('keep: the booking stays, the time off is saved, and the page says so', async () => {
    const { mentorId, bookingId } = await booked('mentor:keeper', 'student:kim', { confirmed: true });
    const mentor = await t.signIn('mentor:keeper');
    const step = await post(mentor, '/availability/overrides', { kind: 'blocked', date: MONDAY, start: '08:00', end: '12:00' });
    const done = await post(mentor, '/availability/overrides', { ...stepFields(step.text), decision: 'keep' });
    expect(done.status).toBe(303);
    expect((await booking(bookingId)).status).toBe('confirmed');
    expect(await overridesOf(mentorId)).toMatchObject([{ date: MONDAY, kind: 'blocked', startTime: '08:00:00', endTime: '12:00:00' }]);
    const page = await mentor.get('/availability');
    expect(page.text).toContain('1 booking in this time was kept: it still takes place.');
  });

  it('cancel with a reason: the booking is cancelled with it and the student is told (notification and mail)', async () => {
    const { mentorId, bookingId } = await booked('mentor:canceller', 'student:lou', { confirmed: true });
    const mentor = await t.signIn('mentor:canceller');
    const step = await post(mentor, '/availability/overrides', { kind: 'blocked', date: MONDAY });
    const done = await post(mentor, '/availability/overrides', { ...stepFields(step.text), decision: 'cancel', reason: 'I am ill that day' });
    expect(done.status).toBe(303);
    expect(await booking(bookingId)).toMatchObject({ status: 'cancelled', cancelReason: 'I am ill that day', cancelledBy: 'mentor' });
    expect(await overridesOf(mentorId)).toHaveLength(1);
    const student = await t.user('student:lou');
    const notes = await t.deps.knex('notifications').where({ userId: student.id, kind: 'booking.cancelled', bookingId });
    expect(notes).toHaveLength(1);
    expect(notes[0].data.reason).toBe('I am ill that day');
    const mail = await waitFor(() => t.mails.find((m) => m.to === 'lou@example.test' && m.subject.startsWith('Cancelled')));
    expect(mail.subject).toContain('Rust with canceller');
    expect((await mentor.get('/availability')).text).toContain('1 booking was cancelled; the student has been told.');
  });

  it('cancel without a reason: 422 beside the field, nothing written', async () => {
    const { mentorId, bookingId } = await booked('mentor:hasty', 'student:max', { confirmed: true });
    const mentor = await t.signIn('mentor:hasty');
    const step = await post(mentor, '/availability/overrides', { kind: 'blocked', date: MONDAY });
    const bad = await post(mentor, '/availability/overrides', { ...stepFields(step.text), decision: 'cancel', reason: ' ' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('id="blocking-reason-error"');
    expect(bad.text).toContain('give the students a reason');
    expect(bad.text).toMatch(/name="decision" value="cancel"[^>]* checked>/);
    expect(bad.text).toContain('Max Test'); // still listed
    expect(await overridesOf(mentorId)).toHaveLength(0);
    expect((await booking(bookingId)).status).toBe('confirmed');
  });

  it('deleting or pausing the weekly hours that hold a pending booking asks first', async () => {
    const { mentorId, bookingId } = await booked('mentor:weekly2', 'student:pia');
    expect((await booking(bookingId)).status).toBe('pending');
    const rule = await t.deps.knex('availabilityRules').where({ mentorId, weekday: 1 }).first();
    const mentor = await t.signIn('mentor:weekly2');
    for (const [path, body] of [[`/availability/rules/${rule.id}/deletion`, {}], [`/availability/rules/${rule.id}`, { active: 'false' }]] as const) {
      const step = await post(mentor, path, body);
      expect(step.status).toBe(200);
      expect(step.text).toContain('Pia Test');
      expect(step.text).toContain('Pending');
      expect(await t.deps.knex('availabilityRules').where({ id: rule.id }).first()).toMatchObject({ active: true });
    }
    const step = await post(mentor, `/availability/rules/${rule.id}/deletion`);
    expect(step.text).toContain('Removing Monday 09:00–17:00');
    expect((await post(mentor, `/availability/rules/${rule.id}/deletion`, { ...stepFields(step.text), decision: 'keep' })).status).toBe(303);
    expect(await t.deps.knex('availabilityRules').where({ id: rule.id }).first()).toBeUndefined();
    expect((await booking(bookingId)).status).toBe('pending');
  });

  it('removing extra hours that hold a booking asks first', async () => {
    const { mentorId, skillId } = await mentorWithSkill(t, 'mentor:extra', { rules: [], settings: { requiresApproval: false } });
    const mentor = await t.signIn('mentor:extra');
    expect((await post(mentor, '/availability/overrides', { kind: 'extra', date: '2026-11-29', start: '10:00', end: '12:00' })).status).toBe(303);
    const res = await post(await t.signIn('student:sunday'), `/skills/${skillId}/bookings`, { start: '2026-11-29T09:00:00.000Z', duration: '60', subject: 'Sunday' });
    expect(res.status).toBe(303);
    const extra = await overridesOf(mentorId).first();
    const step = await post(mentor, `/availability/overrides/${extra.id}/deletion`);
    expect(step.status).toBe(200);
    expect(step.text).toContain('Removing the extra hours on Sun, 29 Nov 2026, 10:00–12:00');
    expect(step.text).toContain('Sunday Test');
  });

  it('a change that affects no booking applies at once', async () => {
    const { mentorId, bookingId } = await booked('mentor:free', 'student:ned', { confirmed: true });
    const mentor = await t.signIn('mentor:free');
    // The afternoon of the same day, and another day.
    expect((await post(mentor, '/availability/overrides', { kind: 'blocked', date: MONDAY, start: '14:00', end: '17:00' })).status).toBe(303);
    expect((await post(mentor, '/availability/overrides', { kind: 'blocked', date: '2026-11-24' })).status).toBe(303);
    const tuesday = await t.deps.knex('availabilityRules').where({ mentorId, weekday: 2 }).first();
    expect((await post(mentor, `/availability/rules/${tuesday.id}/deletion`)).status).toBe(303);
    expect(await overridesOf(mentorId)).toHaveLength(2);
    expect((await booking(bookingId)).status).toBe('confirmed');
    // One message: the Undo toast names what went (no second "removed" flash above it).
    const page = (await mentor.get('/availability')).text;
    expect(page).toContain('Removed: Tuesday');
    expect(page).not.toContain('These hours have been removed.');
  });

  it('a booking outside the new availability but not inside the old one is not listed', async () => {
    // Booked while Monday was open, then Monday 09:00–12:00 blocked and kept: blocking
    // the whole Monday later does not ask again about the same booking.
    const { bookingId } = await booked('mentor:twice', 'student:ola', { confirmed: true });
    const mentor = await t.signIn('mentor:twice');
    const step = await post(mentor, '/availability/overrides', { kind: 'blocked', date: MONDAY, start: '09:00', end: '12:00' });
    await post(mentor, '/availability/overrides', { ...stepFields(step.text), decision: 'keep' });
    expect((await post(mentor, '/availability/overrides', { kind: 'blocked', date: MONDAY })).status).toBe(303);
    expect((await booking(bookingId)).status).toBe('confirmed');
  });

  it('never lists, nor cancels, another mentor\'s booking', async () => {
    const mine = await booked('mentor:mine', 'student:una', { confirmed: true });
    const theirs = await booked('mentor:theirs', 'student:vic', { confirmed: true });
    const mentor = await t.signIn('mentor:mine');
    const step = await post(mentor, '/availability/overrides', { kind: 'blocked', date: MONDAY });
    expect(step.text).toContain('Una Test');
    expect(step.text).not.toContain('Vic Test');
    expect(stepFields(step.text).affected).toBe(mine.bookingId);
    // Naming the other mentor's booking in the answer does not make it affected.
    const forged = await post(mentor, '/availability/overrides', { ...stepFields(step.text), affected: `${mine.bookingId},${theirs.bookingId}`, decision: 'cancel', reason: 'Away' });
    expect(forged.status).toBe(409);
    expect(forged.text).not.toContain('Vic Test');
    expect((await post(mentor, '/availability/overrides', { ...stepFields(step.text), decision: 'cancel', reason: 'Away' })).status).toBe(303);
    expect((await booking(mine.bookingId)).status).toBe('cancelled');
    expect((await booking(theirs.bookingId)).status).toBe('confirmed');
  });

  it('shows the step again when the affected bookings changed meanwhile', async () => {
    const first = await booked('mentor:busy', 'student:wes', { confirmed: true });
    const mentor = await t.signIn('mentor:busy');
    const step = await post(mentor, '/availability/overrides', { kind: 'blocked', date: MONDAY });
    const skill = await t.deps.knex('skills').where({ mentorId: first.mentorId }).first();
    const later = await post(await t.signIn('student:xia'), `/skills/${skill.id}/bookings`, { start: MONDAY_11, duration: '60', subject: 'Traits' });
    expect(later.status).toBe(303);
    const again = await post(mentor, '/availability/overrides', { ...stepFields(step.text), decision: 'cancel', reason: 'Conference' });
    expect(again.status).toBe(409);
    expect(again.text).toContain('The affected bookings have changed');
    expect(again.text).toContain('2 bookings are affected');
    expect(again.text).toContain('Xia Test');
    expect(await overridesOf(first.mentorId)).toHaveLength(0);
    expect((await booking(first.bookingId)).status).toBe('confirmed');
    expect((await post(mentor, '/availability/overrides', { ...stepFields(again.text), decision: 'cancel', reason: 'Conference' })).status).toBe(303);
    const rows = await t.deps.knex('bookings').where({ mentorId: first.mentorId }).orderBy('startsAt');
    expect(rows.map((r: { status: string }) => r.status)).toEqual(['cancelled', 'cancelled']);
    expect((await mentor.get('/availability')).text).toContain('2 bookings were cancelled; their students have been told.');
  });

  it('leaves group-session seats out of it', async () => {
    const { skillId, mentorId } = await mentorWithSkill(t, 'mentor:group', { skill: { mode: 'group', startsAt: new Date(MONDAY_9), capacity: 5, durations: [60] } });
    expect((await post(await t.signIn('student:yan'), `/skills/${skillId}/bookings`, {})).status).toBe(303);
    expect(await t.deps.knex('bookings').where({ mentorId, kind: 'group' })).toHaveLength(1);
    expect((await post(await t.signIn('mentor:group'), '/availability/overrides', { kind: 'blocked', date: MONDAY })).status).toBe(303);
  });
});
