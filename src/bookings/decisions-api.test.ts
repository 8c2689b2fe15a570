import { afterEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';

const START = new Date('2026-11-22T10:00:00Z');
const clock = new FixedClock(START);
const t = await createTestApp({ overrides: { clock } });
afterEach(() => clock.set(START));
const MONDAY_9 = new Date('2026-11-23T08:00:00.000Z');

async function api(fixture: string) {
  const user = await t.user(fixture);
  const auth = `Bearer ${(await t.deps.services.tokens.issueAccess(user)).accessToken}`;
  return (path: string, body?: object) => {
    const req = t.agent().post(`/api/v1${path}`).set('Authorization', auth);
    return body ? req.send(body) : req;
  };
}

/** A pending request of a fresh student to the named mentor's skill. */
async function pending(mentor: string, student: string, start = MONDAY_9) {
  const { skillId } = await mentorWithSkill(t, mentor);
  const s = await t.user(student);
  return t.deps.services.bookings.request(s.id, skillId, { start, durationMinutes: 60, subject: 'Help with lifetimes' });
}

const problem = (res: { text: string }) => JSON.parse(res.text) as { code: string; errors?: { name: string }[] };

describe('a mentor\'s decisions through the API', () => {
  it('accepts with a meeting link, then records the outcome once the session is over', async () => {
    const booking = await pending('mentor:decide_api_accept', 'student:decide_api_a');
    const post = await api('mentor:decide_api_accept');
    const bad = await post(`/bookings/${booking.id}/confirmation`, { meetingUrl: 'javascript:alert(1)' });
    expect(bad.status).toBe(422);
    expect(problem(bad).errors!.map((e) => e.name)).toEqual(['meetingUrl']);

    const early = await post(`/bookings/${booking.id}/outcome`, { outcome: 'completed' });
    expect(early.status).toBe(409);
    const ok = await post(`/bookings/${booking.id}/confirmation`, { meetingUrl: 'https://meet.example.com/room-7' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ id: booking.id, status: 'confirmed', meetingUrl: 'https://meet.example.com/room-7', startsAt: MONDAY_9.toISOString() });
    const again = await post(`/bookings/${booking.id}/confirmation`, {});
    expect(again.status).toBe(409);
    expect(problem(again).code).toBe('invalid_transition');

    expect((await post(`/bookings/${booking.id}/outcome`, { outcome: 'vanished' })).status).toBe(422);
    clock.set(new Date(MONDAY_9.getTime() + 2 * 3_600_000));
    // A token lives minutes: the mentor signs in again after the session.
    const later = await api('mentor:decide_api_accept');
    const done = await later(`/bookings/${booking.id}/outcome`, { outcome: 'no_show' });
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('no_show');
    expect(await t.deps.knex('bookings').where({ id: booking.id }).first('status')).toEqual({ status: 'no_show' });
  });

  it('declines with the reason the student reads, and refuses a decline without one', async () => {
    const booking = await pending('mentor:decide_api_reject', 'student:decide_api_r');
    const post = await api('mentor:decide_api_reject');
    const noReason = await post(`/bookings/${booking.id}/rejection`, { reason: ' ' });
    expect(noReason.status).toBe(422);
    expect(problem(noReason).errors!.map((e) => e.name)).toEqual(['reason']);
    expect((await post(`/bookings/${booking.id}/rejection`, { reason: 'x'.repeat(10_000) })).status).toBe(422);
    const res = await post(`/bookings/${booking.id}/rejection`, { reason: 'Fully booked that week' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'rejected', rejectReason: 'Fully booked that week' });
  });

  it('answers 404 for another mentor\'s booking and 403 for a student token, changing nothing', async () => {
    const booking = await pending('mentor:decide_api_owner', 'student:decide_api_s');
    const other = await api('mentor:decide_api_other');
    const student = await api('student:decide_api_s');
    const calls: [string, object][] = [['confirmation', {}], ['rejection', { reason: 'Not mine to decide' }], ['outcome', { outcome: 'completed' }]];
    for (const [step, body] of calls) {
      const res = await other(`/bookings/${booking.id}/${step}`, body);
      expect(res.status, step).toBe(404);
      expect(problem(res).code).toBe('not_found');
      const forbidden = await student(`/bookings/${booking.id}/${step}`, body);
      expect(forbidden.status, step).toBe(403);
      expect(problem(forbidden).code).toBe('forbidden');
    }
    expect(await t.deps.knex('bookings').where({ id: booking.id }).first('status')).toEqual({ status: 'pending' });
  });

  it('answers a student token with a 403 problem on every mentor-only operation of the document', async () => {
    const doc = (await t.agent().get('/api/v1/openapi.json')).body as { paths: Record<string, Record<string, { tags: string[]; responses: Record<string, unknown> }>> };
    const student = await t.user('student:decide_api_scopes');
    const auth = `Bearer ${(await t.deps.services.tokens.issueAccess(student)).accessToken}`;
    const mentorOnly = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops)
      .filter(([, op]) => op.tags.includes('Mentor') && '403' in op.responses)
      .map(([method]) => ({ method: method as 'get' | 'post' | 'put' | 'patch' | 'delete', path: path.replace(/\{\w+\}/g, '00000000-0000-4000-8000-000000000000') })));
    expect(mentorOnly.length).toBeGreaterThanOrEqual(17);
    for (const { method, path } of mentorOnly) {
      const req = t.agent()[method](`/api/v1${path}`).set('Authorization', auth);
      const res = await (method === 'get' || method === 'delete' ? req : req.send({}));
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(problem(res).code, `${method} ${path}`).toBe('forbidden');
    }
  });
});
