// The curriculum of a course: modules in order, lessons in order inside a module,
// and a lesson's video. Positions stay 1..n inside one parent: every change of order
// runs in one transaction with the parent row locked (the unique (parent, position)
// constraints are deferred, so a swap may pass through a duplicate).
import type { Knex } from 'knex';
import { NotFoundError } from '../lib/errors.ts';
import type { Storage } from '../lib/storage.ts';
import { CourseModule, Lesson } from '../courses/model.ts';
import type { LessonInput, NewLessonInput } from './schemas.ts';
import { fileDeleter, keysOf, type FileLogger } from './stored-files.ts';
import { storeVideo, type UploadedFile } from './uploads.ts';

export type MoveDirection = 'up' | 'down';

export function curriculumService(deps: { knex: Knex; storage: Storage; logger?: FileLogger }) {
  const { knex, storage } = deps;
  const deleteFiles = fileDeleter(storage, deps.logger);

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
      return Lesson.query(trx).insertAndFetch({ moduleId, title: input.title, position } as Partial<Lesson>);
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
    // A lesson with a video is a video lesson: "text only" is a choice for lessons without
    // one (the database refuses both at once), and the duration is the video's.
    await knex('lessons').where({ id: lesson.id }).update({
      title: input.title, description: input.description, freePreview: input.freePreview,
      textOnly: knex.raw('?::boolean and video_key is null', [input.textOnly]),
    });
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
    const { key, seconds } = await storeVideo(storage, file);
    let previous: string | null;
    try {
      previous = await knex.transaction(async (trx) => {
        const current = await Lesson.query(trx).findById(lesson.id).forUpdate();
        if (!current) throw new NotFoundError();
        await trx('lessons').where({ id: lesson.id }).update({ videoKey: key, durationSeconds: seconds, textOnly: false });
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
      await trx('lessons').where({ id: lesson.id }).update({ videoKey: null, durationSeconds: 0 });
      return current.videoKey;
    });
    await deleteFiles([previous]);
  }

  return {
    addModule, findModule, renameModule, moveModule, deleteModule,
    addLesson, findLesson, updateLesson, moveLesson, deleteLesson, replaceLessonVideo, removeLessonVideo,
  };
}
