// What a booking's life does to its money, decided in the booking's own transaction and
// carried out by jobs (a provider call never runs inside a database transaction, and a
// failed call is retried with the same idempotency key):
//   confirmed             → capture the authorization
//   ended before capture  → release the authorization
//   ended after capture   → refund what the mentor's policy says (everything unless the
//                           student cancelled late), and a package credit comes back
//                           when the cancellation is refunded in full
//   completed / no-show   → the session is paid out to the mentor
// Jobs of one payment share a queue, so a capture always runs before its refund.
import type { Knex } from 'knex';
import type { BookingEnd, BookingMoneyHooks } from '../bookings/service.ts';
import type { Clock } from '../lib/clock.ts';
import type { Jobs } from '../lib/jobs.ts';
import type { PolicyService } from './policy-service.ts';
import { refundFor } from './policy.ts';

export const PAYMENT_TASKS = { capture: 'payment-capture', release: 'payment-release', refund: 'payment-refund' } as const;

export interface PaymentRow {
  id: string;
  provider: string;
  providerPaymentId: string | null;
  purpose: string;
  payerId: string;
  mentorId: string | null;
  bookingId: string | null;
  packagePurchaseId?: string | null;
  amount: number;
  feeAmount: number;
  amountRefunded: number;
  currency: string;
  status: 'authorized' | 'captured' | 'released' | 'refunded' | 'partially_refunded';
}

export function settlementService(deps: { jobs: Jobs; clock: Clock; policies: PolicyService }) {
  const { jobs, clock } = deps;
  const policyOf = (db: Knex, mentorId: string) => deps.policies.of(mentorId, db);
  const queue = (paymentId: string) => ({ queueName: `payment:${paymentId}` });

  async function paymentOf(trx: Knex.Transaction, bookingId: string): Promise<PaymentRow | undefined> {
    return trx('payments').where({ bookingId }).forUpdate().first();
  }

  /** A refund row (pending until the provider answers) and the job that asks for it. */
  async function requestRefund(trx: Knex.Transaction, payment: PaymentRow, amount: number, reason: string, by: string | null): Promise<string | undefined> {
    const left = payment.amount - payment.amountRefunded;
    const refund = Math.min(amount, left);
    if (refund <= 0) return undefined;
    const [row] = await trx('refunds').insert({ paymentId: payment.id, amount: refund, reason, createdBy: by }).returning('id');
    await jobs.add(trx, PAYMENT_TASKS.refund, { refundId: row.id }, queue(payment.id));
    return row.id as string;
  }

  /** Gives a package credit back (the booking was paid with one and is refunded in full). */
  async function returnCredit(trx: Knex.Transaction, bookingId: string): Promise<boolean> {
    const booking = await trx('bookings').where({ id: bookingId }).first('packagePurchaseId');
    if (!booking?.packagePurchaseId) return false;
    await trx('packagePurchases').where({ id: booking.packagePurchaseId }).where('creditsUsed', '>', 0).decrement('creditsUsed', 1);
    return true;
  }

  const hooks: BookingMoneyHooks = {
    async confirmed(trx, booking) {
      const payment = await paymentOf(trx, booking.id);
      if (payment?.status === 'authorized') await jobs.add(trx, PAYMENT_TASKS.capture, { paymentId: payment.id }, queue(payment.id));
    },

    async ended(trx, booking, how: BookingEnd) {
      const full = await trx('bookings').where({ id: booking.id }).first('mentorId', 'startsAt', 'policyStartsAt', 'packagePurchaseId');
      const policy = await policyOf(trx, full.mentorId);
      const policyStart = full.policyStartsAt ?? full.startsAt;
      const decision = refundFor(1, how, policyStart, clock.now(), policy);
      if (full.packagePurchaseId) {
        if (decision.kind === 'full') await returnCredit(trx, booking.id);
        return;
      }
      const payment = await paymentOf(trx, booking.id);
      if (!payment) return;
      // Not captured yet: nothing was charged, the authorization is simply let go. A
      // confirmed booking's capture may still be queued: its refund then waits for it.
      const captureQueued = payment.status === 'authorized' && (await trx('bookingEvents').where({ bookingId: booking.id, status: 'confirmed' }).first('id'));
      if (payment.status === 'authorized' && !captureQueued) {
        await jobs.add(trx, PAYMENT_TASKS.release, { paymentId: payment.id }, queue(payment.id));
        return;
      }
      const amount = refundFor(payment.amount, how, policyStart, clock.now(), policy).amount;
      await requestRefund(trx, payment, amount, how, null);
    },

    async completed(trx, booking) {
      const payment = await paymentOf(trx, booking.id);
      if (!payment || (payment.status !== 'captured' && payment.status !== 'authorized' && payment.status !== 'partially_refunded')) return;
      // An instant booking whose capture has not run yet is captured first (same queue).
      if (payment.status === 'authorized') await jobs.add(trx, PAYMENT_TASKS.capture, { paymentId: payment.id }, queue(payment.id));
      await payout(trx, payment);
    },
  };

  /** The mentor's share of what was kept: the price less refunds, less the fee on it. */
  async function payout(trx: Knex.Transaction, payment: PaymentRow): Promise<void> {
    if (!payment.mentorId) return;
    const kept = payment.amount - payment.amountRefunded;
    const fee = payment.amount === 0 ? 0 : Math.round((payment.feeAmount * kept) / payment.amount);
    await trx('payouts').insert({ paymentId: payment.id, mentorId: payment.mentorId, amount: kept - fee, currency: payment.currency, paidAt: clock.now() }).onConflict('paymentId').ignore();
  }

  return { hooks, requestRefund, returnCredit, queue, paymentOf, payout };
}

export type SettlementService = ReturnType<typeof settlementService>;
