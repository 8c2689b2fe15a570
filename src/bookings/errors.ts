// What can refuse a booking, each with its status, code and message key (mapped by
// lib/error-handler.ts).
import { AppError, ConflictError, ruleCode } from '../lib/errors.ts';
import type { BookingStatus } from './model.ts';

/** 409: the slot was free when the page was drawn, and is not any more. */
export class SlotTakenError extends ConflictError {
  override readonly code = 'slot_taken';
  constructor() {
    super('bookings.slotTaken');
  }
}

/** 409: another student is booking this slot right now (their hold has not expired). */
export class SlotHeldError extends ConflictError {
  override readonly code = 'slot_held';
  constructor() {
    super('bookings.slotHeld');
  }
}

/** 409: the student already has a live booking or seat that overlaps this time. */
export class StudentBusyError extends ConflictError {
  override readonly code = 'student_busy';
  constructor() {
    super('bookings.studentBusy');
  }
}

export class SessionFullError extends ConflictError {
  override readonly code = 'session_full';
  constructor() {
    super('bookings.sessionFull');
  }
}

export class AlreadyBookedError extends ConflictError {
  override readonly code = 'already_booked';
  constructor() {
    super('bookings.alreadyBooked');
  }
}

/** A transition that the booking's current status does not allow. */
export class TransitionError extends ConflictError {
  override readonly code = 'invalid_transition';
  constructor(status: BookingStatus) {
    super('bookings.invalidTransition', { status });
  }
}

/** A booking rule broken by the request itself (422, with the rule named). */
export class BookingRuleError extends AppError {
  readonly status = 422;
  readonly code: string;
  constructor(readonly rule: 'selfBooking' | 'durationNotOffered' | 'tooSoon' | 'tooFar' | 'outsideAvailability' | 'notBookable' | 'sessionStarted' | 'notEnrolled' | 'paymentRequired' | 'notAPerson') {
    super(`bookings.rule.${rule}`);
    this.code = ruleCode(rule, 'rule');
  }
}

/** Why the slot engine says a start cannot be had, as the error the student sees. */
export function unavailableError(reason: 'taken' | 'held' | 'studentBusy' | 'tooSoon' | 'tooFar' | 'outsideAvailability'): AppError {
  if (reason === 'taken') return new SlotTakenError();
  if (reason === 'held') return new SlotHeldError();
  if (reason === 'studentBusy') return new StudentBusyError();
  return new BookingRuleError(reason);
}
