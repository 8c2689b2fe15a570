import { describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';
import { payOnCheckout } from '../../test/helpers/payments.ts';

const clock = new FixedClock(new Date('2026-11-22T10:00:00Z'));
const t = await createTestApp({ overrides: { clock } });
const MONDAY_9 = '2026-11-23T08:00:00.000Z';

/** The events the simulated provider queued, in order, taken off the queue (not delivered). */
async function takeQueuedEvents(): Promise<{ id: string; type: string }[]> {
  const rows = await t.deps.knex.raw(`delete from graphile_worker._private_jobs j using graphile_worker._private_tasks k
    where j.task_id = k.id and k.identifier = 'simulated-provider-webhook' returning j.payload, j.id`);
  return (rows.rows as { payload: { event: { id: string; type: string } }; id: string }[]).sort((a, b) => Number(a.id) - Number(b.id)).map((r) => r.payload.event);
}

const post = (body: string, signature?: string) => {
  const req = t.agent().post('/webhooks/payments').set('Content-Type', 'application/json');
  if (signature) req.set('Stripe-Signature', signature);
  return req.send(body);
};

async function paidCheckout(fixture: string, student: string) {
  const m = await mentorWithSkill(t, fixture, { payable: true, skill: { priceCents: 4000, durations: [60] } });
  const agent = await t.signIn(student);
  const token = await t.csrf(agent, '/');
  const started = await agent.post(`/skills/${m.skillId}/bookings`).type('form').send({ _csrf: token, start: MONDAY_9, duration: '60', subject: 'Help with lifetimes' });
  expect(started.status).toBe(303);
  expect((await payOnCheckout(t, agent, started.headers.location!)).status).toBe(303);
  return m;
}

describe('the webhook receiver', () => {
  it('refuses a missing, wrong or tampered signature with a 400 and applies nothing', async () => {
    const m = await paidCheckout('mentor:sig', 'student:s-sig');
    const events = await takeQueuedEvents();
    const completed = events.find((e) => e.type === 'checkout.session.completed')!;
    const { payload, header } = await t.deps.simulated!.sign(completed);
    expect((await post(payload)).status).toBe(400);
    const wrong = await post(payload, header.replace(/v1=[0-9a-f]{4}/, 'v1=0000'));
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('signature_invalid');
    expect((await post(payload.replace('"complete"', '"open"'), header)).status).toBe(400);
    expect((await post('', header)).status).toBe(400);
    expect(await t.deps.knex('paymentEvents').where({ eventId: completed.id }).first()).toBeUndefined();
    expect(await t.deps.knex('bookings').where({ skillId: m.skillId }).first()).toBeUndefined();
  });

  it('applies each event once, replayed ten times and shuffled', async () => {
    const m = await paidCheckout('mentor:replay', 'student:s-replay');
    const events = await takeQueuedEvents();
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['checkout.session.completed', 'payment_intent.amount_capturable_updated']));
    const deliveries = events.flatMap((e) => Array.from({ length: 10 }, () => e));
    // A fixed shuffle (the seed is the test's), so a failure can be replayed.
    let seed = 20261201;
    for (let i = deliveries.length - 1; i > 0; i--) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const j = seed % (i + 1);
      [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
    }
    const results = await Promise.all(deliveries.map(async (e) => {
      const { payload, header } = await t.deps.simulated!.sign(e);
      return post(payload, header);
    }));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.filter((r) => r.body.applied)).toHaveLength(events.length);
    expect(await t.deps.knex('bookings').where({ skillId: m.skillId })).toHaveLength(1);
    expect(await t.deps.knex('payments').where({ mentorId: m.mentorId })).toHaveLength(1);
    expect(await t.deps.knex('notifications').where({ userId: m.mentorId })).toHaveLength(1);
  });
});

describe('paid group seats', () => {
  const startsAt = new Date('2026-11-25T17:00:00Z');

  async function paidSeat(m: { skillId: string }, student: string) {
    const agent = await t.signIn(student);
    const token = await t.csrf(agent, '/');
    const started = await agent.post(`/skills/${m.skillId}/bookings`).type('form').send({ _csrf: token, message: '' });
    expect(started.status).toBe(303);
    const paid = await payOnCheckout(t, agent, started.headers.location!);
    expect(paid.status).toBe(303);
    await t.runJobs();
    return agent;
  }

  it('a seat is charged at booking; withdrawing the session refunds every seat in full', async () => {
    const m = await mentorWithSkill(t, 'mentor:group', { payable: true, skill: { priceCents: 2500, durations: [90], mode: 'group', startsAt, capacity: 5 } });
    await paidSeat(m, 'student:s-g1');
    await paidSeat(m, 'student:s-g2');
    const seats = await t.deps.knex('bookings').where({ skillId: m.skillId, status: 'confirmed' });
    expect(seats).toHaveLength(2);
    const payments = await t.deps.knex('payments').whereIn('bookingId', seats.map((s) => s.id));
    expect(payments.map((p) => p.status)).toEqual(['captured', 'captured']);

    const mentor = await t.signIn('mentor:group');
    const token = await t.csrf(mentor, '/');
    expect((await mentor.post(`/skills/${m.skillId}/cancellation`).type('form').send({ _csrf: token, reason: 'I am ill, sorry' })).status).toBe(303);
    await t.runJobs();
    const after = await t.deps.knex('payments').whereIn('bookingId', seats.map((s) => s.id));
    expect(after.map((p) => [p.status, p.amountRefunded])).toEqual([['refunded', 2500], ['refunded', 2500]]);
  });

  it('a seat paid for a session that filled meanwhile is refunded and not taken', async () => {
    const m = await mentorWithSkill(t, 'mentor:fill', { payable: true, skill: { priceCents: 2500, durations: [60], mode: 'group', startsAt, capacity: 1 } });
    const late = await t.signIn('student:s-late');
    let token = await t.csrf(late, '/');
    const started = await late.post(`/skills/${m.skillId}/bookings`).type('form').send({ _csrf: token });
    expect(started.status).toBe(303);
    await paidSeat(m, 'student:s-first');
    expect((await payOnCheckout(t, late, started.headers.location!)).status).toBe(303);
    await t.runJobs();
    const lateUser = await t.user('student:s-late');
    expect(await t.deps.knex('bookings').where({ skillId: m.skillId, studentId: lateUser.id }).first()).toBeUndefined();
    const checkout = await t.deps.knex('checkouts').where({ userId: lateUser.id }).first();
    expect(checkout).toMatchObject({ status: 'failed', failure: 'session_full' });
    const payment = await t.deps.knex('payments').where({ checkoutId: checkout.id }).first();
    expect(payment).toMatchObject({ status: 'refunded', amountRefunded: 2500 });
    token = await t.csrf(late, '/');
    const page = await late.get(`/checkouts/${checkout.id}`);
    expect(page.text).toContain('could not be had any more');
  });
});
