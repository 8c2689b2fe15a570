// Seats in group sessions: a seat is a booking of its own (the student's time), the
// session itself is the mentor's time; capacity and one seat per student are atomic.
import type { Knex } from 'knex';
import { claimsOf, withClaimRetry } from '../lib/calendar.ts';
import { NotFoundError, PG, pgCode, pgConstraint } from '../lib/errors.ts';
import { Skill } from '../skills/model.ts';
import type { User } from '../users/model.ts';
import type { BookingWrites } from './booking-writes.ts';
import { AlreadyBookedError, BookingRuleError, SessionFullError, StudentBusyError } from './errors.ts';
import { Booking } from './model.ts';
import type { BookingServiceDeps } from './types.ts';

export function groupSeats(deps: BookingServiceDeps, writes: BookingWrites) {
  const { knex, clock } = deps;
  const { overlapError, bookableSkill, requirePerson, requireEnrollment, record, tell, meetingUrl, ended } = writes;

  /**
   * A seat in a group session: capacity and one seat per student are atomic. A seat
   * with a price is taken only once paid (`paid`, by the payments feature, in `db`).
   */
  async function joinGroup(studentId: string, skillId: string, input: { subject?: string; message?: string }, loaded?: Skill & { mentor: User }, options: { db?: Knex; paid?: boolean } = {}): Promise<Booking> {
    const skill = loaded?.id === skillId ? loaded : await bookableSkill(skillId, options.db);
    if (skill.mode !== 'group' || !skill.startsAt || !skill.capacity) throw new BookingRuleError('notBookable');
    if (skill.mentorId === studentId) throw new BookingRuleError('selfBooking');
    if (skill.startsAt.getTime() <= clock.now().getTime()) throw new BookingRuleError('sessionStarted');
    await requirePerson(studentId, options.db);
    await requireEnrollment(skill, studentId, options.db);
    if (skill.priceCents > 0 && !options.paid) throw new BookingRuleError('paymentRequired');
    const endsAt = new Date(skill.startsAt.getTime() + skill.durations[0]! * 60_000);
    try {
      return await withClaimRetry(options.db ?? knex, async (trx) => {
        if ((await claimsOf(trx, studentId, skill.startsAt!, endsAt)).length) throw new StudentBusyError();
        const taken = await trx('skills').where({ id: skillId }).whereRaw('seats_taken < capacity').increment('seatsTaken', 1);
        if (!taken) throw new SessionFullError();
        const duration = skill.durations[0]!;
        const booking = await Booking.query(trx).insertAndFetch({
          skillId, mentorId: skill.mentorId, studentId, kind: 'group', startsAt: skill.startsAt!, endsAt,
          durationMinutes: duration, status: 'confirmed', subject: input.subject || skill.title, message: input.message ?? null,
          meetingUrl: await groupMeetingUrl(trx, skillId), priceCents: skill.priceCents, currency: skill.currency, expiresAt: null,
        } as Partial<Booking>);
        await deps.conversation?.opened(trx, booking, input.message);
        await record(trx, booking, 'confirmed', { id: studentId, role: 'student' });
        await tell(trx, skill.mentorId, 'booking.booked', booking);
        await tell(trx, studentId, 'booking.confirmed', booking);
        await deps.schedule.scheduled(trx, booking);
        return booking;
      });
    } catch (error) {
      if (pgCode(error) === PG.uniqueViolation && pgConstraint(error) === 'bookings_one_seat_per_student') throw new AlreadyBookedError();
      if (pgCode(error) === PG.checkViolation && pgConstraint(error) === 'skills_seats_check') throw new SessionFullError();
      throw overlapError(error, studentId) ?? error;
    }
  }

  /**
   * The mentor withdraws a group session: the session and every live seat end in one
   * transaction, each attendee told with the mentor's reason. Returns the seats ended.
   */
  async function withdrawGroup(mentorId: string, skillId: string, reason: string): Promise<number> {
    return knex.transaction(async (trx) => {
      const skill = await Skill.query(trx).findById(skillId).where({ mentorId, mode: 'group' }).forUpdate();
      if (!skill) throw new NotFoundError();
      // A session that has begun happened: its seats get outcomes, not cancellations.
      if (skill.startsAt && skill.startsAt.getTime() <= clock.now().getTime()) throw new BookingRuleError('sessionStarted');
      await skill.$query(trx).patch({ status: 'cancelled' } as Partial<Skill>);
      const seats = await Booking.query(trx).where({ skillId, kind: 'group' }).modify('live').orderBy('id').forUpdate();
      for (const seat of seats) {
        const updated = await seat.$query(trx).patchAndFetch({ status: 'cancelled', cancelReason: reason, cancelledBy: 'mentor', expiresAt: null } as Partial<Booking>);
        await record(trx, seat, 'cancelled', { id: mentorId, role: 'mentor' }, reason);
        await ended(trx, seat, 'session_withdrawn');
        await tell(trx, seat.studentId, 'booking.cancelled', updated, { reason, by: 'mentor' });
      }
      if (seats.length) await trx('skills').where({ id: skillId }).decrement('seatsTaken', seats.length);
      return seats.length;
    });
  }

  /** Everyone in a group session meets in the same room. */
  async function groupMeetingUrl(trx: Knex.Transaction, skillId: string): Promise<string> {
    const existing = await trx('bookings').where({ skillId, kind: 'group' }).whereNotNull('meetingUrl').first('meetingUrl');
    return (existing as { meetingUrl: string } | undefined)?.meetingUrl ?? meetingUrl();
  }

  /** What the group step tells this student: their live seat, or that their time is taken then. */
  async function seatStateOf(studentId: string, skill: Skill): Promise<{ seat?: Booking; busy?: boolean }> {
    if (!skill.startsAt) return {};
    const seat = await Booking.query(knex).where({ skillId: skill.id, studentId, kind: 'group' }).modify('live').first();
    if (seat) return { seat };
    const endsAt = new Date(skill.startsAt.getTime() + skill.durations[0]! * 60_000);
    return { busy: (await claimsOf(knex, studentId, skill.startsAt, endsAt)).length > 0 };
  }

  /** Live seats of a session: what withdrawing it would cancel. */
  async function liveSeatCount(skillId: string): Promise<number> {
    const row = await Booking.query(knex).where({ skillId, kind: 'group' }).modify('live').count({ n: '*' }).first();
    return Number((row as unknown as { n: number | string } | undefined)?.n ?? 0);
  }

  return { joinGroup, withdrawGroup, seatStateOf, liveSeatCount };
}
