// Enrollment in a course (seed 001). One function for every way in: a free course
// from its page ('free'), a successful payment ('payment', called by the payments
// feature inside its own transaction) or an admin ('admin'). Enrolling twice is
// not an error: the existing enrollment is returned.
import type { Knex } from 'knex';
import { ForbiddenError, NotFoundError } from '../lib/errors.ts';
import { Enrollment, type Course } from './model.ts';

export type EnrollmentSource = Enrollment['source'];

export interface EnrollResult {
  enrollment: Enrollment;
  /** False when the user was already enrolled. */
  created: boolean;
}

export function enrollmentService(deps: { knex: Knex }) {
  const { knex } = deps;

  /**
   * Enrolls `user` in `course`. Only published courses take students; a 'free'
   * enrollment needs a course whose price is 0 (a paid course comes in through
   * 'payment' once the payment is confirmed). Pass `db` to run inside the caller's
   * transaction (the payment webhook records the payment and the enrollment together).
   */
  async function enroll(user: { id: string }, course: Pick<Course, 'id'>, source: EnrollmentSource, db?: Knex.Transaction): Promise<EnrollResult> {
    const run = async (trx: Knex.Transaction): Promise<EnrollResult> => {
      // The row lock serialises enrollments of one course, so the students_count
      // trigger of each one counts the rows committed before it (exact under load).
      const row = await trx('courses').where({ id: course.id }).forNoKeyUpdate().first<{ published: boolean; priceCents: number } | undefined>('published', 'priceCents');
      if (!row || !row.published) throw new NotFoundError();
      if (source === 'free' && row.priceCents > 0) throw new ForbiddenError('courses.enroll.paidOnly');
      const [inserted] = await trx('enrollments')
        .insert({ courseId: course.id, userId: user.id, source })
        .onConflict(['courseId', 'userId']).ignore()
        .returning('*') as Partial<Enrollment>[];
      if (inserted) return { enrollment: Enrollment.fromJson(inserted), created: true };
      const existing = await Enrollment.query(trx).where({ courseId: course.id, userId: user.id }).first();
      if (!existing) throw new NotFoundError(); // the course went away meanwhile
      return { enrollment: existing, created: false };
    };
    return db ? run(db) : knex.transaction(run);
  }

  async function isEnrolled(userId: string, courseId: string, db: Knex = knex): Promise<boolean> {
    return Boolean(await db('enrollments').where({ userId, courseId }).first('id'));
  }

  return { enroll, isEnrolled };
}

export type EnrollmentService = ReturnType<typeof enrollmentService>;
