// What every booking transition writes besides the row itself: the status history,
// the notices (with their mail jobs), a video room, and how a refused overlap reads.
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { claimConflictUser } from '../lib/calendar.ts';
import { NotFoundError, PG, pgCode, type AppError } from '../lib/errors.ts';
import type { NotificationKind } from '../notifications/service.ts';
import type { Skill } from '../skills/model.ts';
import { findPublicSkill } from '../skills/service.ts';
import type { User } from '../users/model.ts';
import { BookingRuleError, SlotTakenError, StudentBusyError } from './errors.ts';
import { BookingEvent, type Booking, type BookingStatus } from './model.ts';
import type { Actor, BookingEnd, BookingServiceDeps } from './types.ts';

export function bookingWrites(deps: BookingServiceDeps) {
  const { knex, notifications } = deps;

  /**
   * The database refused an overlap (the last word when two requests race past the
   * code's check, e.g. on two instances): whose time it was decides the message.
   */
  function overlapError(error: unknown, studentId: string): AppError | undefined {
    const user = claimConflictUser(error);
    if (user) return user === studentId ? new StudentBusyError() : new SlotTakenError();
    if (pgCode(error) === PG.exclusionViolation) return new SlotTakenError();
    return undefined;
  }

  /**
   * The skill and its mentor in one row on every step of the flow: the skill without its
   * search vector, the mentor as the pages show them (id, name, zone; never users.*).
   * withGraphJoined read every column of both and cost ~10 % of a booking's CPU in objection.
   */
  async function bookableSkill(skillId: string, db: Knex = knex): Promise<Skill & { mentor: User }> {
    const skill = await findPublicSkill(db, skillId);
    if (!skill || !skill.mentor) throw new NotFoundError();
    return skill as Skill & { mentor: User };
  }

  /** The built-in admin is no row in users: it cannot hold a seat or a slot in anyone's calendar. */
  async function requirePerson(studentId: string, db: Knex = knex): Promise<void> {
    if (!(await db('users').where({ id: studentId }).first('id'))) throw new BookingRuleError('notAPerson');
  }

  /**
   * A skill linked to a course is for the course's students only: the
   * student must be enrolled in it.
   */
  async function requireEnrollment(skill: Skill, studentId: string, db: Knex = knex): Promise<void> {
    const courseId = (skill as Skill & { courseId?: string | null }).courseId;
    if (!courseId) return;
    const enrolled = await db('enrollments').where({ courseId, userId: studentId }).first('id');
    if (!enrolled) throw new BookingRuleError('notEnrolled');
  }

  async function record(trx: Knex.Transaction, booking: Booking, status: BookingStatus, actor: Actor | null, note?: string | null) {
    // Every history row is a booking reaching a status (reschedule-service's moves are built without metrics).
    deps.metrics?.bookingTransition(trx, status);
    // Any change of a one-on-one booking may change the mentor's first free slot.
    if (booking.kind === 'one_on_one') await deps.jobs.add(trx, 'refresh-next-free', { mentorId: booking.mentorId }, { jobKey: `next-free:${booking.mentorId}` });
    await BookingEvent.query(trx).insert({ bookingId: booking.id, status, actorId: actor?.id ?? null, actorRole: actor ? (actor.role === 'admin' ? 'system' : actor.role) : 'system', note: note ?? null } as Partial<BookingEvent>);
  }

  /** Notifies one party; the text needs the other party's name, the skill and the time. */
  async function tell(trx: Knex.Transaction, userId: string, kind: NotificationKind, booking: Booking, data: Record<string, unknown> = {}) {
    const otherId = userId === booking.mentorId ? booking.studentId : booking.mentorId;
    // One connection in a transaction: one query at a time.
    const other = await trx('users').where({ id: otherId }).first<{ displayName: string }>('displayName');
    const skill = await trx('skills').where({ id: booking.skillId }).first<{ title: string }>('title');
    await notifications.notify(trx, {
      userId, kind, bookingId: booking.id,
      data: { other: other?.displayName ?? '', skill: skill?.title ?? '', when: booking.startsAt.toISOString(), ...data },
    });
  }

  function meetingUrl(): string {
    return `${deps.meetingBaseUrl.replace(/\/$/, '')}/leboncours-${crypto.randomBytes(9).toString('base64url')}`;
  }

  /** A live booking ends: its money is settled and whatever was scheduled for it (reminders) stops. */
  async function ended(trx: Knex.Transaction, booking: Booking, how: BookingEnd): Promise<void> {
    await deps.money.ended(trx, booking, how);
    await deps.schedule.unscheduled(trx, booking);
  }

  return { overlapError, bookableSkill, requirePerson, requireEnrollment, record, tell, meetingUrl, ended };
}

export type BookingWrites = ReturnType<typeof bookingWrites>;
