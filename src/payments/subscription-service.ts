// Subscriptions (seed 001): a plan bought through a subscription-mode checkout, then
// kept in step with the provider. Our `subscriptions` row is a copy of the provider's
// subscription, always rewritten from its CURRENT state (retrieved again on every
// lifecycle event), so events in any order, replayed or late, end in the same row;
// a canceled subscription is final and never comes back. The row decides access to
// the courses marked "included in the subscription" (subscription-access.ts).
import type { Knex } from 'knex';
import { isLocale, translator } from '../i18n/index.ts';
import type { Clock } from '../lib/clock.ts';
import { NotFoundError } from '../lib/errors.ts';
import type { Jobs } from '../lib/jobs.ts';
import type { Logger } from '../lib/logger.ts';
import type { PaymentsProvider, ProviderEvent, SubscriptionState } from '../lib/payments/port.ts';
import type { CheckoutService, PurposeHandler } from './checkout-service.ts';
import { AlreadyPaidError, PaymentRuleError } from './errors.ts';
import { accessOf, periodEndFrom, planTypeOf, RUNNING, type AccessState, type SubscriptionRow } from './subscription-access.ts';
import { subscriptionOf, type EventHandler, type EventHandlers } from './webhook-service.ts';

export const SUBSCRIPTION_SYNC_TASK = 'subscription-sync';

/** Stripe keeps a Checkout open at least 30 minutes. */
const CHECKOUT_MINUTES = 30;

export interface Plan {
  code: 'monthly' | 'yearly';
  interval: 'month' | 'year';
  amount: number;
  currency: string;
}

export interface Subscriber {
  id: string;
  email: string;
  displayName: string;
  locale: string;
}

export function subscriptionService(deps: {
  knex: Knex; clock: Clock; jobs: Jobs; logger: Logger; provider: PaymentsProvider; checkouts: () => CheckoutService; graceDays: number; appUrl: string;
}) {
  const { knex, clock, provider, logger } = deps;

  async function plans(): Promise<Plan[]> {
    const rows = await knex('subscriptionPlans').where({ active: true }).orderBy('amount').select('code', 'interval', 'amount', 'currency');
    return rows.map((p: Plan) => ({ ...p, currency: p.currency.trim() }));
  }

  const rowsOf = (userId: string, db: Knex = knex): Promise<SubscriptionRow[]> =>
    db('subscriptions').where({ userId }).orderBy('createdAt', 'desc').orderBy('id');

  /** The subscription to show: the running one, else an ended one that still gives access. */
  async function current(userId: string): Promise<{ row: SubscriptionRow; state: AccessState } | undefined> {
    const now = clock.now();
    const rows = await rowsOf(userId);
    const row = rows.find((r) => (RUNNING as readonly string[]).includes(r.status)) ?? rows.find((r) => accessOf(r, now, deps.graceDays).access);
    return row && { row, state: accessOf(row, now, deps.graceDays) };
  }

  /** Does a subscription of this user open the included courses now? */
  async function covers(userId: string, db: Knex = knex): Promise<boolean> {
    const now = clock.now();
    return (await rowsOf(userId, db)).some((r) => accessOf(r, now, deps.graceDays).access);
  }

  /** The provider's customer for this user: created once (keyed by our id), then reused. */
  async function customerOf(user: Subscriber): Promise<string> {
    const known = await knex('users').where({ id: user.id }).first('stripeCustomerId');
    if (!known) throw new NotFoundError();
    if (known.stripeCustomerId) return known.stripeCustomerId;
    const customer = await provider.createCustomer({ email: user.email, name: user.displayName, metadata: { user_id: user.id } }, `customer:${user.id}`);
    // Two first checkouts at once get the same customer (same key): either write is the same value.
    await knex('users').where({ id: user.id }).whereNull('stripeCustomerId').update({ stripeCustomerId: customer.id });
    return customer.id;
  }

  /** "Subscribe": refused while another subscription runs; else the provider's checkout page. */
  async function start(user: Subscriber, planCode: string): Promise<{ url: string; checkoutId: string }> {
    const plan = (await plans()).find((p) => p.code === planCode);
    if (!plan) throw new PaymentRuleError('unknownPlan');
    const running = await knex('subscriptions').where({ userId: user.id }).whereIn('status', RUNNING).first('id');
    if (running) throw new AlreadyPaidError('subscription');
    // A checkout left open earlier (another tab, a back button) ends before a new one opens.
    const previous: { id: string }[] = await knex('checkouts').where({ userId: user.id, purpose: 'subscription', status: 'open' }).select('id');
    for (const { id } of previous) await deps.checkouts().abandon(user.id, id);
    if (await knex('subscriptions').where({ userId: user.id }).whereIn('status', RUNNING).first('id')) throw new AlreadyPaidError('subscription');
    const customerId = await customerOf(user);
    const { checkout, url } = await deps.checkouts().open({
      purpose: 'subscription', userId: user.id, email: user.email, locale: user.locale, planCode: plan.code,
      name: `Leboncours · ${translator(isLocale(user.locale) ? user.locale : 'en')(`subscriptions.plan.${plan.code}`)}`, amount: plan.amount, currency: plan.currency, interval: plan.interval, customerId,
      expiresAt: new Date(clock.now().getTime() + CHECKOUT_MINUTES * 60_000),
    });
    return { url, checkoutId: checkout.id };
  }

  /** "Manage my subscription": the provider's portal, back to /subscription. */
  async function portal(userId: string, locale: string): Promise<string> {
    const user = await knex('users').where({ id: userId }).first('stripeCustomerId');
    if (!user?.stripeCustomerId) throw new NotFoundError();
    const session = await provider.createPortalSession({ customerId: user.stripeCustomerId, returnUrl: `${deps.appUrl}/subscription`, locale });
    return session.url;
  }

  async function userOf(trx: Knex.Transaction, state: SubscriptionState): Promise<string | undefined> {
    const byId = state.metadata.user_id;
    if (byId && /^[0-9a-f-]{36}$/i.test(byId)) {
      const found = await trx('users').where({ id: byId }).first('id');
      if (found) return found.id;
    }
    const byCustomer = await trx('users').where({ stripeCustomerId: state.customerId }).first('id');
    return byCustomer?.id;
  }

  /** Our row := the provider's current state. A canceled row is final. */
  async function upsert(trx: Knex.Transaction, state: SubscriptionState): Promise<void> {
    const existing: SubscriptionRow | undefined = await trx('subscriptions').where({ providerSubscriptionId: state.id }).forUpdate().first();
    if (existing?.status === 'canceled') return;
    const userId = existing?.userId ?? (await userOf(trx, state));
    if (!userId) {
      logger.warn({ subscriptionId: state.id }, 'a subscription for no user we know: ignored');
      return;
    }
    const now = clock.now();
    const fields = {
      planType: planTypeOf(state.interval), status: state.status, currentPeriodEnd: state.currentPeriodEnd, cancelAtPeriodEnd: state.cancelAtPeriodEnd,
      // Grace counts from the first time we saw it past due, not from each new failure.
      pastDueSince: state.status === 'past_due' ? (existing?.pastDueSince ?? now) : null,
      updatedAt: now,
    };
    await trx('subscriptions').insert({ userId, provider: provider.name, providerSubscriptionId: state.id, ...fields })
      .onConflict('providerSubscriptionId').merge(Object.keys(fields));
  }

  /** Retrieves the subscription's state now and writes it (the sync job, outside any transaction first). */
  async function sync(providerSubscriptionId: string): Promise<void> {
    const state = await provider.retrieveSubscription(providerSubscriptionId);
    await knex.transaction((trx) => upsert(trx, state));
  }

  const lifecycle: EventHandler<SubscriptionState> = {
    async observe(event: ProviderEvent) {
      const id = subscriptionOf(event.object);
      return id ? provider.retrieveSubscription(id) : undefined;
    },
    apply: upsert,
  };
  const events: EventHandlers = {
    'customer.subscription.': lifecycle as EventHandler<unknown>,
    'invoice.paid': lifecycle as EventHandler<unknown>,
    'invoice.payment_failed': lifecycle as EventHandler<unknown>,
  };

  const purposes: { subscription: PurposeHandler } = {
    subscription: {
      // Runs in the webhook's transaction, where no provider call may wait: the row is
      // written from the paid session (a paid first invoice: active for one period),
      // then made exact by the lifecycle events and a sync job, both from the provider's
      // current state. One already written by an earlier event is left as it is.
      async fulfil(trx, checkout, session) {
        if (!session.subscriptionId) throw new Error(`checkout ${checkout.id} completed without a subscription`);
        const plan = (await trx('subscriptionPlans').where({ code: checkout.planCode }).first('interval')) as { interval: 'month' | 'year' } | undefined;
        const interval = plan?.interval ?? 'month';
        await trx('subscriptions').insert({
          userId: checkout.userId, provider: provider.name, providerSubscriptionId: session.subscriptionId, planType: planTypeOf(interval),
          status: 'active', currentPeriodEnd: periodEndFrom(clock.now(), interval), cancelAtPeriodEnd: false,
        }).onConflict('providerSubscriptionId').ignore();
        if (session.customerId) await trx('users').where({ id: checkout.userId }).whereNull('stripeCustomerId').update({ stripeCustomerId: session.customerId });
        await deps.jobs.add(trx, SUBSCRIPTION_SYNC_TASK, { subscriptionId: session.subscriptionId });
        const row = await trx('subscriptions').where({ providerSubscriptionId: session.subscriptionId }).first('id');
        return { subscriptionId: row.id };
      },
      doneUrl: async () => '/subscription',
      backUrl: async () => '/subscription',
    },
  };

  return { plans, current, covers, start, portal, sync, upsert, events, purposes };
}

export type SubscriptionService = ReturnType<typeof subscriptionService>;
