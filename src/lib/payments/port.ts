import { AppError } from '../errors.ts';

// The payments port: what the app asks of a payment provider, in the provider's own
// terms (Checkout sessions, PaymentIntents, refunds, subscriptions, Connect accounts)
// but normalised, so Stripe and the simulated provider are interchangeable and no
// feature knows which one it talks to. Amounts are integers in minor units.

/** Our ids, written on every provider object so a payment can be traced both ways. */
export type ProviderMetadata = Record<string, string>;

export type CheckoutMode = 'payment' | 'subscription';

export interface CheckoutLine {
  name: string;
  /** Minor units (cents). */
  amount: number;
  currency: string;
  /** Subscriptions only: the billing interval of the recurring price. */
  interval?: 'month' | 'year';
}

export interface CheckoutInput {
  mode: CheckoutMode;
  line: CheckoutLine;
  /** Authorize now, capture later (a request the mentor still has to accept). */
  captureManually?: boolean;
  /** Destination charge: the net goes to the mentor's connected account, the fee stays. */
  destination?: { accountId: string; feeAmount: number };
  customerId?: string;
  customerEmail?: string;
  metadata: ProviderMetadata;
  successUrl: string;
  cancelUrl: string;
  expiresAt: Date;
  locale?: string;
}

export type CheckoutStatus = 'open' | 'complete' | 'expired';

export interface CheckoutState {
  id: string;
  url: string | null;
  status: CheckoutStatus;
  /** Stripe reports 'unpaid' while a manual-capture authorization is held: read the PaymentIntent. */
  paymentStatus: 'paid' | 'unpaid' | 'no_payment_required';
  paymentIntentId: string | null;
  subscriptionId: string | null;
  customerId: string | null;
  amountTotal: number;
  currency: string;
  metadata: ProviderMetadata;
  expiresAt: Date;
}

export type PaymentIntentStatus =
  | 'requires_payment_method'
  | 'requires_confirmation'
  | 'requires_action'
  | 'processing'
  | 'requires_capture'
  | 'succeeded'
  | 'canceled';

export interface PaymentIntentState {
  id: string;
  status: PaymentIntentStatus;
  amount: number;
  amountReceived: number;
  /** What has been refunded of the charge so far. */
  amountRefunded: number;
  currency: string;
  metadata: ProviderMetadata;
}

export interface RefundState {
  id: string;
  paymentIntentId: string;
  amount: number;
  status: 'pending' | 'succeeded' | 'failed' | 'canceled' | 'requires_action';
  metadata: ProviderMetadata;
}

export type SubscriptionStatus = 'incomplete' | 'incomplete_expired' | 'trialing' | 'active' | 'past_due' | 'canceled' | 'unpaid' | 'paused';

export interface SubscriptionState {
  id: string;
  customerId: string;
  status: SubscriptionStatus;
  interval: 'month' | 'year';
  currentPeriodEnd: Date;
  cancelAtPeriodEnd: boolean;
  metadata: ProviderMetadata;
}

export interface AccountState {
  id: string;
  chargesEnabled: boolean;
  payoutsEnabled: boolean;
  detailsSubmitted: boolean;
  metadata: ProviderMetadata;
}

/** A verified provider event: only its id, type and the object it is about are trusted. */
export interface ProviderEvent {
  id: string;
  type: string;
  /** Seconds since the epoch, as the provider stamps it. */
  created: number;
  object: { id: string; object: string; metadata: ProviderMetadata } & Record<string, unknown>;
}

/**
 * Every call that creates or moves money takes an idempotency key derived from our
 * own ids: a retried job or a double click can never charge or refund twice.
 */
export interface PaymentsProvider {
  readonly name: 'stripe' | 'simulated';
  createCheckout(input: CheckoutInput, idempotencyKey: string): Promise<CheckoutState>;
  retrieveCheckout(id: string): Promise<CheckoutState>;
  /** Ends an open checkout (the student went back): no payment can complete it any more. */
  expireCheckout(id: string, idempotencyKey: string): Promise<CheckoutState>;
  retrievePaymentIntent(id: string): Promise<PaymentIntentState>;
  capturePaymentIntent(id: string, idempotencyKey: string): Promise<PaymentIntentState>;
  /** Releases an authorization that was never captured. */
  cancelPaymentIntent(id: string, idempotencyKey: string): Promise<PaymentIntentState>;
  /**
   * `reverseTransfer`: the charge was a destination charge, so the refund also takes
   * back the mentor's transfer and the platform fee, pro rata.
   */
  createRefund(input: { paymentIntentId: string; amount: number; reverseTransfer: boolean; metadata: ProviderMetadata }, idempotencyKey: string): Promise<RefundState>;
  createCustomer(input: { email: string; name: string; metadata: ProviderMetadata }, idempotencyKey: string): Promise<{ id: string }>;
  retrieveSubscription(id: string): Promise<SubscriptionState>;
  /** Where a subscriber manages their plan (cancel, resume, change). */
  createPortalSession(input: { customerId: string; returnUrl: string; locale?: string }): Promise<{ url: string }>;
  createConnectedAccount(input: { email: string; country?: string; metadata: ProviderMetadata }, idempotencyKey: string): Promise<AccountState>;
  retrieveAccount(id: string): Promise<AccountState>;
  /** The onboarding page for a connected account. */
  createAccountLink(input: { accountId: string; refreshUrl: string; returnUrl: string }): Promise<{ url: string }>;
  /**
   * Checks a webhook's signature on the raw body and returns the event; throws
   * WebhookSignatureError when it does not match.
   */
  verifyWebhook(rawBody: Buffer, signature: string | undefined): Promise<ProviderEvent>;
}

/** The provider refused the call (declined card, unknown object, invalid request). */
export class ProviderError extends Error {
  override name = 'ProviderError';
  constructor(message: string, readonly code: string, readonly statusCode?: number) {
    super(message);
  }
}

/** A webhook whose signature does not match its raw body: refused, nothing applied. */
export class WebhookSignatureError extends AppError {
  readonly status = 400;
  readonly code = 'signature_invalid';
  constructor() {
    super('errors.signatureInvalid');
  }
}
