// The public side of courses (seed 001): the catalogue of published courses, a
// course with its curriculum, and one lesson in its course. Drafts are visible to
// their educators and the admin only, as a preview.
import type { Knex } from 'knex';
import { NotFoundError } from '../lib/errors.ts';
import { keysetPage, type KeysetOrder, type KeysetPage } from '../lib/keyset.ts';
import type { CatalogSearch } from './schemas.ts';
import { Course, CourseResource, Lesson } from './model.ts';

export const COURSES_PAGE_SIZE = 12;

export interface CatalogPage {
  courses: Course[];
  total: number;
  page: number;
  pages: number;
}

/** Who is looking: anonymous, a user, or the shadow admin (no users row). */
export interface Viewer {
  id: string;
  role: 'student' | 'mentor' | 'admin';
}

/** A lesson placed in its course: its module and its rank in the whole course. */
export interface PlacedLesson {
  lesson: Lesson;
  moduleTitle: string;
  index: number;
}

const TSQUERY = `(websearch_to_tsquery('french', immutable_unaccent(?)) || websearch_to_tsquery('english', immutable_unaccent(?)))`;
const RANK = `ts_rank(courses.search_vector, ${TSQUERY}) + word_similarity(immutable_unaccent(lower(?)), immutable_unaccent(lower(courses.title)))`;

export function catalogService(deps: { knex: Knex }) {
  const { knex } = deps;

  /** The catalogue's filters, once: the numbered pages and the API's cursor pages. */
  function filtered(input: CatalogSearch) {
    const query = Course.query(knex).modify('published');
    const q = input.q?.trim();
    if (q) {
      query.where((w) =>
        w.whereRaw(`courses.search_vector @@ ${TSQUERY}`, [q, q])
          .orWhereRaw('immutable_unaccent(lower(?)) <% immutable_unaccent(lower(courses.title))', [q]),
      );
    }
    if (input.level) query.where('courses.level', input.level);
    if (input.version) query.whereRaw('courses.compatibility @> array[?]::text[]', [input.version]);
    if (input.free) query.where('courses.priceCents', 0);
    if (input.minPrice !== undefined) query.where('courses.priceCents', '>=', input.minPrice);
    if (input.maxPrice !== undefined) query.where('courses.priceCents', '<=', input.maxPrice);
    return query;
  }

  /** The same search by cursor (the API): best match first when searching, else newest. */
  async function searchAfter(input: Omit<CatalogSearch, 'page'>, page: { limit: number; cursor?: string }): Promise<KeysetPage<Course>> {
    const q = input.q?.trim();
    const order: KeysetOrder = q
      ? { name: 'relevance', expr: RANK, bindings: [q, q, q], dir: 'desc', type: 'real', id: 'courses.id' }
      : { name: 'newest', expr: 'courses.created_at', dir: 'desc', type: 'timestamptz', id: 'courses.id' };
    return keysetPage(filtered(input).select('courses.*'), order, page);
  }

  /** A published course by id or slug, as anyone may see it. */
  async function findPublished(idOrSlug: string): Promise<Course> {
    const byId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrSlug);
    const slug = byId ? (await knex('courses').where({ id: idOrSlug }).first<{ slug: string } | undefined>('slug'))?.slug : idOrSlug;
    if (!slug) throw new NotFoundError();
    return findBySlug(slug);
  }

  /**
   * Published courses matching the filters, newest first (best match first when
   * searching). The text search is the skills catalogue's: French and English
   * stemming without accents, or a close spelling of a word of the title.
   */
  async function search(input: CatalogSearch & { page: number }): Promise<CatalogPage> {
    const query = filtered(input);
    const q = input.q?.trim();
    const total = Number(((await query.clone().count({ n: '*' }).first()) as unknown as { n: number }).n);
    const pages = Math.max(1, Math.ceil(total / COURSES_PAGE_SIZE));
    const current = Math.min(Math.max(1, input.page), pages);
    if (q) {
      query.orderByRaw(`${RANK} desc`, [q, q, q]);
    }
    const courses = await query
      .orderBy('courses.createdAt', 'desc').orderBy('courses.id')
      .limit(COURSES_PAGE_SIZE).offset((current - 1) * COURSES_PAGE_SIZE);
    return { courses, total, page: current, pages };
  }

  /** Every version some published course is compatible with, for the filter's choices. */
  async function compatibilityVersions(): Promise<string[]> {
    const rows = await knex('courses').where('published', true)
      .distinct(knex.raw('unnest(compatibility) as version')).orderBy('version') as { version: string }[];
    return rows.map((r) => r.version);
  }

  async function isEducator(courseId: string, userId: string, db: Knex = knex): Promise<boolean> {
    return Boolean(await db('courseEducators').where({ courseId, mentorId: userId }).first());
  }

  /**
   * A course by its slug with modules and lessons in order, educators and the
   * course-level resources. Unpublished courses exist only for their educators and
   * the admin.
   */
  async function findBySlug(slug: string, viewer?: Viewer): Promise<Course> {
    const course = await Course.query(knex).where('slug', slug.toLowerCase()).first()
      .withGraphFetched('[modules(ordered).lessons(ordered), educators(active), resources(courseLevel)]')
      .modifiers({
        ordered: (q) => q.orderBy('position'),
        active: (q) => q.whereNull('users.disabledAt').orderBy('users.displayName'),
        courseLevel: (q) => q.whereNull('lessonId').orderBy('createdAt'),
      });
    if (!course) throw new NotFoundError();
    if (!course.published && !(viewer && (viewer.role === 'admin' || course.educators?.some((e) => e.id === viewer.id)))) throw new NotFoundError();
    return course;
  }

  /** The lessons of a loaded course in reading order. */
  function lessonsOf(course: Course): PlacedLesson[] {
    const placed: PlacedLesson[] = [];
    for (const m of course.modules ?? []) {
      for (const lesson of m.lessons ?? []) placed.push({ lesson, moduleTitle: m.title, index: placed.length });
    }
    return placed;
  }

  /** A lesson of this course (a lesson of another course is not found here). */
  function lessonIn(course: Course, lessonId: string): PlacedLesson {
    const found = lessonsOf(course).find((p) => p.lesson.id === lessonId);
    if (!found) throw new NotFoundError();
    return found;
  }

  async function lessonResources(lessonId: string): Promise<CourseResource[]> {
    return CourseResource.query(knex).where({ lessonId }).orderBy('createdAt');
  }

  /** A lesson with its course, from the lesson id alone (for notifications and mail). */
  async function lessonWithCourse(lessonId: string, db: Knex = knex): Promise<{ lesson: Lesson; course: Course } | undefined> {
    const lesson = await Lesson.query(db).findById(lessonId).withGraphFetched('module.course');
    const course = (lesson?.module as { course?: Course } | undefined)?.course;
    return lesson && course ? { lesson, course } : undefined;
  }

  return { search, searchAfter, findPublished, compatibilityVersions, findBySlug, lessonsOf, lessonIn, lessonResources, lessonWithCourse, isEducator };
}

export type CatalogService = ReturnType<typeof catalogService>;

/** "4:05", "1:02:05": a lesson length as players show it. */
export function clockDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** File sizes in the viewer's language: "850 KB", "12.4 MB". */
export function byteSize(bytes: number, locale: 'fr' | 'en'): string {
  const units = locale === 'fr' ? ['o', 'Ko', 'Mo', 'Go'] : ['B', 'KB', 'MB', 'GB'];
  let value = Number(bytes);
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const text = new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: unit ? 1 : 0 }).format(value);
  return `${text}\u00a0${units[unit]}`;
}
