// The whole paid-session flow with the real `stripe` SDK against a local fake Stripe:
// the app is configured with Stripe keys, so it talks HTTP to the fake and receives
// Stripe-signed webhooks, exactly as it would in production.
import { afterAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { CARDS, startFakeStripe, type StripeEvent } from '../../test/helpers/fake-stripe.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';
import { pathOf } from '../../test/helpers/payments.ts';

const WEBHOOK_SECRET = 'whsec_test_leboncours';
const fake = await startFakeStripe();
afterAll(() => fake.close());
const clock = new FixedClock(new Date('2026-11-22T10:00:00Z'));
const t = await createTestApp({
  overrides: { clock },
  env: { STRIPE_SECRET_KEY: 'sk_test_leboncours', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_URL: `http://127.0.0.1:${fake.port}` },
});
const MONDAY_9 = '2026-11-23T08:00:00.000Z';

type Agent = Awaited<ReturnType<typeof t.signIn>>;

/** A mentor with a Connect account at the fake, onboarded, selling a 40 € hour. */
async function payableMentor(fixture: string, settings?: { requiresApproval: boolean }) {
  const m = await mentorWithSkill(t, fixture, { skill: { priceCents: 4000, durations: [60] }, ...(settings ? { settings } : {}) });
  const account = await t.deps.payments.createConnectedAccount({ email: `${fixture.split(':')[1]}@example.test`, metadata: { mentor_id: m.mentorId } }, `account:${m.mentorId}`);
  fake.enableAccount(account.id);
  await t.deps.knex('payoutAccounts').insert({ mentorId: m.mentorId, provider: 'stripe', providerAccountId: account.id, chargesEnabled: true, payoutsEnabled: true, detailsSubmitted: true });
  return { ...m, accountId: account.id };
}

async function deliver(events: StripeEvent[]) {
  for (const event of events) {
    const { payload, header } = fake.sign(event, WEBHOOK_SECRET);
    const res = await t.agent().post('/webhooks/payments').set('Content-Type', 'application/json').set('Stripe-Signature', header).send(payload);
    expect(res.status).toBe(200);
  }
}

async function start(agent: Agent, skillId: string, when = MONDAY_9) {
  const token = await t.csrf(agent, '/');
  return agent.post(`/skills/${skillId}/bookings`).type('form').send({ _csrf: token, start: when, duration: '60', subject: 'Help with lifetimes' });
}

const sessionIdOf = (url: string) => /\/pay\/(cs_[A-Za-z0-9_]+)/.exec(url)![1]!;
/** Every POST that creates or moves money, as the fake received it. */
const moneyPosts = () => fake.requests.filter((r) => r.method === 'POST' && /^\/v1\/(checkout\/sessions|payment_intents\/[^/]+\/(capture|cancel)|refunds)/.test(r.path));

describe('paid sessions through Stripe', () => {
  it('the app is wired to Stripe', () => {
    expect(t.deps.payments.name).toBe('stripe');
    expect(t.deps.simulated).toBeUndefined();
  });

  it('authorizes at checkout, books on the webhook, captures on accept, with an idempotency key on every call', async () => {
    const m = await payableMentor('mentor:stripe');
    const agent = await t.signIn('student:s-stripe');
    // Tuesday: 46 h ahead, inside the free-cancellation window of the default policy.
    const started = await start(agent, m.skillId, '2026-11-24T08:00:00.000Z');
    expect(started.status).toBe(303);
    expect(started.headers.location).toMatch(new RegExp(`^http://127.0.0.1:${fake.port}/pay/cs_`));
    const sessionId = sessionIdOf(started.headers.location!);
    const created = fake.requests.find((r) => r.path === '/v1/checkout/sessions' && r.method === 'POST')!;
    const checkout = await t.deps.knex('checkouts').where({ skillId: m.skillId }).first();
    expect(created.idempotencyKey).toBe(`checkout:${checkout.id}`);
    expect(created.body).toMatchObject({
      mode: 'payment', payment_intent_data: { capture_method: 'manual', application_fee_amount: '600', transfer_data: { destination: m.accountId } },
      metadata: { checkout_id: checkout.id, purpose: 'booking', mentor_id: m.mentorId, skill_id: m.skillId },
    });

    // A declined card: no booking, nothing to tell.
    await deliver(fake.payCheckout(sessionId, CARDS.declined));
    expect(await t.deps.knex('bookings').where({ skillId: m.skillId }).first()).toBeUndefined();

    await deliver(fake.payCheckout(sessionId, CARDS.ok));
    const booking = await t.deps.knex('bookings').where({ skillId: m.skillId }).first();
    expect(booking.status).toBe('pending');
    const payment = await t.deps.knex('payments').where({ bookingId: booking.id }).first();
    expect(payment).toMatchObject({ provider: 'stripe', status: 'authorized', amount: 4000, feeAmount: 600 });

    // The return from checkout afterwards changes nothing.
    const back = await agent.get(`/checkouts/${checkout.id}/return`);
    expect(back.headers.location).toBe(`/bookings/${booking.id}`);

    const mentor = await t.signIn('mentor:stripe');
    const token = await t.csrf(mentor, '/');
    await mentor.post(`/bookings/${booking.id}/confirmation`).type('form').send({ _csrf: token });
    await t.runJobs();
    expect((await t.deps.knex('payments').where({ id: payment.id }).first()).status).toBe('captured');
    const captures = fake.requests.filter((r) => r.path === `/v1/payment_intents/${payment.providerPaymentId}/capture`);
    expect(captures).toHaveLength(1);
    expect(captures[0]!.idempotencyKey).toBe(`capture:${payment.id}`);

    // The student cancels 46 h ahead: a full refund, reversing the transfer.
    const student = await t.signIn('student:s-stripe');
    const token2 = await t.csrf(student, '/');
    await student.post(`/bookings/${booking.id}/cancellation`).type('form').send({ _csrf: token2, reason: 'Change of plans' });
    await t.runJobs();
    const refund = fake.requests.find((r) => r.path === '/v1/refunds')!;
    expect(refund.body).toMatchObject({ payment_intent: payment.providerPaymentId, amount: '4000', reverse_transfer: 'true', refund_application_fee: 'true' });
    expect(refund.idempotencyKey).toMatch(/^refund:/);
    expect(await t.deps.knex('payments').where({ id: payment.id }).first()).toMatchObject({ status: 'refunded', amountRefunded: 4000 });
    // charge.refunded arriving later (and twice) adds nothing.
    const refundedEvents = fake.events.filter((e) => e.type === 'charge.refunded');
    await deliver([...refundedEvents, ...refundedEvents]);
    expect(await t.deps.knex('refunds').where({ paymentId: payment.id })).toHaveLength(1);

    for (const post of moneyPosts()) expect(post.idempotencyKey).toMatch(/^(checkout|capture|release|refund|expire):/);
  });

  it('out of order: the payment intent events before the session completes end in the same state', async () => {
    const m = await payableMentor('mentor:order');
    const agent = await t.signIn('student:s-order');
    const started = await start(agent, m.skillId);
    const events = fake.payCheckout(sessionIdOf(started.headers.location!), CARDS.ok);
    await deliver([...events].reverse());
    await deliver(events);
    const bookings = await t.deps.knex('bookings').where({ skillId: m.skillId });
    expect(bookings).toHaveLength(1);
    expect(await t.deps.knex('payments').where({ bookingId: bookings[0].id }).first()).toMatchObject({ status: 'authorized' });
  });

  it('a bad signature is refused and nothing is applied', async () => {
    const m = await payableMentor('mentor:forged');
    const agent = await t.signIn('student:s-forged');
    const started = await start(agent, m.skillId);
    const events = fake.payCheckout(sessionIdOf(started.headers.location!), CARDS.ok);
    for (const event of events) {
      const { payload, header } = fake.sign(event, 'whsec_someone_else');
      const res = await t.agent().post('/webhooks/payments').set('Content-Type', 'application/json').set('Stripe-Signature', header).send(payload);
      expect(res.status).toBe(400);
    }
    expect(await t.deps.knex('bookings').where({ skillId: m.skillId }).first()).toBeUndefined();
  });

  it('50 students paying for one slot: one paid booking, 49 released authorizations, no capture twice', async () => {
    const m = await payableMentor('mentor:crowd', { requiresApproval: false });
    const students = await Promise.all(Array.from({ length: 50 }, (_, i) => t.user(`student:s-crowd${i}`)));
    // Each opens a checkout for the same slot (as if each had held it in turn): the race is at fulfilment.
    const opened = await Promise.all(students.map((s) => t.deps.services.checkouts.open({
      purpose: 'booking', userId: s.id, email: s.email, locale: 'en', mentorId: m.mentorId, skillId: m.skillId,
      draft: { start: MONDAY_9, durationMinutes: 60, subject: 'Crowd', description: null, message: null },
      name: 'Crowd session', amount: 4000, feeAmount: 600, currency: 'EUR', destinationAccountId: m.accountId, captureManually: true,
      expiresAt: new Date(clock.now().getTime() + 30 * 60_000),
    })));
    const events = opened.flatMap(({ url }) => fake.payCheckout(sessionIdOf(url), CARDS.ok));
    const completed = events.filter((e) => e.type === 'checkout.session.completed');
    await Promise.all(completed.map(async (event) => {
      const { payload, header } = fake.sign(event, WEBHOOK_SECRET);
      const res = await t.agent().post('/webhooks/payments').set('Content-Type', 'application/json').set('Stripe-Signature', header).send(payload);
      expect(res.status).toBe(200);
    }));
    // The return URLs race the webhooks too.
    await Promise.all(opened.slice(0, 10).map(({ checkout }) => t.deps.services.checkouts.reconcile(checkout.id)));
    await t.runJobs();

    const bookings = await t.deps.knex('bookings').where({ skillId: m.skillId });
    expect(bookings).toHaveLength(1);
    expect(bookings[0].status).toBe('confirmed');
    const payments = await t.deps.knex('payments').where({ mentorId: m.mentorId });
    expect(payments).toHaveLength(50);
    expect(payments.filter((p) => p.status === 'captured')).toHaveLength(1);
    expect(payments.filter((p) => p.status === 'released')).toHaveLength(49);
    const checkouts = await t.deps.knex('checkouts').where({ skillId: m.skillId });
    expect(checkouts.filter((c) => c.status === 'failed')).toHaveLength(49);
    const captured = fake.requests.filter((r) => /\/capture$/.test(r.path) && r.status === 200 && payments.some((p) => r.path.includes(p.providerPaymentId)));
    expect(captured).toHaveLength(1);
    const cancels = fake.requests.filter((r) => /\/cancel$/.test(r.path) && r.status === 200 && payments.some((p) => r.path.includes(p.providerPaymentId)));
    expect(cancels).toHaveLength(49);
    // The 49 who lost were told nothing about a booking; the mentor heard of one.
    expect(await t.deps.knex('notifications').where({ userId: m.mentorId }).whereNot({ kind: 'booking.reminder' })).toHaveLength(1);
    expect(pathOf(opened[0]!.url)).toMatch(/^\/pay\//);
  });
});
