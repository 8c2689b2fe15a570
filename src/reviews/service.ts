// Reviews (seed 001 "Système d'évaluation", seed 002 mentor ratings). A course
// review: one per enrolled student and course, editable. A mentor review: one per
// completed booking, by its student. Averages and counts are kept by triggers in
// the writing transaction (migration 20261122160000).
import type { Knex } from 'knex';
import { AppError, NotFoundError, PG, pgCode, pgConstraint, ruleCode } from '../lib/errors.ts';
import { keysetPage, type KeysetPage } from '../lib/keyset.ts';
import { CourseReview, MentorReview } from './model.ts';

export interface ReviewInput {
  rating: number;
  body: string;
}

export interface RatingBar {
  rating: number;
  count: number;
}

/** A review rule broken by the request (422, with the rule named). */
export class ReviewRuleError extends AppError {
  readonly status = 422;
  readonly code: string;
  constructor(readonly rule: 'notEnrolled' | 'notCompleted' | 'alreadyReviewed') {
    super(`reviews.rule.${rule}`);
    this.code = ruleCode(rule, 'review');
  }
}

export const REVIEWS_PAGE_SIZE = 20;

export function reviewsService(deps: { knex: Knex }) {
  const { knex } = deps;

  /**
   * Creates or replaces the user's review of a course. The course row is locked
   * first: the rating trigger also locks it, after the foreign-key check has taken
   * a share lock, and two writers doing that in the other order deadlock.
   */
  async function saveCourseReview(userId: string, courseId: string, input: ReviewInput): Promise<{ review: CourseReview; created: boolean }> {
    return knex.transaction(async (trx) => {
      await trx('courses').where({ id: courseId }).forNoKeyUpdate().first('id');
      const enrolled = await trx('enrollments').where({ userId, courseId }).first('id');
      if (!enrolled) throw new ReviewRuleError('notEnrolled');
      const existing = await trx('courseReviews').where({ userId, courseId }).first('id');
      const [row] = await trx('courseReviews')
        .insert({ userId, courseId, rating: input.rating, body: input.body })
        .onConflict(['courseId', 'userId'])
        .merge({ rating: input.rating, body: input.body, updatedAt: trx.fn.now() })
        .returning('*') as Partial<CourseReview>[];
      return { review: CourseReview.fromJson(row ?? {}), created: !existing };
    });
  }

  async function ownCourseReview(userId: string, courseId: string): Promise<CourseReview | undefined> {
    return CourseReview.query(knex).where({ userId, courseId }).first();
  }

  async function listCourseReviews(courseId: string, limit = REVIEWS_PAGE_SIZE): Promise<CourseReview[]> {
    return CourseReview.query(knex).where({ courseId }).withGraphFetched('author').orderBy('updatedAt', 'desc').orderBy('id').limit(limit);
  }

  /** The same list by cursor (the API): newest change first, then the next after the last one seen. */
  async function listCourseReviewsAfter(courseId: string, page: { limit: number; cursor?: string }): Promise<KeysetPage<CourseReview>> {
    const query = CourseReview.query(knex).where('courseReviews.courseId', courseId).select('courseReviews.*').withGraphFetched('author');
    return keysetPage(query, { name: 'updated', expr: 'course_reviews.updated_at', dir: 'desc', type: 'timestamptz', id: 'course_reviews.id' }, page);
  }

  /** Five bars, 5 stars first, counts that add up to the course's rating_count. */
  async function distribution(courseId: string): Promise<RatingBar[]> {
    const rows = await knex('courseReviews').where({ courseId }).groupBy('rating').select('rating').count({ n: '*' }) as { rating: number; n: number | string }[];
    const byRating = new Map(rows.map((r) => [Number(r.rating), Number(r.n)]));
    return [5, 4, 3, 2, 1].map((rating) => ({ rating, count: byRating.get(rating) ?? 0 }));
  }

  /**
   * The student of a completed booking rates its mentor, once (unique booking_id).
   * A booking that is not the student's does not exist for them (404).
   */
  async function reviewMentor(studentId: string, bookingId: string, input: ReviewInput): Promise<MentorReview> {
    try {
      return await knex.transaction(async (trx) => {
        const booking = await trx('bookings').where({ id: bookingId, studentId }).first<{ mentorId: string; status: string } | undefined>('mentorId', 'status');
        if (!booking) throw new NotFoundError();
        if (booking.status !== 'completed') throw new ReviewRuleError('notCompleted');
        // Same order as for courses: the mentor's row first, then the insert.
        await trx('users').where({ id: booking.mentorId }).forNoKeyUpdate().first('id');
        const [row] = await trx('mentorReviews')
          .insert({ bookingId, mentorId: booking.mentorId, studentId, rating: input.rating, body: input.body })
          .returning('*') as Partial<MentorReview>[];
        return MentorReview.fromJson(row ?? {});
      });
    } catch (error) {
      if (pgCode(error) === PG.uniqueViolation && pgConstraint(error)?.startsWith('mentor_reviews_booking_id')) throw new ReviewRuleError('alreadyReviewed');
      throw error;
    }
  }

  /** The review of a booking, for its student or its mentor only. */
  async function mentorReviewOfBooking(viewerId: string, bookingId: string): Promise<{ booking: { id: string; status: string; studentId: string; mentorId: string }; review: MentorReview | undefined }> {
    const booking = await knex('bookings').where({ id: bookingId }).where((w) => w.where('studentId', viewerId).orWhere('mentorId', viewerId))
      .first<{ id: string; status: string; studentId: string; mentorId: string } | undefined>('id', 'status', 'studentId', 'mentorId');
    if (!booking) throw new NotFoundError();
    const review = await MentorReview.query(knex).where({ bookingId }).first();
    return { booking, review };
  }

  async function listMentorReviews(mentorId: string, limit = REVIEWS_PAGE_SIZE): Promise<MentorReview[]> {
    return MentorReview.query(knex).where({ mentorId }).withGraphFetched('student').orderBy('createdAt', 'desc').orderBy('id').limit(limit);
  }

  return { saveCourseReview, ownCourseReview, listCourseReviews, listCourseReviewsAfter, distribution, reviewMentor, mentorReviewOfBooking, listMentorReviews };
}

export type ReviewsService = ReturnType<typeof reviewsService>;
