// Buying a course (seed 001): the platform sells it itself, so the checkout is charged
// at once with no destination account. The enrollment (source 'payment') is written
// only when the provider says the money is there, in the webhook's transaction.
import type { Knex } from 'knex';
import type { EnrollmentService } from '../courses/enrollment-service.ts';
import type { Course } from '../courses/model.ts';
import type { Clock } from '../lib/clock.ts';
import type { CheckoutService, PurposeHandler } from './checkout-service.ts';
import { AlreadyPaidError, PaymentRuleError } from './errors.ts';

/** Stripe keeps a Checkout open at least 30 minutes. */
const CHECKOUT_MINUTES = 30;

export interface CourseBuyer {
  id: string;
  email: string;
  locale: string;
}

export function coursePaymentsService(deps: { knex: Knex; clock: Clock; enrollments: EnrollmentService; checkouts: () => CheckoutService }) {
  const { knex, clock, enrollments } = deps;

  /** "Buy the course": refused before paying when there is nothing to buy. */
  async function start(buyer: CourseBuyer, course: Pick<Course, 'id' | 'slug' | 'title' | 'published' | 'priceCents' | 'currency'>): Promise<{ url: string; checkoutId: string }> {
    if (!course.published || course.priceCents <= 0) throw new PaymentRuleError('nothingToPay');
    if (await enrollments.isEnrolled(buyer.id, course.id)) throw new AlreadyPaidError('course');
    const teaches = await knex('courseEducators').where({ courseId: course.id, mentorId: buyer.id }).first('courseId');
    if (teaches) throw new AlreadyPaidError('course');
    const { checkout, url } = await deps.checkouts().open({
      purpose: 'course', userId: buyer.id, email: buyer.email, locale: buyer.locale, courseId: course.id,
      draft: { slug: course.slug }, name: course.title, amount: course.priceCents, currency: course.currency.trim(),
      expiresAt: new Date(clock.now().getTime() + CHECKOUT_MINUTES * 60_000),
    });
    return { url, checkoutId: checkout.id };
  }

  const courseUrl = async (checkout: { courseId: string | null; draft: Record<string, unknown> }) => {
    const row = checkout.courseId ? await knex('courses').where({ id: checkout.courseId }).first('slug') : undefined;
    const slug = row?.slug ?? checkout.draft.slug;
    return typeof slug === 'string' ? `/courses/${slug}` : '/courses';
  };

  const purposes: { course: PurposeHandler } = {
    course: {
      async fulfil(trx, checkout) {
        if (!checkout.courseId) throw new PaymentRuleError('nothingToPay');
        // The unique (course, user) decides: enrolled meanwhile (another paid checkout,
        // an admin) means this payment bought nothing, so it is refunded in full.
        const { created } = await enrollments.enroll({ id: checkout.userId }, { id: checkout.courseId }, 'payment', trx);
        if (!created) throw new AlreadyPaidError('course');
        return { courseId: checkout.courseId };
      },
      doneUrl: courseUrl,
      backUrl: courseUrl,
    },
  };

  return { start, purposes };
}

export type CoursePaymentsService = ReturnType<typeof coursePaymentsService>;
