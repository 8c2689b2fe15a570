import { describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { refusedPage } from '../../test/helpers/refused-form.ts';

const clock = new FixedClock(new Date('2026-11-22T10:00:00Z'));
const t = await createTestApp({ overrides: { clock } });

async function post(agent: Awaited<ReturnType<typeof t.signIn>>, path: string, body: Record<string, unknown>) {
  const token = await t.csrf(agent, '/availability');
  return agent.post(path).type('form').send({ _csrf: token, ...body });
}

describe('availability editor', () => {
  it('is for mentors only', async () => {
    expect((await (await t.signIn('student:nosy')).get('/availability')).status).toBe(403);
    expect((await t.agent().get('/availability')).status).toBe(303);
  });

  it('adds weekly ranges and shows them in the week', async () => {
    const mentor = await t.signIn('mentor:weekly');
    expect((await post(mentor, '/availability/rules', { weekday: '1', start: '09:00', end: '12:00' })).status).toBe(303);
    expect((await post(mentor, '/availability/rules', { weekday: '1', start: '14:00', end: '18:30' })).status).toBe(303);
    const page = await mentor.get('/availability');
    expect(page.text).toContain('09:00–12:00');
    expect(page.text).toContain('14:00–18:30');
    expect(page.text).toContain('7.5 h open per week');
  });

  it('refuses an end before the start, an off-grid time and an overlap, beside the field', async () => {
    const mentor = await t.signIn('mentor:careful');
    await post(mentor, '/availability/rules', { weekday: '2', start: '09:00', end: '12:00' });
    const backwards = await refusedPage(mentor, await post(mentor, '/availability/rules', { weekday: '2', start: '15:00', end: '13:00' }), '/availability');
    expect(backwards.text).toContain('id="rule-end-error"');
    const offGrid = await refusedPage(mentor, await post(mentor, '/availability/rules', { weekday: '2', start: '15:10', end: '16:00' }));
    expect(offGrid.text).toContain('id="rule-start-error"');
    const overlap = await refusedPage(mentor, await post(mentor, '/availability/rules', { weekday: '2', start: '11:30', end: '13:00' }));
    expect(overlap.text).toContain('This overlaps 09:00–12:00');
    // Touching ranges are fine.
    expect((await post(mentor, '/availability/rules', { weekday: '2', start: '12:00', end: '13:00' })).status).toBe(303);
    const rows = await t.deps.knex('availabilityRules').join('users', 'users.id', 'availabilityRules.mentorId').where('users.username', 'careful');
    expect(rows).toHaveLength(2);
  });

  it('pauses, resumes and deletes only the mentor\'s own ranges', async () => {
    const owner = await t.signIn('mentor:owner2');
    await post(owner, '/availability/rules', { weekday: '3', start: '08:00', end: '10:00' });
    const rule = await t.deps.knex('availabilityRules').join('users', 'users.id', 'availabilityRules.mentorId').where('users.username', 'owner2').first('availabilityRules.id');
    const other = await t.signIn('mentor:other2');
    expect((await post(other, `/availability/rules/${rule.id}`, { active: 'false' })).status).toBe(404);
    expect((await post(other, `/availability/rules/${rule.id}/deletion`, {})).status).toBe(404);
    expect((await post(owner, `/availability/rules/${rule.id}`, { active: 'false' })).status).toBe(303);
    expect((await t.deps.knex('availabilityRules').where({ id: rule.id }).first()).active).toBe(false);
    expect((await post(owner, `/availability/rules/${rule.id}/deletion`, {})).status).toBe(303);
    expect(await t.deps.knex('availabilityRules').where({ id: rule.id }).first()).toBeUndefined();
  });

  it('adds date exceptions and refuses past dates and half-given times', async () => {
    const mentor = await t.signIn('mentor:exceptional', { timezone: 'Africa/Dakar' });
    expect((await post(mentor, '/availability/overrides', { kind: 'extra', date: '2026-11-29', start: '10:00', end: '12:00' })).status).toBe(303);
    expect((await post(mentor, '/availability/overrides', { kind: 'blocked', date: '2026-12-25', start: '', end: '' })).status).toBe(303);
    const past = await refusedPage(mentor, await post(mentor, '/availability/overrides', { kind: 'blocked', date: '2026-11-21' }), '/availability');
    expect(past.text).toContain('id="override-date-error"');
    await refusedPage(mentor, await post(mentor, '/availability/overrides', { kind: 'blocked', date: '2026-12-24', start: '10:00', end: '' }));
    const page = await mentor.get('/availability');
    expect(page.text).toContain('10:00–12:00');
    expect(page.text).toContain('all day');
    const rows = await t.deps.knex('availabilityOverrides').join('users', 'users.id', 'availabilityOverrides.mentorId').where('users.username', 'exceptional').orderBy('date');
    expect(rows.map((r: { date: string }) => r.date)).toEqual(['2026-11-29', '2026-12-25']);
  });

  it('saves the booking rules', async () => {
    const mentor = await t.signIn('mentor:ruled');
    expect((await post(mentor, '/availability/settings', { minNoticeHours: '24', windowDays: '30', bufferMinutes: '15' })).status).toBe(303);
    const row = await t.deps.knex('mentorSettings').join('users', 'users.id', 'mentorSettings.mentorId').where('users.username', 'ruled').first();
    expect(row).toMatchObject({ minNoticeMinutes: 1440, windowDays: 30, bufferMinutes: 15, requiresApproval: false });
    const bad = await refusedPage(mentor, await post(mentor, '/availability/settings', { minNoticeHours: '-1', windowDays: '0', bufferMinutes: '7' }), '/availability');
    for (const f of ['minNoticeHours', 'windowDays', 'bufferMinutes']) expect(bad.text).toContain(`id="f-${f}-error"`);
  });
});
