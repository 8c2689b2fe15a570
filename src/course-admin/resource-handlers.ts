// Downloads attached to a course (the resources tab) or to one of its lessons (the
// lesson page): title, kind and file in one multipart form.
import type { RequestHandler } from 'express';
import { besideField, parseSubForm, type FormPage } from '../lib/form-errors.ts';
import { redirect, render } from '../lib/render.ts';
import { bodyOf, editorUrls, flash, paramOf, type EditorPages } from './editor-pages.ts';
import { resourceSchema } from './schemas.ts';
import type { CourseAdminService } from './service.ts';
import { UploadRejectedError } from './uploads.ts';

// The resource form shares its page with other forms: its fields carry their own names.
const RESOURCE_KEYS = { title: 'resourceTitle', kind: 'resourceKind' };

export function resourceHandlers(courses: CourseAdminService, pages: EditorPages) {
  const resources: RequestHandler = async (req, res) => {
    const course = await courses.loadEditor(paramOf(req));
    render(req, res, 'course-admin/resources', { ...pages.resourcesLocals(res, course), values: {} });
  };

  /** Adds a resource to the course (no lessonId) or to one of its lessons. */
  const addResource = (level: 'course' | 'lesson'): RequestHandler => async (req, res) => {
    const courseId = paramOf(req);
    const lessonId = level === 'lesson' ? paramOf(req, 'lessonId') : null;
    const page = async (): Promise<FormPage> => {
      const typed = { resourceTitle: bodyOf(req).title, resourceKind: bodyOf(req).kind };
      if (lessonId) {
        const { view, locals, values } = await pages.lessonPage(req, res);
        return { view, locals, values: { ...values, ...typed } };
      }
      const course = await courses.loadEditor(courseId);
      return { view: 'course-admin/resources', locals: pages.resourcesLocals(res, course), values: typed };
    };
    if (lessonId) await courses.findLesson(courseId, lessonId);
    else await courses.find(courseId);
    const parsed = resourceSchema.safeParse(bodyOf(req));
    // A file over the limit cuts the body short: say so rather than "title required".
    if (!parsed.success && req.uploadError === 'tooLarge') {
      await besideField(res, page, () => { throw new UploadRejectedError('resource', 'tooLarge'); }, 'resourceFile');
    }
    const input = parsed.success ? parsed.data : parseSubForm(req, res, resourceSchema, RESOURCE_KEYS, await page());
    await besideField(res, page, async () => {
      if (req.uploadError === 'tooLarge') throw new UploadRejectedError('resource', 'tooLarge', input.kind);
      await courses.addResource(courseId, lessonId, input, req.file);
    }, 'resourceFile');
    flash(req, 'courses.admin.resourceAdded');
    redirect(req, res, lessonId ? `${editorUrls.lesson(courseId, lessonId)}#resources` : editorUrls.resources(courseId));
  };

  const deleteResource: RequestHandler = async (req, res) => {
    const courseId = paramOf(req);
    const resource = await courses.deleteResource(courseId, paramOf(req, 'resourceId'));
    flash(req, 'courses.admin.resourceDeleted', 'info');
    redirect(req, res, resource.lessonId ? `${editorUrls.lesson(courseId, resource.lessonId)}#resources` : editorUrls.resources(courseId));
  };

  return { resources, addResource, deleteResource };
}
