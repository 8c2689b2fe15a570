// The view models of the course page and the lesson page. Public to the features
// whose forms live on those pages (reviews, lesson Q&A): a refused form re-renders
// the page it was sent from, with the same data the page itself shows.
import type { Request, Response } from 'express';
import type { Deps } from '../composition.ts';
import type { Locale } from '../i18n/index.ts';
import { NotFoundError } from '../lib/errors.ts';
import { currentUser } from '../lib/guards.ts';
import { introVideoUrl } from '../lib/storage.ts';
import { accessError, canDownloadResource, canWatchLesson } from './access.ts';
import { byteSize, clockDuration, type PlacedLesson, type Viewer } from './catalog-service.ts';
import type { Course, CourseResource } from './model.ts';

/** Course pictures live under courses/ in storage and are served at /media/courses/<file>. */
export function mediaUrl(key: string): string {
  return key.startsWith('courses/') ? `/media/${key}` : `/media/courses/${key}`;
}

export function coursePages(deps: Deps) {
  const { catalog, enrollments, reviews, lessonQa: comments, subscriptions, progress } = deps.services;
  const accessContext = { knex: deps.knex, subscriptions };

  const viewerOf = (req: Request): Viewer | undefined => (req.user ? { id: req.user.id, role: req.user.role } : undefined);

  /** Helpers every course view uses. */
  function viewHelpers(res: Response) {
    const locale = res.locals.locale as Locale;
    return { mediaUrl, clockDuration, byteSize: (n: number) => byteSize(n, locale) };
  }

  /** What the viewer is to this course: enrolled, educator, admin, subscriber; `full` opens every lesson. */
  async function accessTo(req: Request, course: Course) {
    const user = req.user;
    const admin = user?.role === 'admin';
    const educator = Boolean(user && course.educators?.some((e) => e.id === user.id));
    const enrolled = Boolean(user && !admin && (await enrollments.isEnrolled(user.id, course.id)));
    const subscribed = Boolean(user && !admin && !enrolled && course.includedInSubscription && (await subscriptions.covers(user.id)));
    return { admin, educator, enrolled, subscribed, full: admin || educator || enrolled || subscribed };
  }

  /** Progress is kept for users with a seat in the course (the shadow admin has no users row). */
  async function progressOf(req: Request, access: { admin: boolean; full: boolean }, lessons: PlacedLesson[]) {
    if (!req.user || access.admin || !access.full) return undefined;
    return progress.ofCourse(req.user.id, lessons);
  }

  async function resourcesFor(req: Request, list: CourseResource[]) {
    return Promise.all(list.map(async (resource) => ({
      resource, canDownload: typeof (await canDownloadResource(accessContext, req.user, resource.id)) !== 'string',
    })));
  }

  /** The course's length in the lessons' own format (m:ss, h:mm:ss); nothing when no lesson has a video. */
  const totalDuration = (lessons: PlacedLesson[]) => {
    const seconds = lessons.reduce((s, p) => s + p.lesson.durationSeconds, 0);
    return seconds > 0 ? clockDuration(seconds) : '';
  };

  async function courseLocals(req: Request, res: Response, slug: string) {
    const course = await catalog.findBySlug(slug, viewerOf(req));
    const access = await accessTo(req, course);
    const lessons = catalog.lessonsOf(course);
    const [resources, list, distribution, ownReview, introVideo, courseProgress] = await Promise.all([
      resourcesFor(req, course.resources ?? []),
      reviews.listCourseReviews(course.id),
      reviews.distribution(course.id),
      access.enrolled ? reviews.ownCourseReview(currentUser(req).id, course.id) : undefined,
      course.introVideoKey ? introVideoUrl(deps.storage, course.introVideoKey).catch(() => undefined) : undefined,
      progressOf(req, access, lessons),
    ]);
    return {
      ...viewHelpers(res), title: course.title, course, access, lessons, totalDuration: totalDuration(lessons),
      resources, reviews: list, distribution, ownReview, introVideo, progress: courseProgress,
    };
  }

  /** The lesson page's data: access first (404/403/401 by access.ts), then the course around it. */
  async function lessonLocals(req: Request, res: Response, extra: Record<string, unknown> = {}) {
    const lessonId = String(req.params.lessonId);
    const decision = await canWatchLesson(accessContext, req.user, lessonId);
    if (typeof decision === 'string') throw accessError(decision);
    const course = await catalog.findBySlug(String(req.params.slug), viewerOf(req));
    if (course.id !== decision.course.id) throw new NotFoundError();
    const placed = catalog.lessonIn(course, lessonId);
    const lessons = catalog.lessonsOf(course);
    const access = await accessTo(req, course);
    const [resources, questions, courseProgress] = await Promise.all([
      resourcesFor(req, await catalog.lessonResources(lessonId)),
      comments.thread(lessonId),
      progressOf(req, access, lessons),
    ]);
    const user = req.user;
    return {
      ...viewHelpers(res), title: `${placed.lesson.title} · ${course.title}`, course, placed, lessons, access,
      prev: lessons[placed.index - 1], next: lessons[placed.index + 1], resources, questions,
      totalDuration: totalDuration(lessons),
      progress: courseProgress,
      // Progress is recorded in published courses only (a draft has no students yet).
      completion: courseProgress && course.published ? { slug: course.slug, lessonId, done: courseProgress.doneIds.has(lessonId) } : undefined,
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

  return { viewHelpers, viewerOf, courseLocals, lessonLocals };
}

export type CoursePages = ReturnType<typeof coursePages>;
export type LessonLocals = Awaited<ReturnType<CoursePages['lessonLocals']>>;
