import { describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { withPayoutAccount } from '../../test/helpers/marketplace.ts';

const clock = new FixedClock(new Date('2026-11-22T10:00:00Z'));
const t = await createTestApp({ overrides: { clock } });

/** A client of /api/v1 holding a real access token of the named account. */
async function api(fixture: string) {
  const user = await t.user(fixture);
  const auth = `Bearer ${(await t.deps.services.tokens.issueAccess(user)).accessToken}`;
  const call = (method: 'get' | 'post' | 'patch' | 'delete', path: string, body?: object) => {
    const req = t.agent()[method](`/api/v1${path}`).set('Authorization', auth);
    return body ? req.send(body) : req;
  };
  return { user, call };
}

const problem = (res: { text: string }) => JSON.parse(res.text) as { code: string; status: number; errors?: { name: string; reason: string }[] };
const oneOnOne = { title: 'Kotlin coroutines clinic', category: 'programming', price: { amount: 3000, currency: 'EUR' }, mode: 'one_on_one', durations: [60, 30] };

describe('a mentor\'s skills through the API', () => {
  it('creates a draft (201, Location), lists it and reads it; another mentor gets 404 and a student 403', async () => {
    const { call } = await api('mentor:mine_api_owner');
    const created = await call('post', '/me/skills', oneOnOne);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ title: 'Kotlin coroutines clinic', price: { amount: 3000, currency: 'EUR' }, durations: [30, 60], mode: 'one_on_one' });
    expect(created.headers.location).toBe(`/api/v1/me/skills/${created.body.id}`);
    const row = await t.deps.knex('skills').where({ id: created.body.id }).first();
    expect(row).toMatchObject({ status: 'draft', priceCents: 3000 });

    expect((await call('get', '/me/skills')).body.items.map((s: { id: string }) => s.id)).toEqual([created.body.id]);
    expect((await call('get', `/me/skills/${created.body.id}`)).body.id).toBe(created.body.id);

    const other = await api('mentor:mine_api_other');
    expect((await other.call('get', '/me/skills')).body.items).toEqual([]);
    for (const [method, path] of [['get', ''], ['patch', ''], ['post', '/publication'], ['delete', '/publication']] as const) {
      const res = await other.call(method, `/me/skills/${created.body.id}${path}`, method === 'patch' ? { title: 'Taken over' } : undefined);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(problem(res).code).toBe('not_found');
    }
    const student = await api('student:mine_api_student');
    for (const [method, path] of [['get', '/me/skills'], ['post', '/me/skills'], ['get', `/me/skills/${created.body.id}`], ['post', `/me/skills/${created.body.id}/publication`]] as const) {
      const res = await student.call(method, path, method === 'post' && path === '/me/skills' ? oneOnOne : undefined);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(problem(res).code).toBe('forbidden');
    }
    expect(await t.deps.knex('skills').where({ id: created.body.id }).first('title')).toEqual({ title: 'Kotlin coroutines clinic' });
  });

  it('pages the list by an opaque cursor, newest first, stable when a skill is added between pages', async () => {
    const { call, user } = await api('mentor:mine_api_pages');
    // Two skills of the same microsecond: the id breaks the tie.
    const same = new Date('2026-11-01T10:00:00.123Z');
    const rows = [{ title: 'Oldest topic', createdAt: new Date('2026-10-01T10:00:00Z') }, { title: 'Twin topic A', createdAt: same }, { title: 'Twin topic B', createdAt: same }];
    const ids = await t.deps.knex('skills').insert(rows.map((r) => ({ ...r, mentorId: user.id, description: '', category: 'other', priceCents: 0, durations: [30], mode: 'one_on_one', status: 'draft' }))).returning('id');
    const [oldest, ...twins] = ids.map((r: { id: string }) => r.id);
    const twinsDesc = [...twins].sort().reverse();

    const first = await call('get', '/me/skills?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items.map((s: { id: string }) => s.id)).toEqual(twinsDesc);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    expect((await call('post', '/me/skills', oneOnOne)).status).toBe(201);
    const second = await call('get', `/me/skills?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((s: { id: string }) => s.id)).toEqual([oldest]);
    expect(second.body.nextCursor).toBeNull();
    expect((await call('get', '/me/skills')).body.items).toHaveLength(4);

    for (const query of ['limit=0', 'limit=101', 'limit=ten', 'cursor=not-ours', `cursor=${Buffer.from('["drop table", "x"]').toString('base64url')}`]) {
      const res = await call('get', `/me/skills?${query}`);
      expect(res.status, query).toBe(422);
      expect(problem(res).errors!.map((e) => e.name), query).toEqual([query.split('=')[0]]);
    }
  });

  it('refuses a group session without a start or a capacity, as the form does, and bad input with 422 problems', async () => {
    const { call, user } = await api('mentor:mine_api_rules');
    const group = await call('post', '/me/skills', { ...oneOnOne, mode: 'group', durations: [60, 90] });
    expect(group.status).toBe(422);
    expect(problem(group).errors!.map((e) => e.name).sort()).toEqual(['capacity', 'durations', 'startsAt']);
    for (const body of [
      { ...oneOnOne, category: 'astrology' },
      { ...oneOnOne, title: 'x'.repeat(100_000) },
      { ...oneOnOne, price: { amount: 12.5, currency: 'EUR' } },
      { ...oneOnOne, durations: [45] },
      { ...oneOnOne, startsAt: 'next tuesday' },
      { ...oneOnOne, unknownField: true },
    ]) {
      const res = await call('post', '/me/skills', body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(422);
      expect(problem(res).code).toBe('validation_failed');
    }
    const nul = await call('post', '/me/skills', { ...oneOnOne, title: 'Null\u0000byte' });
    // Refused by the core before any handler (a NUL byte cannot reach PostgreSQL text).
    expect(nul.status).toBe(400);
    expect(problem(nul).code).toBe('bad_request');
    expect(await t.deps.knex('skills').where({ mentorId: user.id })).toEqual([]);

    const ok = await call('post', '/me/skills', { ...oneOnOne, mode: 'group', durations: [90], startsAt: '2026-12-10T17:00:00Z', capacity: 6 });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ startsAt: '2026-12-10T17:00:00.000Z', capacity: 6, durations: [90] });
  });

  it('merges a PATCH into the stored skill and checks the result with the same rules', async () => {
    const { call } = await api('mentor:mine_api_patch');
    const { body: skill } = await call('post', '/me/skills', oneOnOne);
    const patched = await call('patch', `/me/skills/${skill.id}`, { title: 'Kotlin flows clinic', price: { amount: 4500, currency: 'EUR' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ title: 'Kotlin flows clinic', price: { amount: 4500 }, durations: [30, 60] });
    const toGroup = await call('patch', `/me/skills/${skill.id}`, { mode: 'group' });
    expect(toGroup.status).toBe(422);
    expect(problem(toGroup).errors!.map((e) => e.name).sort()).toEqual(['capacity', 'durations', 'startsAt']);
    expect(await t.deps.knex('skills').where({ id: skill.id }).first('mode', 'title')).toEqual({ mode: 'one_on_one', title: 'Kotlin flows clinic' });
  });

  it('publishes a paid skill only with a payout account, and withdraws as the page does', async () => {
    const { call, user } = await api('mentor:mine_api_publish');
    const { body: skill } = await call('post', '/me/skills', oneOnOne);
    const refused = await call('post', `/me/skills/${skill.id}/publication`);
    expect(refused.status).toBe(422);
    expect(problem(refused).errors!.map((e) => e.name)).toEqual(['price']);
    await withPayoutAccount(t, user.id);
    const published = await call('post', `/me/skills/${skill.id}/publication`);
    expect(published.status).toBe(200);
    expect((await t.agent().get(`/api/v1/skills/${skill.id}`)).status).toBe(200);

    const withdrawn = await call('delete', `/me/skills/${skill.id}/publication`);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.seatsCancelled).toBe(0);
    expect(await t.deps.knex('skills').where({ id: skill.id }).first('status')).toEqual({ status: 'cancelled' });
    expect((await t.agent().get(`/api/v1/skills/${skill.id}`)).status).toBe(404);
  });

  it('asks for the reason before withdrawing a group session that students hold, then ends their seats with it', async () => {
    const { call } = await api('mentor:mine_api_group');
    const { body: skill } = await call('post', '/me/skills', { ...oneOnOne, price: { amount: 0, currency: 'EUR' }, mode: 'group', durations: [60], startsAt: '2026-12-12T09:00:00Z', capacity: 4 });
    expect((await call('post', `/me/skills/${skill.id}/publication`)).status).toBe(200);
    const student = await t.user('student:mine_api_attendee');
    const seat = await t.deps.services.bookings.joinGroup(student.id, skill.id, {});

    const noReason = await call('delete', `/me/skills/${skill.id}/publication`);
    expect(noReason.status).toBe(422);
    expect(problem(noReason).errors!.map((e) => e.name)).toEqual(['reason']);
    expect(await t.deps.knex('bookings').where({ id: seat.id }).first('status')).toEqual({ status: 'confirmed' });

    const res = await call('delete', `/me/skills/${skill.id}/publication?reason=${encodeURIComponent('I am ill, sorry')}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ seatsCancelled: 1, skill: { id: skill.id } });
    expect(await t.deps.knex('bookings').where({ id: seat.id }).first('status', 'cancelReason')).toEqual({ status: 'cancelled', cancelReason: 'I am ill, sorry' });
  });
});
