// Undo of a removed range: the toast's POST form puts back exactly that range, for its
// owner only, within 10 minutes, once; a range that would now overlap stays out, said so.
import { describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';

const START = new Date('2026-11-22T10:00:00Z');
const clock = new FixedClock(START);
const t = await createTestApp({ overrides: { clock } });
type Agent = Awaited<ReturnType<typeof t.signIn>>;

async function post(agent: Agent, path: string, body: Record<string, string> = {}) {
  const token = await t.csrf(agent, '/profile');
  return agent.post(path).type('form').send({ _csrf: token, ...body });
}

const rulesOf = (username: string) => t.deps.knex('availabilityRules').join('users', 'users.id', 'availabilityRules.mentorId')
  .where('users.username', username).orderBy('startTime').select('weekday', 'startTime', 'endTime', 'active', 'availabilityRules.id');
const overridesOf = (username: string) => t.deps.knex('availabilityOverrides').join('users', 'users.id', 'availabilityOverrides.mentorId')
  .where('users.username', username).select('date', 'kind', 'startTime', 'endTime', 'note', 'availabilityOverrides.id');

/** Removes, then reads the toast on the page the removal lands on: its Undo id. */
async function removeAndReadToast(agent: Agent, path: string): Promise<string> {
  const removed = await post(agent, path);
  expect(removed.status).toBe(303);
  expect(removed.headers.location).toBe('/availability');
  const page = await agent.get('/availability');
  expect(page.text).toContain('You can undo this for 10 minutes.');
  expect(page.text).toContain('action="/availability/restorations"');
  // Shown once: a later visit has no toast.
  expect((await agent.get('/availability')).text).not.toContain('action="/availability/restorations"');
  return /name="removal" value="([^"]+)"/.exec(page.text)![1]!;
}

describe('undo a removed range', () => {
  it('puts back exactly the weekly range removed (paused stays paused), once', async () => {
    const mentor = await t.signIn('mentor:undoer');
    expect((await post(mentor, '/availability/rules', { weekday: '2', start: '09:30', end: '12:00' })).status).toBe(303);
    const [rule] = await rulesOf('undoer');
    expect((await post(mentor, `/availability/rules/${rule.id}`, { active: 'false' })).status).toBe(303);
    const before = (await rulesOf('undoer')).map(({ id: _id, ...r }) => r);
    const removal = await removeAndReadToast(mentor, `/availability/rules/${rule.id}/deletion`);
    expect(await rulesOf('undoer')).toHaveLength(0);

    const undone = await post(mentor, '/availability/restorations', { removal });
    expect(undone.status).toBe(303);
    expect((await mentor.get('/availability')).text).toContain('The range is back.');
    expect((await rulesOf('undoer')).map(({ id: _id, ...r }) => r)).toEqual(before);
    // A replay finds nothing.
    expect((await post(mentor, '/availability/restorations', { removal })).status).toBe(404);
    expect(await rulesOf('undoer')).toHaveLength(1);
  });

  it('puts back a removed date exception with its note', async () => {
    const mentor = await t.signIn('mentor:undoextra');
    expect((await post(mentor, '/availability/overrides', { kind: 'extra', date: '2026-11-29', start: '10:00', end: '12:00', note: 'Sunday special' })).status).toBe(303);
    const [before] = await overridesOf('undoextra');
    const removal = await removeAndReadToast(mentor, `/availability/overrides/${before.id}/deletion`);
    expect(await overridesOf('undoextra')).toHaveLength(0);
    expect((await post(mentor, '/availability/restorations', { removal })).status).toBe(303);
    const [after] = await overridesOf('undoextra');
    expect({ ...after, id: undefined }).toEqual({ ...before, id: undefined });
  });

  it('another mentor cannot use the undo (404), and nothing comes back for them', async () => {
    const owner = await t.signIn('mentor:undoowner');
    await post(owner, '/availability/rules', { weekday: '4', start: '08:00', end: '10:00' });
    const [rule] = await rulesOf('undoowner');
    const removal = await removeAndReadToast(owner, `/availability/rules/${rule.id}/deletion`);
    const attacker = await t.signIn('mentor:undothief');
    expect((await post(attacker, '/availability/restorations', { removal })).status).toBe(404);
    expect(await rulesOf('undothief')).toHaveLength(0);
    expect(await rulesOf('undoowner')).toHaveLength(0);
    // The owner still can.
    expect((await post(owner, '/availability/restorations', { removal })).status).toBe(303);
    expect(await rulesOf('undoowner')).toHaveLength(1);
  });

  it('refuses, with a clear message, a range that now overlaps, and an undo after 10 minutes', async () => {
    const mentor = await t.signIn('mentor:undolate');
    await post(mentor, '/availability/rules', { weekday: '5', start: '09:00', end: '12:00' });
    const [rule] = await rulesOf('undolate');
    const removal = await removeAndReadToast(mentor, `/availability/rules/${rule.id}/deletion`);
    await post(mentor, '/availability/rules', { weekday: '5', start: '11:00', end: '13:00' });
    expect((await post(mentor, '/availability/restorations', { removal })).status).toBe(303);
    expect((await mentor.get('/availability')).text).toContain('The range cannot come back: it now overlaps 11:00–13:00.');
    expect((await rulesOf('undolate')).map((r) => r.startTime)).toEqual(['11:00:00']);

    const [other] = await rulesOf('undolate');
    const late = await removeAndReadToast(mentor, `/availability/rules/${other.id}/deletion`);
    clock.set(new Date(START.getTime() + 10 * 60_000 + 1000));
    try {
      expect((await post(mentor, '/availability/restorations', { removal: late })).status).toBe(303);
      expect((await mentor.get('/availability')).text).toContain('Too late to undo');
      expect(await rulesOf('undolate')).toHaveLength(0);
    } finally {
      clock.set(START);
    }
  });
});
