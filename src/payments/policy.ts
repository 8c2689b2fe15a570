// How much of a paid session comes back when it ends early: the one rule behind the
// skill page's policy line, the summary before paying, the booking page's "cancelling
// now refunds …" and the refund itself, so what a student is told is what they get.

export interface CancellationPolicy {
  /** Free cancellation until this many hours before the start. */
  freeCancelHours: number;
  /** After that, a student's cancellation refunds this share of the price. */
  lateRefundPercent: number;
}

export const DEFAULT_POLICY: CancellationPolicy = { freeCancelHours: 24, lateRefundPercent: 0 };

export type EndReason =
  | 'student_cancelled'
  | 'mentor_cancelled'
  | 'rejected'
  | 'expired'
  | 'mentor_no_show'
  | 'session_withdrawn';

export interface RefundDecision {
  /** Minor units to give back (0..paid). */
  amount: number;
  /** 'full', 'partial' or 'none', for the message. */
  kind: 'full' | 'partial' | 'none';
}

/**
 * A mentor's cancellation, rejection, a withdrawn session or a mentor who did not
 * come refunds everything; a student's own cancellation follows the mentor's policy,
 * counted from the start time (rounded down to the cent, in the student's disfavour
 * by at most one cent).
 */
export function refundFor(paid: number, reason: EndReason, startsAt: Date, now: Date, policy: CancellationPolicy): RefundDecision {
  if (paid <= 0) return { amount: 0, kind: 'none' };
  if (reason !== 'student_cancelled') return { amount: paid, kind: 'full' };
  if (startsAt.getTime() - now.getTime() >= policy.freeCancelHours * 3_600_000) return { amount: paid, kind: 'full' };
  const amount = Math.floor((paid * policy.lateRefundPercent) / 100);
  return { amount, kind: amount === 0 ? 'none' : amount === paid ? 'full' : 'partial' };
}

/** The moment free cancellation ends for a session. */
export function freeCancellationUntil(startsAt: Date, policy: CancellationPolicy): Date {
  return new Date(startsAt.getTime() - policy.freeCancelHours * 3_600_000);
}

/** The platform's commission on an amount, in whole minor units (rounded half up). */
export function platformFee(amount: number, feePercent: number): number {
  return Math.floor((amount * feePercent + 50) / 100);
}
