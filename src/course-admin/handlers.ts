// The course editor under /admin/courses: one service, one set of page helpers, and
// the handlers of each tab (details here; media, curriculum, resources beside).
import type { Request, RequestHandler, Response } from 'express';
import type { Deps } from '../composition.ts';
import type { Translate } from '../i18n/index.ts';
import { besideField } from '../lib/form-errors.ts';
import { redirect, render } from '../lib/render.ts';
import { formValues, parseForm } from '../lib/validation.ts';
import { curriculumHandlers } from './curriculum-handlers.ts';
import { bodyOf, editorPages, editorUrls, flash, paramOf, safeReturn, type EditorPages } from './editor-pages.ts';
import { mediaHandlers } from './media-handlers.ts';
import { publicationHandlers } from './publication-handlers.ts';
import { resourceHandlers } from './resource-handlers.ts';
import { courseSchema, type CourseInput } from './schemas.ts';
import type { CourseAdminService } from './service.ts';

export function courseAdminHandlers(deps: Deps) {
  const courses = deps.services.courseAdmin;
  const pages = editorPages(courses);
  return {
    ...detailsHandlers(courses, pages),
    ...mediaHandlers(courses, pages),
    ...curriculumHandlers(courses, pages),
    ...resourceHandlers(courses, pages),
    ...publicationHandlers(courses),
  };
}

/** The list, the details form, unpublication and deletion of a course (publication: publication-handlers.ts). */
function detailsHandlers(courses: CourseAdminService, pages: EditorPages) {
  const tr = (res: Response) => res.locals.t as Translate;
  /** Slug taken or unknown educators: the form again, the message beside that field, the input kept. */
  const detailsForm = (req: Request, locals: Record<string, unknown>) => () => ({ view: 'course-admin/form', locals, values: formValues(req) });

  const index: RequestHandler = async (req, res) => {
    render(req, res, 'course-admin/index', { title: tr(res)('courses.admin.listTitle'), courses: await courses.list() });
  };

  const newForm: RequestHandler = async (req, res) => {
    render(req, res, 'course-admin/form', { ...(await pages.formLocals(res)), values: { level: 'beginner', price: '0', compatibility: [], prerequisites: [], objectives: [], educators: [] } });
  };

  const create: RequestHandler = async (req, res) => {
    const locals = await pages.formLocals(res);
    const input: CourseInput = parseForm(req, res, courseSchema, { view: 'course-admin/form', locals });
    const course = await besideField(res, detailsForm(req, locals), () => courses.create(input));
    flash(req, 'courses.admin.created');
    redirect(req, res, editorUrls.edit(course.id));
  };

  const editForm: RequestHandler = async (req, res) => {
    const course = await courses.loadEditor(paramOf(req));
    render(req, res, 'course-admin/form', { ...(await pages.formLocals(res, course)), values: pages.valuesOf(res, course) });
  };

  const update: RequestHandler = async (req, res) => {
    const course = await courses.loadEditor(paramOf(req));
    const locals = await pages.formLocals(res, course);
    const input: CourseInput = parseForm(req, res, courseSchema, { view: 'course-admin/form', locals });
    await besideField(res, detailsForm(req, locals), () => courses.update(course.id, input));
    flash(req, 'courses.admin.saved');
    redirect(req, res, editorUrls.edit(course.id));
  };

  const unpublish: RequestHandler = async (req, res) => {
    const course = await courses.unpublish(paramOf(req));
    flash(req, 'courses.admin.unpublishedFlash', 'info');
    redirect(req, res, safeReturn(bodyOf(req).returnTo, editorUrls.edit(course.id)));
  };

  const deletionPage: RequestHandler = async (req, res) => {
    const { course, summary } = await courses.deletionSummary(paramOf(req));
    render(req, res, 'course-admin/deletion', { title: tr(res)('courses.admin.deleteTitle', { title: course.title }), course, summary });
  };

  const destroy: RequestHandler = async (req, res) => {
    await courses.deleteCourse(paramOf(req));
    flash(req, 'courses.admin.deleted', 'info');
    redirect(req, res, '/admin/courses');
  };

  return { index, newForm, create, editForm, update, unpublish, deletionPage, destroy };
}
