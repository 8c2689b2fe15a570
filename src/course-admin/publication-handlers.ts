// Publishing a course: a confirmation page with the checklist (GET, and a POST sent
// without the confirmation field), then the confirmed POST. An incomplete course is
// refused with the checklist (422), whichever way it was asked.
import type { Request, RequestHandler, Response } from 'express';
import type { Translate } from '../i18n/index.ts';
import { ValidationError } from '../lib/errors.ts';
import type { FormPage } from '../lib/form-errors.ts';
import { redirect, render } from '../lib/render.ts';
import { bodyOf, editorUrls, flash, paramOf, safeReturn } from './editor-pages.ts';
import { CourseNotReadyError, type Checklist } from './publication.ts';
import type { Course } from '../courses/model.ts';
import type { CourseAdminService } from './service.ts';

export function publicationHandlers(courses: CourseAdminService) {
  const tr = (res: Response) => res.locals.t as Translate;

  function page(res: Response, course: Course, checklist: Checklist, returnTo: string): FormPage {
    const locals = { title: tr(res)('courses.admin.publish.title', { title: course.title }), course, checklist, returnTo, tab: 'publication' };
    return { view: 'course-admin/publication', locals, values: {} };
  }

  /** The refusal: each missing item beside its line of the checklist (JSON: `fields`). */
  function notReady(res: Response, course: Course, checklist: Checklist, returnTo: string): ValidationError {
    const t = tr(res);
    const fields = Object.fromEntries(checklist.items.filter((i) => !i.ok).map((i) => [i.key, t(`courses.admin.checklist.${i.key}.missing`)]));
    return new ValidationError(fields, page(res, course, checklist, returnTo));
  }

  const returnOf = (req: Request, value: unknown) => safeReturn(value, editorUrls.edit(paramOf(req)));

  const publicationPage: RequestHandler = async (req, res) => {
    const { course, checklist } = await courses.checklist(paramOf(req));
    const { view, locals } = page(res, course, checklist, returnOf(req, req.query.returnTo));
    render(req, res, view, locals);
  };

  const publish: RequestHandler = async (req, res) => {
    const returnTo = returnOf(req, bodyOf(req).returnTo);
    if (bodyOf(req).confirm !== 'yes') {
      // Not confirmed yet (a "Publish" button elsewhere): the question, or the refusal.
      const { course, checklist } = await courses.checklist(paramOf(req));
      if (!checklist.complete) throw notReady(res, course, checklist, returnTo);
      const { view, locals } = page(res, course, checklist, returnTo);
      render(req, res, view, locals);
      return;
    }
    try {
      await courses.publish(paramOf(req));
    } catch (error) {
      if (!(error instanceof CourseNotReadyError)) throw error;
      throw notReady(res, await courses.find(paramOf(req)), error.checklist, returnTo);
    }
    flash(req, 'courses.admin.publishedFlash');
    redirect(req, res, returnTo);
  };

  return { publicationPage, publish };
}
