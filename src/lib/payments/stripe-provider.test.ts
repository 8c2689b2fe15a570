// The Stripe provider with the real SDK against the local fake Stripe (no network, no
// mocks): what it sends, how it reads Stripe's answers back, and that every call that
// creates or moves money carries our idempotency key.
import { afterAll, describe, expect, it } from 'vitest';
import { CARDS, startFakeStripe } from '../../../test/helpers/fake-stripe.ts';
import { ProviderError, WebhookSignatureError, type CheckoutInput } from './port.ts';
import { createStripeProvider } from './stripe-provider.ts';

const WEBHOOK_SECRET = 'whsec_test_secret';
const fake = await startFakeStripe();
afterAll(() => fake.close());
const stripe = createStripeProvider({ secretKey: 'sk_test_fake', webhookSecret: WEBHOOK_SECRET, api: fake.api });

let keys = 0;
const key = () => `lbc-test-${++keys}`;

function checkout(overrides: Partial<CheckoutInput> = {}): CheckoutInput {
  return {
    mode: 'payment',
    line: { name: 'Cours de guitare (60 min)', amount: 4500, currency: 'EUR' },
    metadata: { bookingId: 'b-1' },
    successUrl: 'https://leboncours.example/bookings/b-1?paid=1',
    cancelUrl: 'https://leboncours.example/bookings/b-1',
    expiresAt: new Date(Date.now() + 3600_000),
    locale: 'fr-FR',
    ...overrides,
  };
}

/** The last request the fake received on a path, to check what the SDK really sent. */
function lastRequest(pathEnd: string) {
  const found = fake.requests.filter((r) => r.path.endsWith(pathEnd)).at(-1);
  if (!found) throw new Error(`no request to ${pathEnd}`);
  return found;
}

async function providerError(promise: Promise<unknown>): Promise<ProviderError> {
  const error: unknown = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

async function paidIntent(input: Partial<CheckoutInput> = {}) {
  const session = await stripe.createCheckout(checkout(input), key());
  fake.payCheckout(session.id, CARDS.ok);
  const paid = await stripe.retrieveCheckout(session.id);
  return paid.paymentIntentId!;
}

describe('Stripe provider: one-off payments', () => {
  it('creates a manual-capture destination checkout, authorizes it, captures it once', async () => {
    const mentor = await stripe.createConnectedAccount({ email: 'alice@example.com', metadata: { userId: 'u-alice' } }, key());
    const input = checkout({ captureManually: true, destination: { accountId: mentor.id, feeAmount: 450 }, expiresAt: new Date(Date.now() + 5 * 60_000) });
    const created = await stripe.createCheckout(input, key());

    const sent = lastRequest('/v1/checkout/sessions').body;
    expect(sent).toMatchObject({
      mode: 'payment',
      line_items: [{ quantity: '1', price_data: { currency: 'eur', unit_amount: '4500', product_data: { name: 'Cours de guitare (60 min)' } } }],
      payment_intent_data: { capture_method: 'manual', metadata: { bookingId: 'b-1' }, transfer_data: { destination: mentor.id }, application_fee_amount: '450' },
      metadata: { bookingId: 'b-1' },
      locale: 'fr',
    });
    // Five minutes is too soon for Stripe: moved to its 30-minute minimum.
    expect(created.expiresAt.getTime()).toBeGreaterThanOrEqual(Date.now() + 30 * 60_000);

    const open = await stripe.retrieveCheckout(created.id);
    expect(open).toMatchObject({ id: created.id, status: 'open', paymentStatus: 'unpaid', amountTotal: 4500, currency: 'EUR', metadata: { bookingId: 'b-1' }, paymentIntentId: null });
    expect(open.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/pay\/cs_test_/);

    const events = fake.payCheckout(created.id, CARDS.ok);
    expect(events.map((e) => e.type)).toContain('checkout.session.completed');
    const paid = await stripe.retrieveCheckout(created.id);
    expect(paid).toMatchObject({ status: 'complete', paymentStatus: 'unpaid' });
    const intentId = paid.paymentIntentId!;
    expect(await stripe.retrievePaymentIntent(intentId)).toMatchObject({ status: 'requires_capture', amount: 4500, amountReceived: 0, amountRefunded: 0, metadata: { bookingId: 'b-1' } });

    const captured = await stripe.capturePaymentIntent(intentId, key());
    expect(captured).toMatchObject({ id: intentId, status: 'succeeded', amountReceived: 4500 });

    const again = await providerError(stripe.capturePaymentIntent(intentId, key()));
    expect(again).toMatchObject({ code: 'payment_intent_unexpected_state', statusCode: 400 });
    const captures = fake.requests.filter((r) => r.path === `/v1/payment_intents/${intentId}/capture` && r.status === 200);
    expect(captures).toHaveLength(1);
  });

  it('releases an authorization that is never captured, and only once', async () => {
    const intentId = await paidIntent({ captureManually: true });
    const canceled = await stripe.cancelPaymentIntent(intentId, key());
    expect(canceled).toMatchObject({ status: 'canceled', amountReceived: 0, amountRefunded: 4500 });
    expect(await providerError(stripe.cancelPaymentIntent(intentId, key()))).toMatchObject({ code: 'payment_intent_unexpected_state' });
    expect(await providerError(stripe.capturePaymentIntent(intentId, key()))).toMatchObject({ code: 'payment_intent_unexpected_state' });
  });

  it('refunds part, then the rest, then refuses a third refund', async () => {
    const intentId = await paidIntent();
    expect(await stripe.retrievePaymentIntent(intentId)).toMatchObject({ status: 'succeeded', amountReceived: 4500 });

    const first = await stripe.createRefund({ paymentIntentId: intentId, amount: 1500, reverseTransfer: false, metadata: { refundId: 'r-1' } }, key());
    expect(first).toMatchObject({ paymentIntentId: intentId, amount: 1500, status: 'succeeded', metadata: { refundId: 'r-1' } });
    expect(lastRequest('/v1/refunds').body).not.toHaveProperty('reverse_transfer');
    expect((await stripe.retrievePaymentIntent(intentId)).amountRefunded).toBe(1500);

    await stripe.createRefund({ paymentIntentId: intentId, amount: 3000, reverseTransfer: false, metadata: { refundId: 'r-2' } }, key());
    expect((await stripe.retrievePaymentIntent(intentId)).amountRefunded).toBe(4500);
    expect(fake.events.filter((e) => e.type === 'charge.refunded' && e.data.object.payment_intent === intentId)).toHaveLength(2);

    const third = await providerError(stripe.createRefund({ paymentIntentId: intentId, amount: 1, reverseTransfer: false, metadata: {} }, key()));
    expect(third).toMatchObject({ code: 'charge_already_refunded', statusCode: 400 });
  });

  it('takes back the transfer and the fee when refunding a destination charge', async () => {
    const mentor = await stripe.createConnectedAccount({ email: 'mentor@example.com', metadata: {} }, key());
    const intentId = await paidIntent({ destination: { accountId: mentor.id, feeAmount: 450 } });
    const refund = await stripe.createRefund({ paymentIntentId: intentId, amount: 4500, reverseTransfer: true, metadata: {} }, key());
    expect(lastRequest('/v1/refunds').body).toMatchObject({ reverse_transfer: 'true', refund_application_fee: 'true' });
    expect(fake.object(refund.id)).toMatchObject({ transfer_reversal: expect.stringMatching(/^trr_/) });
  });

  it('leaves the checkout open and unpaid when the card is declined', async () => {
    const session = await stripe.createCheckout(checkout(), key());
    for (const [card, reason] of [[CARDS.declined, 'generic_decline'], [CARDS.insufficientFunds, 'insufficient_funds']] as const) {
      const events = fake.payCheckout(session.id, card);
      const failed = events.find((e) => e.type === 'payment_intent.payment_failed');
      expect(failed?.data.object.last_payment_error).toMatchObject({ code: 'card_declined', decline_code: reason });
      expect(await stripe.retrieveCheckout(session.id)).toMatchObject({ status: 'open', paymentStatus: 'unpaid' });
    }
    const intentId = (await stripe.retrieveCheckout(session.id)).paymentIntentId!;
    expect((await stripe.retrievePaymentIntent(intentId)).status).toBe('requires_payment_method');

    fake.payCheckout(session.id, CARDS.ok);
    expect(await stripe.retrieveCheckout(session.id)).toMatchObject({ status: 'complete', paymentStatus: 'paid', paymentIntentId: intentId });
  });

  it('expires an open checkout, after which it cannot be paid', async () => {
    const session = await stripe.createCheckout(checkout(), key());
    expect(await stripe.expireCheckout(session.id, key())).toMatchObject({ status: 'expired', url: null });
    expect(() => fake.payCheckout(session.id, CARDS.ok)).toThrow(/expired/);
    expect(await providerError(stripe.expireCheckout(session.id, key()))).toMatchObject({ code: 'invalid_request_error', statusCode: 400 });
  });

  it('maps Stripe errors to ProviderError with their code and status', async () => {
    expect(await providerError(stripe.retrieveCheckout('cs_test_unknown'))).toMatchObject({ code: 'resource_missing', statusCode: 404 });
    const intentId = await paidIntent({ captureManually: true });
    fake.failNext('POST', `/v1/payment_intents/${intentId}/capture`, { status: 402, type: 'card_error', code: 'card_declined', message: 'Your card was declined.' });
    expect(await providerError(stripe.capturePaymentIntent(intentId, key()))).toMatchObject({ code: 'card_declined', statusCode: 402, message: 'Your card was declined.' });
    fake.failNext('GET', '/v1/payment_intents/', { status: 500, type: 'api_error', message: 'Something went wrong on our end.' });
    expect(await providerError(stripe.retrievePaymentIntent(intentId))).toMatchObject({ code: 'api_error', statusCode: 500 });
  });
});

describe('Stripe provider: subscriptions and the customer portal', () => {
  it('starts a monthly subscription and reads its interval, period end and changes', async () => {
    const customer = await stripe.createCustomer({ email: 'bob@example.com', name: 'Bob', metadata: { userId: 'u-bob' } }, key());
    const session = await stripe.createCheckout(
      checkout({ mode: 'subscription', line: { name: 'Leboncours Pro', amount: 1900, currency: 'eur', interval: 'month' }, customerId: customer.id, metadata: { userId: 'u-bob', plan: 'pro' } }),
      key(),
    );
    const sent = lastRequest('/v1/checkout/sessions').body;
    expect(sent).toMatchObject({ mode: 'subscription', customer: customer.id, subscription_data: { metadata: { plan: 'pro' } }, line_items: [{ price_data: { recurring: { interval: 'month' } } }] });
    expect(sent).not.toHaveProperty('payment_intent_data');

    const types = fake.payCheckout(session.id, CARDS.ok).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['checkout.session.completed', 'customer.subscription.created', 'invoice.paid']));
    const done = await stripe.retrieveCheckout(session.id);
    expect(done).toMatchObject({ status: 'complete', customerId: customer.id });

    const subscription = await stripe.retrieveSubscription(done.subscriptionId!);
    const inAMonth = new Date();
    inAMonth.setUTCMonth(inAMonth.getUTCMonth() + 1);
    expect(subscription).toMatchObject({ customerId: customer.id, status: 'active', interval: 'month', cancelAtPeriodEnd: false, metadata: { userId: 'u-bob', plan: 'pro' } });
    expect(Math.abs(subscription.currentPeriodEnd.getTime() - inAMonth.getTime())).toBeLessThan(5_000);

    fake.updateSubscription(subscription.id, { cancel_at_period_end: true });
    expect((await stripe.retrieveSubscription(subscription.id)).cancelAtPeriodEnd).toBe(true);
    fake.invoice(subscription.id, false);
    expect((await stripe.retrieveSubscription(subscription.id)).status).toBe('past_due');
    const [deleted] = fake.deleteSubscription(subscription.id);
    expect(deleted?.type).toBe('customer.subscription.deleted');
    expect((await stripe.retrieveSubscription(subscription.id)).status).toBe('canceled');
  });

  it('refuses manual capture or a destination on a subscription before calling Stripe', async () => {
    const before = fake.requests.length;
    const sub = checkout({ mode: 'subscription', line: { name: 'Pro', amount: 1900, currency: 'eur', interval: 'year' }, captureManually: true });
    expect(await providerError(stripe.createCheckout(sub, key()))).toMatchObject({ code: 'parameter_unsupported' });
    expect(fake.requests.length).toBe(before);
  });

  it('opens a portal session for a customer, and refuses an unknown one', async () => {
    const customer = await stripe.createCustomer({ email: 'carol@example.com', name: 'Carol', metadata: {} }, key());
    const portal = await stripe.createPortalSession({ customerId: customer.id, returnUrl: 'https://leboncours.example/account', locale: 'en' });
    expect(portal.url).toMatch(new RegExp(`^${fake.url}/portal/bps_`));
    expect(lastRequest('/v1/billing_portal/sessions').body).toMatchObject({ customer: customer.id, return_url: 'https://leboncours.example/account', locale: 'en' });
    expect(await providerError(stripe.createPortalSession({ customerId: 'cus_missing', returnUrl: 'https://x.example' }))).toMatchObject({ code: 'resource_missing' });
  });
});

describe('Stripe provider: Connect', () => {
  it('creates an express account, links its onboarding and sees it enabled', async () => {
    const account = await stripe.createConnectedAccount({ email: 'dan@example.com', country: 'FR', metadata: { userId: 'u-dan' } }, key());
    expect(account).toMatchObject({ chargesEnabled: false, payoutsEnabled: false, detailsSubmitted: false, metadata: { userId: 'u-dan' } });
    expect(lastRequest('/v1/accounts').body).toMatchObject({ type: 'express', country: 'FR', capabilities: { card_payments: { requested: 'true' }, transfers: { requested: 'true' } } });

    const link = await stripe.createAccountLink({ accountId: account.id, refreshUrl: 'https://leboncours.example/payouts/refresh', returnUrl: 'https://leboncours.example/payouts' });
    expect(link.url).toContain(account.id);
    expect(lastRequest('/v1/account_links').body).toMatchObject({ type: 'account_onboarding', account: account.id });

    expect(fake.enableAccount(account.id)[0]?.type).toBe('account.updated');
    expect(await stripe.retrieveAccount(account.id)).toMatchObject({ chargesEnabled: true, payoutsEnabled: true, detailsSubmitted: true });
    expect(await providerError(stripe.retrieveAccount('acct_missing'))).toMatchObject({ code: 'resource_missing', statusCode: 404 });
  });
});

describe('Stripe provider: webhooks', () => {
  it('accepts a signed event and refuses a tampered body, a wrong secret or no signature', async () => {
    const session = await stripe.createCheckout(checkout(), key());
    const [event] = fake.expireCheckout(session.id);
    const { payload, header } = fake.sign(event!, WEBHOOK_SECRET);

    const verified = await stripe.verifyWebhook(Buffer.from(payload), header);
    expect(verified).toMatchObject({ id: event!.id, type: 'checkout.session.expired', created: event!.created, object: { id: session.id, object: 'checkout.session', metadata: { bookingId: 'b-1' } } });
    expect(Object.keys(verified.object).filter((k) => k.startsWith('_'))).toEqual([]);

    const tampered = Buffer.from(payload.replace('"bookingId":"b-1"', '"bookingId":"b-2"'));
    await expect(stripe.verifyWebhook(tampered, header)).rejects.toThrow(WebhookSignatureError);
    const other = fake.sign(event!, 'whsec_someone_else');
    await expect(stripe.verifyWebhook(Buffer.from(other.payload), other.header)).rejects.toThrow(WebhookSignatureError);
    await expect(stripe.verifyWebhook(Buffer.from(payload), undefined)).rejects.toThrow(WebhookSignatureError);
    await expect(stripe.verifyWebhook(Buffer.from(payload), 'garbage')).rejects.toThrow(WebhookSignatureError);
  });
});

describe('Stripe provider: idempotency', () => {
  it('repeats a create with the same key without a second effect, and refuses the key for other parameters', async () => {
    const same = key();
    const first = await stripe.createCheckout(checkout({ metadata: { bookingId: 'b-9' } }), same);
    const second = await stripe.createCheckout(checkout({ metadata: { bookingId: 'b-9' }, expiresAt: first.expiresAt }), same);
    expect(second.id).toBe(first.id);

    const customer = key();
    const a = await stripe.createCustomer({ email: 'eve@example.com', name: 'Eve', metadata: {} }, customer);
    const b = await stripe.createCustomer({ email: 'eve@example.com', name: 'Eve', metadata: {} }, customer);
    expect(b.id).toBe(a.id);
    const misuse = await providerError(stripe.createCustomer({ email: 'mallory@example.com', name: 'Mallory', metadata: {} }, customer));
    expect(misuse.code).toBe('idempotency_error');
  });

  // Last in the file: it checks every request the tests above made.
  it('sent our own idempotency key on every POST that creates or moves money', () => {
    const moving = /^\/v1\/(checkout\/sessions(\/[^/]+\/expire)?|payment_intents\/[^/]+\/(capture|cancel)|refunds|customers|accounts)$/;
    const posts = fake.requests.filter((r) => r.method === 'POST' && moving.test(r.path));
    expect(posts.length).toBeGreaterThan(20);
    // The SDK adds a random "stripe-node-retry-…" key of its own when none is given: ours
    // are the ones derived from our ids, the only ones that survive a retried job.
    for (const r of posts) expect(r.idempotencyKey, `${r.method} ${r.path}`).toMatch(/^lbc-test-\d+$/);
  });
});
