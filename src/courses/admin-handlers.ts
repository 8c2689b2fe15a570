import type { Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import type { Deps } from '../composition.ts';
import type { Translate } from '../i18n/index.ts';
import { ValidationError, type FieldErrors } from '../lib/errors.ts';
import { redirect, render } from '../lib/render.ts';
import { fieldErrors, parseForm } from '../lib/validation.ts';
import {
  COURSE_UPLOAD_LIMITS, courseAdminService, SlugTakenError, UnknownEducatorsError, UploadRejectedError,
  type CourseImageSlot, type UploadReason,
} from './admin-service.ts';
import { LEVELS, RESOURCE_KINDS, type Course, type Lesson } from './model.ts';
import {
  COMPATIBILITY_OPTIONS, courseSchema, formatDuration, lessonSchema, LIST_MAX_ITEMS, moduleSchema, moveSchema, newLessonSchema, resourceSchema,
  type CourseInput,
} from './schemas.ts';

type Body = Record<string, unknown>;
type View = { view: string; locals: Record<string, unknown> };

/** "50 MB", "2 MB", "64 KB": limits as people read them. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

/** Only our own editor pages may be a place to come back to after an action. */
function safeReturn(value: unknown, fallback: string): string {
  return typeof value === 'string' && /^\/admin\/courses(\/[A-Za-z0-9/-]*)?$/.test(value) ? value : fallback;
}

export function courseAdminHandlers(deps: Deps) {
  const courses = courseAdminService(deps);
  const tr = (res: Response) => res.locals.t as Translate;
  const id = (req: Request, name = 'id') => String(req.params[name]);
  const body = (req: Request) => (req.body ?? {}) as Body;

  const limits = () => ({
    image: formatBytes(COURSE_UPLOAD_LIMITS.imageBytes),
    video: formatBytes(COURSE_UPLOAD_LIMITS.videoBytes),
    resource: formatBytes(COURSE_UPLOAD_LIMITS.resourceBytes),
  });

  function commonLocals(res: Response) {
    const t = tr(res);
    return {
      levels: LEVELS.map((l) => ({ value: l, label: t(`courses.admin.level.${l}`) })),
      kinds: RESOURCE_KINDS.map((k) => ({ value: k, label: t(`courses.admin.kind.${k}`) })),
      limits: limits(),
      listMax: LIST_MAX_ITEMS,
      formatDuration,
      formatBytes,
    };
  }

  async function formLocals(res: Response, course?: Course) {
    const t = tr(res);
    // Values stored before an option left the list stay visible (and kept).
    const compatibility = [...new Set([...COMPATIBILITY_OPTIONS, ...(course?.compatibility ?? [])])];
    return {
      ...commonLocals(res),
      title: course ? t('courses.admin.editTitle', { title: course.title }) : t('courses.admin.newTitle'),
      course,
      tab: 'details',
      compatibilityOptions: compatibility,
      mentors: await courses.mentorUsernames(),
    };
  }

  function valuesOf(course: Course) {
    return {
      title: course.title,
      subtitle: course.subtitle ?? '',
      slug: course.slug,
      shortDescription: course.shortDescription,
      descriptionHtml: course.descriptionHtml,
      level: course.level,
      compatibility: course.compatibility,
      prerequisites: course.prerequisites,
      objectives: course.objectives,
      price: course.price,
      educators: (course.educators ?? []).map((u) => u.username),
    };
  }

  async function curriculumLocals(res: Response, course: Course) {
    return { ...commonLocals(res), title: tr(res)('courses.admin.curriculumTitle', { title: course.title }), course, tab: 'curriculum' };
  }

  async function resourcesLocals(res: Response, course: Course) {
    return { ...commonLocals(res), title: tr(res)('courses.admin.resourcesTitle', { title: course.title }), course, tab: 'resources' };
  }

  function lessonLocals(res: Response, course: Course, lesson: Lesson) {
    return { ...commonLocals(res), title: tr(res)('courses.admin.lessonTitle', { title: lesson.title }), course, lesson, tab: 'curriculum' };
  }

  function lessonValues(lesson: Lesson) {
    return { title: lesson.title, description: lesson.description, duration: lesson.durationSeconds ? formatDuration(lesson.durationSeconds) : '', freePreview: lesson.freePreview };
  }

  /** A sub-form of a page failed: its messages under its own keys, the page re-rendered. */
  function subFormError(res: Response, error: z.ZodError, keys: Record<string, string>, values: Body, page: View): ValidationError {
    const fields: FieldErrors = {};
    for (const [field, message] of Object.entries(fieldErrors(error, tr(res)))) fields[keys[field] ?? field] = message;
    return new ValidationError(fields, { ...page, values });
  }

  function parseSub<S extends z.ZodType>(req: Request, res: Response, schema: S, keys: Record<string, string>, page: View): z.infer<S> {
    const result = schema.safeParse(body(req));
    if (result.success) return result.data;
    const values = Object.fromEntries(Object.entries(keys).map(([field, key]) => [key, body(req)[field]]));
    throw subFormError(res, result.error, keys, values, page);
  }

  function uploadMessage(res: Response, what: 'image' | 'video' | 'resource', reason: UploadReason, kind?: string): string {
    const t = tr(res);
    if (reason === 'tooLarge') return t(`courses.admin.upload.${what}.tooLarge`, { max: limits()[what] });
    if (reason === 'type' && what === 'resource') return t(`courses.admin.upload.resource.type.${kind ?? 'other'}`);
    return t(`courses.admin.upload.${what}.${reason}`);
  }

  /** Runs an upload; a refused file (missing, too large, wrong type) is a message beside its field. */
  async function handleUpload(req: Request, res: Response, what: 'image' | 'video' | 'resource', field: string, page: () => Promise<View & { values: Body }>, run: () => Promise<void>, kind?: string): Promise<void> {
    try {
      if (req.uploadError === 'tooLarge') throw new UploadRejectedError('tooLarge');
      await run();
    } catch (error) {
      if (!(error instanceof UploadRejectedError)) throw error;
      const { view, locals, values } = await page();
      throw new ValidationError({ [field]: uploadMessage(res, what, error.reason, kind) }, { view, locals, values });
    }
  }

  function flash(req: Request, key: string, kind: 'success' | 'info' = 'success') {
    req.session.flash = { kind, key };
  }

  const editUrl = (courseId: string) => `/admin/courses/${courseId}/edit`;
  const mediaUrl = (courseId: string) => `/admin/courses/${courseId}/media`;
  const curriculumUrl = (courseId: string, anchor?: string) => `/admin/courses/${courseId}/curriculum${anchor ? `#${anchor}` : ''}`;
  const lessonUrl = (courseId: string, lessonId: string) => `/admin/courses/${courseId}/lessons/${lessonId}/edit`;
  const resourcesUrl = (courseId: string) => `/admin/courses/${courseId}/resources`;

  // ---- courses ---------------------------------------------------------------------------

  const index: RequestHandler = async (req, res) => {
    render(req, res, 'courses/admin/index', { title: tr(res)('courses.admin.listTitle'), courses: await courses.list() });
  };

  const newForm: RequestHandler = async (req, res) => {
    render(req, res, 'courses/admin/form', { ...(await formLocals(res)), values: { level: 'beginner', price: '0', compatibility: [], prerequisites: [], objectives: [], educators: [] } });
  };

  /** Slug taken or unknown educators: messages beside those fields, the input kept. */
  function saveError(req: Request, res: Response, error: unknown, locals: Record<string, unknown>): never {
    const t = tr(res);
    const { _csrf: _omit, ...values } = body(req);
    if (error instanceof SlugTakenError) throw new ValidationError({ slug: t('courses.admin.slugTaken') }, { view: 'courses/admin/form', locals, values });
    if (error instanceof UnknownEducatorsError) {
      throw new ValidationError({ educators: t('courses.admin.unknownEducators', { names: error.usernames.join(', ') }) }, { view: 'courses/admin/form', locals, values });
    }
    throw error;
  }

  const create: RequestHandler = async (req, res) => {
    const locals = await formLocals(res);
    const input: CourseInput = parseForm(req, res, courseSchema, { view: 'courses/admin/form', locals });
    const course = await courses.create(input).catch((error: unknown) => saveError(req, res, error, locals));
    flash(req, 'courses.admin.created');
    redirect(req, res, editUrl(course.id));
  };

  const editForm: RequestHandler = async (req, res) => {
    const course = await courses.loadEditor(id(req));
    render(req, res, 'courses/admin/form', { ...(await formLocals(res, course)), values: valuesOf(course) });
  };

  const update: RequestHandler = async (req, res) => {
    const course = await courses.loadEditor(id(req));
    const locals = await formLocals(res, course);
    const input: CourseInput = parseForm(req, res, courseSchema, { view: 'courses/admin/form', locals });
    await courses.update(course.id, input).catch((error: unknown) => saveError(req, res, error, locals));
    flash(req, 'courses.admin.saved');
    redirect(req, res, editUrl(course.id));
  };

  const publish: RequestHandler = async (req, res) => {
    const course = await courses.setPublished(id(req), true);
    flash(req, 'courses.admin.publishedFlash');
    redirect(req, res, safeReturn(body(req).returnTo, editUrl(course.id)));
  };

  const unpublish: RequestHandler = async (req, res) => {
    const course = await courses.setPublished(id(req), false);
    flash(req, 'courses.admin.unpublishedFlash', 'info');
    redirect(req, res, safeReturn(body(req).returnTo, editUrl(course.id)));
  };

  const deletionPage: RequestHandler = async (req, res) => {
    const { course, summary } = await courses.deletionSummary(id(req));
    render(req, res, 'courses/admin/deletion', { title: tr(res)('courses.admin.deleteTitle', { title: course.title }), course, summary });
  };

  const destroy: RequestHandler = async (req, res) => {
    await courses.deleteCourse(id(req));
    flash(req, 'courses.admin.deleted', 'info');
    redirect(req, res, '/admin/courses');
  };

  // ---- course media ------------------------------------------------------------------------

  function mediaLocals(res: Response, course: Course) {
    return { ...commonLocals(res), title: tr(res)('courses.admin.mediaTitle', { title: course.title }), course, tab: 'media' };
  }

  async function mediaPage(req: Request, res: Response) {
    const course = await courses.find(id(req));
    return { view: 'courses/admin/media', locals: mediaLocals(res, course), values: {} };
  }

  const media: RequestHandler = async (req, res) => {
    const { view, locals, values } = await mediaPage(req, res);
    render(req, res, view, { ...locals, values });
  };

  const uploadImage = (slot: CourseImageSlot): RequestHandler => async (req, res) => {
    const courseId = id(req);
    await courses.find(courseId);
    await handleUpload(req, res, 'image', slot, () => mediaPage(req, res), () => courses.replaceImage(courseId, slot, req.file));
    flash(req, 'courses.admin.imageSaved');
    redirect(req, res, mediaUrl(courseId));
  };

  const uploadIntroVideo: RequestHandler = async (req, res) => {
    const courseId = id(req);
    await courses.find(courseId);
    await handleUpload(req, res, 'video', 'introVideo', () => mediaPage(req, res), () => courses.replaceIntroVideo(courseId, req.file));
    flash(req, 'courses.admin.videoSaved');
    redirect(req, res, mediaUrl(courseId));
  };

  const removeMedia = (slot: CourseImageSlot | 'introVideo'): RequestHandler => async (req, res) => {
    await courses.removeMedia(id(req), slot);
    flash(req, 'courses.admin.mediaRemoved', 'info');
    redirect(req, res, mediaUrl(id(req)));
  };

  // ---- curriculum: modules and lessons ----------------------------------------------------

  const curriculum: RequestHandler = async (req, res) => {
    const course = await courses.loadEditor(id(req));
    render(req, res, 'courses/admin/curriculum', { ...(await curriculumLocals(res, course)), values: {} });
  };

  async function curriculumPage(req: Request, res: Response): Promise<View> {
    const course = await courses.loadEditor(id(req));
    return { view: 'courses/admin/curriculum', locals: await curriculumLocals(res, course) };
  }

  const addModule: RequestHandler = async (req, res) => {
    const courseId = id(req);
    await courses.find(courseId);
    const input = parseSub(req, res, moduleSchema, { title: 'moduleTitle' }, await curriculumPage(req, res));
    const module = await courses.addModule(courseId, input.title);
    flash(req, 'courses.admin.moduleAdded');
    redirect(req, res, curriculumUrl(courseId, `module-${module.id}`));
  };

  const renameModule: RequestHandler = async (req, res) => {
    const courseId = id(req);
    const module = await courses.findModule(courseId, id(req, 'moduleId'));
    const input = parseSub(req, res, moduleSchema, { title: `module-${module.id}` }, await curriculumPage(req, res));
    await courses.renameModule(courseId, module.id, input.title);
    flash(req, 'courses.admin.moduleRenamed');
    redirect(req, res, curriculumUrl(courseId, `module-${module.id}`));
  };

  const moveModule: RequestHandler = async (req, res) => {
    const courseId = id(req);
    const { direction } = parseForm(req, res, moveSchema);
    await courses.moveModule(courseId, id(req, 'moduleId'), direction);
    redirect(req, res, curriculumUrl(courseId, `module-${id(req, 'moduleId')}`));
  };

  const deleteModule: RequestHandler = async (req, res) => {
    const courseId = id(req);
    await courses.deleteModule(courseId, id(req, 'moduleId'));
    flash(req, 'courses.admin.moduleDeleted', 'info');
    redirect(req, res, curriculumUrl(courseId));
  };

  const addLesson: RequestHandler = async (req, res) => {
    const courseId = id(req);
    const module = await courses.findModule(courseId, id(req, 'moduleId'));
    const prefix = `lesson-${module.id}`;
    const input = parseSub(req, res, newLessonSchema, { title: `${prefix}-title`, duration: `${prefix}-duration` }, await curriculumPage(req, res));
    const lesson = await courses.addLesson(courseId, module.id, input);
    flash(req, 'courses.admin.lessonAdded');
    redirect(req, res, curriculumUrl(courseId, `lesson-${lesson.id}`));
  };

  async function lessonPage(req: Request, res: Response) {
    const course = await courses.find(id(req));
    const lesson = await courses.findLesson(course.id, id(req, 'lessonId'));
    return { view: 'courses/admin/lesson', locals: lessonLocals(res, course, lesson), values: lessonValues(lesson) };
  }

  const lessonForm: RequestHandler = async (req, res) => {
    const { view, locals, values } = await lessonPage(req, res);
    render(req, res, view, { ...locals, values });
  };

  const updateLesson: RequestHandler = async (req, res) => {
    const { view, locals } = await lessonPage(req, res);
    const input = parseForm(req, res, lessonSchema, { view, locals });
    await courses.updateLesson(id(req), id(req, 'lessonId'), input);
    flash(req, 'courses.admin.lessonSaved');
    redirect(req, res, lessonUrl(id(req), id(req, 'lessonId')));
  };

  const moveLesson: RequestHandler = async (req, res) => {
    const courseId = id(req);
    const { direction } = parseForm(req, res, moveSchema);
    const lesson = await courses.moveLesson(courseId, id(req, 'lessonId'), direction);
    redirect(req, res, curriculumUrl(courseId, `lesson-${lesson.id}`));
  };

  const deleteLesson: RequestHandler = async (req, res) => {
    const courseId = id(req);
    const lesson = await courses.deleteLesson(courseId, id(req, 'lessonId'));
    flash(req, 'courses.admin.lessonDeleted', 'info');
    redirect(req, res, curriculumUrl(courseId, `module-${lesson.moduleId}`));
  };

  const uploadLessonVideo: RequestHandler = async (req, res) => {
    const courseId = id(req);
    const lessonId = id(req, 'lessonId');
    await courses.findLesson(courseId, lessonId);
    await handleUpload(req, res, 'video', 'video', () => lessonPage(req, res), () => courses.replaceLessonVideo(courseId, lessonId, req.file));
    flash(req, 'courses.admin.videoSaved');
    redirect(req, res, lessonUrl(courseId, lessonId));
  };

  const removeLessonVideo: RequestHandler = async (req, res) => {
    await courses.removeLessonVideo(id(req), id(req, 'lessonId'));
    flash(req, 'courses.admin.mediaRemoved', 'info');
    redirect(req, res, lessonUrl(id(req), id(req, 'lessonId')));
  };

  // ---- resources -----------------------------------------------------------------------------

  const resources: RequestHandler = async (req, res) => {
    const course = await courses.loadEditor(id(req));
    render(req, res, 'courses/admin/resources', { ...(await resourcesLocals(res, course)), values: {} });
  };

  const RESOURCE_KEYS = { title: 'resourceTitle', kind: 'resourceKind' };

  /** Adds a resource to the course (no lessonId) or to one of its lessons. */
  const addResource = (level: 'course' | 'lesson'): RequestHandler => async (req, res) => {
    const courseId = id(req);
    const lessonId = level === 'lesson' ? id(req, 'lessonId') : null;
    const page = async (): Promise<View & { values: Body }> => {
      const typed = { resourceTitle: body(req).title, resourceKind: body(req).kind };
      if (lessonId) {
        const { view, locals, values } = await lessonPage(req, res);
        return { view, locals, values: { ...values, ...typed } };
      }
      const course = await courses.loadEditor(courseId);
      return { view: 'courses/admin/resources', locals: await resourcesLocals(res, course), values: typed };
    };
    if (lessonId) await courses.findLesson(courseId, lessonId);
    else await courses.find(courseId);
    const parsed = resourceSchema.safeParse(body(req));
    if (!parsed.success) {
      // A file over the limit cuts the body short: say so rather than "title required".
      if (req.uploadError === 'tooLarge') throw new ValidationError({ resourceFile: uploadMessage(res, 'resource', 'tooLarge') }, await page());
      const { values, ...view } = await page();
      throw subFormError(res, parsed.error, RESOURCE_KEYS, values, view);
    }
    const input = parsed.data;
    await handleUpload(req, res, 'resource', 'resourceFile', page, async () => {
      await courses.addResource(courseId, lessonId, input, req.file);
    }, input.kind);
    flash(req, 'courses.admin.resourceAdded');
    redirect(req, res, lessonId ? `${lessonUrl(courseId, lessonId)}#resources` : resourcesUrl(courseId));
  };

  const deleteResource: RequestHandler = async (req, res) => {
    const courseId = id(req);
    const resource = await courses.deleteResource(courseId, id(req, 'resourceId'));
    flash(req, 'courses.admin.resourceDeleted', 'info');
    redirect(req, res, resource.lessonId ? `${lessonUrl(courseId, resource.lessonId)}#resources` : resourcesUrl(courseId));
  };

  return {
    index, newForm, create, editForm, update, publish, unpublish, deletionPage, destroy,
    media, uploadImage, uploadIntroVideo, removeMedia,
    curriculum, addModule, renameModule, moveModule, deleteModule,
    addLesson, lessonForm, updateLesson, moveLesson, deleteLesson, uploadLessonVideo, removeLessonVideo,
    resources, addResource, deleteResource,
  };
}
