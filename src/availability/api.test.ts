import { describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';

// Sunday 22 November 2026; Monday 23 at 09:00 in Paris is 08:00 UTC.
const clock = new FixedClock(new Date('2026-11-22T10:00:00Z'));
const t = await createTestApp({ overrides: { clock } });
const MONDAY = '2026-11-23';

async function api(fixture: string) {
  const user = await t.user(fixture);
  const auth = `Bearer ${(await t.deps.services.tokens.issueAccess(user)).accessToken}`;
  const call = (method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string, body?: object) => {
    const req = t.agent()[method](`/api/v1${path}`).set('Authorization', auth);
    return body ? req.send(body) : req;
  };
  return call;
}

const problem = (res: { text: string }) => JSON.parse(res.text) as { code: string; affected?: string[]; errors?: { name: string }[] };

/** A mentor (Mon–Fri 09:00–17:00 Paris) with a booking on Monday 09:00 Paris, confirmed or pending. */
async function booked(mentor: string, status: 'confirmed' | 'pending') {
  const { mentorId, skillId } = await mentorWithSkill(t, mentor, { settings: { requiresApproval: status === 'pending' } });
  const student = await t.user(`student:${mentor.split(':')[1]}_s`);
  const b = await t.deps.services.bookings.request(student.id, skillId, { start: new Date('2026-11-23T08:00:00Z'), durationMinutes: 60, subject: 'Lifetimes' });
  expect(b.status).toBe(status);
  const rule = await t.deps.knex('availabilityRules').where({ mentorId, weekday: 1 }).first('id');
  return { mentorId, bookingId: b.id, mondayRule: (rule as { id: string }).id };
}

const statusOf = async (id: string) => ((await t.deps.knex('bookings').where({ id }).first('status')) as { status: string }).status;

describe('a mentor\'s availability through the API', () => {
  it('reads the weekly hours, exceptions and settings; adds hours; refuses overlaps and bad input with 422', async () => {
    const { mentorId } = await booked('mentor:avail_api_read', 'confirmed');
    const call = await api('mentor:avail_api_read');
    const res = await call('get', '/me/availability');
    expect(res.status).toBe(200);
    expect(res.body.zone).toBe('Europe/Paris');
    expect(res.body.rules).toHaveLength(5);
    expect(res.body.rules[0]).toMatchObject({ weekday: 1, start: '09:00', end: '17:00', active: true });
    expect(res.body.settings).toMatchObject({ requiresApproval: false, bufferMinutes: 0 });

    const added = await call('post', '/me/availability/rules', { weekday: 6, start: '10:00', end: '12:30' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ weekday: 6, start: '10:00', end: '12:30', active: true });
    const overlap = await call('post', '/me/availability/rules', { weekday: 6, start: '12:00', end: '14:00' });
    expect(overlap.status).toBe(422);
    for (const body of [{ weekday: 8, start: '10:00', end: '11:00' }, { weekday: 6, start: '10:15', end: '11:00' }, { weekday: 6, start: '11:00', end: '10:00' }]) {
      expect((await call('post', '/me/availability/rules', body)).status, JSON.stringify(body)).toBe(422);
    }
    expect(await t.deps.knex('availabilityRules').where({ mentorId, weekday: 6 })).toHaveLength(1);

    const settings = await call('put', '/me/availability/settings', { minNoticeMinutes: 1440, windowDays: 30, seriesWindowDays: 60, bufferMinutes: 15, requiresApproval: true });
    expect(settings.status).toBe(200);
    expect((await call('get', '/me/availability')).body.settings).toEqual({ minNoticeMinutes: 1440, windowDays: 30, seriesWindowDays: 60, bufferMinutes: 15, requiresApproval: true });
    const valid = { minNoticeMinutes: 60, windowDays: 30, seriesWindowDays: 60, bufferMinutes: 0, requiresApproval: true };
    for (const [change, field] of [[{ minNoticeMinutes: 90 }, 'minNoticeMinutes'], [{ bufferMinutes: 7 }, 'bufferMinutes'], [{ windowDays: '30' }, 'windowDays']] as const) {
      const bad = await call('put', '/me/availability/settings', { ...valid, ...change });
      expect(bad.status, field).toBe(422);
      expect(problem(bad).errors!.map((e) => e.name)).toEqual([field]);
    }
    const shortSeries = await call('put', '/me/availability/settings', { minNoticeMinutes: 60, windowDays: 30, seriesWindowDays: 10, bufferMinutes: 0, requiresApproval: true });
    expect(problem(shortSeries).errors!.map((e) => e.name)).toEqual(['seriesWindowDays']);
  });

  it('never closes booked time silently: 409 bookings_affected lists them, a decision naming them applies it', async () => {
    const { mentorId, bookingId } = await booked('mentor:avail_api_off', 'confirmed');
    const call = await api('mentor:avail_api_off');
    const off = { date: MONDAY, kind: 'blocked', start: '08:00', end: '12:00' };
    const refused = await call('post', '/me/availability/overrides', off);
    expect(refused.status).toBe(409);
    expect(problem(refused)).toMatchObject({ code: 'bookings_affected', affected: [bookingId] });
    expect(await t.deps.knex('availabilityOverrides').where({ mentorId })).toEqual([]);

    const wrongSet = await call('post', '/me/availability/overrides', { ...off, decision: { decision: 'keep', affected: [] } });
    expect(wrongSet.status).toBe(409);
    const noReason = await call('post', '/me/availability/overrides', { ...off, decision: { decision: 'cancel', affected: [bookingId] } });
    expect(noReason.status).toBe(422);
    expect(problem(noReason).errors!.map((e) => e.name)).toEqual(['decision.reason']);

    const kept = await call('post', '/me/availability/overrides', { ...off, decision: { decision: 'keep', affected: [bookingId] } });
    expect(kept.status).toBe(201);
    expect(kept.body).toMatchObject({ override: { date: MONDAY, kind: 'blocked', start: '08:00', end: '12:00' }, bookingsKept: 1, bookingsCancelled: 0 });
    expect(await statusOf(bookingId)).toBe('confirmed');
  });

  it('pausing or removing hours that hold a booking asks first, and cancel ends it with the reason', async () => {
    const { bookingId, mondayRule } = await booked('mentor:avail_api_pause', 'pending');
    const call = await api('mentor:avail_api_pause');
    const pause = await call('patch', `/me/availability/rules/${mondayRule}`, { active: false });
    expect(pause.status).toBe(409);
    expect(problem(pause).affected).toEqual([bookingId]);
    const del = await call('delete', `/me/availability/rules/${mondayRule}`);
    expect(del.status).toBe(409);
    expect(problem(del).affected).toEqual([bookingId]);

    const done = await call('delete', `/me/availability/rules/${mondayRule}?decision=cancel&affected=${bookingId}&reason=${encodeURIComponent('Moving house that week')}`);
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ bookingsKept: 0, bookingsCancelled: 1 });
    // A pending request is declined, as on the page.
    expect(await t.deps.knex('bookings').where({ id: bookingId }).first('status', 'rejectReason')).toEqual({ status: 'rejected', rejectReason: 'Moving house that week' });
    expect(await t.deps.knex('availabilityRules').where({ id: mondayRule })).toEqual([]);

    const { body: { rules } } = await call('get', '/me/availability');
    const tuesday = rules.find((r: { weekday: number }) => r.weekday === 2);
    const paused = await call('patch', `/me/availability/rules/${tuesday.id}`, { active: false });
    expect(paused.body).toMatchObject({ rule: { id: tuesday.id, active: false }, bookingsKept: 0, bookingsCancelled: 0 });
    const resumed = await call('patch', `/me/availability/rules/${tuesday.id}`, { active: true });
    expect(resumed.body.rule.active).toBe(true);
  });

  it('removes exceptions; another mentor\'s rule or exception is 404 and a student token is 403', async () => {
    const { mentorId, mondayRule } = await booked('mentor:avail_api_owner', 'confirmed');
    const call = await api('mentor:avail_api_owner');
    const extra = await call('post', '/me/availability/overrides', { date: '2026-11-28', kind: 'extra', start: '10:00', end: '12:00' });
    expect(extra.status).toBe(201);
    const overrideId = extra.body.override.id as string;

    const other = await api('mentor:avail_api_intruder');
    const student = await api('student:avail_api_student');
    for (const [method, path, body] of [
      ['patch', `/me/availability/rules/${mondayRule}`, { active: false }],
      ['delete', `/me/availability/rules/${mondayRule}`, undefined],
      ['delete', `/me/availability/overrides/${overrideId}`, undefined],
    ] as const) {
      expect((await other(method, path, body)).status, `${method} ${path}`).toBe(404);
      expect((await student(method, path, body)).status, `${method} ${path}`).toBe(403);
    }
    for (const path of ['/me/availability', '/me/availability/settings']) {
      const res = await student(path.endsWith('settings') ? 'put' : 'get', path, path.endsWith('settings') ? { minNoticeMinutes: 0, windowDays: 1, seriesWindowDays: 1, bufferMinutes: 0, requiresApproval: false } : undefined);
      expect(res.status, path).toBe(403);
    }
    expect(await t.deps.knex('availabilityRules').where({ id: mondayRule }).first('active')).toEqual({ active: true });

    const removed = await call('delete', `/me/availability/overrides/${overrideId}`);
    expect(removed.status).toBe(200);
    expect(await t.deps.knex('availabilityOverrides').where({ mentorId })).toEqual([]);
  });
});
