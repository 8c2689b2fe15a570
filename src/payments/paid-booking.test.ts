import { describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { TEST_CARDS } from '../lib/payments/simulated-provider.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';
import { pathOf, payAndReturn, payOnCheckout } from '../../test/helpers/payments.ts';

// Sunday 22 November 2026, 10:00 UTC; Monday 09:00 Paris is 22 h later.
const clock = new FixedClock(new Date('2026-11-22T10:00:00Z'));
const t = await createTestApp({ overrides: { clock } });
const MONDAY_9 = '2026-11-23T08:00:00.000Z';
const TUESDAY_9 = '2026-11-24T08:00:00.000Z';

type Agent = Awaited<ReturnType<typeof t.signIn>>;

async function startPaid(agent: Agent, skillId: string, start = MONDAY_9) {
  const token = await t.csrf(agent, '/');
  return agent.post(`/skills/${skillId}/bookings`).type('form').send({ _csrf: token, start, duration: '60', subject: 'Help with lifetimes' });
}

async function paidBooking(fixture: string, student: string, options: { start?: string; instant?: boolean; policy?: { freeCancelHours: number; lateRefundPercent: number } } = {}) {
  const m = await mentorWithSkill(t, fixture, { payable: true, skill: { priceCents: 4000, durations: [60] }, ...(options.instant ? { settings: { requiresApproval: false } } : {}) });
  if (options.policy) await t.deps.services.policies.update(m.mentorId, options.policy);
  const agent = await t.signIn(student);
  const started = await startPaid(agent, m.skillId, options.start);
  expect(started.status).toBe(303);
  const back = await payAndReturn(t, agent, started.headers.location!);
  expect(back.status).toBe(303);
  const bookingId = back.headers.location!.split('/').pop()!;
  return { ...m, agent, bookingId, mentor: await t.signIn(fixture) };
}

const paymentOf = (bookingId: string) => t.deps.knex('payments').where({ bookingId }).first();

describe('a paid one-on-one session', () => {
  it('says before paying that the charge waits for the mentor, and what cancelling would refund', async () => {
    const m = await mentorWithSkill(t, 'mentor:summary', { payable: true, skill: { priceCents: 4000, durations: [60] } });
    const agent = await t.signIn('student:s-summary');
    const token = await t.csrf(agent, '/');
    const summary = await agent.post(`/skills/${m.skillId}/book/summary`).type('form').send({ _csrf: token, start: TUESDAY_9, duration: '60', subject: 'Lifetimes' });
    expect(summary.status).toBe(200);
    expect(summary.text).toContain('Pay and send the request');
    expect(summary.text).toContain('You are charged only if the mentor accepts');
    expect(summary.text).toContain('Free cancellation up to 24 h before the start; after that, cancelling refunds 0 %');
  });

  it('goes to the payment page, holds the slot while paying, and books nothing before the payment', async () => {
    const m = await mentorWithSkill(t, 'mentor:pay', { payable: true, skill: { priceCents: 4000, durations: [60] } });
    const agent = await t.signIn('student:s-pay');
    const started = await startPaid(agent, m.skillId);
    expect(started.status).toBe(303);
    expect(started.headers.location).toMatch(/\/simulated-provider\/checkout\/cs_sim_/);
    const hold = await t.deps.knex('slotHolds').where({ mentorId: m.mentorId }).first();
    expect(hold.expiresAt.getTime() - clock.now().getTime()).toBeGreaterThanOrEqual(30 * 60_000);
    expect(await t.deps.knex('bookings').where({ skillId: m.skillId }).first()).toBeUndefined();
    const page = await agent.get(pathOf(started.headers.location!));
    expect(page.status).toBe(200);
    expect(page.text).toContain('Authorize €40');

    const other = await t.signIn('student:s-pay2');
    expect((await startPaid(other, m.skillId)).status).toBe(409);
  });

  it('a declined card books nothing and tells no one', async () => {
    const m = await mentorWithSkill(t, 'mentor:decline', { payable: true, skill: { priceCents: 4000, durations: [60] } });
    const agent = await t.signIn('student:s-decline');
    const started = await startPaid(agent, m.skillId);
    for (const card of [TEST_CARDS.declined, TEST_CARDS.insufficientFunds]) {
      const paid = await payOnCheckout(t, agent, started.headers.location!, card);
      expect(paid.status).toBe(402);
      expect(paid.text).toMatch(/declined|insufficient funds/);
    }
    await t.runJobs();
    expect(await t.deps.knex('bookings').where({ skillId: m.skillId }).first()).toBeUndefined();
    expect(await t.deps.knex('notifications').where({ userId: m.mentorId }).first()).toBeUndefined();
    expect(await t.deps.knex('payments').where({ mentorId: m.mentorId }).first()).toBeUndefined();
  });

  it('the return from checkout books it even if the webhook never comes; the webhook later changes nothing', async () => {
    const { bookingId, mentorId } = await paidBooking('mentor:return', 'student:s-return');
    const booking = await t.deps.knex('bookings').where({ id: bookingId }).first();
    expect(booking).toMatchObject({ status: 'pending', priceCents: 4000 });
    expect(await paymentOf(bookingId)).toMatchObject({ status: 'authorized', amount: 4000, feeAmount: 600, mentorId });
    await t.runJobs(); // the simulated provider's events arrive now
    expect(await t.deps.knex('bookings').where({ mentorId })).toHaveLength(1);
    expect(await t.deps.knex('payments').where({ mentorId })).toHaveLength(1);
    expect(Number((await t.deps.knex('paymentEvents').count({ n: '*' }).first())!.n)).toBeGreaterThan(0);
  });

  it('the webhook alone books it when the student never comes back', async () => {
    const m = await mentorWithSkill(t, 'mentor:hookonly', { payable: true, skill: { priceCents: 4000, durations: [60] } });
    const agent = await t.signIn('student:s-hookonly');
    const started = await startPaid(agent, m.skillId);
    expect((await payOnCheckout(t, agent, started.headers.location!)).status).toBe(303);
    await t.runJobs();
    const booking = await t.deps.knex('bookings').where({ skillId: m.skillId }).first();
    expect(booking.status).toBe('pending');
    expect(await paymentOf(booking.id)).toMatchObject({ status: 'authorized' });
  });

  it('is captured when the mentor accepts, once', async () => {
    const { bookingId, mentor } = await paidBooking('mentor:capture', 'student:s-capture');
    const token = await t.csrf(mentor, '/');
    expect((await mentor.post(`/bookings/${bookingId}/confirmation`).type('form').send({ _csrf: token })).status).toBe(303);
    await t.runJobs();
    const payment = await paymentOf(bookingId);
    expect(payment.status).toBe('captured');
    const intent = await t.deps.payments.retrievePaymentIntent(payment.providerPaymentId);
    expect(intent).toMatchObject({ status: 'succeeded', amountReceived: 4000 });
  });

  it('an instant-confirm mentor is paid at once', async () => {
    const { bookingId } = await paidBooking('mentor:instant', 'student:s-instant', { instant: true });
    expect((await t.deps.knex('bookings').where({ id: bookingId }).first()).status).toBe('confirmed');
    await t.runJobs();
    expect((await paymentOf(bookingId)).status).toBe('captured');
  });

  it('releases the authorization on rejection, on expiry and when the student cancels first', async () => {
    const rejected = await paidBooking('mentor:reject', 'student:s-reject');
    let token = await t.csrf(rejected.mentor, '/');
    expect((await rejected.mentor.post(`/bookings/${rejected.bookingId}/rejection`).type('form').send({ _csrf: token, reason: 'Not my topic' })).status).toBe(303);

    const withdrawn = await paidBooking('mentor:early', 'student:s-early');
    token = await t.csrf(withdrawn.agent, '/');
    expect((await withdrawn.agent.post(`/bookings/${withdrawn.bookingId}/cancellation`).type('form').send({ _csrf: token, reason: 'Found the answer' })).status).toBe(303);

    const expiring = await paidBooking('mentor:expire', 'student:s-expire', { start: TUESDAY_9 });
    await t.deps.knex('bookings').where({ id: expiring.bookingId }).update({ expiresAt: new Date(clock.now().getTime() - 1000) });
    expect(await t.deps.services.bookings.expireDue()).toBeGreaterThanOrEqual(1);

    await t.runJobs();
    for (const { bookingId } of [rejected, withdrawn, expiring]) {
      const payment = await paymentOf(bookingId);
      expect(payment.status).toBe('released');
      expect((await t.deps.payments.retrievePaymentIntent(payment.providerPaymentId)).status).toBe('canceled');
    }
  });
});

describe('the cancellation policy', () => {
  async function confirmed(fixture: string, student: string, policy?: { freeCancelHours: number; lateRefundPercent: number }, start = TUESDAY_9) {
    const b = await paidBooking(fixture, student, { start, ...(policy ? { policy } : {}) });
    const token = await t.csrf(b.mentor, '/');
    await b.mentor.post(`/bookings/${b.bookingId}/confirmation`).type('form').send({ _csrf: token });
    await t.runJobs();
    return b;
  }
  async function cancel(agent: Agent, bookingId: string) {
    const token = await t.csrf(agent, '/');
    const res = await agent.post(`/bookings/${bookingId}/cancellation`).type('form').send({ _csrf: token, reason: 'Change of plans' });
    expect(res.status).toBe(303);
    await t.runJobs();
    return paymentOf(bookingId);
  }

  it('refunds everything before the free-cancellation deadline (46 h ahead, 24 h policy)', async () => {
    const b = await confirmed('mentor:free', 'student:s-free');
    expect(await cancel(b.agent, b.bookingId)).toMatchObject({ status: 'refunded', amountRefunded: 4000 });
  });

  it('refunds nothing after the deadline with a 0 % policy, and the mentor is charged for nothing', async () => {
    const b = await confirmed('mentor:late0', 'student:s-late0', { freeCancelHours: 48, lateRefundPercent: 0 });
    expect(await cancel(b.agent, b.bookingId)).toMatchObject({ status: 'captured', amountRefunded: 0 });
  });

  it('refunds the policy share after the deadline (50 % → 20 €), through the provider', async () => {
    const b = await confirmed('mentor:late50', 'student:s-late50', { freeCancelHours: 48, lateRefundPercent: 50 });
    const payment = await cancel(b.agent, b.bookingId);
    expect(payment).toMatchObject({ status: 'partially_refunded', amountRefunded: 2000 });
    expect((await t.deps.payments.retrievePaymentIntent(payment.providerPaymentId)).amountRefunded).toBe(2000);
  });

  it('a mentor cancellation refunds everything whatever the policy', async () => {
    const b = await confirmed('mentor:mcancel', 'student:s-mcancel', { freeCancelHours: 48, lateRefundPercent: 0 });
    expect(await cancel(b.mentor, b.bookingId)).toMatchObject({ status: 'refunded', amountRefunded: 4000 });
  });

  it('a completed session is paid out to the mentor, net of the fee', async () => {
    const b = await confirmed('mentor:payout', 'student:s-payout', undefined, MONDAY_9);
    clock.set(new Date('2026-11-23T09:30:00Z'));
    try {
      const mentor = await t.signIn('mentor:payout');
      const token = await t.csrf(mentor, '/');
      expect((await mentor.post(`/bookings/${b.bookingId}/outcome`).type('form').send({ _csrf: token, outcome: 'completed' })).status).toBe(303);
    } finally {
      clock.set(new Date('2026-11-22T10:00:00Z'));
    }
    const payment = await paymentOf(b.bookingId);
    expect(await t.deps.knex('payouts').where({ paymentId: payment.id }).first()).toMatchObject({ amount: 3400, mentorId: b.mentorId });
  });
});

describe('leaving the checkout', () => {
  it('going back from the payment page frees the slot and books nothing', async () => {
    const m = await mentorWithSkill(t, 'mentor:abandon', { payable: true, skill: { priceCents: 4000, durations: [60] } });
    const agent = await t.signIn('student:s-abandon');
    const started = await startPaid(agent, m.skillId);
    const page = await agent.get(pathOf(started.headers.location!));
    const cancelUrl = /href="(http[^"]+\/cancel)"/.exec(page.text)![1]!;
    const back = await agent.get(pathOf(cancelUrl));
    expect(back.status).toBe(303);
    expect(back.headers.location).toBe(`/skills/${m.skillId}/book`);
    expect(await t.deps.knex('slotHolds').where({ mentorId: m.mentorId }).first()).toBeUndefined();
    expect(await t.deps.knex('checkouts').where({ skillId: m.skillId }).first()).toMatchObject({ status: 'expired' });
    // The page can no longer be paid.
    expect((await payOnCheckout(t, agent, started.headers.location!)).status).toBe(409);
    expect(await t.deps.knex('bookings').where({ skillId: m.skillId }).first()).toBeUndefined();
  });

  it('a checkout left open past its expiry releases the slot', async () => {
    const m = await mentorWithSkill(t, 'mentor:lapse', { payable: true, skill: { priceCents: 4000, durations: [60] } });
    const agent = await t.signIn('student:s-lapse');
    await startPaid(agent, m.skillId);
    clock.set(new Date(clock.now().getTime() + 31 * 60_000));
    try {
      expect(await t.deps.services.checkouts.sweep()).toBeGreaterThanOrEqual(1);
    } finally {
      clock.set(new Date('2026-11-22T10:00:00Z'));
    }
    expect(await t.deps.knex('slotHolds').where({ mentorId: m.mentorId }).first()).toBeUndefined();
    expect(await t.deps.knex('checkouts').where({ skillId: m.skillId }).first()).toMatchObject({ status: 'expired' });
  });

  it('a mentor without a payout account cannot be paid: the student is told before paying', async () => {
    const m = await mentorWithSkill(t, 'mentor:unpayable', { skill: { priceCents: 4000, durations: [60] } });
    const agent = await t.signIn('student:s-unpayable');
    const res = await startPaid(agent, m.skillId);
    expect(res.status).toBe(422);
    expect(res.text).toContain('cannot receive payments yet');
    expect(await t.deps.knex('checkouts').where({ skillId: m.skillId }).first()).toBeUndefined();
  });
});
