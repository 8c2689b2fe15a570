// What the simulated provider's hosted pages do (the provider's side of the screen):
// pay a checkout with a test card, manage a subscription in the portal, finish payout
// onboarding; plus the demo data's imports and the signing of events for delivery.
import { ProviderError, type PaymentsProvider, type ProviderMetadata } from './port.ts';
import {
  luhn, seconds, TEST_CARDS, type CardOutcome, type SimAccount, type SimCheckout, type SimCustomer, type SimLink,
  type SimPaymentIntent, type SimSubscription, type SimulatedProviderDeps, type SimulatedStore,
} from './simulated-store.ts';

export function simulatedHostedPages(deps: SimulatedProviderDeps, store: SimulatedStore, provider: PaymentsProvider) {
  const { knex, clock } = deps;
  const { signer, newId, load, save, emit, subscriptionState, accountState, lapse, advance } = store;

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
  async function sign(event: unknown): Promise<{ payload: string; header: string }> {
    const payload = JSON.stringify(event);
    return { payload, header: (await signer()).webhooks.generateTestHeaderString({ payload, secret: deps.webhookSecret }) };
  }


  return { checkoutView, payCheckout, portalView, portalAction, renewalResult, onboardingView, completeOnboarding, importPayment, importAccount, importSubscription, sign };
}
