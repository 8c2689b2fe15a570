// A payment provider that runs inside the app, so `npm start` on a fresh machine shows
// the whole paid journey with no account anywhere. It behaves like Stripe where the app
// can tell: objects with Stripe's ids and states, idempotency keys, a hosted checkout
// page (rendered by the payments feature from `checkoutView`), and events signed with
// Stripe's scheme and delivered later, through the job queue, to the same webhook
// receiver Stripe's events reach. Its objects live in PostgreSQL (shared by instances).
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import Stripe from 'stripe';
import type { Clock } from '../clock.ts';
import {
  ProviderError, WebhookSignatureError, type AccountState, type CheckoutInput, type CheckoutState, type PaymentIntentState,
  type PaymentsProvider, type ProviderEvent, type ProviderMetadata, type RefundState, type SubscriptionState,
} from './port.ts';

export const SIMULATED_WEBHOOK_TASK = 'simulated-provider-webhook';

/** The test cards, as on Stripe's test mode. */
export const TEST_CARDS = {
  success: '4242424242424242',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
} as const;

export type CardOutcome = { outcome: 'paid'; successUrl: string } | { outcome: 'declined'; code: 'card_declined' | 'insufficient_funds' | 'incorrect_number' };

interface SimCheckout {
  id: string; object: 'checkout.session'; mode: CheckoutInput['mode']; status: CheckoutState['status']; payment_status: CheckoutState['paymentStatus'];
  amount_total: number; currency: string; metadata: ProviderMetadata; payment_intent: string | null; subscription: string | null;
  customer: string | null; customer_email: string | null; expires_at: number; success_url: string; cancel_url: string;
  line: CheckoutInput['line']; capture_manually: boolean; destination: CheckoutInput['destination'] | null; locale: string | null;
}
interface SimPaymentIntent {
  id: string; object: 'payment_intent'; status: PaymentIntentState['status']; amount: number; amount_received: number; amount_refunded: number;
  currency: string; metadata: ProviderMetadata; capture_method: 'manual' | 'automatic'; transfer_data: { destination: string } | null; application_fee_amount: number | null;
  last_payment_error: { code: string } | null;
}
interface SimSubscription {
  id: string; object: 'subscription'; customer: string; status: SubscriptionState['status']; interval: 'month' | 'year'; amount: number; currency: string;
  current_period_end: number; cancel_at_period_end: boolean; metadata: ProviderMetadata;
}
interface SimAccount { id: string; object: 'account'; email: string; charges_enabled: boolean; payouts_enabled: boolean; details_submitted: boolean; metadata: ProviderMetadata; business_name: string | null }
interface SimRefund { id: string; object: 'refund'; payment_intent: string; amount: number; status: RefundState['status']; metadata: ProviderMetadata }
interface SimLink { id: string; object: 'account_link' | 'billing_portal.session'; account?: string; customer?: string; return_url: string; refresh_url?: string; expires_at: number }
interface SimCustomer { id: string; object: 'customer'; email: string; name: string; metadata: ProviderMetadata }

type SimObject = SimCheckout | SimPaymentIntent | SimSubscription | SimAccount | SimRefund | SimLink | SimCustomer;

/** The job queue, as far as the provider needs it: events go out in the transaction that caused them. */
export interface EventQueue {
  add(db: Knex.Transaction, task: string, payload: Record<string, unknown>): Promise<void>;
}

export interface SimulatedProviderDeps {
  knex: Knex;
  jobs: EventQueue;
  clock: Clock;
  appUrl: string;
  webhookSecret: string;
}

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

export function createSimulatedProvider(deps: SimulatedProviderDeps) {
  const { knex, jobs, clock } = deps;
  // Only the webhook helpers of the SDK are used: they sign and check exactly as Stripe does, offline.
  const signer = new Stripe('sk_simulated_offline', { telemetry: false, maxNetworkRetries: 0 });
  const newId = (prefix: string) => `${prefix}_sim_${crypto.randomBytes(12).toString('hex')}`;

  async function load<T extends SimObject>(db: Knex, id: string, kind: T['object'], lock = false): Promise<T> {
    const query = db('simulatedProviderObjects').where({ id, kind }).first('data');
    if (lock) query.forUpdate();
    const row = await query;
    if (!row) throw new ProviderError(`No such ${kind}: '${id}'`, 'resource_missing', 404);
    return row.data as T;
  }

  async function save(db: Knex, object: SimObject): Promise<void> {
    await db('simulatedProviderObjects')
      .insert({ id: object.id, kind: object.object, data: JSON.stringify(object) })
      .onConflict('id').merge({ data: JSON.stringify(object), updatedAt: clock.now() });
  }

  /** Queues an event for the webhook receiver, in the transaction that changed the object. */
  async function emit(trx: Knex.Transaction, type: string, object: SimObject): Promise<void> {
    const event = { id: newId('evt'), object: 'event', type, created: seconds(clock.now()), data: { object } };
    await jobs.add(trx, SIMULATED_WEBHOOK_TASK, { event });
  }

  /**
   * Runs `create` once per (key, operation): a repeat returns the first object, even
   * when the two calls race (the second waits on the first's key row).
   */
  async function idempotent<T extends SimObject>(key: string, operation: string, kind: T['object'], create: (trx: Knex.Transaction, id: string) => Promise<T>): Promise<T> {
    return knex.transaction(async (trx) => {
      const id = operation.startsWith('create:') ? newId(kind === 'checkout.session' ? 'cs' : kind === 'refund' ? 're' : kind === 'customer' ? 'cus' : 'acct') : '';
      const inserted = await trx('simulatedProviderRequests').insert({ idempotencyKey: key, operation, objectId: id || '-' }).onConflict(['idempotencyKey', 'operation']).ignore().returning('objectId');
      if (inserted.length === 0) {
        const previous = await trx('simulatedProviderRequests').where({ idempotencyKey: key, operation }).first('objectId');
        if (previous.objectId !== '-') return load<T>(trx, previous.objectId, kind);
        // A repeated action (capture, cancel, expire): the object's current state.
        return load<T>(trx, operation.split(':')[1]!, kind);
      }
      return create(trx, id);
    });
  }

  function checkoutState(s: SimCheckout): CheckoutState {
    return {
      id: s.id, url: s.status === 'open' ? `${deps.appUrl}/simulated-provider/checkout/${s.id}` : null, status: s.status, paymentStatus: s.payment_status,
      paymentIntentId: s.payment_intent, subscriptionId: s.subscription, customerId: s.customer, amountTotal: s.amount_total, currency: s.currency.toUpperCase(),
      metadata: s.metadata, expiresAt: new Date(s.expires_at * 1000),
    };
  }
  const intentState = (p: SimPaymentIntent): PaymentIntentState => ({
    id: p.id, status: p.status, amount: p.amount, amountReceived: p.amount_received, amountRefunded: p.amount_refunded, currency: p.currency.toUpperCase(), metadata: p.metadata,
  });
  const subscriptionState = (s: SimSubscription): SubscriptionState => ({
    id: s.id, customerId: s.customer, status: s.status, interval: s.interval, currentPeriodEnd: new Date(s.current_period_end * 1000), cancelAtPeriodEnd: s.cancel_at_period_end, metadata: s.metadata,
  });
  const accountState = (a: SimAccount): AccountState => ({ id: a.id, chargesEnabled: a.charges_enabled, payoutsEnabled: a.payouts_enabled, detailsSubmitted: a.details_submitted, metadata: a.metadata });

  /** An open session past its expiry is expired the first time anyone looks (Stripe does it on a timer). */
  async function lapse(trx: Knex.Transaction, s: SimCheckout): Promise<SimCheckout> {
    if (s.status !== 'open' || s.expires_at > seconds(clock.now())) return s;
    const expired: SimCheckout = { ...s, status: 'expired' };
    await save(trx, expired);
    await emit(trx, 'checkout.session.expired', expired);
    return expired;
  }

  /**
   * A subscription whose period has ended renews (a paid invoice) or, when it was
   * set to cancel at the period's end, ends: the lifecycle Stripe runs on its clock.
   */
  async function advance(trx: Knex.Transaction, s: SimSubscription): Promise<SimSubscription> {
    let current = s;
    const now = seconds(clock.now());
    for (let i = 0; i < 36 && current.status !== 'canceled' && current.current_period_end <= now; i++) {
      if (current.cancel_at_period_end) {
        current = { ...current, status: 'canceled' };
        await save(trx, current);
        await emit(trx, 'customer.subscription.deleted', current);
      } else if (current.status === 'active') {
        const next = new Date(current.current_period_end * 1000);
        if (current.interval === 'month') next.setUTCMonth(next.getUTCMonth() + 1); else next.setUTCFullYear(next.getUTCFullYear() + 1);
        current = { ...current, current_period_end: seconds(next) };
        await save(trx, current);
        await emit(trx, 'invoice.paid', current);
        await emit(trx, 'customer.subscription.updated', current);
      } else break;
    }
    return current;
  }

  const provider: PaymentsProvider = {
    name: 'simulated',

    async createCheckout(input, idempotencyKey) {
      const s = await idempotent<SimCheckout>(idempotencyKey, 'create:checkout', 'checkout.session', async (trx, id) => {
        const session: SimCheckout = {
          id, object: 'checkout.session', mode: input.mode, status: 'open', payment_status: 'unpaid', amount_total: input.line.amount,
          currency: input.line.currency.toLowerCase(), metadata: input.metadata, payment_intent: null, subscription: null,
          customer: input.customerId ?? null, customer_email: input.customerEmail ?? null, expires_at: seconds(input.expiresAt),
          success_url: input.successUrl, cancel_url: input.cancelUrl, line: input.line, capture_manually: Boolean(input.captureManually),
          destination: input.destination ?? null, locale: input.locale ?? null,
        };
        await save(trx, session);
        return session;
      });
      return checkoutState(s);
    },

    async retrieveCheckout(id) {
      return checkoutState(await knex.transaction(async (trx) => lapse(trx, await load<SimCheckout>(trx, id, 'checkout.session', true))));
    },

    async expireCheckout(id, idempotencyKey) {
      const s = await idempotent<SimCheckout>(idempotencyKey, `expire:${id}`, 'checkout.session', async (trx) => {
        const session = await load<SimCheckout>(trx, id, 'checkout.session', true);
        if (session.status !== 'open') throw new ProviderError(`Only open sessions can be expired (this one is ${session.status}).`, 'checkout_not_open', 400);
        const expired: SimCheckout = { ...session, status: 'expired' };
        await save(trx, expired);
        await emit(trx, 'checkout.session.expired', expired);
        return expired;
      });
      return checkoutState(s);
    },

    async retrievePaymentIntent(id) {
      return intentState(await load<SimPaymentIntent>(knex, id, 'payment_intent'));
    },

    async capturePaymentIntent(id, idempotencyKey) {
      const p = await idempotent<SimPaymentIntent>(idempotencyKey, `capture:${id}`, 'payment_intent', async (trx) => {
        const intent = await load<SimPaymentIntent>(trx, id, 'payment_intent', true);
        if (intent.status !== 'requires_capture') throw new ProviderError(`This PaymentIntent could not be captured because it has a status of ${intent.status}.`, 'payment_intent_unexpected_state', 400);
        const captured: SimPaymentIntent = { ...intent, status: 'succeeded', amount_received: intent.amount };
        await save(trx, captured);
        await emit(trx, 'payment_intent.succeeded', captured);
        return captured;
      });
      return intentState(p);
    },

    async cancelPaymentIntent(id, idempotencyKey) {
      const p = await idempotent<SimPaymentIntent>(idempotencyKey, `cancel:${id}`, 'payment_intent', async (trx) => {
        const intent = await load<SimPaymentIntent>(trx, id, 'payment_intent', true);
        if (intent.status === 'succeeded' || intent.status === 'canceled') throw new ProviderError(`This PaymentIntent could not be canceled because it has a status of ${intent.status}.`, 'payment_intent_unexpected_state', 400);
        const canceled: SimPaymentIntent = { ...intent, status: 'canceled' };
        await save(trx, canceled);
        await emit(trx, 'payment_intent.canceled', canceled);
        return canceled;
      });
      return intentState(p);
    },

    async createRefund(input, idempotencyKey) {
      const r = await idempotent<SimRefund>(idempotencyKey, 'create:refund', 'refund', async (trx, id) => {
        const intent = await load<SimPaymentIntent>(trx, input.paymentIntentId, 'payment_intent', true);
        if (intent.status !== 'succeeded') throw new ProviderError('This PaymentIntent has no captured charge to refund.', 'charge_not_captured', 400);
        if (!Number.isInteger(input.amount) || input.amount <= 0 || intent.amount_refunded + input.amount > intent.amount_received) {
          throw new ProviderError(`Refund amount (${input.amount}) is greater than the unrefunded amount on the charge.`, 'amount_too_large', 400);
        }
        const refund: SimRefund = { id, object: 'refund', payment_intent: intent.id, amount: input.amount, status: 'succeeded', metadata: input.metadata };
        const refunded: SimPaymentIntent = { ...intent, amount_refunded: intent.amount_refunded + input.amount };
        await save(trx, refund);
        await save(trx, refunded);
        await emit(trx, 'charge.refunded', refunded);
        return refund;
      });
      return { id: r.id, paymentIntentId: r.payment_intent, amount: r.amount, status: r.status, metadata: r.metadata };
    },

    async createCustomer(input, idempotencyKey) {
      const c = await idempotent<SimCustomer>(idempotencyKey, 'create:customer', 'customer', async (trx, id) => {
        const customer: SimCustomer = { id, object: 'customer', email: input.email, name: input.name, metadata: input.metadata };
        await save(trx, customer);
        return customer;
      });
      return { id: c.id };
    },

    async retrieveSubscription(id) {
      return subscriptionState(await knex.transaction(async (trx) => advance(trx, await load<SimSubscription>(trx, id, 'subscription', true))));
    },

    async createPortalSession(input) {
      const link: SimLink = { id: newId('bps'), object: 'billing_portal.session', customer: input.customerId, return_url: input.returnUrl, expires_at: seconds(clock.now()) + 3600 };
      await save(knex, link);
      return { url: `${deps.appUrl}/simulated-provider/portal/${link.id}` };
    },

    async createConnectedAccount(input, idempotencyKey) {
      const a = await idempotent<SimAccount>(idempotencyKey, 'create:account', 'account', async (trx, id) => {
        const account: SimAccount = { id, object: 'account', email: input.email, charges_enabled: false, payouts_enabled: false, details_submitted: false, metadata: input.metadata, business_name: null };
        await save(trx, account);
        return account;
      });
      return accountState(a);
    },

    async retrieveAccount(id) {
      return accountState(await load<SimAccount>(knex, id, 'account'));
    },

    async createAccountLink(input) {
      await load<SimAccount>(knex, input.accountId, 'account');
      const link: SimLink = { id: newId('acctlink'), object: 'account_link', account: input.accountId, return_url: input.returnUrl, refresh_url: input.refreshUrl, expires_at: seconds(clock.now()) + 300 };
      await save(knex, link);
      return { url: `${deps.appUrl}/simulated-provider/onboarding/${link.id}` };
    },

    verifyWebhook(rawBody, signature) {
      if (!signature) throw new WebhookSignatureError();
      let event: Stripe.Event;
      try {
        event = signer.webhooks.constructEvent(rawBody, signature, deps.webhookSecret);
      } catch {
        throw new WebhookSignatureError();
      }
      return toProviderEvent(event);
    },
  };

  // ——— What the hosted pages do (the provider's side of the screen) ———

  /** What the checkout page shows; undefined when there is no such session. */
  async function checkoutView(id: string) {
    const found = await knex('simulatedProviderObjects').where({ id, kind: 'checkout.session' }).first('id');
    if (!found) return undefined;
    const s = await knex.transaction(async (trx) => lapse(trx, await load<SimCheckout>(trx, id, 'checkout.session', true)));
    return { id: s.id, status: s.status, mode: s.mode, name: s.line.name, amount: s.amount_total, currency: s.currency.toUpperCase(), interval: s.line.interval ?? null, captureManually: s.capture_manually, cancelUrl: s.cancel_url, successUrl: s.success_url, email: s.customer_email, expiresAt: new Date(s.expires_at * 1000) };
  }

  /** The student pressed "Pay": the card decides, as Stripe's test cards do. */
  async function payCheckout(id: string, cardNumber: string): Promise<CardOutcome> {
    const card = cardNumber.replace(/[\s-]/g, '');
    return knex.transaction(async (trx) => {
      const s = await lapse(trx, await load<SimCheckout>(trx, id, 'checkout.session', true));
      if (s.status === 'complete') return { outcome: 'paid', successUrl: s.success_url };
      if (s.status !== 'open') throw new ProviderError('This checkout session has expired.', 'checkout_expired', 400);
      const declined = card === TEST_CARDS.declined ? 'card_declined' : card === TEST_CARDS.insufficientFunds ? 'insufficient_funds' : !/^\d{12,19}$/.test(card) || !luhn(card) ? 'incorrect_number' : undefined;
      const intent: SimPaymentIntent = {
        id: s.payment_intent ?? newId('pi'), object: 'payment_intent', status: declined ? 'requires_payment_method' : s.capture_manually ? 'requires_capture' : 'succeeded',
        amount: s.amount_total, amount_received: declined || s.capture_manually ? 0 : s.amount_total, amount_refunded: 0, currency: s.currency, metadata: s.metadata,
        capture_method: s.capture_manually ? 'manual' : 'automatic', transfer_data: s.destination ? { destination: s.destination.accountId } : null,
        application_fee_amount: s.destination?.feeAmount ?? null, last_payment_error: declined ? { code: declined } : null,
      };
      if (s.mode === 'payment') await save(trx, intent);
      if (declined) {
        if (s.mode === 'payment') {
          await save(trx, { ...s, payment_intent: intent.id });
          await emit(trx, 'payment_intent.payment_failed', intent);
        }
        return { outcome: 'declined', code: declined };
      }
      // As on Stripe, an authorization held for manual capture completes the session unpaid.
      let completed: SimCheckout = { ...s, status: 'complete', payment_status: s.capture_manually ? 'unpaid' : 'paid' };
      if (s.mode === 'payment') {
        completed = { ...completed, payment_intent: intent.id };
        await emit(trx, s.capture_manually ? 'payment_intent.amount_capturable_updated' : 'payment_intent.succeeded', intent);
      } else {
        const customer = s.customer ?? newId('cus');
        if (!s.customer) await save(trx, { id: customer, object: 'customer', email: s.customer_email ?? '', name: '', metadata: s.metadata });
        const end = new Date(clock.now().getTime());
        if (s.line.interval === 'year') end.setUTCFullYear(end.getUTCFullYear() + 1); else end.setUTCMonth(end.getUTCMonth() + 1);
        const sub: SimSubscription = { id: newId('sub'), object: 'subscription', customer, status: 'active', interval: s.line.interval ?? 'month', amount: s.amount_total, currency: s.currency, current_period_end: seconds(end), cancel_at_period_end: false, metadata: s.metadata };
        await save(trx, sub);
        await emit(trx, 'customer.subscription.created', sub);
        await emit(trx, 'invoice.paid', sub);
        completed = { ...completed, customer, subscription: sub.id };
      }
      await save(trx, completed);
      await emit(trx, 'checkout.session.completed', completed);
      return { outcome: 'paid', successUrl: completed.success_url };
    });
  }

  async function portalView(id: string) {
    const link = await knex('simulatedProviderObjects').where({ id, kind: 'billing_portal.session' }).first('data');
    if (!link) return undefined;
    const data = link.data as SimLink;
    const rows = await knex('simulatedProviderObjects').where({ kind: 'subscription' }).whereRaw(`data->>'customer' = ?`, [data.customer!]).select('id');
    const subscriptions = await knex.transaction(async (trx) => {
      const out: SimSubscription[] = [];
      for (const row of rows) out.push(await advance(trx, await load<SimSubscription>(trx, row.id, 'subscription', true)));
      return out;
    });
    return { id, returnUrl: data.return_url, expired: data.expires_at < seconds(clock.now()), subscriptions: subscriptions.map(subscriptionState) };
  }

  /** The subscriber's choices on the portal page, each one an event like Stripe's portal sends. */
  async function portalAction(portalId: string, subscriptionId: string, action: 'cancel' | 'resume' | 'switch'): Promise<void> {
    const view = await portalView(portalId);
    if (!view || view.expired || !view.subscriptions.some((s) => s.id === subscriptionId)) throw new ProviderError('No such subscription for this portal session.', 'resource_missing', 404);
    await knex.transaction(async (trx) => {
      const s = await load<SimSubscription>(trx, subscriptionId, 'subscription', true);
      if (s.status === 'canceled') throw new ProviderError('This subscription has ended.', 'subscription_canceled', 400);
      const next: SimSubscription = action === 'cancel' ? { ...s, cancel_at_period_end: true }
        : action === 'resume' ? { ...s, cancel_at_period_end: false }
        : { ...s, interval: s.interval === 'month' ? 'year' : 'month' };
      await save(trx, next);
      await emit(trx, 'customer.subscription.updated', next);
    });
  }

  /** A renewal the bank refused (or accepted again): drives past_due and back, for the demo and tests. */
  async function renewalResult(subscriptionId: string, paid: boolean): Promise<void> {
    await knex.transaction(async (trx) => {
      const s = await load<SimSubscription>(trx, subscriptionId, 'subscription', true);
      const next: SimSubscription = { ...s, status: paid ? 'active' : 'past_due' };
      await save(trx, next);
      await emit(trx, paid ? 'invoice.paid' : 'invoice.payment_failed', next);
      await emit(trx, 'customer.subscription.updated', next);
    });
  }

  async function onboardingView(linkId: string) {
    const link = await knex('simulatedProviderObjects').where({ id: linkId, kind: 'account_link' }).first('data');
    if (!link) return undefined;
    const data = link.data as SimLink;
    const account = await load<SimAccount>(knex, data.account!, 'account');
    return { id: linkId, expired: data.expires_at < seconds(clock.now()), returnUrl: data.return_url, refreshUrl: data.refresh_url!, email: account.email, account: accountState(account) };
  }

  /** The mentor filled the onboarding form: the account can take charges and payouts. */
  async function completeOnboarding(linkId: string, details: { businessName: string }): Promise<string> {
    const view = await onboardingView(linkId);
    if (!view) throw new ProviderError('No such account link.', 'resource_missing', 404);
    if (view.expired) return view.refreshUrl;
    await knex.transaction(async (trx) => {
      const account = await load<SimAccount>(trx, view.account.id, 'account', true);
      const next: SimAccount = { ...account, business_name: details.businessName, charges_enabled: true, payouts_enabled: true, details_submitted: true };
      await save(trx, next);
      await emit(trx, 'account.updated', next);
    });
    return view.returnUrl;
  }

  /**
   * Demo data only: a payment as if it had been made on the hosted page (and later
   * captured, released or refunded), so refunds and captures of demo bookings work.
   */
  async function importPayment(input: { amount: number; currency: string; state: 'authorized' | 'captured' | 'released'; refunded?: number; metadata: ProviderMetadata; destination?: { accountId: string; feeAmount: number } }): Promise<string> {
    const intent: SimPaymentIntent = {
      id: newId('pi'), object: 'payment_intent', status: input.state === 'authorized' ? 'requires_capture' : input.state === 'captured' ? 'succeeded' : 'canceled',
      amount: input.amount, amount_received: input.state === 'captured' ? input.amount : 0, amount_refunded: input.refunded ?? 0, currency: input.currency.toLowerCase(),
      metadata: input.metadata, capture_method: 'manual', transfer_data: input.destination ? { destination: input.destination.accountId } : null,
      application_fee_amount: input.destination?.feeAmount ?? null, last_payment_error: null,
    };
    await save(knex, intent);
    return intent.id;
  }

  /** Demo data only: a customer with a running subscription, as if subscribed on the hosted page. */
  async function importSubscription(input: { email: string; name: string; interval: 'month' | 'year'; amount: number; currency: string; periodEnd: Date; metadata: ProviderMetadata }): Promise<{ customerId: string; subscriptionId: string }> {
    const customer: SimCustomer = { id: newId('cus'), object: 'customer', email: input.email, name: input.name, metadata: input.metadata };
    const sub: SimSubscription = { id: newId('sub'), object: 'subscription', customer: customer.id, status: 'active', interval: input.interval, amount: input.amount, currency: input.currency.toLowerCase(), current_period_end: seconds(input.periodEnd), cancel_at_period_end: false, metadata: input.metadata };
    await save(knex, customer);
    await save(knex, sub);
    return { customerId: customer.id, subscriptionId: sub.id };
  }

  /** Demo data only: a connected account that has finished onboarding. */
  async function importAccount(input: { email: string; businessName: string; metadata: ProviderMetadata }, idempotencyKey: string): Promise<string> {
    const created = await provider.createConnectedAccount({ email: input.email, metadata: input.metadata }, idempotencyKey);
    const account: SimAccount = { ...(await load<SimAccount>(knex, created.id, 'account')), business_name: input.businessName, charges_enabled: true, payouts_enabled: true, details_submitted: true };
    await save(knex, account);
    return account.id;
  }

  /** Signs an event's JSON as Stripe would, for delivery to the webhook receiver. */
  function sign(event: unknown): { payload: string; header: string } {
    const payload = JSON.stringify(event);
    return { payload, header: signer.webhooks.generateTestHeaderString({ payload, secret: deps.webhookSecret }) };
  }

  return Object.assign(provider, { checkoutView, payCheckout, portalView, portalAction, renewalResult, onboardingView, completeOnboarding, importPayment, importAccount, importSubscription, sign });
}

export type SimulatedProvider = ReturnType<typeof createSimulatedProvider>;

export function toProviderEvent(event: { id: string; type: string; created: number; data: { object: unknown } }): ProviderEvent {
  const object = event?.data?.object as ProviderEvent['object'] | null | undefined;
  if (!object || typeof object !== 'object') throw new ProviderError('This event carries no object.', 'event_malformed', 400);
  return { id: event.id, type: event.type, created: event.created, object: { ...object, metadata: object.metadata ?? {} } };
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}
