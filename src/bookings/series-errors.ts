// What can refuse a weekly series, mapped like every AppError by lib/error-handler.ts.
import { AppError, ConflictError } from '../lib/errors.ts';
import type { PlannedWeek } from './series-plan.ts';

/** 409: a week the preview called free is not any more (or one became free): the list is shown again. */
export class SeriesChangedError extends ConflictError {
  override readonly code = 'series_changed';
  constructor(readonly weeks: PlannedWeek[]) {
    super('bookings.series.changed');
  }
}

/** 422: not one week of the series can be booked. */
export class SeriesNothingFreeError extends AppError {
  readonly status = 422;
  readonly code = 'series_nothing_free';
  constructor() {
    super('bookings.series.nothingFree');
  }
}

/** 422: a priced skill's series is paid with package credits, one per week, and there are not enough. */
export class SeriesCreditsError extends AppError {
  readonly status = 422;
  readonly code = 'series_credits_missing';
  constructor(needed: number, left: number) {
    super('bookings.series.notEnoughCredits', { needed, left });
  }
}

/** 409: nothing in the series is waiting for this answer (already answered, started or ended). */
export class SeriesNothingToAnswerError extends ConflictError {
  override readonly code = 'series_nothing_to_answer';
  constructor() {
    super('bookings.series.nothingToAnswer');
  }
}
