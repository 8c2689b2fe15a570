import { describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';

const clock = new FixedClock(new Date('2026-11-22T10:00:00Z'));
const t = await createTestApp({ overrides: { clock } });

async function api(fixture: string) {
  const user = await t.user(fixture);
  const auth = `Bearer ${(await t.deps.services.tokens.issueAccess(user)).accessToken}`;
  return {
    get: (path: string) => t.agent().get(`/api/v1${path}`).set('Authorization', auth),
    post: (path: string, body: object) => t.agent().post(`/api/v1${path}`).set('Authorization', auth).send(body),
  };
}

const problem = (res: { text: string }) => JSON.parse(res.text) as { code: string; errors?: { name: string; reason: string }[] };

/** Three pending requests to one mentor, Monday to Wednesday at 09:00 UTC, from three students. */
async function threeRequests(mentor: string) {
  const { skillId, mentorId } = await mentorWithSkill(t, mentor);
  const ids: string[] = [];
  for (const [i, day] of ['2026-11-23', '2026-11-24', '2026-11-25'].entries()) {
    const student = await t.user(`student:${mentor.split(':')[1]}_s${i}`);
    const b = await t.deps.services.bookings.request(student.id, skillId, { start: new Date(`${day}T09:00:00Z`), durationMinutes: 60, subject: `Topic ${i}` });
    ids.push(b.id);
  }
  return { mentorId, ids };
}

describe('GET /api/v1/me/bookings', () => {
  it('lists the mentor\'s own bookings with the grid\'s sort, filters and row paging; a student sees only theirs', async () => {
    const { ids } = await threeRequests('mentor:list_api_mentor');
    await threeRequests('mentor:list_api_other');
    const mentor = await api('mentor:list_api_mentor');
    const all = await mentor.get(`/me/bookings?sortModel=${encodeURIComponent('[{"colId":"startsAt","sort":"asc"}]')}`);
    expect(all.status).toBe(200);
    expect(all.body.items.map((r: { id: string }) => r.id)).toEqual(ids);
    expect(all.body).toMatchObject({ lastRow: 3, nextStartRow: null });
    expect(all.body.items[0]).toMatchObject({ status: 'pending', canApprove: true, price: { amount: 0, currency: 'EUR' }, startsAt: '2026-11-23T09:00:00.000Z' });

    const first = await mentor.get(`/me/bookings?startRow=0&endRow=2&sortModel=${encodeURIComponent('[{"colId":"startsAt","sort":"desc"}]')}`);
    expect(first.body.items.map((r: { id: string }) => r.id)).toEqual([ids[2], ids[1]]);
    expect(first.body).toMatchObject({ lastRow: 3, nextStartRow: 2 });
    const next = await mentor.get(`/me/bookings?startRow=2&endRow=4&sortModel=${encodeURIComponent('[{"colId":"startsAt","sort":"desc"}]')}`);
    expect(next.body.items.map((r: { id: string }) => r.id)).toEqual([ids[0]]);
    expect(next.body.nextStartRow).toBeNull();

    const filtered = await mentor.get('/me/bookings?from=2026-11-24&to=2026-11-24');
    expect(filtered.body.items.map((r: { id: string }) => r.id)).toEqual([ids[1]]);
    expect((await mentor.get('/me/bookings?status=confirmed')).body.items).toEqual([]);

    const student = await api('student:list_api_mentor_s1');
    const own = await student.get('/me/bookings');
    expect(own.body.items.map((r: { id: string }) => r.id)).toEqual([ids[1]]);
  });

  it('answers a sort or filter the grid refuses with a 422 naming the parameter', async () => {
    const mentor = await api('mentor:list_api_bad');
    for (const [query, field] of [
      [`sortModel=${encodeURIComponent('[{"colId":"password","sort":"asc"}]')}`, 'sortModel'],
      ['sortModel=not-json', 'sortModel'],
      ['status=lost', 'status'],
      ['from=yesterday', 'from'],
      ['startRow=0&endRow=100000', 'endRow'],
      ['startRow=-1', 'startRow'],
      [`quickFilter=${'x'.repeat(500)}`, 'quickFilter'],
      ['status=pending&status=confirmed', 'status'],
    ] as const) {
      const res = await mentor.get(`/me/bookings?${query}`);
      expect(res.status, query.slice(0, 60)).toBe(422);
      expect(problem(res).errors!.map((e) => e.name), query.slice(0, 60)).toEqual([field]);
    }
  });
});

describe('POST /api/v1/me/bookings/bulk', () => {
  it('approves the mentor\'s requests one by one and says which could not be, another mentor\'s included', async () => {
    const { ids } = await threeRequests('mentor:bulk_api_mentor');
    const { ids: foreign } = await threeRequests('mentor:bulk_api_other');
    const mentor = await api('mentor:bulk_api_mentor');
    const noReason = await mentor.post('/me/bookings/bulk', { action: 'reject', ids });
    expect(noReason.status).toBe(422);
    expect(problem(noReason).errors!.map((e) => e.name)).toEqual(['reason']);

    const res = await mentor.post('/me/bookings/bulk', { action: 'approve', ids: [ids[0], ids[1], foreign[0]], meetingUrl: 'https://meet.example.com/bulk' });
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { id: ids[0], ok: true, status: 'confirmed' },
      { id: ids[1], ok: true, status: 'confirmed' },
      { id: foreign[0], ok: false, code: 'not_found', message: expect.any(String) },
    ]);
    expect(await t.deps.knex('bookings').where({ id: foreign[0] }).first('status')).toEqual({ status: 'pending' });

    const student = await api('student:bulk_api_mentor_s2');
    const forbidden = await student.post('/me/bookings/bulk', { action: 'approve', ids: [ids[2]] });
    expect(forbidden.status).toBe(403);
    expect(await t.deps.knex('bookings').where({ id: ids[2] }).first('status')).toEqual({ status: 'pending' });
  });
});
