// What an attacker's pass over payments found, each kept from coming back.
import { describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';
import { pathOf, payAndReturn, payOnCheckout } from '../../test/helpers/payments.ts';

const clock = new FixedClock(new Date('2026-11-22T10:00:00Z'));
const t = await createTestApp({ overrides: { clock } });
const MONDAY_9 = '2026-11-23T08:00:00.000Z';
const MONDAY_11 = '2026-11-23T10:00:00.000Z';

type Agent = Awaited<ReturnType<typeof t.signIn>>;

async function startPaid(agent: Agent, skillId: string, start = MONDAY_9) {
  const token = await t.csrf(agent, '/');
  return agent.post(`/skills/${skillId}/bookings`).type('form').send({ _csrf: token, start, duration: '60', subject: 'Help with lifetimes' });
}

describe('regressions from the attacker pass', () => {
  it('a refund after the payout takes the mentor share back, and the earnings page still answers', async () => {
    const m = await mentorWithSkill(t, 'mentor:refunded', { payable: true, settings: { requiresApproval: false }, skill: { priceCents: 4000, durations: [60] } });
    const student = await t.signIn('student:s-refunded');
    const back = await payAndReturn(t, student, (await startPaid(student, m.skillId)).headers.location!);
    const bookingId = back.headers.location!.split('/').pop()!;
    await t.runJobs();
    clock.set(new Date('2026-11-23T09:30:00Z'));
    try {
      const mentor = await t.signIn('mentor:refunded');
      let token = await t.csrf(mentor, '/');
      expect((await mentor.post(`/bookings/${bookingId}/outcome`).type('form').send({ _csrf: token, outcome: 'completed' })).status).toBe(303);
      const payment = await t.deps.knex('payments').where({ bookingId }).first();
      expect(await t.deps.knex('payouts').where({ paymentId: payment.id }).first()).toMatchObject({ amount: 3400 });

      const admin = await t.signInAdmin();
      token = await t.csrf(admin, `/admin/payments/${payment.id}`);
      expect((await admin.post(`/admin/payments/${payment.id}/refunds`).type('form').send({ _csrf: token, amount: '10', reason: 'Half the session was lost' })).status).toBe(303);
      await t.runJobs();
      // 30 € kept: the fee on it is 4.50, the mentor keeps 25.50.
      expect(await t.deps.knex('payouts').where({ paymentId: payment.id }).first()).toMatchObject({ amount: 2550, status: 'paid' });
      token = await t.csrf(admin, `/admin/payments/${payment.id}`);
      await admin.post(`/admin/payments/${payment.id}/refunds`).type('form').send({ _csrf: token, amount: '', reason: 'The mentor never came' });
      await t.runJobs();
      expect(await t.deps.knex('payouts').where({ paymentId: payment.id }).first()).toMatchObject({ amount: 0, status: 'reversed' });
      const again = await t.signIn('mentor:refunded');
      expect((await again.get('/earnings')).status).toBe(200);
      expect((await again.get('/earnings.csv')).status).toBe(200);
    } finally {
      clock.set(new Date('2026-11-22T10:00:00Z'));
    }
  });

  it('refunding a package payment closes the package: no credit can be spent after', async () => {
    const m = await mentorWithSkill(t, 'mentor:packrefund', { payable: true, skill: { priceCents: 4000, durations: [60] } });
    const mentor = await t.signIn('mentor:packrefund');
    let token = await t.csrf(mentor, `/skills/${m.skillId}/packages`);
    expect((await mentor.post(`/skills/${m.skillId}/packages`).type('form').send({ _csrf: token, sessions: '3', durationMinutes: '60', discountPercent: '0' })).status).toBe(303);
    const pack = await t.deps.knex('sessionPackages').where({ skillId: m.skillId }).first();
    const student = await t.signIn('student:s-packrefund');
    token = await t.csrf(student, `/skills/${m.skillId}`);
    const started = await student.post(`/packages/${pack.id}/purchases`).type('form').send({ _csrf: token });
    await payAndReturn(t, student, started.headers.location!);
    const purchase = await t.deps.knex('packagePurchases').where({ packageId: pack.id }).first();
    const admin = await t.signInAdmin();
    token = await t.csrf(admin, `/admin/payments/${purchase.paymentId}`);
    expect((await admin.post(`/admin/payments/${purchase.paymentId}/refunds`).type('form').send({ _csrf: token, amount: '', reason: 'Bought by mistake' })).status).toBe(303);
    expect((await t.deps.knex('packagePurchases').where({ id: purchase.id }).first()).refundedAt).not.toBeNull();
    token = await t.csrf(student, '/');
    const use = await student.post(`/skills/${m.skillId}/bookings`).type('form').send({ _csrf: token, start: MONDAY_9, duration: '60', subject: 'Lifetimes', useCredit: '1' });
    expect(use.status).toBe(422);
    expect(await t.deps.knex('bookings').where({ skillId: m.skillId }).first()).toBeUndefined();
  });

  it('the built-in admin cannot open a checkout: a clear refusal, not a 500', async () => {
    const m = await mentorWithSkill(t, 'mentor:adminbuys', { payable: true, skill: { priceCents: 4000, durations: [60] } });
    const admin = await t.signInAdmin();
    const res = await startPaid(admin, m.skillId);
    expect(res.status).toBeLessThan(500);
    expect(await t.deps.knex('checkouts').where({ skillId: m.skillId }).first()).toBeUndefined();
  });

  it('a signed webhook that is not an event is a 400, not a 500', async () => {
    for (const body of [{ id: 'evt_1', type: 'x' }, { id: 'evt_2', type: 'x', data: { object: null } }, { id: 'evt_3', type: 'x', data: { object: { object: 'charge' } } }, { type: 'x', data: { object: { id: 'ch_1' } } }, [1, 2]]) {
      const { payload, header } = await t.deps.simulated!.sign(body);
      const res = await t.agent().post('/webhooks/payments').set('Content-Type', 'application/json').set('Stripe-Signature', header).send(payload);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('bad_request');
    }
  });

  it('exponent and hex notations are refused in the policy and package forms', async () => {
    const m = await mentorWithSkill(t, 'mentor:notation', { payable: true, skill: { priceCents: 4000, durations: [60] } });
    const mentor = await t.signIn('mentor:notation');
    let token = await t.csrf(mentor, '/payouts');
    expect((await mentor.post('/payouts/policy').type('form').send({ _csrf: token, freeCancelHours: '1e2', lateRefundPercent: '0x32' })).status).toBe(422);
    token = await t.csrf(mentor, `/skills/${m.skillId}/packages`);
    expect((await mentor.post(`/skills/${m.skillId}/packages`).type('form').send({ _csrf: token, sessions: '1e1', durationMinutes: '6e1', discountPercent: '0x10' })).status).toBe(422);
    expect(await t.deps.knex('sessionPackages').where({ skillId: m.skillId }).first()).toBeUndefined();
  });

  it('pressing Pay twice takes the student on both times', async () => {
    const m = await mentorWithSkill(t, 'mentor:twice', { payable: true, skill: { priceCents: 4000, durations: [60] } });
    const student = await t.signIn('student:s-twice');
    const url = (await startPaid(student, m.skillId)).headers.location!;
    const [a, b] = await Promise.all([payOnCheckout(t, student, url), payOnCheckout(t, student, url)]);
    expect([a.status, b.status]).toEqual([303, 303]);
    expect((await payOnCheckout(t, student, url)).status).toBe(303);
  });

  it('leaving an older checkout keeps the hold of the slot being paid now', async () => {
    const m = await mentorWithSkill(t, 'mentor:twoslots', { payable: true, skill: { priceCents: 4000, durations: [60] } });
    const student = await t.signIn('student:s-twoslots');
    const first = await startPaid(student, m.skillId, MONDAY_9);
    const second = await startPaid(student, m.skillId, MONDAY_11);
    expect(second.status).toBe(303);
    const page = await student.get(pathOf(first.headers.location!));
    const cancelUrl = /href="(http[^"]+\/cancel)"/.exec(page.text)![1]!;
    await student.get(pathOf(cancelUrl));
    const hold = await t.deps.knex('slotHolds').where({ mentorId: m.mentorId }).first();
    expect(hold?.startsAt.toISOString()).toBe(MONDAY_11);
  });
});
