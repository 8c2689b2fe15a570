// Admin course editing (seed 001): courses, their modules and lessons in order, media
// and resources. Positions stay 1..n inside one parent: every change of order runs in
// one transaction with the parent row locked (the unique (parent, position)
// constraints are deferred, so a swap may pass through a duplicate). Stored files are
// deleted only after the transaction that stopped pointing at them has committed.
import crypto from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import type { Knex } from 'knex';
import { NotFoundError, PG, pgCode, pgConstraint } from '../lib/errors.ts';
import { IMAGE_CONTENT_TYPES, IMAGE_MAX_BYTES } from '../lib/images.ts';
import type { Storage } from '../lib/storage.ts';
import { User } from '../users/model.ts';
import { Course, CourseModule, CourseResource, Lesson, RESOURCE_KINDS } from './model.ts';
import { sanitizeDescription } from './sanitize.ts';
import { SLUG_MAX, type CourseInput, type LessonInput, type NewLessonInput, type ResourceInput } from './schemas.ts';

const MB = 1024 * 1024;

/** Upload limits. Mutable on purpose: a test may lower them before building its app. */
export const COURSE_UPLOAD_LIMITS = {
  imageBytes: IMAGE_MAX_BYTES,
  videoBytes: 200 * MB,
  resourceBytes: 50 * MB,
};

export type UploadReason = 'missing' | 'tooLarge' | 'type';

export class UploadRejectedError extends Error {
  constructor(readonly reason: UploadReason) {
    super(`upload rejected: ${reason}`);
  }
}

/** A typed slug that another course already uses. */
export class SlugTakenError extends Error {
  constructor() {
    super('slug taken');
  }
}

/** Usernames that are not active mentors. */
export class UnknownEducatorsError extends Error {
  constructor(readonly usernames: string[]) {
    super('unknown educators');
  }
}

export interface UploadedFile {
  buffer: Buffer;
  size: number;
  originalname?: string;
}

export type CourseImageSlot = 'thumbnail' | 'header';
export type MoveDirection = 'up' | 'down';

// ---- slugs ----------------------------------------------------------------------------

/** "Les Fenêtres de WinDev 26 !" → "les-fenetres-de-windev-26"; lowercase ASCII, dashes. */
export function slugify(title: string, max = SLUG_MAX): string {
  const ascii = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .replace(/ø/g, 'o')
    .replace(/đ/g, 'd')
    .replace(/ł/g, 'l')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  let slug = ascii.slice(0, max).replace(/-+$/, '');
  // Cut at a word boundary when the title was longer than the room left.
  if (ascii.length > max && ascii[max] !== '-' && slug.includes('-')) slug = slug.slice(0, slug.lastIndexOf('-'));
  return slug || 'course';
}

// ---- uploads: the type comes from the bytes, the key is random ------------------------

const VIDEO_TYPES: Record<string, { ext: string; mime: string }> = {
  'video/mp4': { ext: 'mp4', mime: 'video/mp4' },
  'video/x-m4v': { ext: 'mp4', mime: 'video/mp4' },
  'video/webm': { ext: 'webm', mime: 'video/webm' },
};

const IMAGE_TYPES: Record<string, string> = Object.fromEntries(Object.entries(IMAGE_CONTENT_TYPES).map(([ext, mime]) => [mime, ext]));

const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
const ODP = 'application/vnd.oasis.opendocument.presentation';

/** What a resource of each kind may be, by the type read from its bytes. */
function resourceType(kind: ResourceInput['kind'], detected: { ext: string; mime: string } | undefined, originalName: string | undefined): { ext: string; mime: string } | undefined {
  const mime = detected?.mime;
  switch (kind) {
    case 'pdf':
      return mime === 'application/pdf' ? { ext: 'pdf', mime } : undefined;
    case 'source':
      return mime === 'application/zip' ? { ext: 'zip', mime } : undefined;
    case 'slides': {
      if (mime === 'application/pdf') return { ext: 'pdf', mime };
      if (mime === PPTX) return { ext: 'pptx', mime };
      if (mime === ODP) return { ext: 'odp', mime };
      // pptx and odp are zip files; file-type cannot always tell which. The bytes say
      // "zip", the name's extension (never the name itself) picks between the two.
      if (mime === 'application/zip') {
        const ext = /\.(pptx|odp)$/i.exec(originalName ?? '')?.[1]?.toLowerCase();
        if (ext === 'pptx') return { ext, mime: PPTX };
        if (ext === 'odp') return { ext, mime: ODP };
      }
      return undefined;
    }
    case 'other':
      if (detected && /^[a-z0-9]{2,5}$/.test(detected.ext)) return detected;
      return { ext: 'bin', mime: 'application/octet-stream' };
  }
}

function checkPresentAndSize(file: UploadedFile | undefined, maxBytes: number): asserts file is UploadedFile {
  if (!file || file.size === 0) throw new UploadRejectedError('missing');
  if (file.size > maxBytes) throw new UploadRejectedError('tooLarge');
}

/** src/lib/images.ts storeImage's checks, under `courses/` (its folder type has no 'courses'). */
export async function storeCourseImage(storage: Storage, file: UploadedFile | undefined): Promise<string> {
  checkPresentAndSize(file, COURSE_UPLOAD_LIMITS.imageBytes);
  const detected = await fileTypeFromBuffer(file.buffer);
  const ext = detected && IMAGE_TYPES[detected.mime];
  if (!ext) throw new UploadRejectedError('type');
  const key = `courses/${crypto.randomUUID()}.${ext}`;
  await storage.put(key, file.buffer);
  return key;
}

/** An mp4 or webm video (read from the bytes), stored under `videos/`. */
export async function storeVideo(storage: Storage, file: UploadedFile | undefined): Promise<string> {
  checkPresentAndSize(file, COURSE_UPLOAD_LIMITS.videoBytes);
  const detected = await fileTypeFromBuffer(file.buffer);
  const type = detected && VIDEO_TYPES[detected.mime];
  if (!type) throw new UploadRejectedError('type');
  const key = `videos/${crypto.randomUUID()}.${type.ext}`;
  await storage.put(key, file.buffer);
  return key;
}

export async function storeResource(storage: Storage, kind: ResourceInput['kind'], file: UploadedFile | undefined): Promise<{ key: string; contentType: string; size: number }> {
  checkPresentAndSize(file, COURSE_UPLOAD_LIMITS.resourceBytes);
  const type = resourceType(kind, await fileTypeFromBuffer(file.buffer), file.originalname);
  if (!type) throw new UploadRejectedError('type');
  const key = `resources/${crypto.randomUUID()}.${type.ext}`;
  await storage.put(key, file.buffer);
  return { key, contentType: type.mime, size: file.size };
}

// ---- the service -----------------------------------------------------------------------

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
  price: string;
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

type Deps = { knex: Knex; storage: Storage; logger?: { warn(obj: object, msg: string): void } };

export function courseAdminService(deps: Deps) {
  const { knex, storage } = deps;

  /** Deletes stored files once nothing points at them; a failure is logged, never fatal. */
  async function deleteFiles(keys: (string | null | undefined)[]): Promise<void> {
    const results = await Promise.allSettled(keys.filter((k): k is string => !!k).map((k) => storage.delete(k)));
    for (const r of results) if (r.status === 'rejected') deps.logger?.warn({ err: r.reason }, 'course file not deleted');
  }

  async function list(): Promise<CourseListRow[]> {
    const rows = await knex('courses')
      .select('id', 'slug', 'title', 'published', 'level', 'studentsCount', 'ratingAverage', 'ratingCount', 'price', 'currency', 'updatedAt')
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
      price: input.price,
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

  async function setPublished(id: string, published: boolean): Promise<Course> {
    const course = await find(id);
    return course.$query(knex).patchAndFetch({ published } as Partial<Course>);
  }

  // ---- deletion ------------------------------------------------------------------------

  /** The storage keys in one column of a query's rows (pluck() misses the camelCase mapping). */
  async function keysOf(query: Knex.QueryBuilder, column: string): Promise<string[]> {
    const prop = column.split('.').pop()!;
    const rows = (await query.whereNotNull(column).select(column)) as Record<string, string>[];
    return rows.map((r) => r[prop]).filter((k): k is string => typeof k === 'string');
  }

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

  // ---- course media ----------------------------------------------------------------------

  const imageColumn = (slot: CourseImageSlot) => (slot === 'thumbnail' ? 'thumbnailKey' : 'headerKey');

  /** Stores the new file first, points the row at it, then drops the old file. */
  async function replaceFile(id: string, column: 'thumbnailKey' | 'headerKey' | 'introVideoKey', store: () => Promise<string>): Promise<void> {
    await find(id);
    const key = await store();
    let previous: string | null;
    try {
      previous = await knex.transaction(async (trx) => {
        const course = await Course.query(trx).findById(id).forUpdate();
        if (!course) throw new NotFoundError();
        await trx('courses').where({ id }).update({ [column]: key, updatedAt: new Date() });
        return course[column];
      });
    } catch (error) {
      await deleteFiles([key]);
      throw error;
    }
    await deleteFiles([previous]);
  }

  async function replaceImage(id: string, slot: CourseImageSlot, file: UploadedFile | undefined): Promise<void> {
    await replaceFile(id, imageColumn(slot), () => storeCourseImage(storage, file));
  }

  async function replaceIntroVideo(id: string, file: UploadedFile | undefined): Promise<void> {
    await replaceFile(id, 'introVideoKey', () => storeVideo(storage, file));
  }

  async function removeMedia(id: string, slot: CourseImageSlot | 'introVideo'): Promise<void> {
    const column = slot === 'introVideo' ? 'introVideoKey' : imageColumn(slot);
    const previous = await knex.transaction(async (trx) => {
      const course = await Course.query(trx).findById(id).forUpdate();
      if (!course) throw new NotFoundError();
      await trx('courses').where({ id }).update({ [column]: null, updatedAt: new Date() });
      return course[column];
    });
    await deleteFiles([previous]);
  }

  // ---- order -------------------------------------------------------------------------------

  type Ordered = { table: 'course_modules'; parent: 'course_id' } | { table: 'lessons'; parent: 'module_id' };
  const MODULES: Ordered = { table: 'course_modules', parent: 'course_id' };
  const LESSONS: Ordered = { table: 'lessons', parent: 'module_id' };

  /** Sets positions 1..n in the given order (only the rows that change are written). */
  async function renumber(trx: Knex.Transaction, { table }: Ordered, ids: string[]): Promise<void> {
    if (!ids.length) return;
    // Array literals: knex would spread a JS array into a list of placeholders. The ids
    // come from the database (uuids), the positions are integers.
    await trx.raw(
      `update ${table} as t set position = v.position
       from unnest(?::uuid[], ?::int[]) as v(id, position)
       where t.id = v.id and t.position <> v.position`,
      [`{${ids.join(',')}}`, `{${ids.map((_, i) => i + 1).join(',')}}`],
    );
  }

  async function siblings(trx: Knex.Transaction, { table, parent }: Ordered, parentId: string): Promise<string[]> {
    const rows = await trx.raw(`select id from ${table} where ${parent} = ? order by position, id`, [parentId]);
    return (rows.rows as { id: string }[]).map((r) => r.id);
  }

  /** Swaps a row with its neighbour; at the edge nothing moves. Positions end up 1..n. */
  async function move(trx: Knex.Transaction, ordered: Ordered, parentId: string, id: string, direction: MoveDirection): Promise<void> {
    const ids = await siblings(trx, ordered, parentId);
    const index = ids.indexOf(id);
    if (index < 0) throw new NotFoundError();
    const other = direction === 'up' ? index - 1 : index + 1;
    if (other >= 0 && other < ids.length) [ids[index], ids[other]] = [ids[other]!, ids[index]!];
    await renumber(trx, ordered, ids);
  }

  async function nextPosition(trx: Knex.Transaction, { table, parent }: Ordered, parentId: string): Promise<number> {
    const row = await trx.raw(`select coalesce(max(position), 0) + 1 as next from ${table} where ${parent} = ?`, [parentId]);
    return Number((row.rows as { next: number }[])[0]?.next ?? 1);
  }

  const lockCourse = async (trx: Knex.Transaction, courseId: string) => {
    if (!(await trx('courses').where({ id: courseId }).forUpdate().first('id'))) throw new NotFoundError();
  };

  /** Locks the module (the parent of lesson positions) after checking it belongs to the course. */
  const lockModule = async (trx: Knex.Transaction, courseId: string, moduleId: string): Promise<CourseModule> => {
    const module = await CourseModule.query(trx).findById(moduleId).where({ courseId }).forUpdate();
    if (!module) throw new NotFoundError();
    return module;
  };

  // ---- modules -------------------------------------------------------------------------

  async function addModule(courseId: string, title: string): Promise<CourseModule> {
    return knex.transaction(async (trx) => {
      await lockCourse(trx, courseId);
      const position = await nextPosition(trx, MODULES, courseId);
      return CourseModule.query(trx).insertAndFetch({ courseId, title, position } as Partial<CourseModule>);
    });
  }

  async function findModule(courseId: string, moduleId: string): Promise<CourseModule> {
    const module = await CourseModule.query(knex).findById(moduleId).where({ courseId });
    if (!module) throw new NotFoundError();
    return module;
  }

  async function renameModule(courseId: string, moduleId: string, title: string): Promise<void> {
    const module = await findModule(courseId, moduleId);
    await module.$query(knex).patch({ title } as Partial<CourseModule>);
  }

  async function moveModule(courseId: string, moduleId: string, direction: MoveDirection): Promise<void> {
    await knex.transaction(async (trx) => {
      await lockCourse(trx, courseId);
      await move(trx, MODULES, courseId, moduleId, direction);
    });
  }

  async function deleteModule(courseId: string, moduleId: string): Promise<void> {
    const files = await knex.transaction(async (trx) => {
      await lockCourse(trx, courseId);
      await lockModule(trx, courseId, moduleId);
      const lessonIds = trx('lessons').where({ moduleId }).select('id');
      const [videos, resources] = await Promise.all([
        keysOf(trx('lessons').where({ moduleId }), 'videoKey'),
        keysOf(trx('courseResources').whereIn('lessonId', lessonIds), 'fileKey'),
      ]);
      await trx('courseModules').where({ id: moduleId }).delete();
      await renumber(trx, MODULES, await siblings(trx, MODULES, courseId));
      return [...videos, ...resources];
    });
    await deleteFiles(files);
  }

  // ---- lessons -------------------------------------------------------------------------

  async function addLesson(courseId: string, moduleId: string, input: NewLessonInput): Promise<Lesson> {
    return knex.transaction(async (trx) => {
      await lockModule(trx, courseId, moduleId);
      const position = await nextPosition(trx, LESSONS, moduleId);
      return Lesson.query(trx).insertAndFetch({ moduleId, title: input.title, durationSeconds: input.duration, position } as Partial<Lesson>);
    });
  }

  /** A lesson of this course (through its module), with its module and resources. */
  async function findLesson(courseId: string, lessonId: string): Promise<Lesson> {
    const lesson = await Lesson.query(knex)
      .findById(lessonId)
      .whereExists(CourseModule.query().whereColumn('courseModules.id', 'lessons.moduleId').where('courseModules.courseId', courseId))
      .withGraphFetched('[module, resources]')
      .modifyGraph('resources', (b) => b.orderBy('createdAt'));
    if (!lesson) throw new NotFoundError();
    return lesson;
  }

  async function updateLesson(courseId: string, lessonId: string, input: LessonInput): Promise<void> {
    const lesson = await findLesson(courseId, lessonId);
    await Lesson.query(knex).findById(lesson.id).patch({
      title: input.title, description: input.description, durationSeconds: input.duration, freePreview: input.freePreview,
    } as Partial<Lesson>);
  }

  async function moveLesson(courseId: string, lessonId: string, direction: MoveDirection): Promise<Lesson> {
    const lesson = await findLesson(courseId, lessonId);
    await knex.transaction(async (trx) => {
      await lockModule(trx, courseId, lesson.moduleId);
      await move(trx, LESSONS, lesson.moduleId, lesson.id, direction);
    });
    return lesson;
  }

  async function deleteLesson(courseId: string, lessonId: string): Promise<Lesson> {
    const lesson = await findLesson(courseId, lessonId);
    const files = await knex.transaction(async (trx) => {
      await lockModule(trx, courseId, lesson.moduleId);
      const current = await Lesson.query(trx).findById(lesson.id);
      if (!current) throw new NotFoundError();
      const resources = await keysOf(trx('courseResources').where({ lessonId: lesson.id }), 'fileKey');
      await trx('lessons').where({ id: lesson.id }).delete();
      await renumber(trx, LESSONS, await siblings(trx, LESSONS, lesson.moduleId));
      return [current.videoKey, ...resources];
    });
    await deleteFiles(files);
    return lesson;
  }

  async function replaceLessonVideo(courseId: string, lessonId: string, file: UploadedFile | undefined): Promise<void> {
    const lesson = await findLesson(courseId, lessonId);
    const key = await storeVideo(storage, file);
    let previous: string | null;
    try {
      previous = await knex.transaction(async (trx) => {
        const current = await Lesson.query(trx).findById(lesson.id).forUpdate();
        if (!current) throw new NotFoundError();
        await trx('lessons').where({ id: lesson.id }).update({ videoKey: key });
        return current.videoKey;
      });
    } catch (error) {
      await deleteFiles([key]);
      throw error;
    }
    await deleteFiles([previous]);
  }

  async function removeLessonVideo(courseId: string, lessonId: string): Promise<void> {
    const lesson = await findLesson(courseId, lessonId);
    const previous = await knex.transaction(async (trx) => {
      const current = await Lesson.query(trx).findById(lesson.id).forUpdate();
      if (!current) throw new NotFoundError();
      await trx('lessons').where({ id: lesson.id }).update({ videoKey: null });
      return current.videoKey;
    });
    await deleteFiles([previous]);
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
    list, find, loadEditor, mentorUsernames, create, update, setPublished, deletionSummary, deleteCourse,
    replaceImage, replaceIntroVideo, removeMedia,
    addModule, findModule, renameModule, moveModule, deleteModule,
    addLesson, findLesson, updateLesson, moveLesson, deleteLesson, replaceLessonVideo, removeLessonVideo,
    addResource, findResource, deleteResource,
  };
}

export type CourseAdminService = ReturnType<typeof courseAdminService>;
export { RESOURCE_KINDS };
