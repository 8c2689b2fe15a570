// The skill page of a group session says what the viewer's calendar says: a seat they
// hold (link to it) or another session of theirs at that time, instead of the
// "Reserve a seat" button whose submit would only be refused with a 409.
import { describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';

// Sunday 22 November 2026, 10:00 UTC; the session is Monday 23 November, 10:00-11:00 UTC.
const clock = new FixedClock(new Date('2026-11-22T10:00:00Z'));
const t = await createTestApp({ overrides: { clock } });
const MONDAY = new Date('2026-11-23T10:00:00.000Z');

const bookSeat = 'Reserve a seat';
const haveSeat = 'You have a seat in this session.';
const busy = 'You already have a session then';

async function seatIn(skillId: string, fixture: string, locale: 'en' | 'fr' = 'en') {
  const student = await t.signIn(fixture, { locale });
  const token = await t.csrf(student, '/');
  const res = await student.post(`/skills/${skillId}/bookings`).type('form').send({ _csrf: token, message: 'See you there' });
  expect(res.status).toBe(303);
  return { student, bookingId: String(res.headers.location).split('/').pop() };
}

describe('a group session page', () => {
  it('shows a seated student their seat with a link to the booking, and no button', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:seatpage', { skill: { mode: 'group', durations: [60], startsAt: MONDAY, capacity: 4 } });
    const { student, bookingId } = await seatIn(skillId, 'student:seatpagekid');
    const page = await student.get(`/skills/${skillId}`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(new RegExp(`id="skill-seat"><p>${haveSeat}</p><a[^>]*href="/bookings/${bookingId}"`));
    expect(page.text).not.toContain(bookSeat);
  });

  it('tells a student busy at that time so, with a link to their bookings, and no button', async () => {
    const group = await mentorWithSkill(t, 'mentor:seatpagebusy', { skill: { mode: 'group', durations: [60], startsAt: MONDAY, capacity: 4 } });
    // A seat in another group session at the same hour takes the student's time.
    const other = await mentorWithSkill(t, 'mentor:seatpageother', { skill: { mode: 'group', durations: [60], startsAt: new Date('2026-11-23T10:30:00.000Z'), capacity: 4 } });
    const { student } = await seatIn(other.skillId, 'student:seatpagebusykid');
    const page = await student.get(`/skills/${group.skillId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(busy);
    expect(page.text).toMatch(/id="skill-seat"><p>[^<]*<\/p><a[^>]*href="\/bookings"/);
    expect(page.text).not.toContain(bookSeat);
    expect(page.text).not.toContain(haveSeat);
  });

  it('offers an ordinary student (and a visitor) the button', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:seatpagefree', { skill: { mode: 'group', durations: [60], startsAt: MONDAY, capacity: 4 } });
    await seatIn(skillId, 'student:seatpagepeer');
    for (const agent of [await t.signIn('student:seatpagefreekid'), t.agent()]) {
      const page = await agent.get(`/skills/${skillId}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain(bookSeat);
      expect(page.text).not.toContain('id="skill-seat"');
    }
  });

  it('speaks French to a French student', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:seatpagefr', { skill: { mode: 'group', durations: [60], startsAt: MONDAY, capacity: 4 } });
    const { student } = await seatIn(skillId, 'student:seatpagefrkid', 'fr');
    const page = await student.get(`/skills/${skillId}`);
    expect(page.text).toContain('Vous avez une place dans cette session.');
  });
});
