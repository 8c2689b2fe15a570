// Progress through a course for students: "My courses", and a lesson marked done by
// its button (a plain form) or by the player once 90 % of the video was watched.
import type { Request, RequestHandler, Response } from 'express';
import type { Deps } from '../composition.ts';
import { isPartialRequest, wantsJson } from '../lib/htmx.ts';
import { currentUser } from '../lib/guards.ts';
import { redirect, render } from '../lib/render.ts';
import { parseForm } from '../lib/validation.ts';
import { mediaUrl } from './pages.ts';
import { completionSchema } from './schemas.ts';
import { setFlash } from '../lib/flash.ts';

export function progressHandlers(deps: Deps) {
  const { progress } = deps.services;
  const params = (req: Request) => ({ slug: String(req.params.slug).toLowerCase(), lessonId: String(req.params.lessonId) });

  /** The lesson's done/not-done widget in its new state, JSON for scripts, or back to the lesson. */
  function answer(req: Request, res: Response, done: boolean, completedAt?: Date): void {
    const { slug, lessonId } = params(req);
    if (wantsJson(req)) {
      res.json({ lessonId, completed: done, completedAt: completedAt?.toISOString() ?? null });
      return;
    }
    if (isPartialRequest(req)) {
      render(req, res, 'courses/_completion', { completion: { slug, lessonId, done, justWatched: done } });
      return;
    }
    setFlash(req, { kind: 'success', key: done ? 'courses.progress.markedDone' : 'courses.progress.markedNotDone' });
    redirect(req, res, `/courses/${slug}/lessons/${lessonId}`);
  }

  // POST /courses/:slug/lessons/:lessonId/completion (the form, or the player with watched ≥ 0.9)
  const complete: RequestHandler = async (req, res) => {
    parseForm(req, res, completionSchema);
    const { slug, lessonId } = params(req);
    const { completedAt } = await progress.complete(currentUser(req), slug, lessonId);
    answer(req, res, true, completedAt);
  };

  // POST /courses/:slug/lessons/:lessonId/completion/deletion
  const uncomplete: RequestHandler = async (req, res) => {
    const { slug, lessonId } = params(req);
    await progress.uncomplete(currentUser(req), slug, lessonId);
    answer(req, res, false);
  };

  // GET /my/courses
  const mine: RequestHandler = async (req, res) => {
    const user = currentUser(req);
    const courses = user.role === 'admin' ? [] : await progress.myCourses(user.id);
    render(req, res, 'courses/mine', { title: res.locals.t('courses.mine.title'), courses, mediaUrl });
  };

  return { complete, uncomplete, mine };
}
