// The ledger's own moves, each from the provider's current state of the object (never
// from what an event said), so a webhook, the return from checkout and a retried job
// can arrive in any order and in any number and still end in the same rows.
import type { Knex } from 'knex';
import type { Clock } from '../lib/clock.ts';
import { ProviderError, type PaymentIntentState, type PaymentsProvider, type ProviderEvent } from '../lib/payments/port.ts';
import type { PaymentRow } from './settlement-service.ts';
import { paymentIntentOf, type EventHandler, type EventHandlers } from './webhook-service.ts';

export function ledger(deps: { knex: Knex; clock: Clock; provider: PaymentsProvider }) {
  const { knex, clock, provider } = deps;

  /** Moves a payment forward to what its PaymentIntent says; never backwards. */
  async function applyIntent(trx: Knex.Transaction, intent: PaymentIntentState): Promise<void> {
    const payment: PaymentRow | undefined = await trx('payments').where({ providerPaymentId: intent.id }).forUpdate().first();
    if (!payment) return;
    const now = clock.now();
    if (payment.status === 'authorized' && intent.status === 'succeeded') {
      await trx('payments').where({ id: payment.id }).update({ status: 'captured', capturedAt: now, updatedAt: now });
    } else if (payment.status === 'authorized' && intent.status === 'canceled') {
      await trx('payments').where({ id: payment.id }).update({ status: 'released', releasedAt: now, updatedAt: now });
    }
    // Refunds made elsewhere (the provider's dashboard) join the ledger as they are.
    const counted = await trx('refunds').where({ paymentId: payment.id }).whereNot('status', 'failed').sum({ total: 'amount' }).first();
    const missing = intent.amountRefunded - Number(counted?.total ?? 0);
    if (missing > 0) await trx('refunds').insert({ paymentId: payment.id, amount: missing, reason: 'provider', status: 'succeeded' });
    await refreshRefundStatus(trx, payment.id);
  }

  async function refreshRefundStatus(trx: Knex.Transaction, paymentId: string): Promise<void> {
    const p: PaymentRow = await trx('payments').where({ id: paymentId }).first();
    if (p.status !== 'captured' && p.status !== 'partially_refunded' && p.status !== 'refunded') return;
    const succeeded = await trx('refunds').where({ paymentId, status: 'succeeded' }).sum({ total: 'amount' }).first();
    const refunded = Number(succeeded?.total ?? 0);
    const status = refunded === 0 ? 'captured' : refunded >= p.amount ? 'refunded' : 'partially_refunded';
    if (status !== p.status) await trx('payments').where({ id: paymentId }).update({ status, updatedAt: clock.now() });
    // A refund after the payout takes the mentor's share back with it (the provider
    // reverses the transfer pro rata): the payout row says what the mentor keeps.
    const kept = p.amount - p.amountRefunded;
    const fee = p.amount === 0 ? 0 : Math.round((p.feeAmount * kept) / p.amount);
    await trx('payouts').where({ paymentId }).update({ amount: kept - fee, status: kept === 0 ? 'reversed' : 'paid' });
  }

  async function syncIntent(paymentIntentId: string, trx?: Knex.Transaction): Promise<void> {
    const intent = await provider.retrievePaymentIntent(paymentIntentId);
    if (trx) return applyIntent(trx, intent);
    await knex.transaction((t) => applyIntent(t, intent));
  }

  /** The capture job: charges an authorization once (the key makes a retry harmless). */
  async function capture(paymentId: string): Promise<void> {
    const payment: PaymentRow | undefined = await knex('payments').where({ id: paymentId }).first();
    if (!payment?.providerPaymentId || payment.status !== 'authorized') return;
    const intent = await orCurrent(payment.providerPaymentId, () => provider.capturePaymentIntent(payment.providerPaymentId!, `capture:${payment.id}`));
    await knex.transaction((trx) => applyIntent(trx, intent));
  }

  /** The release job: lets an uncaptured authorization go. */
  async function release(paymentId: string): Promise<void> {
    const payment: PaymentRow | undefined = await knex('payments').where({ id: paymentId }).first();
    if (!payment?.providerPaymentId || payment.status !== 'authorized') return;
    const intent = await orCurrent(payment.providerPaymentId, () => provider.cancelPaymentIntent(payment.providerPaymentId!, `release:${payment.id}`));
    await knex.transaction((trx) => applyIntent(trx, intent));
  }

  /** The refund job: sends one pending refund row to the provider. */
  async function sendRefund(refundId: string): Promise<void> {
    const refund = await knex('refunds').where({ id: refundId }).first();
    if (!refund || refund.status !== 'pending') return;
    const payment: PaymentRow = await knex('payments').where({ id: refund.paymentId }).first();
    // Its capture is queued before it (same queue) but may have failed for now: try again later.
    if (payment.status === 'authorized') throw new ProviderError('the payment is not captured yet', 'not_captured');
    const destination = Boolean(payment.mentorId) && payment.feeAmount < payment.amount && payment.provider === 'stripe';
    const sent = await provider.createRefund(
      { paymentIntentId: payment.providerPaymentId!, amount: refund.amount, reverseTransfer: destination, metadata: { refund_id: refund.id, payment_id: payment.id, ...(payment.bookingId ? { booking_id: payment.bookingId } : {}) } },
      `refund:${refund.id}`,
    );
    await knex.transaction(async (trx) => {
      await trx('refunds').where({ id: refund.id }).update({ providerRefundId: sent.id, status: sent.status === 'failed' || sent.status === 'canceled' ? 'failed' : 'succeeded', updatedAt: clock.now() });
      await refreshRefundStatus(trx, payment.id);
    });
  }

  /**
   * A capture or cancel the provider refuses because it already happened (a retried
   * job whose first try succeeded after the key expired): the object's state is the answer.
   */
  async function orCurrent(intentId: string, call: () => Promise<PaymentIntentState>): Promise<PaymentIntentState> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof ProviderError && error.code === 'payment_intent_unexpected_state') return provider.retrievePaymentIntent(intentId);
      throw error;
    }
  }

  /** payment_intent.* and charge.* (captured, refunded...): the intent's state now. */
  const intentEvents: EventHandler<PaymentIntentState> = {
    observe: async (event: ProviderEvent) => {
      const id = paymentIntentOf(event.object);
      return id ? provider.retrievePaymentIntent(id) : undefined;
    },
    apply: applyIntent,
  };
  const events: EventHandlers = { 'payment_intent.': intentEvents, 'charge.': intentEvents };

  return { events, applyIntent, syncIntent, capture, release, sendRefund, refreshRefundStatus };
}

export type Ledger = ReturnType<typeof ledger>;
