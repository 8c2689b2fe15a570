// A student's progress through a course (issue 12): which lessons they finished,
// "x of n done", and where to go on. A lesson is done when the player saw 90 % of it
// or the student said so; only a student with a seat in the course (enrolled,
// teaching it, or covered by a subscription) records progress: the lookup that
// finds the lesson is the authorization check (404 otherwise).
import type { Knex } from 'knex';
import { ConflictError, NotFoundError } from '../lib/errors.ts';
import type { SubscriptionCheck } from './access.ts';
import type { PlacedLesson, Viewer } from './catalog-service.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Where a student stands in one course. */
export interface CourseProgress {
  done: number;
  total: number;
  doneIds: Set<string>;
  /** The first lesson not done; the first lesson when all are done (to review). */
  nextLessonId: string | undefined;
  state: 'start' | 'continue' | 'review';
}

/** One line of "My courses". */
export interface MyCourse {
  id: string;
  slug: string;
  title: string;
  subtitle: string | null;
  thumbnailKey: string | null;
  level: string;
  lessonCount: number;
  doneCount: number;
  nextLessonId: string | null;
  firstLessonId: string | null;
  state: CourseProgress['state'];
}

export function stateOf(done: number, total: number): CourseProgress['state'] {
  if (done === 0) return 'start';
  return done >= total ? 'review' : 'continue';
}

export function progressService(deps: { knex: Knex; subscriptions: SubscriptionCheck }) {
  const { knex, subscriptions } = deps;

  /** The lesson of the published course `slug`, if `viewer` has a seat in that course. */
  async function seatedLesson(viewer: Viewer, slug: string, lessonId: string): Promise<{ lessonId: string; courseId: string }> {
    // The shadow admin has no users row to keep progress for.
    if (viewer.role === 'admin' || !UUID.test(lessonId) || !UUID.test(viewer.id)) throw new NotFoundError();
    const row = await knex('lessons')
      .join('courseModules', 'courseModules.id', 'lessons.moduleId')
      .join('courses', 'courses.id', 'courseModules.courseId')
      .where('lessons.id', lessonId).where('courses.slug', slug.toLowerCase()).where('courses.published', true)
      .first<{ lessonId: string; courseId: string; includedInSubscription: boolean; member: boolean } | undefined>(
        'lessons.id as lessonId', 'courses.id as courseId', 'courses.includedInSubscription',
        knex.raw(
          '(exists (select 1 from enrollments e where e.course_id = courses.id and e.user_id = ?) or exists (select 1 from course_educators ce where ce.course_id = courses.id and ce.mentor_id = ?)) as member',
          [viewer.id, viewer.id],
        ),
      );
    if (!row) throw new NotFoundError();
    if (!row.member && !(row.includedInSubscription && (await subscriptions.covers(viewer.id)))) throw new NotFoundError();
    return { lessonId: row.lessonId, courseId: row.courseId };
  }

  /** Marks the lesson done; doing it again (or 100 times at once) keeps the first row. */
  async function complete(viewer: Viewer, slug: string, lessonId: string): Promise<{ completedAt: Date; created: boolean }> {
    const lesson = await seatedLesson(viewer, slug, lessonId);
    const row = { userId: viewer.id, lessonId: lesson.lessonId };
    // A "not done" that crossed this request may delete the row between the two
    // statements: then it is inserted once more (a 409 if that is undone again).
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const [inserted] = await knex('lessonProgress').insert(row).onConflict(['userId', 'lessonId']).ignore().returning('completedAt') as { completedAt: Date }[];
      if (inserted) return { completedAt: inserted.completedAt, created: true };
      const existing = await knex('lessonProgress').where(row).first<{ completedAt: Date } | undefined>('completedAt');
      if (existing) return { completedAt: existing.completedAt, created: false };
    }
    throw new ConflictError('errors.conflict');
  }

  async function uncomplete(viewer: Viewer, slug: string, lessonId: string): Promise<void> {
    const lesson = await seatedLesson(viewer, slug, lessonId);
    await knex('lessonProgress').where({ userId: viewer.id, lessonId: lesson.lessonId }).delete();
  }

  /** Progress over the lessons of a loaded course, in reading order. */
  async function ofCourse(userId: string, lessons: PlacedLesson[]): Promise<CourseProgress> {
    const ids = lessons.map((p) => p.lesson.id);
    const rows = ids.length && UUID.test(userId)
      ? await knex('lessonProgress').where({ userId }).whereIn('lessonId', ids).select<{ lessonId: string }[]>('lessonId')
      : [];
    const doneIds = new Set(rows.map((r) => r.lessonId));
    const next = lessons.find((p) => !doneIds.has(p.lesson.id)) ?? lessons[0];
    return { done: doneIds.size, total: lessons.length, doneIds, nextLessonId: next?.lesson.id, state: stateOf(doneIds.size, lessons.length) };
  }

  /**
   * Every published course the user is enrolled in (free, bought or given), and the
   * subscription courses they started while their subscription covers them; the
   * courses worked on last come first.
   */
  async function myCourses(userId: string): Promise<MyCourse[]> {
    if (!UUID.test(userId)) return [];
    const covered = await subscriptions.covers(userId);
    // The lessons of course `c`, under an alias of their own in each subquery.
    const lessonsOf = (alias: string) => `lessons ${alias} join course_modules m_${alias} on m_${alias}.id = ${alias}.module_id and m_${alias}.course_id = c.id`;
    const rows = await knex.raw(`
      select c.id, c.slug, c.title, c.subtitle, c.thumbnail_key, c.level,
        (select count(*) from ${lessonsOf('la')}) as lesson_count,
        (select count(*) from ${lessonsOf('lb')} join lesson_progress pb on pb.lesson_id = lb.id and pb.user_id = :userId) as done_count,
        (select lc.id from ${lessonsOf('lc')} where not exists (select 1 from lesson_progress pc where pc.lesson_id = lc.id and pc.user_id = :userId)
          order by m_lc.position, lc.position limit 1) as next_lesson_id,
        (select ld.id from ${lessonsOf('ld')} order by m_ld.position, ld.position limit 1) as first_lesson_id,
        (select max(pe.completed_at) from ${lessonsOf('le')} join lesson_progress pe on pe.lesson_id = le.id and pe.user_id = :userId) as last_done_at,
        e.created_at as enrolled_at
      from courses c
      left join enrollments e on e.course_id = c.id and e.user_id = :userId
      where c.published and (e.id is not null or (c.included_in_subscription and :covered and exists (
        select 1 from ${lessonsOf('lf')} join lesson_progress pf on pf.lesson_id = lf.id and pf.user_id = :userId)))
      order by last_done_at desc nulls last, enrolled_at desc nulls last, c.title
      limit 500`, { userId, covered }) as { rows: Record<string, unknown>[] };
    // A raw query's rows keep their snake_case names.
    return rows.rows.map((r) => {
      const lessonCount = Number(r.lesson_count);
      const doneCount = Number(r.done_count);
      const firstLessonId = (r.first_lesson_id as string | null) ?? null;
      return {
        id: String(r.id), slug: String(r.slug), title: String(r.title), subtitle: (r.subtitle as string | null) ?? null,
        thumbnailKey: (r.thumbnail_key as string | null) ?? null, level: String(r.level), lessonCount, doneCount,
        nextLessonId: (r.next_lesson_id as string | null) ?? firstLessonId, firstLessonId,
        state: stateOf(doneCount, lessonCount),
      };
    });
  }

  return { complete, uncomplete, ofCourse, myCourses };
}

export type ProgressService = ReturnType<typeof progressService>;
