import type Stripe from 'stripe';
import { lazy } from '../lazy.ts';
import { stripeSdk } from './stripe-sdk.ts';
import {
  ProviderError,
  WebhookSignatureError,
  type AccountState,
  type CheckoutInput,
  type CheckoutState,
  type PaymentIntentState,
  type PaymentsProvider,
  type ProviderEvent,
  type ProviderMetadata,
  type RefundState,
  type SubscriptionState,
} from './port.ts';

export interface StripeProviderOptions {
  secretKey: string;
  webhookSecret: string;
  /** Another API server (the fake one in tests); Stripe's own when absent. */
  api?: { host: string; port: number; protocol: 'http' | 'https' };
}

// Stripe refuses an expires_at outside 30 min..24 h after creation, measured on its own
// clock: a minute of margin on both ends absorbs clock skew and request latency.
const MIN_EXPIRY_MS = 31 * 60_000;
const MAX_EXPIRY_MS = 24 * 3600_000 - 60_000;

export function createStripeProvider(options: StripeProviderOptions): PaymentsProvider {
  const stripeClient = lazy(async () => new (await stripeSdk())(options.secretKey, {
    ...(options.api ?? {}),
    // Every write carries our own idempotency key, so the SDK's retries are safe against
    // Stripe; against a local server they would only slow down the failures tests inject.
    maxNetworkRetries: options.api ? 0 : 2,
    telemetry: false,
  }));
  /** Stripe refused the call, or could not be reached: one error type for the services. */
  async function call<T>(fn: (stripe: Stripe) => Promise<T>): Promise<T> {
    try {
      return await fn(await stripeClient());
    } catch (error) {
      const { errors } = await stripeSdk();
      if (error instanceof errors.StripeError) {
        throw new ProviderError(error.message, error.code ?? error.rawType ?? error.type, error.statusCode);
      }
      throw error;
    }
  }

  return {
    name: 'stripe',

    createCheckout: (input, idempotencyKey) =>
      call(async (stripe) => toCheckout(await stripe.checkout.sessions.create(checkoutParams(input), { idempotencyKey }))),

    retrieveCheckout: (id) => call(async (stripe) => toCheckout(await stripe.checkout.sessions.retrieve(id))),

    expireCheckout: (id, idempotencyKey) =>
      call(async (stripe) => toCheckout(await stripe.checkout.sessions.expire(id, {}, { idempotencyKey }))),

    retrievePaymentIntent: (id) =>
      call(async (stripe) => toPaymentIntent(await stripe.paymentIntents.retrieve(id, { expand: ['latest_charge'] }))),

    capturePaymentIntent: (id, idempotencyKey) =>
      call(async (stripe) => toPaymentIntent(await stripe.paymentIntents.capture(id, { expand: ['latest_charge'] }, { idempotencyKey }))),

    cancelPaymentIntent: (id, idempotencyKey) =>
      call(async (stripe) => toPaymentIntent(await stripe.paymentIntents.cancel(id, { expand: ['latest_charge'] }, { idempotencyKey }))),

    createRefund: (input, idempotencyKey) =>
      call(async (stripe) => {
        const refund = await stripe.refunds.create(
          {
            payment_intent: input.paymentIntentId,
            amount: input.amount,
            metadata: input.metadata,
            // Only a destination charge has a transfer and a fee to take back; Stripe
            // refuses these flags on a plain charge.
            ...(input.reverseTransfer ? { reverse_transfer: true, refund_application_fee: true } : {}),
          },
          { idempotencyKey },
        );
        return toRefund(refund);
      }),

    createCustomer: (input, idempotencyKey) =>
      call(async (stripe) => {
        const customer = await stripe.customers.create({ email: input.email, name: input.name, metadata: input.metadata }, { idempotencyKey });
        return { id: customer.id };
      }),

    retrieveSubscription: (id) => call(async (stripe) => toSubscription(await stripe.subscriptions.retrieve(id))),

    createPortalSession: (input) =>
      call(async (stripe) => {
        const session = await stripe.billingPortal.sessions.create({ customer: input.customerId, return_url: input.returnUrl, locale: stripeLocale(input.locale) });
        return { url: session.url };
      }),

    createConnectedAccount: (input, idempotencyKey) =>
      call(async (stripe) => {
        const account = await stripe.accounts.create(
          {
            type: 'express',
            email: input.email,
            ...(input.country ? { country: input.country } : {}),
            capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
            metadata: input.metadata,
          },
          { idempotencyKey },
        );
        return toAccount(account);
      }),

    retrieveAccount: (id) => call(async (stripe) => toAccount(await stripe.accounts.retrieve(id))),

    createAccountLink: (input) =>
      call(async (stripe) => {
        const link = await stripe.accountLinks.create({ account: input.accountId, refresh_url: input.refreshUrl, return_url: input.returnUrl, type: 'account_onboarding' });
        return { url: link.url };
      }),

    async verifyWebhook(rawBody, signature) {
      if (!signature) throw new WebhookSignatureError();
      const stripe = await stripeClient();
      let event: Stripe.Event;
      try {
        event = stripe.webhooks.constructEvent(rawBody, signature, options.webhookSecret);
      } catch {
        // A bad signature, a stale timestamp or a body that is not JSON: nothing in it
        // can be trusted, so all of them are the same refusal.
        throw new WebhookSignatureError();
      }
      return toEvent(event);
    },
  };
}

function checkoutParams(input: CheckoutInput): Stripe.Checkout.SessionCreateParams {
  const { line } = input;
  const subscription = input.mode === 'subscription';
  if (subscription && (input.captureManually || input.destination)) {
    // Checkout has no manual capture for subscriptions, and a destination there takes a
    // percentage, not an amount: refuse rather than silently pay no one.
    throw new ProviderError('Manual capture and destination charges are for one-off payments only', 'parameter_unsupported');
  }
  const now = Date.now();
  const expiresAt = Math.min(Math.max(input.expiresAt.getTime(), now + MIN_EXPIRY_MS), now + MAX_EXPIRY_MS);
  return {
    mode: input.mode,
    line_items: [
      {
        quantity: 1,
        price_data: {
          currency: line.currency.toLowerCase(),
          unit_amount: line.amount,
          product_data: { name: line.name },
          ...(subscription && line.interval ? { recurring: { interval: line.interval } } : {}),
        },
      },
    ],
    ...(subscription
      ? { subscription_data: { metadata: input.metadata } }
      : {
          payment_intent_data: {
            metadata: input.metadata,
            ...(input.captureManually ? { capture_method: 'manual' as const } : {}),
            ...(input.destination
              ? { transfer_data: { destination: input.destination.accountId }, application_fee_amount: input.destination.feeAmount }
              : {}),
          },
        }),
    metadata: input.metadata,
    success_url: input.successUrl,
    cancel_url: input.cancelUrl,
    expires_at: Math.floor(expiresAt / 1000),
    ...(input.customerId ? { customer: input.customerId } : input.customerEmail ? { customer_email: input.customerEmail } : {}),
    locale: stripeLocale(input.locale),
  };
}

/** The two languages of the site; Stripe picks from the browser for anything else. */
function stripeLocale(locale: string | undefined): 'fr' | 'en' | 'auto' {
  const language = locale?.toLowerCase().slice(0, 2);
  return language === 'fr' || language === 'en' ? language : 'auto';
}

const CHECKOUT_STATUSES = ['open', 'complete', 'expired'] as const;
const PAYMENT_STATUSES = ['paid', 'unpaid', 'no_payment_required'] as const;
const INTENT_STATUSES = ['requires_payment_method', 'requires_confirmation', 'requires_action', 'processing', 'requires_capture', 'succeeded', 'canceled'] as const;
const SUBSCRIPTION_STATUSES = ['incomplete', 'incomplete_expired', 'trialing', 'active', 'past_due', 'canceled', 'unpaid', 'paused'] as const;

/**
 * Stripe's types leave every enum open to values added later. One we do not know is
 * refused loudly: guessing what a new status means could release a booking unpaid.
 */
function known<T extends string>(value: string | null | undefined, allowed: readonly T[], what: string): T {
  const found = allowed.find((a) => a === value);
  if (found === undefined) throw new ProviderError(`Unexpected ${what} from Stripe: ${String(value)}`, 'unexpected_response');
  return found;
}

function idOf(value: string | { id: string } | null | undefined): string | null {
  if (value == null) return null;
  return typeof value === 'string' ? value : value.id;
}

function metadataOf(value: Stripe.Metadata | null | undefined): ProviderMetadata {
  return { ...(value ?? {}) };
}

function toCheckout(session: Stripe.Checkout.Session): CheckoutState {
  return {
    id: session.id,
    url: session.url,
    // Stripe leaves status null only for sessions of a removed legacy flow.
    status: known(session.status ?? 'open', CHECKOUT_STATUSES, 'checkout status'),
    paymentStatus: known(session.payment_status, PAYMENT_STATUSES, 'checkout payment status'),
    paymentIntentId: idOf(session.payment_intent),
    subscriptionId: idOf(session.subscription),
    customerId: idOf(session.customer),
    amountTotal: session.amount_total ?? 0,
    currency: (session.currency ?? '').toUpperCase(),
    metadata: metadataOf(session.metadata),
    expiresAt: new Date(session.expires_at * 1000),
  };
}

function toPaymentIntent(intent: Stripe.PaymentIntent): PaymentIntentState {
  const charge = intent.latest_charge;
  return {
    id: intent.id,
    status: known(intent.status, INTENT_STATUSES, 'payment intent status'),
    amount: intent.amount,
    amountReceived: intent.amount_received,
    amountRefunded: charge && typeof charge !== 'string' ? charge.amount_refunded : 0,
    currency: intent.currency.toUpperCase(),
    metadata: metadataOf(intent.metadata),
  };
}

const REFUND_STATUSES = ['pending', 'succeeded', 'failed', 'canceled', 'requires_action'] as const;

function toRefund(refund: Stripe.Refund): RefundState {
  const status = known(refund.status ?? 'pending', REFUND_STATUSES, 'refund status');
  return { id: refund.id, paymentIntentId: idOf(refund.payment_intent) ?? '', amount: refund.amount, status, metadata: metadataOf(refund.metadata) };
}

function toSubscription(subscription: Stripe.Subscription): SubscriptionState {
  const item = subscription.items.data[0];
  const interval = known(item?.price.recurring?.interval, ['month', 'year'] as const, 'subscription interval');
  // Since the 2025-03-31 API the period lives on each item; older accounts' objects
  // still carry it at the top level.
  const legacy = (subscription as unknown as { current_period_end?: number }).current_period_end;
  const periodEnd = item?.current_period_end ?? legacy;
  if (periodEnd === undefined) throw new ProviderError(`Subscription ${subscription.id} has no current period`, 'period_missing');
  return {
    id: subscription.id,
    customerId: idOf(subscription.customer) ?? '',
    status: known(subscription.status, SUBSCRIPTION_STATUSES, 'subscription status'),
    interval,
    currentPeriodEnd: new Date(periodEnd * 1000),
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
    metadata: metadataOf(subscription.metadata),
  };
}

function toAccount(account: Stripe.Account): AccountState {
  return {
    id: account.id,
    chargesEnabled: account.charges_enabled ?? false,
    payoutsEnabled: account.payouts_enabled ?? false,
    detailsSubmitted: account.details_submitted ?? false,
    metadata: metadataOf(account.metadata),
  };
}

function toEvent(event: Stripe.Event): ProviderEvent {
  const object = (event.data as { object?: unknown } | undefined)?.object as Record<string, unknown> | undefined;
  if (!object || typeof object !== 'object') throw new WebhookSignatureError();
  const metadata = typeof object.metadata === 'object' && object.metadata !== null ? (object.metadata as ProviderMetadata) : {};
  // A few objects (the balance) have no id: their events are still genuine, and are
  // answered 2xx by the caller rather than retried by Stripe for days.
  const id = typeof object.id === 'string' ? object.id : '';
  const kind = typeof object.object === 'string' ? object.object : '';
  return { id: event.id, type: event.type, created: event.created, object: { ...object, id, object: kind, metadata } };
}
