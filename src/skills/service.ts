// Skills: the mentor's catalogue entries (one-on-one skills booked in their hours,
// group sessions at a fixed time with seats) and the public search over them.
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { CLAIMS_CONSTRAINT, lockCalendar } from '../lib/calendar.ts';
import type { Clock } from '../lib/clock.ts';
import { AppError, ConflictError, FieldRuleError, NotFoundError, PG, pgCode, pgConstraint } from '../lib/errors.ts';
import { deleteImage, storeImage } from '../lib/images.ts';
import { keysetPage, type KeysetPage } from '../lib/keyset.ts';
import type { Storage } from '../lib/storage.ts';
import type { QueryBuilder } from 'objection';
import { Skill, type SkillStatus } from './model.ts';
import type { SearchInput, SkillInput } from './schemas.ts';
import { filteredSkills, keysetOrder, relevance, type SearchFilters } from './search-query.ts';

export const PAGE_SIZE = 12;

/** 409: a published group session would overlap the mentor's own sessions (buffers included). */
export class MentorBusyError extends ConflictError {
  override readonly code = 'mentor_busy';
  constructor() {
    super('skills.mentorBusy');
  }
}

/** Seats are sold: the session's time and length are a promise to those students. */
export class SessionTimeLockedError extends AppError {
  readonly status = 422;
  readonly code = 'session_time_locked';
  constructor() {
    super('skills.sessionTimeLocked');
  }
}

/** A paid skill on sale needs a payout account that can take charges (see /payouts). */
export class PayoutAccountRequiredError extends FieldRuleError {
  readonly code = 'payout_account_required';
  constructor() {
    super('price', 'skills.payoutsRequired');
  }
}

/** The course chosen for a course-linked skill is not one students can enrol in. */
export class CourseNotOfferedError extends FieldRuleError {
  readonly code = 'course_not_offered';
  constructor() {
    super('courseId', 'skills.course.invalid');
  }
}

export interface CourseChoice {
  id: string;
  title: string;
  slug: string;
}

/** What the skills feature asks of payments: can this mentor be paid yet? */
export interface PayoutCheck {
  canTakeCharges(mentorId: string): Promise<boolean>;
}

const isClaimOverlap = (error: unknown) => pgCode(error) === PG.exclusionViolation && pgConstraint(error) === CLAIMS_CONSTRAINT;

export interface SearchResult {
  skills: Skill[];
  total: number;
  page: number;
  pages: number;
}

/** A skill as pages and the API show it: never the search vector (its widest column). */
const SKILL_COLUMNS = [
  'id', 'mentorId', 'title', 'description', 'category', 'priceCents', 'currency', 'durations', 'mode', 'status',
  'imageKey', 'startsAt', 'capacity', 'courseId', 'seatsTaken', 'createdAt', 'updatedAt',
].map((c) => `skills.${c}`);
/** A card in a list needs no description. */
const CARD_COLUMNS = SKILL_COLUMNS.filter((c) => c !== 'skills.description');

/**
 * The mentor a card or a skill page shows, joined into the same row rather than
 * fetched as a graph (a second round trip of users.* with the password hash).
 * ratingAverage stays text, as the numeric column reads through pg.
 */
const MENTOR_JSON = `json_build_object('id', mentor.id, 'username', mentor.username, 'displayName', mentor.display_name,
  'avatarKey', mentor.avatar_key, 'city', mentor.city, 'headline', mentor.headline, 'timezone', mentor.timezone,
  'ratingAverage', mentor.rating_average::text, 'ratingCount', mentor.rating_count) as mentor`;

function withMentor<R>(query: QueryBuilder<Skill, R>, knex: Knex): QueryBuilder<Skill, R> {
  return query.join('users as mentor', 'mentor.id', 'skills.mentorId').select(knex.raw(MENTOR_JSON));
}

/**
 * A published skill of an active mentor, with the mentor a page shows, in one row. On `db`:
 * a booking reads it inside its own transaction.
 */
export async function findPublicSkill(db: Knex, id: string): Promise<Skill | undefined> {
  return withMentor(Skill.query(db).modify('public').findById(id).select(SKILL_COLUMNS), db);
}

export function skillsService(deps: { knex: Knex; clock: Clock; storage: Storage; payouts: PayoutCheck }) {
  const { knex } = deps;

  /** Students could not pay for it: refused before anything is written. */
  async function checkPayable(mentorId: string, priceCents: number): Promise<void> {
    if (priceCents > 0 && !(await deps.payouts.canTakeCharges(mentorId))) throw new PayoutAccountRequiredError();
  }

  function toRow(input: SkillInput, mentorZone: string) {
    const startsAt = input.mode === 'group' && input.startsAt ? DateTime.fromISO(input.startsAt, { zone: mentorZone }).toJSDate() : null;
    return {
      title: input.title, description: input.description, category: input.category, priceCents: input.price, mode: input.mode,
      durations: input.mode === 'group' ? input.durations.slice(0, 1) : [...new Set(input.durations)].sort((a, b) => a - b),
      startsAt, capacity: input.mode === 'group' ? (input.capacity ?? null) : null, courseId: input.courseId ?? null,
    };
  }

  /** Courses a skill may be reserved to: the published ones (students can enrol only there). */
  async function publishedCourses(): Promise<CourseChoice[]> {
    return knex('courses').where({ published: true }).orderBy('title').select('id', 'title', 'slug');
  }

  async function courseOf(skill: Pick<Skill, 'courseId'>): Promise<CourseChoice | undefined> {
    if (!skill.courseId) return undefined;
    return knex('courses').where({ id: skill.courseId }).first<CourseChoice | undefined>('id', 'title', 'slug');
  }

  /** Refused before anything is written; a course already linked may stay linked once unpublished. */
  async function checkCourse(courseId: string | undefined, current: string | null = null): Promise<void> {
    if (!courseId || courseId === current) return;
    const course = await knex('courses').where({ id: courseId, published: true }).first('id');
    if (!course) throw new CourseNotOfferedError();
  }

  async function create(mentorId: string, mentorZone: string, input: SkillInput): Promise<Skill> {
    await checkCourse(input.courseId);
    return Skill.query(knex).insertAndFetch({ ...toRow(input, mentorZone), mentorId, status: 'draft' } as Partial<Skill>);
  }

  /** Loaded through the owner: another mentor's skill is simply not found. */
  async function findOwned(mentorId: string, id: string): Promise<Skill> {
    const skill = await Skill.query(knex).where({ mentorId }).findById(id);
    if (!skill) throw new NotFoundError();
    return skill;
  }

  /**
   * A published group session is busy time in the mentor's calendar: it may not meet
   * any of their live bookings, nor come closer to one than their buffer. The claims
   * constraint refuses a plain overlap on its own; the buffer is checked here, under
   * the calendar lock that booking requests take too.
   */
  async function checkSessionFits(trx: Knex.Transaction, skill: Pick<Skill, 'id' | 'mentorId' | 'mode' | 'startsAt' | 'durations' | 'status'>): Promise<void> {
    if (skill.mode !== 'group' || skill.status !== 'published' || !skill.startsAt) return;
    await lockCalendar(trx, skill.mentorId);
    const settings = await trx('mentorSettings').where({ mentorId: skill.mentorId }).first<{ bufferMinutes: number } | undefined>('bufferMinutes');
    const buffer = (settings?.bufferMinutes ?? 0) * 60_000;
    const from = new Date(skill.startsAt.getTime() - buffer);
    const to = new Date(skill.startsAt.getTime() + skill.durations[0]! * 60_000 + buffer);
    const clash = await trx('calendarClaims as c')
      .where('c.userId', skill.mentorId)
      .where((w) => w.whereNull('c.skillId').orWhereNot('c.skillId', skill.id))
      .whereRaw('c.during && tstzrange(?, ?)', [from, to])
      .first('c.id');
    if (clash) throw new MentorBusyError();
  }

  /** Runs a change of a skill; an overlap the database refuses is the mentor's own. */
  async function writeSkill<T>(work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    try {
      return await knex.transaction(work);
    } catch (error) {
      if (isClaimOverlap(error)) throw new MentorBusyError();
      throw error;
    }
  }

  async function update(mentorId: string, id: string, mentorZone: string, input: SkillInput): Promise<Skill> {
    const skill = await findOwned(mentorId, id);
    const row = toRow(input, mentorZone);
    // Seats already sold cannot be taken back by lowering the capacity.
    if (row.capacity !== null && row.capacity < skill.seatsTaken) row.capacity = skill.seatsTaken;
    const moved = row.startsAt?.getTime() !== skill.startsAt?.getTime() || row.durations[0] !== skill.durations[0] || row.mode !== skill.mode;
    if (skill.mode === 'group' && skill.seatsTaken > 0 && moved) throw new SessionTimeLockedError();
    if (skill.status === 'published' && skill.priceCents === 0) await checkPayable(mentorId, row.priceCents);
    await checkCourse(input.courseId, skill.courseId);
    return writeSkill(async (trx) => {
      await checkSessionFits(trx, { ...skill, ...row, id: skill.id, mentorId } as Skill);
      return skill.$query(trx).patchAndFetch(row as Partial<Skill>);
    });
  }

  async function setStatus(mentorId: string, id: string, status: SkillStatus): Promise<Skill> {
    const skill = await findOwned(mentorId, id);
    if (status === 'published' && skill.status !== 'published') await checkPayable(mentorId, skill.priceCents);
    return writeSkill(async (trx) => {
      await checkSessionFits(trx, { ...skill, status } as Skill);
      return skill.$query(trx).patchAndFetch({ status } as Partial<Skill>);
    });
  }

  async function listOwned(mentorId: string): Promise<Skill[]> {
    return Skill.query(knex).where({ mentorId }).orderBy('createdAt', 'desc');
  }

  /**
   * One page of the mentor's skills, newest first, and one more row to tell whether
   * another page follows. `after` is the previous page's last (created_at as PostgreSQL
   * prints it, to the microsecond a JS Date would lose; id): stable under inserts.
   */
  /** A mentor's own skills, newest first, by cursor (drafts and withdrawn ones included). */
  async function listOwnedPage(mentorId: string, page: { limit: number; cursor?: string }): Promise<KeysetPage<Skill>> {
    return keysetPage(Skill.query(knex).where('skills.mentorId', mentorId).select('skills.*'), { name: 'mine', expr: 'skills.created_at', dir: 'desc', type: 'timestamptz', id: 'skills.id', idDir: 'desc' }, page);
  }

  async function findPublic(id: string): Promise<Skill | undefined> {
    return findPublicSkill(knex, id);
  }

  /** A mentor's published skills for their profile: one-on-one first, past group sessions left out. */
  async function listPublicOf(mentorId: string): Promise<Skill[]> {
    const query = Skill.query(knex).modify('public').where('skills.mentorId', mentorId)
      .where((w) => w.where('skills.mode', 'one_on_one').orWhere('skills.startsAt', '>', deps.clock.now()))
      .orderByRaw("skills.mode = 'group', skills.starts_at nulls first, skills.created_at").select(SKILL_COLUMNS);
    return withMentor(query, knex);
  }

  /**
   * One round trip for a page of results: the total rides along as an uncorrelated
   * subquery (planned and run once, apart from the page's own ordered scan). Only a
   * page past the last one needs the count first, to show the last page instead.
   */
  async function search(input: SearchInput): Promise<SearchResult> {
    const q = input.q?.trim();
    const query = filteredSkills(knex, deps.clock.now(), input);
    const counted = query.clone().clearSelect().count('*').toKnexQuery();
    query.select({ searchTotal: counted });
    const sort = input.sort ?? (q ? 'relevance' : 'newest');
    if (sort === 'relevance' && q) {
      const rank = relevance(q);
      query.orderByRaw(`${rank.expr} desc`, rank.bindings);
    } else if (sort === 'price-asc') query.orderBy('skills.priceCents', 'asc');
    else if (sort === 'price-desc') query.orderBy('skills.priceCents', 'desc');
    query.orderBy('skills.createdAt', 'desc').orderBy('skills.id');

    withMentor(query.select(CARD_COLUMNS), knex).limit(PAGE_SIZE);
    const pageOf = async (n: number) => (await query.clone().offset((n - 1) * PAGE_SIZE)) as (Skill & { searchTotal?: number })[];
    let rows = await pageOf(input.page);
    let total: number;
    if (rows.length) total = Number(rows[0]!.searchTotal);
    else {
      total = Number(((await knex.first({ n: counted })) as { n: number }).n);
      const last = Math.max(1, Math.ceil(total / PAGE_SIZE));
      if (input.page > last && total > 0) rows = await pageOf(last);
    }
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const page = Math.min(input.page, pages);
    for (const row of rows) delete row.searchTotal;
    return { skills: rows, total, page, pages };
  }

  /** The same search by cursor (the API): pages after the last skill seen, stable under inserts. */
  async function searchAfter(input: SearchFilters, page: { limit: number; cursor?: string }): Promise<KeysetPage<Skill>> {
    const query = filteredSkills(knex, deps.clock.now(), input).select(SKILL_COLUMNS);
    return keysetPage(query, keysetOrder(input.sort, input.q?.trim()), page);
  }

  /** Replaces the skill's picture; the old file goes once the row points at the new one. */
  async function replaceImage(mentorId: string, id: string, file: { buffer: Buffer; size: number } | undefined): Promise<void> {
    const skill = await findOwned(mentorId, id);
    const previous = skill.imageKey; // read first: patch() updates the instance
    const key = await storeImage(deps.storage, 'skills', file);
    await skill.$query(knex).patch({ imageKey: key } as Partial<Skill>);
    if (previous) await deleteImage(deps.storage, previous).catch(() => undefined);
  }

  async function removeImage(mentorId: string, id: string): Promise<void> {
    const skill = await findOwned(mentorId, id);
    const previous = skill.imageKey;
    await skill.$query(knex).patch({ imageKey: null } as Partial<Skill>);
    if (previous) await deleteImage(deps.storage, previous).catch(() => undefined);
  }

  return { listOwnedPage, create, update, setStatus, listOwned, findOwned, findPublic, listPublicOf, search, searchAfter, replaceImage, removeImage, publishedCourses, courseOf };
}

export type SkillsService = ReturnType<typeof skillsService>;
