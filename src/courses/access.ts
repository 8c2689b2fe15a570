// Who may watch a lesson or download a resource. One rule, in one place:
//   - admin: everything, published or not;
//   - unpublished course: does not exist for anyone else (not_found);
//   - free-preview lesson of a published course (and its resources): everyone, even anonymous;
//   - otherwise: the course's educators and its enrolled students (any enrollment
//     source: 'free', 'admin', 'payment' — a paid purchase grants access by inserting
//     an enrollment with source 'payment', nothing else to change here);
//   - a course marked "included in the subscription": also every subscriber whose
//     subscription gives access now (the payments feature decides that, handed in).
import type { Knex } from 'knex';
import type { CurrentUser } from '../lib/current-user.ts';
import { ForbiddenError, NotFoundError, UnauthorizedError, type AppError } from '../lib/errors.ts';
import { Course, CourseResource, Lesson } from './model.ts';

export type AccessDenied = 'not_found' | 'forbidden' | 'login_required';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Viewer = Pick<CurrentUser, 'id' | 'role'> | undefined;

/** Whether a user's subscription opens the included courses now (built by the composition root). */
export interface SubscriptionCheck {
  covers(userId: string): Promise<boolean>;
}

export interface AccessContext {
  knex: Knex;
  subscriptions: SubscriptionCheck;
}

/** Enrolled (any source) or one of the course's educators. The admin has no users row: not here. */
export async function hasCourseAccess(knex: Knex, userId: string, courseId: string): Promise<boolean> {
  const enrolled = knex('enrollments').select(knex.raw('1')).where({ courseId, userId });
  const educator = knex('courseEducators').select(knex.raw('1')).where({ courseId, mentorId: userId });
  const row = (await knex.first(knex.raw('exists (?) or exists (?) as access', [enrolled, educator]))) as { access: boolean } | undefined;
  return row?.access === true;
}

/** The rule above, for content of `course` that is (or is not) a free preview. */
async function decide(ctx: AccessContext, user: Viewer, course: Course, freePreview: boolean): Promise<AccessDenied | undefined> {
  if (user?.role === 'admin') return undefined;
  if (!course.published) return 'not_found';
  if (freePreview) return undefined;
  if (!user) return 'login_required';
  if (await hasCourseAccess(ctx.knex, user.id, course.id)) return undefined;
  if (course.includedInSubscription && (await ctx.subscriptions.covers(user.id))) return undefined;
  return 'forbidden';
}

async function lessonWithCourse(knex: Knex, lessonId: string): Promise<{ lesson: Lesson; course: Course } | undefined> {
  if (!UUID.test(lessonId)) return undefined;
  const lesson = await Lesson.query(knex).findById(lessonId);
  if (!lesson) return undefined;
  const course = await Course.query(knex)
    .select('courses.*')
    .join('courseModules', 'courseModules.courseId', 'courses.id')
    .where('courseModules.id', lesson.moduleId)
    .first();
  return course && { lesson, course };
}

/** May `user` (undefined: anonymous) watch this lesson's video? */
export async function canWatchLesson(ctx: AccessContext, user: Viewer, lessonId: string): Promise<{ lesson: Lesson; course: Course } | AccessDenied> {
  const found = await lessonWithCourse(ctx.knex, lessonId);
  if (!found) return 'not_found';
  return (await decide(ctx, user, found.course, found.lesson.freePreview)) ?? found;
}

/** Course-level resources need access to the course; a lesson's resources follow the lesson's rule. */
export async function canDownloadResource(
  ctx: AccessContext,
  user: Viewer,
  resourceId: string,
): Promise<{ resource: CourseResource; course: Course; lesson: Lesson | undefined } | AccessDenied> {
  if (!UUID.test(resourceId)) return 'not_found';
  const { knex } = ctx;
  const resource = await CourseResource.query(knex).findById(resourceId);
  if (!resource) return 'not_found';
  if (resource.lessonId) {
    const found = await lessonWithCourse(knex, resource.lessonId);
    if (!found) return 'not_found';
    return (await decide(ctx, user, found.course, found.lesson.freePreview)) ?? { resource, ...found };
  }
  const course = await Course.query(knex).findById(resource.courseId);
  if (!course) return 'not_found';
  return (await decide(ctx, user, course, false)) ?? { resource, course, lesson: undefined };
}

/** The HTTP error for a refusal: 404, 403, or 401 (login page for browsers, JSON code `unauthorized` for the API). */
export function accessError(denied: AccessDenied): AppError {
  if (denied === 'login_required') return new UnauthorizedError();
  if (denied === 'forbidden') return new ForbiddenError();
  return new NotFoundError();
}
