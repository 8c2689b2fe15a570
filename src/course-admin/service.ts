// Admin course editing (seed 001): courses, their media and resources; the
// curriculum (modules and lessons in order) is src/course-admin/curriculum.ts, the
// file checks src/course-admin/uploads.ts. Stored files are deleted only after the
// transaction that stopped pointing at them has committed.
import type { Knex } from 'knex';
import { FieldRuleError, NotFoundError, PG, pgCode, pgConstraint } from '../lib/errors.ts';
import type { Storage } from '../lib/storage.ts';
import { User } from '../users/model.ts';
import { Course, CourseResource } from '../courses/model.ts';
import { courseMediaService } from './course-media.ts';
import { curriculumService } from './curriculum.ts';
import { publicationService } from './publication.ts';
import { sanitizeDescription } from './sanitize.ts';
import { SLUG_MAX, type CourseInput, type ResourceInput } from './schemas.ts';
import { fileDeleter, keysOf, type FileLogger } from './stored-files.ts';
import { slugify } from './slugs.ts';
import { storeResource, type UploadedFile } from './uploads.ts';

/** A typed slug that another course already uses. */
export class SlugTakenError extends FieldRuleError {
  readonly code = 'slug_taken';
  constructor() {
    super('slug', 'courses.admin.slugTaken');
  }
}

/** Usernames that are not active mentors. */
export class UnknownEducatorsError extends FieldRuleError {
  readonly code = 'unknown_educators';
  constructor(readonly usernames: string[]) {
    super('educators', 'courses.admin.unknownEducators', { names: usernames.join(', ') });
  }
}

export type { CourseImageSlot } from './course-media.ts';

export interface CourseListRow {
  id: string;
  slug: string;
  title: string;
  published: boolean;
  level: Course['level'];
  modulesCount: number;
  lessonsCount: number;
  studentsCount: number;
  ratingAverage: string;
  ratingCount: number;
  priceCents: number;
  currency: string;
  updatedAt: Date;
}

export interface DeletionSummary {
  modules: number;
  lessons: number;
  resources: number;
  enrollments: number;
  reviews: number;
  comments: number;
  linkedSkills: number;
  files: number;
}

type Deps = { knex: Knex; storage: Storage; logger?: FileLogger };

export function courseAdminService(deps: Deps) {
  const { knex, storage } = deps;
  const deleteFiles = fileDeleter(storage, deps.logger);
  const curriculum = curriculumService(deps);
  const { findLesson } = curriculum;
  const media = courseMediaService(deps);
  const publication = publicationService(deps);

  async function list(): Promise<CourseListRow[]> {
    const rows = await knex('courses')
      .select('id', 'slug', 'title', 'published', 'level', 'studentsCount', 'ratingAverage', 'ratingCount', 'priceCents', 'currency', 'updatedAt')
      .select(knex.raw('(select count(*) from course_modules m where m.course_id = courses.id)::int as modules_count'))
      .select(knex.raw('(select count(*) from lessons l join course_modules m on m.id = l.module_id where m.course_id = courses.id)::int as lessons_count'))
      .orderBy('createdAt', 'desc')
      .orderBy('id');
    return rows as CourseListRow[];
  }

  async function find(id: string, trx: Knex | Knex.Transaction = knex): Promise<Course> {
    const course = await Course.query(trx).findById(id);
    if (!course) throw new NotFoundError();
    return course;
  }

  /** The course with everything its editor pages show. */
  async function loadEditor(id: string): Promise<Course> {
    const course = await Course.query(knex)
      .findById(id)
      .withGraphFetched('[modules.lessons.resources, educators, resources]')
      .modifyGraph('modules', (b) => b.orderBy('position'))
      .modifyGraph('modules.lessons', (b) => b.orderBy('position'))
      .modifyGraph('modules.lessons.resources', (b) => b.orderBy('createdAt'))
      .modifyGraph('educators', (b) => b.orderBy('username'))
      .modifyGraph('resources', (b) => b.whereNull('lessonId').orderBy('createdAt'));
    if (!course) throw new NotFoundError();
    return course;
  }

  /** Active mentors' usernames, for the educators picker (the first 1000 by name). */
  async function mentorUsernames(): Promise<{ username: string; displayName: string }[]> {
    return User.query(knex).modify('mentors').modify('active').select('username', 'displayName').orderBy('username').limit(1000);
  }

  async function educatorIds(trx: Knex.Transaction, usernames: string[]): Promise<string[]> {
    if (!usernames.length) return [];
    const found = await trx('users').whereIn('username', usernames).where('role', 'mentor').whereNull('disabledAt').select('id', 'username');
    const known = new Set(found.map((u: { username: string }) => u.username.toLowerCase()));
    const unknown = usernames.filter((u) => !known.has(u.toLowerCase()));
    if (unknown.length) throw new UnknownEducatorsError(unknown);
    return found.map((u: { id: string }) => u.id);
  }

  /** The first free slug among base, base-2, base-3… (another course may hold any of them). */
  async function freeSlug(trx: Knex | Knex.Transaction, title: string, exceptId?: string): Promise<string> {
    const base = slugify(title, SLUG_MAX - 4);
    const query = trx('courses').select('slug').whereRaw(`lower(slug::text) ~ ?`, [`^${base}(-[0-9]+)?$`]);
    if (exceptId) query.whereNot('id', exceptId);
    const taken = new Set((await query).map((r: { slug: string }) => r.slug.toLowerCase()));
    if (!taken.has(base)) return base;
    for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
  }

  function toRow(input: CourseInput) {
    return {
      title: input.title,
      subtitle: input.subtitle || null,
      shortDescription: input.shortDescription,
      descriptionHtml: sanitizeDescription(input.descriptionHtml),
      level: input.level,
      compatibility: input.compatibility,
      prerequisites: input.prerequisites,
      objectives: input.objectives,
      priceCents: input.price,
      includedInSubscription: input.includedInSubscription,
    };
  }

  const isSlugViolation = (error: unknown) => pgCode(error) === PG.uniqueViolation && (pgConstraint(error) ?? '').includes('slug');

  /** Runs `write`; a generated slug lost to a concurrent save is recomputed (3 tries). */
  async function withSlugRetry<T>(typed: boolean, write: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await write();
      } catch (error) {
        if (!isSlugViolation(error)) throw error;
        if (typed || attempt >= 3) throw new SlugTakenError();
      }
    }
  }

  async function create(input: CourseInput): Promise<Course> {
    return withSlugRetry(!!input.slug, () =>
      knex.transaction(async (trx) => {
        const mentorIds = await educatorIds(trx, input.educators);
        let slug = input.slug;
        if (slug) {
          if (await trx('courses').where('slug', slug).first()) throw new SlugTakenError();
        } else {
          slug = await freeSlug(trx, input.title);
        }
        const course = await Course.query(trx).insertAndFetch({ ...toRow(input), slug, published: false } as Partial<Course>);
        if (mentorIds.length) await trx('courseEducators').insert(mentorIds.map((mentorId) => ({ courseId: course.id, mentorId })));
        return course;
      }),
    );
  }

  async function update(id: string, input: CourseInput): Promise<Course> {
    return withSlugRetry(!!input.slug, () =>
      knex.transaction(async (trx) => {
        const course = await find(id, trx);
        const mentorIds = await educatorIds(trx, input.educators);
        let slug = input.slug;
        if (slug) {
          if (await trx('courses').where('slug', slug).whereNot('id', id).first()) throw new SlugTakenError();
        } else {
          slug = await freeSlug(trx, input.title, id);
        }
        const saved = await course.$query(trx).patchAndFetch({ ...toRow(input), slug } as Partial<Course>);
        await trx('courseEducators').where({ courseId: id }).delete();
        if (mentorIds.length) await trx('courseEducators').insert(mentorIds.map((mentorId) => ({ courseId: id, mentorId })));
        return saved;
      }),
    );
  }

  /** Back to draft at any time; publishing goes through the checklist (publication.ts). */
  async function unpublish(id: string): Promise<Course> {
    const course = await find(id);
    return course.$query(knex).patchAndFetch({ published: false } as Partial<Course>);
  }

  // ---- deletion ------------------------------------------------------------------------

  /** Every stored file of a course: its media, its lessons' videos, its resources. */
  async function filesOfCourse(trx: Knex | Knex.Transaction, course: Course): Promise<string[]> {
    const [videos, resources] = await Promise.all([
      keysOf(trx('lessons').join('courseModules', 'courseModules.id', 'lessons.moduleId').where('courseModules.courseId', course.id), 'lessons.videoKey'),
      keysOf(trx('courseResources').where('courseId', course.id), 'fileKey'),
    ]);
    return [course.thumbnailKey, course.headerKey, course.introVideoKey, ...videos, ...resources].filter((k): k is string => !!k);
  }

  async function deletionSummary(id: string): Promise<{ course: Course; summary: DeletionSummary }> {
    const course = await find(id);
    const count = async (query: Knex.QueryBuilder) => Number(((await query.count({ n: '*' }).first()) as { n: number } | undefined)?.n ?? 0);
    const lessonIds = knex('lessons').join('courseModules', 'courseModules.id', 'lessons.moduleId').where('courseModules.courseId', id).select('lessons.id');
    const [modules, lessons, resources, enrollments, reviews, comments, linkedSkills, files] = await Promise.all([
      count(knex('courseModules').where('courseId', id)),
      count(knex('lessons').join('courseModules', 'courseModules.id', 'lessons.moduleId').where('courseModules.courseId', id)),
      count(knex('courseResources').where('courseId', id)),
      count(knex('enrollments').where('courseId', id)),
      count(knex('courseReviews').where('courseId', id)),
      count(knex('lessonComments').whereIn('lessonId', lessonIds)),
      count(knex('skills').where('courseId', id)),
      filesOfCourse(knex, course).then((f) => f.length),
    ]);
    return { course, summary: { modules, lessons, resources, enrollments, reviews, comments, linkedSkills, files } };
  }

  /** Deletes the course and every row under it in one transaction, then its files. */
  async function deleteCourse(id: string): Promise<Course> {
    const { course, files } = await knex.transaction(async (trx) => {
      const course = await Course.query(trx).findById(id).forUpdate();
      if (!course) throw new NotFoundError();
      const files = await filesOfCourse(trx, course);
      await trx('courses').where({ id }).delete(); // cascades: modules, lessons, resources, enrollments, reviews, Q&A
      return { course, files };
    });
    await deleteFiles(files);
    return course;
  }

  // ---- resources -----------------------------------------------------------------------

  /** Attaches a file to the course, or to one of its lessons when lessonId is given. */
  async function addResource(courseId: string, lessonId: string | null, input: ResourceInput, file: UploadedFile | undefined): Promise<CourseResource> {
    if (lessonId) await findLesson(courseId, lessonId);
    else await find(courseId);
    const stored = await storeResource(storage, input.kind, file);
    try {
      return await CourseResource.query(knex).insertAndFetch({
        courseId, lessonId, title: input.title, kind: input.kind, fileKey: stored.key, contentType: stored.contentType, sizeBytes: stored.size,
      } as Partial<CourseResource>);
    } catch (error) {
      await deleteFiles([stored.key]);
      throw error;
    }
  }

  async function findResource(courseId: string, resourceId: string): Promise<CourseResource> {
    const resource = await CourseResource.query(knex).findById(resourceId).where({ courseId });
    if (!resource) throw new NotFoundError();
    return resource;
  }

  async function deleteResource(courseId: string, resourceId: string): Promise<CourseResource> {
    const resource = await findResource(courseId, resourceId);
    await CourseResource.query(knex).deleteById(resource.id);
    await deleteFiles([resource.fileKey]);
    return resource;
  }

  return {
    list, find, loadEditor, mentorUsernames, create, update, unpublish, deletionSummary, deleteCourse,
    ...media,
    ...publication,
    ...curriculum,
    addResource, findResource, deleteResource,
  };
}

export type CourseAdminService = ReturnType<typeof courseAdminService>;
