// What a course needs before students see it, checked by the server at the moment
// of publishing (the course row locked, so a lesson deleted meanwhile is seen), and
// shown to the admin as a checklist on the confirmation page.
import type { Knex } from 'knex';
import { AppError, NotFoundError } from '../lib/errors.ts';
import { Course } from '../courses/model.ts';

export type ChecklistKey = 'details' | 'modules' | 'lessons' | 'media' | 'price';

export interface ChecklistItem {
  key: ChecklistKey;
  ok: boolean;
  /** For `media`: the lessons that have neither a video nor the text-only mark. */
  lessons?: { id: string; title: string }[];
}

export interface Checklist {
  items: ChecklistItem[];
  complete: boolean;
}

/** Publishing refused: the checklist says what is missing (422; the handler shows it). */
export class CourseNotReadyError extends AppError {
  readonly status = 422;
  readonly code = 'course_not_ready';
  constructor(readonly checklist: Checklist) {
    super('courses.admin.publish.notReady');
  }
}

const hasText = (html: string) => html.replace(/<[^>]*>/g, '').replace(/&nbsp;/g, ' ').trim() !== '';

/** The checklist of a course loaded with its modules and their lessons. */
export function checklistOf(course: Course): Checklist {
  const modules = course.modules ?? [];
  const lessons = modules.flatMap((m) => m.lessons ?? []);
  const bare = lessons.filter((l) => !l.videoKey && !l.textOnly).map((l) => ({ id: l.id, title: l.title }));
  const items: ChecklistItem[] = [
    { key: 'details', ok: course.title.trim() !== '' && (course.shortDescription.trim() !== '' || hasText(course.descriptionHtml)) },
    { key: 'modules', ok: modules.length > 0 },
    { key: 'lessons', ok: lessons.length > 0 },
    // No lesson, nothing to check here: "at least one lesson" already says what is missing.
    { key: 'media', ok: lessons.length > 0 && bare.length === 0, lessons: bare },
    // The price column cannot be empty: 0 is the explicit "free", shown as such.
    { key: 'price', ok: Number.isInteger(course.priceCents) && course.priceCents >= 0 },
  ];
  return { items, complete: items.every((i) => i.ok) };
}

export function publicationService(deps: { knex: Knex }) {
  const { knex } = deps;

  const withCurriculum = (db: Knex | Knex.Transaction, id: string) =>
    Course.query(db).findById(id).withGraphFetched('modules.lessons')
      .modifyGraph('modules', (b) => b.orderBy('position'))
      .modifyGraph('modules.lessons', (b) => b.orderBy('position'));

  async function checklist(id: string): Promise<{ course: Course; checklist: Checklist }> {
    const course = await withCurriculum(knex, id);
    if (!course) throw new NotFoundError();
    return { course, checklist: checklistOf(course) };
  }

  /** Publishes when every item is ticked; otherwise CourseNotReadyError and nothing changes. */
  async function publish(id: string): Promise<Course> {
    return knex.transaction(async (trx) => {
      // Locked: two publishes, or a publish and the course's deletion, do not interleave.
      if (!(await trx('courses').where({ id }).forUpdate().first('id'))) throw new NotFoundError();
      const course = await withCurriculum(trx, id);
      if (!course) throw new NotFoundError();
      const result = checklistOf(course);
      if (!result.complete) throw new CourseNotReadyError(result);
      return course.$query(trx).patchAndFetch({ published: true } as Partial<Course>);
    });
  }

  return { checklist, publish };
}

export type PublicationService = ReturnType<typeof publicationService>;
