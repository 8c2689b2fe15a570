// The simulated provider's objects (shaped like Stripe's, kept in PostgreSQL) and
// what the provider and its hosted pages share: loading and saving them, idempotent
// creation, events queued in the changing transaction, and the lapses of time Stripe
// runs on its own clock (a checkout expiring, a subscription renewing or ending).
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { lazy } from '../lazy.ts';
import { stripeSdk } from './stripe-sdk.ts';
import type { Clock } from '../clock.ts';
import {
  ProviderError, type AccountState, type CheckoutInput, type CheckoutState, type PaymentIntentState,
  type ProviderEvent, type ProviderMetadata, type RefundState, type SubscriptionState,
} from './port.ts';

export const SIMULATED_WEBHOOK_TASK = 'simulated-provider-webhook';

/** The test cards, as on Stripe's test mode. */
export const TEST_CARDS = {
  success: '4242424242424242',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
} as const;

export type CardOutcome = { outcome: 'paid'; successUrl: string } | { outcome: 'declined'; code: 'card_declined' | 'insufficient_funds' | 'incorrect_number' };

export interface SimCheckout {
  id: string; object: 'checkout.session'; mode: CheckoutInput['mode']; status: CheckoutState['status']; payment_status: CheckoutState['paymentStatus'];
  amount_total: number; currency: string; metadata: ProviderMetadata; payment_intent: string | null; subscription: string | null;
  customer: string | null; customer_email: string | null; expires_at: number; success_url: string; cancel_url: string;
  line: CheckoutInput['line']; capture_manually: boolean; destination: CheckoutInput['destination'] | null; locale: string | null;
}
export interface SimPaymentIntent {
  id: string; object: 'payment_intent'; status: PaymentIntentState['status']; amount: number; amount_received: number; amount_refunded: number;
  currency: string; metadata: ProviderMetadata; capture_method: 'manual' | 'automatic'; transfer_data: { destination: string } | null; application_fee_amount: number | null;
  last_payment_error: { code: string } | null;
}
export interface SimSubscription {
  id: string; object: 'subscription'; customer: string; status: SubscriptionState['status']; interval: 'month' | 'year'; amount: number; currency: string;
  current_period_end: number; cancel_at_period_end: boolean; metadata: ProviderMetadata;
}
export interface SimAccount { id: string; object: 'account'; email: string; charges_enabled: boolean; payouts_enabled: boolean; details_submitted: boolean; metadata: ProviderMetadata; business_name: string | null }
export interface SimRefund { id: string; object: 'refund'; payment_intent: string; amount: number; status: RefundState['status']; metadata: ProviderMetadata }
export interface SimLink { id: string; object: 'account_link' | 'billing_portal.session'; account?: string; customer?: string; return_url: string; refresh_url?: string; expires_at: number }
export interface SimCustomer { id: string; object: 'customer'; email: string; name: string; metadata: ProviderMetadata }

export type SimObject = SimCheckout | SimPaymentIntent | SimSubscription | SimAccount | SimRefund | SimLink | SimCustomer;

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

export const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

export function simulatedStore(deps: SimulatedProviderDeps) {
  const { knex, jobs, clock } = deps;
  // Only the webhook helpers of the SDK are used: they sign and check exactly as Stripe does, offline.
  const signer = lazy(async () => new (await stripeSdk())('sk_simulated_offline', { telemetry: false, maxNetworkRetries: 0 }));
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

  return { signer, newId, load, save, emit, idempotent, checkoutState, intentState, subscriptionState, accountState, lapse, advance };
}

export type SimulatedStore = ReturnType<typeof simulatedStore>;

export function toProviderEvent(event: { id: string; type: string; created: number; data: { object: unknown } }): ProviderEvent {
  const object = event?.data?.object as ProviderEvent['object'] | null | undefined;
  if (!object || typeof object !== 'object') throw new ProviderError('This event carries no object.', 'event_malformed', 400);
  return { id: event.id, type: event.type, created: event.created, object: { ...object, metadata: object.metadata ?? {} } };
}

export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}
