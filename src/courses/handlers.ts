// Course pages for students and visitors (seed 001): the catalogue, a course, a
// lesson with its player, enrollment. Who may watch or download is decided by
// src/courses/access.ts only; the pages' data by src/courses/pages.ts.
import type { RequestHandler } from 'express';
import type { Deps } from '../composition.ts';
import type { Translate } from '../i18n/index.ts';
import { NotFoundError } from '../lib/errors.ts';
import { currentUser } from '../lib/guards.ts';
import { isPartialRequest } from '../lib/htmx.ts';
import { cachePage } from '../lib/page-cache.ts';
import { redirect, render } from '../lib/render.ts';
import { SECURE_URL_TTL_SECONDS } from '../lib/signed-urls.ts';
import { accessError, canWatchLesson } from './access.ts';
import { LEVELS } from './model.ts';
import { coursePages } from './pages.ts';
import { parseCatalogSearch } from './schemas.ts';
import { setFlash } from '../lib/flash.ts';

export function coursePublicHandlers(deps: Deps) {
  const { catalog, enrollments } = deps.services;
  const pages = coursePages(deps);
  const access = { knex: deps.knex, subscriptions: deps.services.subscriptions };

  // GET /courses: the catalogue with its search and filters (htmx gets the results alone).
  const index: RequestHandler = async (req, res) => {
    const t = res.locals.t as Translate;
    const { input, params, ignored } = parseCatalogSearch(req.query as Record<string, unknown>, t);
    const reads = deps.catalogue(req).catalog;
    const [result, versions] = await Promise.all([reads.search(input), reads.compatibilityVersions()]);
    // The URL htmx pushes holds the filters kept, never what was ignored (it may not fit in a header).
    if (isPartialRequest(req)) res.set('HX-Push-Url', `/courses${Object.keys(params).length ? `?${new URLSearchParams(params)}` : ''}`);
    cachePage(res, ['courses']);
    const levels = LEVELS.map((value) => ({ value, label: t(`courses.level.${value}`) }));
    render(req, res, 'courses/index', { ...pages.viewHelpers(res), title: t('courses.catalogTitle'), result, params, ignored, levels, versions }, { fragment: 'courses/_results' });
  };

  // GET /courses/:slug
  const show: RequestHandler = async (req, res) => {
    render(req, res, 'courses/show', await pages.courseLocals(req, res, String(req.params.slug)));
  };

  // POST /courses/:slug/enrollment: free courses only; paid ones come with the payments feature.
  const enroll: RequestHandler = async (req, res) => {
    const user = currentUser(req);
    const course = await catalog.findBySlug(String(req.params.slug), pages.viewerOf(req));
    if (!user.record) throw new NotFoundError(); // the shadow admin has no users row to enroll
    const { created } = await enrollments.enroll(user, course, 'free');
    setFlash(req, { kind: 'success', key: created ? 'courses.enrolledFlash' : 'courses.alreadyEnrolledFlash' });
    redirect(req, res, `/courses/${course.slug}`);
  };

  // GET /courses/:slug/lessons/:lessonId (and …/comments: the same page, or the thread alone for htmx)
  const lesson: RequestHandler = async (req, res) => {
    render(req, res, 'courses/lesson', await pages.lessonLocals(req, res), { fragment: 'lesson-qa/_thread' });
  };

  // GET /courses/:slug/lessons/:lessonId/video: without JavaScript, a fresh signed URL.
  const video: RequestHandler = async (req, res) => {
    const decision = await canWatchLesson(access, req.user, String(req.params.lessonId));
    if (typeof decision === 'string') throw accessError(decision);
    if (!decision.lesson.videoKey) throw new NotFoundError();
    const url = await deps.storage.url(decision.lesson.videoKey, { expiresInSeconds: SECURE_URL_TTL_SECONDS });
    res.set('Cache-Control', 'no-store').redirect(302, url);
  };

  return { index, show, enroll, lesson, video };
}
