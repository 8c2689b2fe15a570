// The payments feature's refusals, mapped once by the error handler like every AppError.
import { AppError, ConflictError, FieldRuleError, ruleCode } from '../lib/errors.ts';

/** Something about money that cannot be done (the key says what). */
export class PaymentRuleError extends AppError {
  readonly status = 422;
  readonly code: string;
  constructor(rule: string) {
    super(`payments.rule.${rule}`);
    this.code = ruleCode(rule);
  }
}

/** The student already has this (a course they own, a subscription that runs). */
export class AlreadyPaidError extends ConflictError {
  override readonly code = 'already_paid';
  constructor(what: 'course' | 'subscription') {
    super(`payments.already.${what}`);
  }
}

/** A checkout that can no longer be paid (expired, paid, failed) was asked to go on. */
export class CheckoutClosedError extends ConflictError {
  override readonly code = 'checkout_closed';
  constructor() {
    super('payments.checkoutClosed');
  }
}

/** A payments form's rule broken after parsing: shown beside its field. */
export class PaymentFieldError extends FieldRuleError {
  readonly code: string;
  constructor(field: string, rule: string, params: Record<string, string | number> = {}) {
    super(field, `payments.field.${rule}`, params);
    this.code = ruleCode(rule);
  }
}

/** The same person's other checkout for this is being paid right now. */
export class CheckoutInProgressError extends ConflictError {
  override readonly code = 'checkout_in_progress';
  constructor() {
    super('payments.checkoutInProgress');
  }
}

/** The provider did not answer (or refused to open a session): try again shortly. */
export class PaymentProviderUnavailableError extends AppError {
  readonly status = 503;
  readonly code = 'payment_provider_unavailable';
  constructor() {
    super('payments.providerUnavailable');
  }
}
