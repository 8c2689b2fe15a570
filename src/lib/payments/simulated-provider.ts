// A payment provider that runs inside the app, so `npm start` on a fresh machine shows
// the whole paid journey with no account anywhere. It behaves like Stripe where the app
// can tell: objects with Stripe's ids and states, idempotency keys, a hosted checkout
// page (rendered by the payments feature from `checkoutView`), and events signed with
// Stripe's scheme and delivered later, through the job queue, to the same webhook
// receiver Stripe's events reach. Its objects live in PostgreSQL (shared by instances).
import { ProviderError, WebhookSignatureError, type PaymentsProvider } from './port.ts';
import type Stripe from 'stripe';
import { simulatedHostedPages } from './simulated-hosted.ts';
import {
  seconds, simulatedStore, toProviderEvent, type SimAccount, type SimCheckout, type SimCustomer, type SimLink, type SimPaymentIntent,
  type SimRefund, type SimSubscription, type SimulatedProviderDeps,
} from './simulated-store.ts';

export { SIMULATED_WEBHOOK_TASK, TEST_CARDS, toProviderEvent, type CardOutcome, type EventQueue, type SimulatedProviderDeps } from './simulated-store.ts';

export function createSimulatedProvider(deps: SimulatedProviderDeps) {
  const { knex, clock } = deps;
  const store = simulatedStore(deps);
  const { signer, newId, load, save, emit, idempotent, checkoutState, intentState, subscriptionState, accountState, lapse, advance } = store;

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

    async verifyWebhook(rawBody, signature) {
      if (!signature) throw new WebhookSignatureError();
      const { webhooks } = await signer();
      let event: Stripe.Event;
      try {
        event = webhooks.constructEvent(rawBody, signature, deps.webhookSecret);
      } catch {
        throw new WebhookSignatureError();
      }
      return toProviderEvent(event);
    },
  };

  return Object.assign(provider, simulatedHostedPages(deps, store, provider));
}

export type SimulatedProvider = ReturnType<typeof createSimulatedProvider>;
