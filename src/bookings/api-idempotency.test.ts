// Idempotency-Key under concurrency, through a real listening server: supertest's
// one-server-per-request would serialise the very race this is about.
import type { Server } from 'node:http';
import supertest from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { openMentor, slotAt } from '../../test/helpers/student-api.ts';

const t = await createTestApp();
const server = await new Promise<Server>((resolve) => {
  const s = t.app.listen(0, '127.0.0.1', () => resolve(s));
});
afterAll(() => new Promise((r) => server.close(r)));

async function bearer(fixture: string) {
  return `Bearer ${(await t.deps.services.tokens.issueAccess(await t.user(fixture))).accessToken}`;
}

function postBooking(auth: string, body: object, key: string) {
  return supertest(server).post('/api/v1/bookings').set('Authorization', auth).set('Idempotency-Key', key).send(body);
}

const rowsOf = async (skillId: string) => Number((await t.deps.knex('bookings').where({ skillId }).count<{ count: string }[]>('id as count'))[0]!.count);

describe('POST /bookings with an Idempotency-Key, in parallel', () => {
  it('20 requests with one key and one body make one booking, and all 20 answer it (19 replayed)', async () => {
    const { skillId } = await openMentor(t, 'mentor:idem_one_m');
    const auth = await bearer('student:idem_one_s');
    const body = { skillId, startsAt: slotAt(t, 2), durationMinutes: 60, subject: 'One booking, twenty tries' };
    const answers = await Promise.all(Array.from({ length: 20 }, () => postBooking(auth, body, 'key-one-body')));

    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(201));
    const ids = new Set(answers.map((r) => r.body.id as string));
    expect(ids.size).toBe(1);
    expect(answers.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(19);
    for (const r of answers) expect(r.body).toEqual(answers[0]!.body);
    expect(new Set(answers.map((r) => r.headers.location)).size).toBe(1);
    expect(await rowsOf(skillId)).toBe(1);

    const reused = await postBooking(auth, { ...body, subject: 'Another body' }, 'key-one-body');
    expect(reused.status).toBe(422);
    expect(JSON.parse(reused.text).code).toBe('idempotency_key_reused');

    // A new key is a new attempt, judged by the booking rules: the slot is gone.
    const again = await postBooking(auth, body, 'key-second-try');
    expect(again.status).toBe(409);
    expect(JSON.parse(again.text).code).toBe('slot_taken');
    expect(await rowsOf(skillId)).toBe(1);
  });

  it('20 students with 20 keys on one slot: exactly one booking, 19 problems naming the taken slot', async () => {
    const { skillId } = await openMentor(t, 'mentor:idem_race_m');
    const auths = await Promise.all(Array.from({ length: 20 }, (_, i) => bearer(`student:idem_race_${i}`)));
    const body = { skillId, startsAt: slotAt(t, 3), durationMinutes: 30, subject: 'First come' };
    const answers = await Promise.all(auths.map((auth, i) => postBooking(auth, body, `race-key-${i}`)));

    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    for (const refused of answers.filter((r) => r.status === 409)) {
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(refused.text).code).toBe('slot_taken');
    }
    expect(await rowsOf(skillId)).toBe(1);
  });
});
