// Course pages for students and visitors (seed 001): the catalogue, a course, a
// lesson with its player and Q&A, enrollment and reviews; and mentor reviews after
// a completed booking (seed 002). Who may watch or download is decided by
// src/courses/access.ts only.
import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import type { Deps } from '../composition.ts';
import type { Locale, Translate } from '../i18n/index.ts';
import { NotFoundError, UnauthorizedError } from '../lib/errors.ts';
import { currentUser } from '../lib/guards.ts';
import { isPartialRequest } from '../lib/htmx.ts';
import { redirect, render } from '../lib/render.ts';
import { introVideoUrl, SECURE_URL_TTL_SECONDS } from '../lib/signed-urls.ts';
import { parseForm, type FormContext } from '../lib/validation.ts';
import { notificationsService } from '../notifications/service.ts';
import { User } from '../users/model.ts';
import { accessError, canDownloadResource, canWatchLesson } from './access.ts';
import { byteSize, catalogService, clockDuration, type PlacedLesson, type Viewer } from './catalog-service.ts';
import { commentsService, type CommentActor } from './comments-service.ts';
import { enrollmentService } from './enrollment-service.ts';
import type { Course, CourseResource } from './model.ts';
import { reviewsService } from './reviews-service.ts';

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const reviewSchema = z.object({
  rating: z.preprocess(blank, z.coerce.number({ error: 'reviews.ratingRequired' }).int().min(1, { error: 'reviews.ratingRequired' }).max(5, { error: 'reviews.ratingRequired' })),
  body: z.string({ error: 'reviews.bodyLength' }).trim().min(10, { error: 'reviews.bodyLength' }).max(3000, { error: 'reviews.bodyLength' }),
});

export const commentSchema = z.object({
  body: z.string({ error: 'validation.required' }).trim().min(1, { error: 'validation.required' }).max(5000),
  parentId: z.preprocess(blank, z.guid().optional()),
});

const pageSchema = z.object({ page: z.preprocess(blank, z.coerce.number().int().min(1).max(1000).default(1)) });

/** Course pictures live under courses/ in storage and are served at /media/courses/<file>. */
export function mediaUrl(key: string): string {
  return key.startsWith('courses/') ? `/media/${key}` : `/media/courses/${key}`;
}

export function coursePublicHandlers(deps: Deps) {
  const catalog = catalogService(deps);
  const enrollments = enrollmentService(deps);
  const reviews = reviewsService(deps);
  const comments = commentsService({
    knex: deps.knex, clock: deps.clock, jobs: deps.jobs, notifications: notificationsService(deps), adminEmail: deps.config.admin?.email,
  });

  const viewerOf = (req: Request): Viewer | undefined => (req.user ? { id: req.user.id, role: req.user.role } : undefined);
  const actorOf = (req: Request): CommentActor => {
    const u = currentUser(req);
    return { id: u.id, role: u.role, displayName: u.displayName };
  };

  /** Helpers every course view uses. */
  function viewHelpers(res: Response) {
    const locale = res.locals.locale as Locale;
    return { mediaUrl, clockDuration, byteSize: (n: number) => byteSize(n, locale) };
  }

  /** What the viewer is to this course: enrolled, educator, admin; `full` opens every lesson. */
  async function accessTo(req: Request, course: Course) {
    const user = req.user;
    const admin = user?.role === 'admin';
    const educator = Boolean(user && course.educators?.some((e) => e.id === user.id));
    const enrolled = Boolean(user && !admin && (await enrollments.isEnrolled(user.id, course.id)));
    return { admin, educator, enrolled, full: admin || educator || enrolled };
  }

  async function resourcesFor(req: Request, list: CourseResource[]) {
    return Promise.all(list.map(async (resource) => ({
      resource, canDownload: typeof (await canDownloadResource(deps.knex, req.user, resource.id)) !== 'string',
    })));
  }

  const totalDuration = (lessons: PlacedLesson[], t: Translate) => {
    const seconds = lessons.reduce((s, p) => s + p.lesson.durationSeconds, 0);
    // Short demo clips would read "0 minutes"; an unknown duration is not shown.
    if (seconds === 0) return '';
    if (seconds < 60) return t('courses.seconds', { count: seconds });
    const minutes = Math.round(seconds / 60);
    return minutes >= 60 ? t('courses.hoursMinutes', { h: Math.floor(minutes / 60), m: minutes % 60 }) : t('courses.minutes', { count: minutes });
  };

  async function courseLocals(req: Request, res: Response, slug: string) {
    const course = await catalog.findBySlug(slug, viewerOf(req));
    const access = await accessTo(req, course);
    const lessons = catalog.lessonsOf(course);
    const [resources, list, distribution, ownReview, introVideo] = await Promise.all([
      resourcesFor(req, course.resources ?? []),
      reviews.listCourseReviews(course.id),
      reviews.distribution(course.id),
      access.enrolled ? reviews.ownCourseReview(currentUser(req).id, course.id) : undefined,
      course.introVideoKey ? introVideoUrl(deps.storage, course.introVideoKey).catch(() => undefined) : undefined,
    ]);
    return {
      ...viewHelpers(res), title: course.title, course, access, lessons, totalDuration: totalDuration(lessons, res.locals.t as Translate),
      resources, reviews: list, distribution, ownReview, introVideo,
    };
  }

  // GET /courses
  const index: RequestHandler = async (req, res) => {
    const parsed = pageSchema.safeParse(req.query);
    const result = await catalog.listPublished(parsed.success ? parsed.data.page : 1);
    render(req, res, 'courses/index', { ...viewHelpers(res), title: res.locals.t('courses.catalogTitle'), result });
  };

  // GET /courses/:slug
  const show: RequestHandler = async (req, res) => {
    render(req, res, 'courses/show', await courseLocals(req, res, String(req.params.slug)));
  };

  // POST /courses/:slug/enrollment: free courses only; paid ones come with the payments feature.
  const enroll: RequestHandler = async (req, res) => {
    const user = currentUser(req);
    const course = await catalog.findBySlug(String(req.params.slug), viewerOf(req));
    if (!user.record) throw new NotFoundError(); // the shadow admin has no users row to enroll
    const { created } = await enrollments.enroll(user, course, 'free');
    req.session.flash = { kind: 'success', key: created ? 'courses.enrolledFlash' : 'courses.alreadyEnrolledFlash' };
    redirect(req, res, `/courses/${course.slug}`);
  };

  // POST /courses/:slug/review: creates or replaces the student's review.
  const saveReview: RequestHandler = async (req, res) => {
    const slug = String(req.params.slug);
    const locals = await courseLocals(req, res, slug);
    if (!locals.access.enrolled) throw accessError('forbidden');
    const input = parseForm(req, res, reviewSchema, { view: 'courses/show', locals });
    const { created } = await reviews.saveCourseReview(currentUser(req).id, locals.course.id, input);
    req.session.flash = { kind: 'success', key: created ? 'reviews.savedFlash' : 'reviews.updatedFlash' };
    redirect(req, res, `/courses/${locals.course.slug}#reviews`);
  };

  /** The lesson page's data: access first (404/403/401 by access.ts), then the course around it. */
  async function lessonLocals(req: Request, res: Response, extra: Record<string, unknown> = {}) {
    const lessonId = String(req.params.lessonId);
    const decision = await canWatchLesson(deps.knex, req.user, lessonId);
    if (typeof decision === 'string') throw accessError(decision);
    const course = await catalog.findBySlug(String(req.params.slug), viewerOf(req));
    if (course.id !== decision.course.id) throw new NotFoundError();
    const placed = catalog.lessonIn(course, lessonId);
    const lessons = catalog.lessonsOf(course);
    const access = await accessTo(req, course);
    const [resources, questions] = await Promise.all([
      resourcesFor(req, await catalog.lessonResources(lessonId)),
      comments.thread(lessonId),
    ]);
    const user = req.user;
    return {
      ...viewHelpers(res), title: `${placed.lesson.title} · ${course.title}`, course, placed, lessons, access,
      prev: lessons[placed.index - 1], next: lessons[placed.index + 1], resources, questions,
      totalDuration: totalDuration(lessons, res.locals.t as Translate),
      qa: {
        // Asking needs a seat in the course (or teaching it); free previews are read-only for others.
        canPost: Boolean(user) && access.full,
        canModerate: access.admin || access.educator,
        isAdmin: access.admin,
        actorId: user?.id,
        educatorIds: (course.educators ?? []).map((e) => e.id),
      },
      ...extra,
    };
  }

  // GET /courses/:slug/lessons/:lessonId (and …/comments: the same page, or the thread alone for htmx)
  const lesson: RequestHandler = async (req, res) => {
    render(req, res, 'courses/lesson', await lessonLocals(req, res), { fragment: 'courses/_thread' });
  };

  // GET /courses/:slug/lessons/:lessonId/video: without JavaScript, a fresh signed URL.
  const video: RequestHandler = async (req, res) => {
    const decision = await canWatchLesson(deps.knex, req.user, String(req.params.lessonId));
    if (typeof decision === 'string') throw accessError(decision);
    if (!decision.lesson.videoKey) throw new NotFoundError();
    const url = await deps.storage.url(decision.lesson.videoKey, { expiresInSeconds: SECURE_URL_TTL_SECONDS });
    res.set('Cache-Control', 'no-store').redirect(302, url);
  };

  /** After a Q&A change: the thread for htmx, the lesson page at the message otherwise. */
  async function afterComment(req: Request, res: Response, anchor: string) {
    if (isPartialRequest(req)) {
      render(req, res, 'courses/_thread', await lessonLocals(req, res));
      return;
    }
    redirect(req, res, `/courses/${String(req.params.slug)}/lessons/${String(req.params.lessonId)}#${anchor}`);
  }

  type LessonLocals = Awaited<ReturnType<typeof lessonLocals>>;

  /** Q&A writes: signed in, and allowed to take part in this lesson's Q&A. */
  async function qaLocals(req: Request, res: Response): Promise<LessonLocals> {
    if (!req.user) throw new UnauthorizedError();
    const locals = await lessonLocals(req, res);
    if (!locals.qa.canPost) throw accessError('forbidden');
    return locals;
  }

  const contextOf = (locals: LessonLocals) => ({ course: locals.course, lesson: locals.placed.lesson });
  const threadForm = (locals: LessonLocals, extra: Record<string, unknown>): FormContext => ({
    view: 'courses/lesson', fragment: 'courses/_thread', locals: { ...locals, ...extra },
  });

  // POST …/comments: a question, or a reply when parentId is given.
  const postComment: RequestHandler = async (req, res) => {
    const locals = await qaLocals(req, res);
    const parentId = typeof req.body?.parentId === 'string' ? req.body.parentId : '';
    const input = parseForm(req, res, commentSchema, threadForm(locals, { formFor: parentId || 'ask' }));
    const comment = input.parentId
      ? await comments.reply(actorOf(req), contextOf(locals), input.parentId, input.body)
      : await comments.ask(actorOf(req), contextOf(locals), input.body);
    await afterComment(req, res, `comment-${comment.id}`);
  };

  // GET …/comments/:commentId/edit: the thread with that message as a form (own messages only).
  const editComment: RequestHandler = async (req, res) => {
    const locals = await qaLocals(req, res);
    const comment = await comments.findOwn(actorOf(req), locals.placed.lesson.id, String(req.params.commentId));
    render(req, res, 'courses/lesson', { ...locals, editing: comment.id }, { fragment: 'courses/_thread' });
  };

  // POST …/comments/:commentId
  const updateComment: RequestHandler = async (req, res) => {
    const locals = await qaLocals(req, res);
    const id = String(req.params.commentId);
    await comments.findOwn(actorOf(req), locals.placed.lesson.id, id);
    const input = parseForm(req, res, commentSchema.pick({ body: true }), threadForm(locals, { editing: id, formFor: 'edit' }));
    await comments.edit(actorOf(req), locals.placed.lesson.id, id, input.body);
    await afterComment(req, res, `comment-${id}`);
  };

  // POST …/comments/:commentId/deletion: the author's own, or anyone's for the admin.
  const deleteComment: RequestHandler = async (req, res) => {
    if (!req.user) throw new UnauthorizedError();
    const locals = await lessonLocals(req, res);
    const id = String(req.params.commentId);
    await comments.remove(actorOf(req), locals.placed.lesson.id, id);
    await afterComment(req, res, `comment-${id}`);
  };

  // POST …/comments/:commentId/pin and …/pin/deletion: the admin or an educator of the course.
  const pin: RequestHandler = async (req, res) => {
    if (!req.user) throw new UnauthorizedError();
    const locals = await lessonLocals(req, res);
    const id = String(req.params.commentId);
    await comments.pin(actorOf(req), contextOf(locals), id);
    await afterComment(req, res, `comment-${id}`);
  };

  const unpin: RequestHandler = async (req, res) => {
    if (!req.user) throw new UnauthorizedError();
    const locals = await lessonLocals(req, res);
    const id = String(req.params.commentId);
    await comments.unpin(actorOf(req), contextOf(locals), id);
    await afterComment(req, res, `comment-${id}`);
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
    render(req, res, 'courses/mentor-review', await mentorReviewLocals(req, res), { fragment: 'courses/_mentor-review' });
  };

  // POST /bookings/:id/review
  const saveMentorReview: RequestHandler = async (req, res) => {
    const locals = await mentorReviewLocals(req, res);
    const input = parseForm(req, res, reviewSchema, { view: 'courses/mentor-review', fragment: 'courses/_mentor-review', locals });
    await reviews.reviewMentor(currentUser(req).id, String(req.params.id), input);
    if (isPartialRequest(req)) {
      render(req, res, 'courses/_mentor-review', await mentorReviewLocals(req, res));
      return;
    }
    req.session.flash = { kind: 'success', key: 'reviews.mentor.savedFlash' };
    redirect(req, res, `/bookings/${String(req.params.id)}`);
  };

  // GET /mentors/:username/reviews: the list on the profile (htmx), or a page of its own.
  const mentorReviews: RequestHandler = async (req, res) => {
    const mentor = await User.query(deps.knex).modify('active').modify('mentors').where('username', String(req.params.username)).first();
    if (!mentor) throw new NotFoundError();
    const list = await reviews.listMentorReviews(mentor.id);
    render(req, res, 'courses/mentor-reviews', { title: res.locals.t('reviews.mentor.listTitle', { name: mentor.displayName }), mentor, reviews: list }, { fragment: 'courses/_mentor-reviews' });
  };

  return {
    index, show, enroll, saveReview, lesson, video, postComment, editComment, updateComment, deleteComment, pin, unpin,
    mentorReviewBox, saveMentorReview, mentorReviews,
  };
}
