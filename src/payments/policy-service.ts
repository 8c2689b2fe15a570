// Each mentor's cancellation policy, read where it is shown (skill page, summary before
// paying, booking page) and where it is applied (settlement), so both agree.
import type { Knex } from 'knex';
import { DEFAULT_POLICY, refundFor, type CancellationPolicy, type EndReason } from './policy.ts';

export function policyService(deps: { knex: Knex; clock: { now(): Date } }) {
  const { knex } = deps;

  async function of(mentorId: string, db: Knex = knex): Promise<CancellationPolicy> {
    const row = await db('mentorSettings').where({ mentorId }).first('freeCancelHours', 'lateCancelRefundPercent');
    return row ? { freeCancelHours: row.freeCancelHours, lateRefundPercent: row.lateCancelRefundPercent } : DEFAULT_POLICY;
  }

  async function update(mentorId: string, policy: CancellationPolicy): Promise<void> {
    await knex('mentorSettings')
      .insert({ mentorId, freeCancelHours: policy.freeCancelHours, lateCancelRefundPercent: policy.lateRefundPercent })
      .onConflict('mentorId').merge({ freeCancelHours: policy.freeCancelHours, lateCancelRefundPercent: policy.lateRefundPercent, updatedAt: deps.clock.now() });
  }

  /** What ending this booking now would give back, for the sentence beside the button. */
  async function refundIfEnded(booking: { mentorId: string; startsAt: Date; policyStartsAt?: Date | null; id: string }, how: EndReason) {
    const payment = await knex('payments').where({ bookingId: booking.id }).first('amount', 'amountRefunded', 'status', 'currency');
    if (!payment || payment.status === 'released' || payment.status === 'refunded') return undefined;
    const decision = refundFor(payment.amount - payment.amountRefunded, how, booking.policyStartsAt ?? booking.startsAt, deps.clock.now(), await of(booking.mentorId));
    return { ...decision, currency: payment.currency as string, authorizedOnly: payment.status === 'authorized' };
  }

  return { of, update, refundIfEnded };
}

export type PolicyService = ReturnType<typeof policyService>;
