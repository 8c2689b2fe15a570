// What can refuse a new time for a booking, besides the booking rules a new request
// meets (slot taken, student busy, notice, window, hours): mapped by lib/error-handler.ts.
import { AppError, ConflictError, ruleCode } from '../lib/errors.ts';

export type RescheduleRule = 'tooLate' | 'groupSeat' | 'sameTime' | 'notLive';

/** 422: the booking cannot be moved at all now (the reason is named). */
export class RescheduleRuleError extends AppError {
  readonly status = 422;
  readonly code: string;
  constructor(readonly rule: RescheduleRule) {
    super(`reschedule.rule.${rule}`);
    this.code = ruleCode(rule, 'reschedule');
  }
}

/** 409: the booking has been moved as often as the setting allows. */
export class RescheduleLimitError extends ConflictError {
  override readonly code = 'reschedule_limit';
  constructor(max: number) {
    super('reschedule.limitReached', { max });
  }
}

/** 409: the proposal was answered, replaced or lapsed meanwhile. */
export class ProposalClosedError extends ConflictError {
  override readonly code = 'proposal_closed';
  constructor() {
    super('reschedule.proposalClosed');
  }
}
