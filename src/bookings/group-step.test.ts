// The group seat step (views/bookings/_flow.eta, step 'group'): a bad body is shown
// beside its field with what was typed kept, and the step says what the viewer's own
// calendar says (a seat already held, another session at that time) instead of a
// button that would only be refused.
import { describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';

// Sunday 22 November 2026, 10:00 UTC (11:00 in Paris).
const clock = new FixedClock(new Date('2026-11-22T10:00:00Z'));
const t = await createTestApp({ overrides: { clock } });
// Monday 23 November, 11:00 in Paris = 10:00 UTC.
const MONDAY_11 = '2026-11-23T10:00:00.000Z';

type Agent = Awaited<ReturnType<typeof t.signIn>>;

const groupOf = (fixture: string, capacity = 5) =>
  mentorWithSkill(t, fixture, { skill: { mode: 'group', durations: [60], startsAt: new Date(MONDAY_11), capacity } });

async function join(agent: Agent, skillId: string, body: Record<string, string | string[]>, partial = false) {
  const token = await t.csrf(agent, '/');
  const req = agent.post(`/skills/${skillId}/bookings`).type('form');
  if (partial) req.set('HX-Request', 'true').set('HX-Request-Type', 'partial');
  return req.send({ _csrf: token, ...body });
}

const reserveButton = 'Reserve my seat';
const seatsOf = async (skillId: string) => (await t.deps.knex('skills').where({ id: skillId }).first()).seatsTaken as number;

describe('the group seat step', () => {
  it('shows a too-long message beside its field, keeps it, and books nothing (fragment and page)', async () => {
    const { skillId } = await groupOf('mentor:grouplong');
    const student = await t.signIn('student:grouplongkid');
    const long = 'x'.repeat(1001);

    const fragment = await join(student, skillId, { message: long }, true);
    expect(fragment.status).toBe(422);
    // The htmx swap target alone, not a page around it.
    expect(fragment.text).not.toContain('<html');
    expect(fragment.text).toContain('id="booking-flow"');
    expect(fragment.text).toMatch(/class="field__error" id="b-message-error">[^<]*1000/);
    expect(fragment.text).toContain(`>${long}</textarea>`);
    expect(fragment.text).toContain(reserveButton);

    const page = await join(student, skillId, { message: long });
    expect(page.status).toBe(422);
    expect(page.text).toContain('<html');
    expect(page.text).toContain('id="b-message-error"');
    expect(page.text).toContain(`>${long}</textarea>`);

    expect(await t.deps.knex('bookings').where({ skillId })).toHaveLength(0);
    expect(await seatsOf(skillId)).toBe(0);
  });

  it('answers a repeated message field with 422 beside the field, not a server error', async () => {
    const { skillId } = await groupOf('mentor:grouprepeat');
    const student = await t.signIn('student:grouprepeatkid');
    const res = await join(student, skillId, { message: ['one', 'two'] });
    expect(res.status).toBe(422);
    expect(res.text).toContain('id="b-message-error">This value is not valid.');
    expect(await t.deps.knex('bookings').where({ skillId })).toHaveLength(0);
  });

  it('tells a student who has a seat so, with a link to the booking, instead of the button', async () => {
    const { skillId } = await groupOf('mentor:groupseat');
    const student = await t.signIn('student:groupseatkid');
    const booked = await join(student, skillId, { message: 'See you there' });
    expect(booked.status).toBe(303);
    const bookingId = String(booked.headers.location).split('/').pop();

    const step = await student.get(`/skills/${skillId}/book`);
    expect(step.status).toBe(200);
    expect(step.text).toContain('You have a seat in this session.');
    expect(step.text).toContain(`href="/bookings/${bookingId}"`);
    expect(step.text).not.toContain(reserveButton);

    // A seat given up is no seat: the button is back.
    const token = await t.csrf(student, `/bookings/${bookingId}`);
    expect((await student.post(`/bookings/${bookingId}/cancellation`).type('form').send({ _csrf: token, reason: 'Cannot make it' })).status).toBe(303);
    const again = await student.get(`/skills/${skillId}/book`);
    expect(again.text).not.toContain('You have a seat in this session.');
    expect(again.text).toContain(reserveButton);
  });

  it('tells a student whose calendar is taken at that time, without a button', async () => {
    const group = await groupOf('mentor:groupbusy');
    // Another mentor's one-on-one at 11:30 Paris overlaps the 11:00-12:00 session.
    const other = await mentorWithSkill(t, 'mentor:groupbusyother', { settings: { minNoticeMinutes: 60 } });
    const student = await t.signIn('student:groupbusykid');
    const token = await t.csrf(student, '/');
    const request = await student.post(`/skills/${other.skillId}/bookings`).type('form')
      .send({ _csrf: token, start: '2026-11-23T10:30:00.000Z', duration: '60', subject: 'Review my code' });
    expect(request.status).toBe(303);

    const step = await student.get(`/skills/${group.skillId}/book`).set('HX-Request', 'true').set('HX-Request-Type', 'partial');
    expect(step.status).toBe(200);
    expect(step.text).toContain('You already have a session then');
    expect(step.text).not.toContain(reserveButton);

    // Someone free at that time still gets the button.
    const free = await t.signIn('student:groupfreekid');
    const theirs = await free.get(`/skills/${group.skillId}/book`);
    expect(theirs.text).not.toContain('You already have a session then');
    expect(theirs.text).toContain(reserveButton);
  });

  it('re-renders a refused seat with the reason and what the step now knows', async () => {
    const { skillId } = await groupOf('mentor:grouptwice');
    const student = await t.signIn('student:grouptwicekid');
    expect((await join(student, skillId, {})).status).toBe(303);
    const twice = await join(student, skillId, {}, true);
    expect(twice.status).toBe(409);
    expect(twice.text).toContain('role="alert"');
    expect(twice.text).toContain('You have a seat in this session.');
    expect(twice.text).not.toContain(reserveButton);
    expect(await seatsOf(skillId)).toBe(1);
  });
});
