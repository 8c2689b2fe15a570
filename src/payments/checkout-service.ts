// A Checkout from opening to its one outcome. We write our row first (what it is for,
// the request the student typed), then open the provider's session with our row's id as
// the idempotency key and in its metadata. The outcome is reconciled from the provider's
// current state whenever anyone asks (the webhook, the student's return, the expiry
// sweep), under a lock on our row, so it is applied exactly once whatever arrives first:
//   paid     → a payment row, then what was bought (booking, seat, enrollment, package,
//              subscription) in the same transaction; if that is no longer possible
//              (the slot went), the authorization is released or the charge refunded,
//              and nothing else is written (no booking, no notification);
//   expired  → the slot hold is let go.
import type { Knex } from 'knex';
import type { Clock } from '../lib/clock.ts';
import { AppError, NotFoundError, PG, pgCode, pgConstraint } from '../lib/errors.ts';
import type { Jobs } from '../lib/jobs.ts';
import { ProviderError, type CheckoutState, type PaymentsProvider, type ProviderEvent } from '../lib/payments/port.ts';
import type { EventHandler, EventHandlers } from './webhook-service.ts';
import type { Logger } from '../lib/logger.ts';
import { CheckoutInProgressError, PaymentProviderUnavailableError, PaymentRuleError } from './errors.ts';
import { outcomeOf, type CheckoutRow, type Observation, type OpenInput, type Purpose, type PurposeHandler } from './checkout-types.ts';

export { outcomeOf, type CheckoutRow, type Fulfilment, type Observation, type OpenInput, type Purpose, type PurposeHandler } from './checkout-types.ts';
export { PaymentProviderUnavailableError } from './errors.ts';
import type { Ledger } from './ledger.ts';
import { PAYMENT_TASKS, type SettlementService } from './settlement-service.ts';

export function checkoutService(deps: {
  knex: Knex; clock: Clock; jobs: Jobs; logger: Logger; provider: PaymentsProvider; ledger: Ledger; settlement: SettlementService; appUrl: string;
  purposes: () => Partial<Record<Purpose, PurposeHandler>>;
}) {
  const { knex, clock, provider, logger } = deps;

  async function open(input: OpenInput): Promise<{ checkout: CheckoutRow; url: string }> {
    // The shadow admin is no row in users: it has no card and no ledger of its own.
    if (!(await knex('users').where({ id: input.userId }).first('id'))) throw new PaymentRuleError('buyerNotAPerson');
    const checkout: CheckoutRow = await knex.transaction(async (trx) => {
      const [row] = await trx('checkouts').insert({
        provider: provider.name, purpose: input.purpose, userId: input.userId, mentorId: input.mentorId ?? null, skillId: input.skillId ?? null,
        courseId: input.courseId ?? null, packageId: input.packageId ?? null, planCode: input.planCode ?? null, draft: JSON.stringify(input.draft ?? {}),
        amount: input.amount, feeAmount: input.feeAmount ?? 0, currency: input.currency, captureManually: Boolean(input.captureManually), expiresAt: input.expiresAt,
      }).returning('*');
      await input.before?.(trx, row.id);
      return row;
    }).catch((error: unknown) => {
      // Another subscription checkout of this person opened at the same moment.
      if (pgCode(error) === PG.uniqueViolation && pgConstraint(error) === 'checkouts_one_open_subscription') throw new CheckoutInProgressError();
      throw error;
    });
    const metadata: Record<string, string> = { checkout_id: checkout.id, purpose: input.purpose, user_id: input.userId };
    if (input.mentorId) metadata.mentor_id = input.mentorId;
    if (input.skillId) metadata.skill_id = input.skillId;
    if (input.courseId) metadata.course_id = input.courseId;
    if (input.packageId) metadata.package_id = input.packageId;
    if (input.planCode) metadata.plan = input.planCode;
    let session: CheckoutState;
    try {
      session = await provider.createCheckout({
        mode: input.purpose === 'subscription' ? 'subscription' : 'payment',
        line: { name: input.name, amount: input.amount, currency: input.currency, ...(input.interval ? { interval: input.interval } : {}) },
        captureManually: input.captureManually,
        ...(input.destinationAccountId ? { destination: { accountId: input.destinationAccountId, feeAmount: input.feeAmount ?? 0 } } : {}),
        ...(input.customerId ? { customerId: input.customerId } : { customerEmail: input.email }),
        metadata,
        successUrl: `${deps.appUrl}/checkouts/${checkout.id}/return`,
        cancelUrl: `${deps.appUrl}/checkouts/${checkout.id}/cancel`,
        expiresAt: input.expiresAt,
        locale: input.locale,
      }, `checkout:${checkout.id}`);
    } catch (error) {
      logger.error({ err: error, checkoutId: checkout.id }, 'the payment provider refused to open a checkout');
      await fail(checkout.id, 'provider_unavailable');
      throw new PaymentProviderUnavailableError();
    }
    await knex('checkouts').where({ id: checkout.id }).update({ providerSessionId: session.id, updatedAt: clock.now() });
    return { checkout: { ...checkout, providerSessionId: session.id }, url: session.url ?? `${deps.appUrl}/checkouts/${checkout.id}/return` };
  }

  /** Ends a checkout that never got paid, freeing what it kept. */
  async function fail(checkoutId: string, failure: string, status: 'failed' | 'expired' = 'failed', db: Knex = knex): Promise<void> {
    await db.transaction(async (trx) => {
      const row: CheckoutRow | undefined = await trx('checkouts').where({ id: checkoutId, status: 'open' }).forUpdate().first();
      if (!row) return;
      await trx('checkouts').where({ id: checkoutId }).update({ status, failure, updatedAt: clock.now() });
      await deps.purposes()[row.purpose]?.abandon?.(trx, row);
    });
  }

  /** What the provider says of a checkout now (read outside any transaction). */
  async function observe(providerSessionId: string): Promise<Observation> {
    const session = await provider.retrieveCheckout(providerSessionId);
    const intent = session.status === 'complete' && session.paymentIntentId ? await provider.retrievePaymentIntent(session.paymentIntentId) : undefined;
    return { session, intent };
  }

  /** Applies an observation to our row, once: a second caller finds it no longer open. */
  async function apply(db: Knex, obs: Observation): Promise<void> {
    const { session, intent } = obs;
    if (session.status === 'open') return;
    await db.transaction(async (trx) => {
      const locked: CheckoutRow | undefined = await trx('checkouts').where({ providerSessionId: session.id, status: 'open' }).forUpdate().first();
      if (!locked) return; // the other side (webhook or return) got here first
      const verdict = outcomeOf(obs);
      if (verdict === 'wait') return;
      if (verdict === 'unpaid') return fail(locked.id, 'expired', 'expired', trx);
      const now = clock.now();
      let paymentId: string | null = null;
      if (intent) {
        const status = intent.status === 'requires_capture' ? 'authorized' : 'captured';
        const [payment] = await trx('payments').insert({
          provider: provider.name, providerPaymentId: intent.id, checkoutId: locked.id, purpose: locked.purpose, payerId: locked.userId,
          mentorId: locked.mentorId, courseId: locked.courseId, amount: intent.amount, feeAmount: locked.feeAmount, currency: intent.currency,
          status, authorizedAt: now, capturedAt: status === 'captured' ? now : null,
        }).returning('id');
        paymentId = payment.id;
      }
      try {
        // A savepoint: if what was bought cannot be written, none of it is.
        const handler = deps.purposes()[locked.purpose];
        if (!handler) throw new Error(`no fulfilment for ${locked.purpose} checkouts`);
        const done = await trx.transaction((inner) => handler.fulfil(inner, locked, session, paymentId));
        await trx('checkouts').where({ id: locked.id }).update({ status: 'complete', bookingId: done.bookingId ?? null, updatedAt: now });
        if (paymentId) {
          await trx('payments').where({ id: paymentId }).update({
            bookingId: done.bookingId ?? null, courseId: done.courseId ?? locked.courseId, packagePurchaseId: done.packagePurchaseId ?? null, subscriptionId: done.subscriptionId ?? null, updatedAt: now,
          });
          if (done.capture && intent?.status === 'requires_capture') await deps.jobs.add(trx, PAYMENT_TASKS.capture, { paymentId }, deps.settlement.queue(paymentId));
        }
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500) throw error;
        // Paid for something that went meanwhile: give the money back, write nothing else.
        await trx('checkouts').where({ id: locked.id }).update({ status: 'failed', failure: error.code, updatedAt: now });
        await deps.purposes()[locked.purpose]?.abandon?.(trx, locked);
        if (paymentId && intent?.status === 'requires_capture') await deps.jobs.add(trx, PAYMENT_TASKS.release, { paymentId }, deps.settlement.queue(paymentId));
        else if (paymentId) {
          const payment = await trx('payments').where({ id: paymentId }).first();
          await deps.settlement.requestRefund(trx, payment, payment.amount, 'unfulfilled', null);
        }
      }
    });
  }

  /** Applies the provider's current state of the session to our row, once. */
  async function reconcile(checkoutId: string): Promise<CheckoutRow> {
    const row: CheckoutRow | undefined = await knex('checkouts').where({ id: checkoutId }).first();
    if (!row) throw new NotFoundError();
    if (row.status !== 'open' || !row.providerSessionId) return row;
    await apply(knex, await observe(row.providerSessionId));
    return knex('checkouts').where({ id: row.id }).first();
  }


  /** The student's own checkout, by our id: someone else's does not exist. */
  async function ownCheckout(userId: string, checkoutId: string): Promise<CheckoutRow> {
    const row: CheckoutRow | undefined = await knex('checkouts').where({ id: checkoutId, userId }).first();
    if (!row) throw new NotFoundError();
    return row;
  }

  /** Back from the provider's page: the state there decides, not the URL we came back on. */
  async function returned(userId: string, checkoutId: string): Promise<CheckoutRow> {
    await ownCheckout(userId, checkoutId);
    return reconcile(checkoutId);
  }

  /** The student went back from the payment page: close the session, free the slot. */
  async function abandon(userId: string, checkoutId: string): Promise<CheckoutRow> {
    const row = await ownCheckout(userId, checkoutId);
    if (row.status !== 'open' || !row.providerSessionId) return row;
    try {
      await provider.expireCheckout(row.providerSessionId, `expire:${row.id}`);
    } catch (error) {
      // Already paid or expired over there: reconciling says which.
      if (!(error instanceof ProviderError)) throw error;
    }
    return reconcile(row.id);
  }

  /** Open checkouts past their expiry: the provider has ended them; reconcile each. */
  async function sweep(): Promise<number> {
    const due: { id: string }[] = await knex('checkouts').where({ status: 'open' }).where('expiresAt', '<=', clock.now()).orderBy('expiresAt').limit(200).select('id');
    for (const { id } of due) {
      try {
        await reconcile(id);
      } catch (error) {
        logger.warn({ err: error, checkoutId: id }, 'could not reconcile an expired checkout');
      }
    }
    return due.length;
  }

  /** checkout.session.completed / expired / async_payment_*: the session's state now. */
  const events: EventHandlers = {
    'checkout.session.': {
      observe: (event: ProviderEvent) => observe(event.object.id),
      apply: (trx: Knex.Transaction, obs: Observation) => apply(trx, obs),
    } satisfies EventHandler<Observation>,
  };

  /** Where to send the buyer now, by the checkout's purpose and outcome. */
  async function nextUrl(checkout: CheckoutRow): Promise<string> {
    const handler = deps.purposes()[checkout.purpose];
    if (!handler) return '/';
    return checkout.status === 'complete' ? handler.doneUrl(checkout) : handler.backUrl(checkout);
  }

  return { events, nextUrl, open, observe, apply, reconcile, returned, abandon, sweep, ownCheckout };
}

export type CheckoutService = ReturnType<typeof checkoutService>;
