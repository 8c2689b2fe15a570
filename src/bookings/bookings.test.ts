import { describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';
import { payAndReturn } from '../../test/helpers/payments.ts';

// Sunday 22 November 2026, 10:00 UTC (11:00 in Paris).
const clock = new FixedClock(new Date('2026-11-22T10:00:00Z'));
const t = await createTestApp({ overrides: { clock } });
// Monday 23 November, 09:00 in Paris = 08:00 UTC: inside the hours, past the 12 h notice.
const MONDAY_9 = '2026-11-23T08:00:00.000Z';

type Agent = Awaited<ReturnType<typeof t.signIn>>;

async function book(agent: Agent, skillId: string, body: Record<string, string> = {}) {
  const token = await t.csrf(agent, '/');
  return agent.post(`/skills/${skillId}/bookings`).type('form')
    .send({ _csrf: token, start: MONDAY_9, duration: '60', subject: 'Review my async code', ...body });
}

async function hold(agent: Agent, skillId: string, start = MONDAY_9, duration = '60', partial = false) {
  const token = await t.csrf(agent, '/');
  const req = agent.post(`/skills/${skillId}/holds`).type('form');
  if (partial) req.set('HX-Request', 'true').set('HX-Request-Type', 'partial');
  return req.send({ _csrf: token, start, duration });
}

const slotButtons = (html: string) => [...html.matchAll(/name="start" value="([^"]+)"/g)].map((m) => m[1]);

describe('the three-step flow', () => {
  it('prices a longer session pro rata in whole cents: 90 minutes of a 60/90 skill at 25,50 is 38,25', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:prorata', { payable: true, skill: { priceCents: 2550, durations: [60, 90] } });
    const student = await t.signIn('student:prorated');
    expect((await student.get(`/skills/${skillId}/book?duration=90`)).text).toContain('€38.25');
    expect((await hold(student, skillId, MONDAY_9, '90')).status).toBe(303);
    const checkout = await book(student, skillId, { duration: '90' });
    expect(checkout.status).toBe(303);
    expect(await t.deps.knex('checkouts').where({ skillId }).first()).toMatchObject({ amount: 3825 });
    const done = await payAndReturn(t, student, checkout.headers.location!);
    expect(done.status).toBe(303);
    const row = await t.deps.knex('bookings').where({ id: done.headers.location!.split('/').pop()! }).first();
    expect(row).toMatchObject({ durationMinutes: 90, priceCents: 3825 });
    expect((await student.get(`/bookings/${row.id}`)).text).toContain('€38.25');
  });

  it('holds a slot, reviews the details and sends a pending request to the mentor', async () => {
    const { skillId, mentorId } = await mentorWithSkill(t, 'mentor:flow');
    const student = await t.signIn('student:flowstudent');

    const picker = await student.get(`/skills/${skillId}/book?duration=60`);
    expect(picker.status).toBe(200);
    expect(slotButtons(picker.text)).toContain(MONDAY_9);
    // 10:00 Paris on Sunday is the first slot? No: Sunday has no hours, and the notice rules out Sunday evening.
    expect(slotButtons(picker.text)[0]).toBe(MONDAY_9);

    const held = await hold(student, skillId);
    expect(held.status).toBe(303);
    expect(held.headers.location).toContain('/book/details?start=');
    const details = await student.get(held.headers.location!);
    expect(details.text).toContain('We keep this slot for you until');

    const token = await t.csrf(student, '/');
    const missing = await student.post(`/skills/${skillId}/book/summary`).type('form').send({ _csrf: token, start: MONDAY_9, duration: '60', subject: '' });
    expect(missing.status).toBe(422);
    expect(missing.text).toContain('id="b-subject-error"');
    const review = await student.post(`/skills/${skillId}/book/summary`).type('form').send({ _csrf: token, start: MONDAY_9, duration: '60', subject: 'Tokio help', message: 'I am stuck on select!' });
    expect(review.status).toBe(200);
    expect(review.text).toContain('Confirm the booking');
    expect(review.text).toContain('Tokio help');

    const done = await book(student, skillId, { subject: 'Tokio help', message: 'I am stuck on select!' });
    expect(done.status).toBe(303);
    const id = done.headers.location!.split('/').pop()!;
    const row = await t.deps.knex('bookings').where({ id }).first();
    expect(row).toMatchObject({ status: 'pending', mentorId, durationMinutes: 60, subject: 'Tokio help', priceCents: 0 });
    expect(row.startsAt.toISOString()).toBe(MONDAY_9);
    // Pending requests expire after 48 h or at the start, whichever comes first.
    expect(row.expiresAt.toISOString()).toBe(MONDAY_9);
    expect(await t.deps.knex('slotHolds').where({ skillId })).toHaveLength(0);
    const notes = await t.deps.knex('notifications').where({ userId: mentorId });
    expect(notes.map((n: { kind: string }) => n.kind)).toEqual(['booking.requested']);
    const jobs = await t.deps.knex.raw(`select task_identifier from graphile_worker.jobs`);
    expect(jobs.rows.map((r: { task_identifier: string }) => r.task_identifier)).toContain('notification-mail');

    const page = await student.get(`/bookings/${id}`);
    expect(page.text).toContain('Pending');
    expect(page.text).toContain('Tokio help');
  });

  it('swaps steps as fragments for htmx', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:fragments');
    const student = await t.signIn('student:fragstudent');
    const picker = await student.get(`/skills/${skillId}/book`).set('HX-Request', 'true').set('HX-Request-Type', 'partial');
    expect(picker.text.trim().startsWith('<div id="booking-flow"')).toBe(true);
    const step2 = await hold(student, skillId, MONDAY_9, '60', true);
    expect(step2.status).toBe(200);
    expect(step2.text.trim().startsWith('<div id="booking-flow"')).toBe(true);
    expect(step2.text).toContain('name="subject"');
  });

  it('hides a held slot from others and answers 409 with fresh slots', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:held');
    const first = await t.signIn('student:first1');
    const second = await t.signIn('student:second1');
    expect((await hold(first, skillId)).status).toBe(303);
    expect(slotButtons((await second.get(`/skills/${skillId}/book?duration=60`)).text)).not.toContain(MONDAY_9);
    expect(slotButtons((await first.get(`/skills/${skillId}/book?duration=60`)).text)).toContain(MONDAY_9);
    const lost = await hold(second, skillId, MONDAY_9, '60', true);
    expect(lost.status).toBe(409);
    expect(lost.text).toContain('Someone just took this slot');
    expect(slotButtons(lost.text).length).toBeGreaterThan(0);
    // The hold lapses after five minutes.
    clock.advance(5 * 60_000 + 1000);
    expect(slotButtons((await second.get(`/skills/${skillId}/book?duration=60`)).text)).toContain(MONDAY_9);
    clock.set(new Date('2026-11-22T10:00:00Z'));
  });

  it('names each broken rule', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:rules', { skill: { durations: [30, 60] } });
    const student = await t.signIn('student:rulestudent');
    const asJson = async (body: Record<string, string>) => {
      const token = await t.csrf(student, '/');
      return student.post(`/skills/${skillId}/holds`).set('HX-Request', 'true').set('HX-Request-Type', 'partial').type('form').send({ _csrf: token, ...body });
    };
    expect((await asJson({ start: '2026-11-22T16:00:00.000Z', duration: '60' })).text).toContain('starts too soon');
    expect((await asJson({ start: '2026-11-23T19:00:00.000Z', duration: '60' })).text).toContain('outside the mentor');
    expect((await asJson({ start: '2026-12-21T08:00:00.000Z', duration: '60' })).text).toContain('beyond how far ahead');
    expect((await asJson({ start: MONDAY_9, duration: '90' })).text).toContain('not offered');
    // 16:30 Paris: a 60-minute session would end after 17:00.
    expect((await asJson({ start: '2026-11-23T15:30:00.000Z', duration: '60' })).text).toContain('outside the mentor');
    const self = await t.signIn('mentor:rules');
    const token = await t.csrf(self, '/');
    const mine = await self.post(`/skills/${skillId}/bookings`).type('form').send({ _csrf: token, start: MONDAY_9, duration: '60', subject: 'Myself' });
    expect(mine.text).toContain('You cannot book your own skill');
    expect(await t.deps.knex('bookings').where({ skillId })).toHaveLength(0);
  });

  it('keeps the buffer between sessions', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:buffered', { settings: { bufferMinutes: 30, requiresApproval: false } });
    const a = await t.signIn('student:bufa');
    expect((await book(a, skillId)).status).toBe(303);
    const slots = slotButtons((await (await t.signIn('student:bufb')).get(`/skills/${skillId}/book?duration=60`)).text);
    expect(slots).not.toContain('2026-11-23T09:00:00.000Z'); // 10:00 Paris is inside the 30-minute break
    expect(slots).toContain('2026-11-23T09:30:00.000Z');
  });
});

describe('the database has the last word under load', () => {
  it('50 concurrent requests for one slot: exactly one succeeds, 49 get 409', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:popular');
    const students = await Promise.all(Array.from({ length: 50 }, (_, i) => t.signIn(`student:crowd${i}`)));
    const tokens = await Promise.all(students.map((s) => t.csrf(s, '/')));
    const results = await Promise.all(students.map((s, i) =>
      s.post(`/skills/${skillId}/bookings`).type('form').send({ _csrf: tokens[i], start: MONDAY_9, duration: '60', subject: 'Race' })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 303)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    expect(await t.deps.knex('bookings').where({ skillId })).toHaveLength(1);
  });

  it('the exclusion constraint refuses an overlap even when the code is bypassed', async () => {
    const { skillId, mentorId } = await mentorWithSkill(t, 'mentor:constraint');
    const s1 = await t.user('student:cons1');
    const s2 = await t.user('student:cons2');
    const row = (studentId: string, start: string, end: string) => ({ skillId, mentorId, studentId, kind: 'one_on_one', startsAt: start, endsAt: end, durationMinutes: 60, status: 'pending', subject: 'x', priceCents: 100 });
    await t.deps.knex('bookings').insert(row(s1.id, '2026-11-24T10:00Z', '2026-11-24T11:00Z'));
    await expect(t.deps.knex('bookings').insert(row(s2.id, '2026-11-24T10:30Z', '2026-11-24T11:30Z'))).rejects.toMatchObject({ code: '23P01' });
    // Touching is not overlapping, and a cancelled booking frees its time.
    await t.deps.knex('bookings').insert(row(s2.id, '2026-11-24T11:00Z', '2026-11-24T12:00Z'));
    await t.deps.knex('bookings').where({ studentId: s1.id }).update({ status: 'cancelled' });
    await t.deps.knex('bookings').insert(row(s1.id, '2026-11-24T10:00Z', '2026-11-24T11:00Z'));
  });

  it('a group session of 5 seats takes exactly 5 of 50 concurrent students, once each', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:group', { skill: { mode: 'group', durations: [90], startsAt: new Date('2026-11-30T17:00:00Z'), capacity: 5 } });
    const students = await Promise.all(Array.from({ length: 50 }, (_, i) => t.signIn(`student:seat${i}`)));
    const tokens = await Promise.all(students.map((s) => t.csrf(s, '/')));
    const results = await Promise.all(students.map((s, i) => s.post(`/skills/${skillId}/bookings`).type('form').send({ _csrf: tokens[i] })));
    expect(results.filter((r) => r.status === 303)).toHaveLength(5);
    expect(results.filter((r) => r.status === 409)).toHaveLength(45);
    expect((await t.deps.knex('skills').where({ id: skillId }).first()).seatsTaken).toBe(5);
    const winner = students[results.findIndex((r) => r.status === 303)]!;
    const winnerToken = await t.csrf(winner, '/');
    const again = await winner.post(`/skills/${skillId}/bookings`).type('form').send({ _csrf: winnerToken });
    expect(again.status).toBe(409);
    // A cancellation gives the seat back.
    const seat = results.find((r) => r.status === 303)!.headers.location!;
    const cancelled = await winner.post(`${seat}/cancellation`).type('form').send({ _csrf: winnerToken, reason: 'Cannot make it' });
    expect(cancelled.status).toBe(303);
    expect((await t.deps.knex('skills').where({ id: skillId }).first()).seatsTaken).toBe(4);
  });
});
