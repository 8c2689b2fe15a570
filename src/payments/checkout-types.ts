// What a checkout is, what each purpose registers to fulfil it, and when a finished
// session counts as paid: the shapes the checkout service and its purposes share.
import type { Knex } from 'knex';
import type { CheckoutState, PaymentIntentState } from '../lib/payments/port.ts';

export type Purpose = 'booking' | 'seat' | 'course' | 'subscription' | 'package';

export interface CheckoutRow {
  id: string;
  provider: string;
  providerSessionId: string | null;
  purpose: Purpose;
  userId: string;
  mentorId: string | null;
  skillId: string | null;
  courseId: string | null;
  packageId: string | null;
  planCode: string | null;
  draft: Record<string, unknown>;
  amount: number;
  feeAmount: number;
  currency: string;
  captureManually: boolean;
  status: 'open' | 'complete' | 'expired' | 'failed';
  failure: string | null;
  expiresAt: Date;
  bookingId: string | null;
  createdAt: Date;
}

/**
 * Whether a finished session was paid. The PaymentIntent decides for payments: a
 * manual-capture session completes "unpaid" on Stripe while the authorization is
 * held, so `payment_status` alone would lose every authorized request.
 */
export function outcomeOf({ session, intent }: Observation): 'paid' | 'unpaid' | 'wait' {
  if (session.status === 'expired') return 'unpaid';
  if (session.status === 'open') return 'wait';
  if (session.paymentIntentId) {
    if (!intent) return 'wait';
    if (intent.status === 'requires_capture' || intent.status === 'succeeded') return 'paid';
    return intent.status === 'processing' ? 'wait' : 'unpaid';
  }
  if (session.paymentStatus === 'paid' || session.paymentStatus === 'no_payment_required') return 'paid';
  return 'wait'; // a delayed payment method: its async_payment_* event will come
}

/** What a paid checkout turns into; ids to link the payment to. */
export interface Fulfilment {
  bookingId?: string;
  courseId?: string;
  packagePurchaseId?: string;
  subscriptionId?: string;
  /** The booking was confirmed at once: capture now. */
  capture?: boolean;
}

export interface PurposeHandler {
  /** Writes what was bought; throws an AppError when it cannot be had any more. */
  fulfil(trx: Knex.Transaction, checkout: CheckoutRow, session: CheckoutState, paymentId: string | null): Promise<Fulfilment>;
  /** The checkout ended unpaid (expired, abandoned, failed): free what it kept. */
  abandon?(trx: Knex.Transaction, checkout: CheckoutRow): Promise<void>;
  /** Where the buyer lands once it is paid (the booking, the course, the subscription). */
  doneUrl(checkout: CheckoutRow): Promise<string>;
  /** Where the buyer goes back to when they leave the payment page. */
  backUrl(checkout: CheckoutRow): Promise<string>;
}

export interface Observation {
  session: CheckoutState;
  intent: PaymentIntentState | undefined;
}

export interface OpenInput {
  purpose: Purpose;
  userId: string;
  email: string;
  locale: string;
  mentorId?: string;
  skillId?: string;
  courseId?: string;
  packageId?: string;
  planCode?: string;
  draft?: Record<string, unknown>;
  name: string;
  amount: number;
  currency: string;
  feeAmount?: number;
  destinationAccountId?: string;
  captureManually?: boolean;
  interval?: 'month' | 'year';
  customerId?: string;
  expiresAt: Date;
  /** Runs in the transaction that writes our row (extend the slot hold). */
  before?(trx: Knex.Transaction, checkoutId: string): Promise<void>;
}
