// What the insights pages show, as the service returns it and the views read it. Every
// figure is a count summed over hourly rollups (src/insights/rollup.ts) and cut into days
// at the viewer's midnight; docs/metrics.md defines each one in words.

/** Whose figures: one mentor's own, or the whole platform (admin). */
export type InsightScope = { kind: 'mentor'; mentorId: string } | { kind: 'platform' };

/** A range of whole days in the viewer's zone: `from` and `to` are 'YYYY-MM-DD', both included. */
export interface InsightRange {
  from: string;
  to: string;
  timeZone: string;
}

/** The ranges the picker offers; anything else is a custom from/to. */
export const PRESET_DAYS = [7, 30, 90] as const;
/** The longest custom range: a year and a day (a leap year's 366 days). */
export const MAX_RANGE_DAYS = 366;
/** A cancellation this close to the start, or closer, is late (the default free-cancel window). */
export const LATE_CANCEL_HOURS = 24;
/** A mentor or a skill is ranked by rating only with at least this many reviews in the range. */
export const MIN_RATINGS_TO_RANK = 3;
/** Rows of each top list. */
export const TOP_LIMIT = 10;

/**
 * The funnel of the range. Traffic steps count events that happened in the range; the booking
 * steps follow the bookings *requested* in the range (a cohort), so requested ≥ confirmed ≥ completed.
 */
export interface FunnelCounts {
  /** Page views of skill and mentor pages (bots and Do-Not-Track/GPC requests not counted). */
  views: number;
  /** Daily unique visitors, summed over the days (a visitor on two days counts twice). */
  visitors: number;
  /** The booking modal's first step (pick a time) opened. */
  modalOpened: number;
  /** Step 2 reached: a time held, the details form shown. */
  detailsReached: number;
  /** Step 3 reached: the summary shown. */
  summaryReached: number;
  /** Bookings created in the range (one-on-one and group seats). */
  requested: number;
  /** Of those, the ones a mentor accepted or that were confirmed at once (whatever happened next). */
  confirmed: number;
  /** Of those, the ones held and marked completed. */
  completed: number;
}

/** Sessions held, counted at their start. */
export interface UsageTotals {
  /** Completed sessions that started in the range. */
  sessions: number;
  /** Their booked minutes. */
  minutes: number;
}

export interface QualityTotals {
  /** Bookings requested in the range (the denominator of the cancellation rates). */
  requested: number;
  cancelledByStudent: number;
  cancelledByMentor: number;
  /** Of the cancellations above, the ones made LATE_CANCEL_HOURS or less before the start. */
  lateCancelled: number;
  /** Sessions that started in the range and were marked no-show. */
  noShows: number;
  /** Sessions that started in the range and were completed or no-show (the no-show rate's denominator). */
  sessionsDue: number;
  /** Mentor reviews written in the range, and the sum of their ratings (1–5). */
  reviews: number;
  ratingSum: number;
}

/** One day of the range in the viewer's zone, every day present (zeros included). */
export interface DayPoint {
  day: string;
  sessions: number;
  minutes: number;
  requested: number;
  cancelled: number;
  noShows: number;
  reviews: number;
  ratingSum: number;
  views: number;
}

/** Week (Monday, 'YYYY-MM-DD') or month ('YYYY-MM') totals of held sessions. */
export interface PeriodPoint {
  period: string;
  sessions: number;
  minutes: number;
}

/** Sessions (confirmed, completed or no-show) by their start in the viewer's zone. */
export interface HeatCell {
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
  hour: number;
  sessions: number;
}

export interface TopRow {
  id: string;
  name: string;
  requested: number;
  completed: number;
  reviews: number;
  /** null below MIN_RATINGS_TO_RANK reviews. */
  averageRating: number | null;
}

export interface WeekCount {
  /** Monday of the week, 'YYYY-MM-DD' in the viewer's zone. */
  week: string;
  students: number;
  mentors: number;
  enrollments: number;
  courseReviews: number;
}

export interface InsightsReport {
  range: InsightRange & { days: number };
  /** The range of the same length just before, for comparison. */
  previousRange: InsightRange;
  /** When the rollups were last brought up to date (figures are as of then). */
  updatedAt: Date | null;
  funnel: { current: FunnelCounts; previous: FunnelCounts };
  usage: { current: UsageTotals; previous: UsageTotals; weekly: PeriodPoint[]; monthly: PeriodPoint[] };
  quality: { current: QualityTotals; previous: QualityTotals };
  daily: DayPoint[];
  heatmap: HeatCell[];
  /** The admin's extras; absent for a mentor. */
  platform?: {
    topMentors: { byRequests: TopRow[]; byCompleted: TopRow[]; byRating: TopRow[] };
    topSkills: { byRequests: TopRow[]; byCompleted: TopRow[]; byRating: TopRow[] };
    weeks: WeekCount[];
  };
}

/** A share as a number from 0 to 1, or null when there is nothing to divide by. */
export const rate = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/** Each funnel step as a share of the step before it (the first step has none). */
export function stepRates(f: FunnelCounts): Record<Exclude<keyof FunnelCounts, 'views' | 'visitors'>, number | null> {
  return {
    modalOpened: rate(f.modalOpened, f.views),
    detailsReached: rate(f.detailsReached, f.modalOpened),
    summaryReached: rate(f.summaryReached, f.detailsReached),
    requested: rate(f.requested, f.summaryReached),
    confirmed: rate(f.confirmed, f.requested),
    completed: rate(f.completed, f.confirmed),
  };
}

export function qualityRates(q: QualityTotals) {
  return {
    cancelledByStudent: rate(q.cancelledByStudent, q.requested),
    cancelledByMentor: rate(q.cancelledByMentor, q.requested),
    lateCancelled: rate(q.lateCancelled, q.requested),
    noShow: rate(q.noShows, q.sessionsDue),
    averageRating: q.reviews > 0 ? q.ratingSum / q.reviews : null,
  };
}

export const averageMinutes = (u: UsageTotals): number | null => (u.sessions > 0 ? u.minutes / u.sessions : null);
