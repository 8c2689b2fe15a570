// The curriculum tab of the course editor: modules and lessons (add, rename, move,
// delete), a lesson's own page and its video. The page holds one form per module and
// lesson: each form's fields are named after it, so a message lands beside the right one.
import type { RequestHandler } from 'express';
import { besideField, parseSubForm } from '../lib/form-errors.ts';
import { redirect, render } from '../lib/render.ts';
import { parseForm } from '../lib/validation.ts';
import { editorUrls, flash, paramOf, type EditorPages } from './editor-pages.ts';
import { lessonSchema, moduleSchema, moveSchema, newLessonSchema } from './schemas.ts';
import type { CourseAdminService } from './service.ts';
import { UploadRejectedError } from './uploads.ts';

export function curriculumHandlers(courses: CourseAdminService, pages: EditorPages) {
  const curriculum: RequestHandler = async (req, res) => {
    const course = await courses.loadEditor(paramOf(req));
    render(req, res, 'course-admin/curriculum', { ...pages.curriculumLocals(res, course), values: {} });
  };

  const addModule: RequestHandler = async (req, res) => {
    const courseId = paramOf(req);
    await courses.find(courseId);
    const input = parseSubForm(req, res, moduleSchema, { title: 'moduleTitle' }, await pages.curriculumPage(req, res));
    const module = await courses.addModule(courseId, input.title);
    flash(req, 'courses.admin.moduleAdded');
    redirect(req, res, editorUrls.curriculum(courseId, `module-${module.id}`));
  };

  const renameModule: RequestHandler = async (req, res) => {
    const courseId = paramOf(req);
    const module = await courses.findModule(courseId, paramOf(req, 'moduleId'));
    const input = parseSubForm(req, res, moduleSchema, { title: `module-${module.id}` }, await pages.curriculumPage(req, res));
    await courses.renameModule(courseId, module.id, input.title);
    flash(req, 'courses.admin.moduleRenamed');
    redirect(req, res, editorUrls.curriculum(courseId, `module-${module.id}`));
  };

  const moveModule: RequestHandler = async (req, res) => {
    const courseId = paramOf(req);
    const { direction } = parseForm(req, res, moveSchema);
    await courses.moveModule(courseId, paramOf(req, 'moduleId'), direction);
    redirect(req, res, editorUrls.curriculum(courseId, `module-${paramOf(req, 'moduleId')}`));
  };

  const deleteModule: RequestHandler = async (req, res) => {
    const courseId = paramOf(req);
    await courses.deleteModule(courseId, paramOf(req, 'moduleId'));
    flash(req, 'courses.admin.moduleDeleted', 'info');
    redirect(req, res, editorUrls.curriculum(courseId));
  };

  const addLesson: RequestHandler = async (req, res) => {
    const courseId = paramOf(req);
    const module = await courses.findModule(courseId, paramOf(req, 'moduleId'));
    const prefix = `lesson-${module.id}`;
    const input = parseSubForm(req, res, newLessonSchema, { title: `${prefix}-title` }, await pages.curriculumPage(req, res));
    const lesson = await courses.addLesson(courseId, module.id, input);
    flash(req, 'courses.admin.lessonAdded');
    redirect(req, res, editorUrls.curriculum(courseId, `lesson-${lesson.id}`));
  };

  const lessonForm: RequestHandler = async (req, res) => {
    const { view, locals, values } = await pages.lessonPage(req, res);
    render(req, res, view, { ...locals, values });
  };

  const updateLesson: RequestHandler = async (req, res) => {
    const { view, locals } = await pages.lessonPage(req, res);
    const input = parseForm(req, res, lessonSchema, { view, locals, home: { page: editorUrls.lesson(paramOf(req), paramOf(req, 'lessonId')) } });
    await courses.updateLesson(paramOf(req), paramOf(req, 'lessonId'), input);
    flash(req, 'courses.admin.lessonSaved');
    redirect(req, res, editorUrls.lesson(paramOf(req), paramOf(req, 'lessonId')));
  };

  const moveLesson: RequestHandler = async (req, res) => {
    const courseId = paramOf(req);
    const { direction } = parseForm(req, res, moveSchema);
    const lesson = await courses.moveLesson(courseId, paramOf(req, 'lessonId'), direction);
    redirect(req, res, editorUrls.curriculum(courseId, `lesson-${lesson.id}`));
  };

  const deleteLesson: RequestHandler = async (req, res) => {
    const courseId = paramOf(req);
    const lesson = await courses.deleteLesson(courseId, paramOf(req, 'lessonId'));
    flash(req, 'courses.admin.lessonDeleted', 'info');
    redirect(req, res, editorUrls.curriculum(courseId, `module-${lesson.moduleId}`));
  };

  const uploadLessonVideo: RequestHandler = async (req, res) => {
    const courseId = paramOf(req);
    const lessonId = paramOf(req, 'lessonId');
    await courses.findLesson(courseId, lessonId);
    await besideField(res, () => pages.lessonPage(req, res), async () => {
      if (req.uploadError === 'tooLarge') throw new UploadRejectedError('video', 'tooLarge');
      await courses.replaceLessonVideo(courseId, lessonId, req.file);
    }, 'video');
    flash(req, 'courses.admin.videoSaved');
    redirect(req, res, editorUrls.lesson(courseId, lessonId));
  };

  const removeLessonVideo: RequestHandler = async (req, res) => {
    await courses.removeLessonVideo(paramOf(req), paramOf(req, 'lessonId'));
    flash(req, 'courses.admin.mediaRemoved', 'info');
    redirect(req, res, editorUrls.lesson(paramOf(req), paramOf(req, 'lessonId')));
  };

  return {
    curriculum, addModule, renameModule, moveModule, deleteModule,
    addLesson, lessonForm, updateLesson, moveLesson, deleteLesson, uploadLessonVideo, removeLessonVideo,
  };
}
