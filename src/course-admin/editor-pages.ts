// What every page of the course editor shows, and the page a refused form comes back
// to. Shared by the editor's handler modules (details, media, curriculum, resources).
import type { Request, Response } from 'express';
import type { Locale, Translate } from '../i18n/index.ts';
import type { FormPage } from '../lib/form-errors.ts';
import { centsToInput } from '../lib/money.ts';
import { LEVELS, RESOURCE_KINDS, type Course, type Lesson } from '../courses/model.ts';
import { COMPATIBILITY_OPTIONS, formatDuration, LIST_MAX_ITEMS } from './schemas.ts';
import type { CourseAdminService } from './service.ts';
import { formatBytes, uploadLimits } from './uploads.ts';
import { setFlash } from '../lib/flash.ts';

export type Body = Record<string, unknown>;

export const paramOf = (req: Request, name = 'id') => String(req.params[name]);
export const bodyOf = (req: Request) => (req.body ?? {}) as Body;

export function flash(req: Request, key: string, kind: 'success' | 'info' = 'success') {
  setFlash(req, { kind, key });
}

/** Only our own editor pages may be a place to come back to after an action. */
export function safeReturn(value: unknown, fallback: string): string {
  return typeof value === 'string' && /^\/admin\/courses(\/[A-Za-z0-9/-]*)?$/.test(value) ? value : fallback;
}

export const editorUrls = {
  edit: (courseId: string) => `/admin/courses/${courseId}/edit`,
  media: (courseId: string) => `/admin/courses/${courseId}/media`,
  curriculum: (courseId: string, anchor?: string) => `/admin/courses/${courseId}/curriculum${anchor ? `#${anchor}` : ''}`,
  lesson: (courseId: string, lessonId: string) => `/admin/courses/${courseId}/lessons/${lessonId}/edit`,
  resources: (courseId: string) => `/admin/courses/${courseId}/resources`,
};

export function editorPages(courses: CourseAdminService) {
  const tr = (res: Response) => res.locals.t as Translate;

  function commonLocals(res: Response) {
    const t = tr(res);
    return {
      levels: LEVELS.map((l) => ({ value: l, label: t(`courses.admin.level.${l}`) })),
      kinds: RESOURCE_KINDS.map((k) => ({ value: k, label: t(`courses.admin.kind.${k}`) })),
      limits: uploadLimits(),
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

  function valuesOf(res: Response, course: Course) {
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
      price: centsToInput(course.priceCents, res.locals.locale as Locale),
      includedInSubscription: course.includedInSubscription,
      educators: (course.educators ?? []).map((u) => u.username),
    };
  }

  function curriculumLocals(res: Response, course: Course) {
    return { ...commonLocals(res), title: tr(res)('courses.admin.curriculumTitle', { title: course.title }), course, tab: 'curriculum' };
  }

  function resourcesLocals(res: Response, course: Course) {
    return { ...commonLocals(res), title: tr(res)('courses.admin.resourcesTitle', { title: course.title }), course, tab: 'resources' };
  }

  function mediaLocals(res: Response, course: Course) {
    return { ...commonLocals(res), title: tr(res)('courses.admin.mediaTitle', { title: course.title }), course, tab: 'media' };
  }

  function lessonValues(lesson: Lesson) {
    return { title: lesson.title, description: lesson.description, freePreview: lesson.freePreview, textOnly: lesson.textOnly };
  }

  async function curriculumPage(req: Request, res: Response): Promise<Omit<FormPage, 'values'>> {
    const course = await courses.loadEditor(paramOf(req));
    return { view: 'course-admin/curriculum', locals: curriculumLocals(res, course) };
  }

  async function mediaPage(req: Request, res: Response): Promise<FormPage> {
    const course = await courses.find(paramOf(req));
    return { view: 'course-admin/media', locals: mediaLocals(res, course), values: {} };
  }

  async function lessonPage(req: Request, res: Response): Promise<FormPage> {
    const course = await courses.find(paramOf(req));
    const lesson = await courses.findLesson(course.id, paramOf(req, 'lessonId'));
    const locals = { ...commonLocals(res), title: tr(res)('courses.admin.lessonTitle', { title: lesson.title }), course, lesson, tab: 'curriculum' };
    return { view: 'course-admin/lesson', locals, values: lessonValues(lesson) };
  }

  return { formLocals, valuesOf, curriculumLocals, resourcesLocals, curriculumPage, mediaPage, lessonPage };
}

export type EditorPages = ReturnType<typeof editorPages>;
