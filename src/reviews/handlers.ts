// Reviews: a student's review of a course (the form on the course page) and of a
// mentor after a completed booking (a box on the booking page, a list on profiles).
import type { Request, RequestHandler, Response } from 'express';
import type { Deps } from '../composition.ts';
import { accessError } from '../courses/access.ts';
import { coursePages } from '../courses/pages.ts';
import { NotFoundError } from '../lib/errors.ts';
import { currentUser } from '../lib/guards.ts';
import { isPartialRequest } from '../lib/htmx.ts';
import { redirect, render } from '../lib/render.ts';
import { parseForm } from '../lib/validation.ts';
import { User } from '../users/model.ts';
import { reviewSchema } from './schemas.ts';
import { setFlash } from '../lib/flash.ts';

export function reviewsHandlers(deps: Deps) {
  const { reviews } = deps.services;
  const pages = coursePages(deps);

  // POST /courses/:slug/review: creates or replaces the student's review.
  const saveCourseReview: RequestHandler = async (req, res) => {
    const slug = String(req.params.slug);
    const locals = await pages.courseLocals(req, res, slug);
    if (!locals.access.enrolled) throw accessError('forbidden');
    const input = parseForm(req, res, reviewSchema, { view: 'courses/show', locals, home: { page: `/courses/${locals.course.slug}#reviews` } });
    const { created } = await reviews.saveCourseReview(currentUser(req).id, locals.course.id, input);
    setFlash(req, { kind: 'success', key: created ? 'reviews.savedFlash' : 'reviews.updatedFlash' });
    redirect(req, res, `/courses/${locals.course.slug}#reviews`);
  };

  /** The mentor-review box of a booking page: the form, the review, or nothing. */
  async function mentorReviewLocals(req: Request, res: Response) {
    const user = currentUser(req);
    const { booking, review } = await reviews.mentorReviewOfBooking(user.id, String(req.params.id));
    return {
      title: res.locals.t('reviews.mentor.title'), booking, review,
      canReview: !review && booking.status === 'completed' && booking.studentId === user.id,
      isStudent: booking.studentId === user.id,
    };
  }

  // GET /bookings/:id/review: the box alone for htmx (the booking page loads it), a page otherwise.
  const mentorReviewBox: RequestHandler = async (req, res) => {
    render(req, res, 'reviews/mentor-review', await mentorReviewLocals(req, res), { fragment: 'reviews/_mentor-review' });
  };

  // POST /bookings/:id/review
  const saveMentorReview: RequestHandler = async (req, res) => {
    const locals = await mentorReviewLocals(req, res);
    const input = parseForm(req, res, reviewSchema, { view: 'reviews/mentor-review', fragment: 'reviews/_mentor-review', locals });
    await reviews.reviewMentor(currentUser(req).id, String(req.params.id), input);
    if (isPartialRequest(req)) {
      render(req, res, 'reviews/_mentor-review', await mentorReviewLocals(req, res));
      return;
    }
    setFlash(req, { kind: 'success', key: 'reviews.mentor.savedFlash' });
    redirect(req, res, `/bookings/${String(req.params.id)}`);
  };

  // GET /mentors/:username/reviews: the list on the profile (htmx), or a page of its own.
  const mentorReviews: RequestHandler = async (req, res) => {
    const mentor = await User.query(deps.knex).modify('active').modify('mentors').where('username', String(req.params.username)).first();
    if (!mentor) throw new NotFoundError();
    const list = await reviews.listMentorReviews(mentor.id);
    render(req, res, 'reviews/mentor-reviews', { title: res.locals.t('reviews.mentor.listTitle', { name: mentor.displayName }), mentor, reviews: list }, { fragment: 'reviews/_mentor-reviews' });
  };

  return { saveCourseReview, mentorReviewBox, saveMentorReview, mentorReviews };
}
