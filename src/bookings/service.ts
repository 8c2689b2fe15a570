// The booking lifecycle: hold a slot, request it, the
// mentor confirms or rejects, either side cancels, the mentor records the outcome,
// unanswered requests expire. Every transition is one transaction that also writes
// the status history, the notifications and their mail jobs.
import type { Knex } from 'knex';
import { lockCalendar, withClaimRetry } from '../lib/calendar.ts';
import { ForbiddenError, NotFoundError } from '../lib/errors.ts';
import type { Skill } from '../skills/model.ts';
import type { Duration } from '../slots/engine.ts';
import type { User } from '../users/model.ts';
import { BookingRuleError, TransitionError, unavailableError } from './errors.ts';
import { bookingWrites } from './booking-writes.ts';
import { insertRequest, lockedRequestInputs, type Notice } from './request-store.ts';
import type { Actor, BookingServiceDeps } from './types.ts';
import { groupSeats } from './group-seats.ts';
import { Booking } from './model.ts';
import { allowedActions, type Allowed } from './policy.ts';

export const HOLD_MS = 5 * 60_000;
export type { Actor, BookingEnd, BookingMoneyHooks, BookingScheduleHooks, BookingServiceDeps } from './types.ts';

export const PENDING_TTL_MS = 48 * 3_600_000;


export interface RequestInput {
  start: Date;
  durationMinutes: Duration;
  subject: string;
  description?: string;
  message?: string;
}


export function bookingService(deps: BookingServiceDeps) {
  const { knex, clock, slots } = deps;
  const writes = bookingWrites(deps);
  const { overlapError, bookableSkill, requirePerson, requireEnrollment, record, tell, meetingUrl, ended } = writes;
  const seats = groupSeats(deps, writes);

  /** What the skill alone decides, before any read. */
  function checkOffer(skill: Skill, studentId: string, durationMinutes: number): void {
    if (skill.mode !== 'one_on_one') throw new BookingRuleError('notBookable');
    if (skill.mentorId === studentId) throw new BookingRuleError('selfBooking');
    if (!skill.durations.includes(durationMinutes)) throw new BookingRuleError('durationNotOffered');
  }

  /** The rules a one-on-one hold and a request share, before any lock is taken. */
  async function checkBookable(skill: Skill, studentId: string, durationMinutes: number, db: Knex = knex): Promise<void> {
    checkOffer(skill, studentId, durationMinutes);
    // In the caller's transaction when there is one: a second connection per request could starve the pool.
    await requirePerson(studentId, db);
    await requireEnrollment(skill, studentId, db);
  }

  /**
   * Step 1 of the modal: keeps the slot for this student for five minutes, or `until`
   * a checkout can last (the slot must not go while the student is paying).
   */
  async function hold(studentId: string, skillId: string, start: Date, durationMinutes: Duration, until?: Date): Promise<{ id: string; expiresAt: Date }> {
    const skill = await bookableSkill(skillId);
    await checkBookable(skill, studentId, durationMinutes);
    return knex.transaction(async (trx) => {
      await lockCalendar(trx, skill.mentorId);
      await trx('slotHolds').where({ mentorId: skill.mentorId }).where('expiresAt', '<=', clock.now()).del();
      const reason = await slots.unavailableReason(skill.mentor, start, durationMinutes, studentId, trx);
      if (reason) throw unavailableError(reason);
      const expiresAt = until ?? new Date(clock.now().getTime() + HOLD_MS);
      // One hold per student and mentor: picking another slot moves it.
      const [row] = await trx('slotHolds')
        .insert({ mentorId: skill.mentorId, studentId, skillId, startsAt: start, endsAt: new Date(start.getTime() + durationMinutes * 60_000), expiresAt })
        .onConflict(['mentorId', 'studentId']).merge()
        .returning('id') as { id: string }[];
      return { id: row!.id, expiresAt };
    });
  }

  /**
   * Step 2 reached by a link (after login or sign-up, a reload) reads and never writes:
   * a GET that held would let any site hold slots for a signed-in visitor. The student's
   * live hold of exactly this slot, if any; otherwise the slot must still be free (the
   * error the hold would throw if not), and the page offers to hold it by a POST.
   */
  async function pickState(studentId: string, skillId: string, start: Date, durationMinutes: Duration): Promise<{ heldUntil?: Date }> {
    const skill = await bookableSkill(skillId);
    await checkBookable(skill, studentId, durationMinutes);
    const held = await knex('slotHolds')
      .where({ studentId, skillId, startsAt: start, endsAt: new Date(start.getTime() + durationMinutes * 60_000) })
      .where('expiresAt', '>', clock.now()).first('expiresAt') as { expiresAt: Date } | undefined;
    if (held) return { heldUntil: held.expiresAt };
    const reason = await slots.unavailableReason(skill.mentor, start, durationMinutes, studentId);
    if (reason) throw unavailableError(reason);
    return {};
  }

  async function releaseHold(studentId: string, skillId: string): Promise<void> {
    await knex('slotHolds').where({ studentId, skillId }).del();
  }

  /**
   * Step 3: the request itself, pending or confirmed at once by the mentor's setting.
   * A session with a price exists only once it is paid for: `paid` is set by the
   * payments feature (an authorized checkout, a package credit), in its transaction `db`;
   * `packagePurchaseId` names the package whose credit paid for it.
   */
  async function request(studentId: string, skillId: string, input: RequestInput, loaded?: Skill & { mentor: User }, options: { db?: Knex; paid?: boolean; packagePurchaseId?: string } = {}): Promise<Booking> {
    const skill = loaded?.id === skillId ? loaded : await bookableSkill(skillId, options.db);
    checkOffer(skill, studentId, input.durationMinutes);
    if (isPaid(skill, input.durationMinutes) && !options.paid) throw new BookingRuleError('paymentRequired');
    const courseId = (skill as Skill & { courseId?: string | null }).courseId ?? null;
    try {
      return await withClaimRetry(options.db ?? knex, async (trx) => {
        const now = clock.now();
        const inputs = await lockedRequestInputs(trx, skill.mentor, studentId, courseId, now);
        if (!inputs.student) throw new BookingRuleError('notAPerson');
        if (!inputs.enrolled) throw new BookingRuleError('notEnrolled');
        // Another student's live hold wins over a request sent without one: the slot
        // is theirs for as long as the hold lasts.
        const reason = slots.reasonGiven(skill.mentor, inputs.slots, input.start, input.durationMinutes);
        if (reason) throw unavailableError(reason);
        const instant = inputs.slots.settings.requiresApproval === false;
        const data = { skill: skill.title, when: input.start.toISOString() };
        const notices: Notice[] = [{ userId: skill.mentorId, kind: instant ? 'booking.booked' : 'booking.requested', data: { other: inputs.student.displayName, ...data } }];
        if (instant) notices.push({ userId: studentId, kind: 'booking.confirmed', data: { other: skill.mentor.displayName, ...data } });
        const booking = await insertRequest(trx, {
          skillId, mentorId: skill.mentorId, studentId,
          startsAt: input.start, endsAt: new Date(input.start.getTime() + input.durationMinutes * 60_000), durationMinutes: input.durationMinutes,
          status: instant ? 'confirmed' : 'pending', subject: input.subject, description: input.description ?? null, message: input.message ?? null,
          meetingUrl: instant ? meetingUrl() : null, priceCents: priceFor(skill, input.durationMinutes), currency: skill.currency,
          expiresAt: instant ? null : new Date(Math.min(now.getTime() + PENDING_TTL_MS, input.start.getTime())),
          packagePurchaseId: options.packagePurchaseId ?? null,
        }, notices);
        deps.metrics?.bookingTransition(trx, booking.status); // insertRequest writes its history row itself
        // Both write nothing (no round trip) without a first message or for a pending request.
        await deps.conversation?.opened(trx, booking, input.message);
        if (instant) await deps.schedule.scheduled(trx, booking);
        return booking;
      });
    } catch (error) {
      throw overlapError(error, studentId) ?? error;
    }
  }

  /** Loads a booking through the user: a booking that is not theirs does not exist. */
  async function findForUser(user: Actor, id: string, db: Knex = knex, lock = false): Promise<Booking> {
    const query = Booking.query(db).findById(id).modify('visibleTo', user);
    if (lock) query.forUpdate();
    const booking = await query;
    if (!booking) throw new NotFoundError();
    return booking;
  }

  /** The booking page's booking: scoped and fetched with its graph by the same root query. */
  async function detail(user: Actor, id: string): Promise<Booking> {
    const booking = await Booking.query(knex).findById(id).modify('visibleTo', user)
      .withGraphFetched('[skill, mentor, student, events(ordered)]').modifiers({ ordered: (q) => q.orderBy('id') });
    if (!booking) throw new NotFoundError();
    return booking;
  }

  /** Runs a transition on a booking the mentor owns, if the policy allows it now. */
  async function mentorTransition(mentorId: string, id: string, may: keyof Omit<Allowed, 'isMentor'>, apply: (trx: Knex.Transaction, b: Booking) => Promise<Booking>, db: Knex = knex) {
    return db.transaction(async (trx) => {
      const booking = await Booking.query(trx).findById(id).where({ mentorId }).forUpdate();
      if (!booking) throw new NotFoundError();
      if (!allowedActions(booking, { id: mentorId, role: 'mentor' }, clock.now())[may]) {
        throw new TransitionError(booking.status === 'pending' && may === 'canDecide' ? 'expired' : booking.status);
      }
      return apply(trx, booking);
    });
  }

  async function confirm(mentorId: string, id: string, input: { meetingUrl?: string; notes?: string }): Promise<Booking> {
    return mentorTransition(mentorId, id, 'canDecide', async (trx, b) => {
      const updated = await b.$query(trx).patchAndFetch({ status: 'confirmed', meetingUrl: input.meetingUrl || meetingUrl(), mentorNotes: input.notes ?? null, expiresAt: null } as Partial<Booking>);
      await record(trx, b, 'confirmed', { id: mentorId, role: 'mentor' }, input.notes);
      await deps.money.confirmed(trx, b);
      await deps.schedule.scheduled(trx, updated);
      await tell(trx, b.studentId, 'booking.confirmed', updated);
      return updated;
    });
  }

  /** `db`: a caller's transaction to run in (closing time over requests answers them with it). */
  async function reject(mentorId: string, id: string, reason: string, db: Knex = knex): Promise<Booking> {
    return mentorTransition(mentorId, id, 'canDecide', async (trx, b) => {
      const updated = await b.$query(trx).patchAndFetch({ status: 'rejected', rejectReason: reason, expiresAt: null } as Partial<Booking>);
      await record(trx, b, 'rejected', { id: mentorId, role: 'mentor' }, reason);
      await ended(trx, b, 'rejected');
      await tell(trx, b.studentId, 'booking.rejected', updated, { reason });
      return updated;
    }, db);
  }

  /** After the end time the mentor records what happened: completed or no-show. */
  async function recordOutcome(mentorId: string, id: string, outcome: 'completed' | 'no_show'): Promise<Booking> {
    return mentorTransition(mentorId, id, 'canRecordOutcome', async (trx, b) => {
      const updated = await b.$query(trx).patchAndFetch({ status: outcome } as Partial<Booking>);
      await record(trx, b, outcome, { id: mentorId, role: 'mentor' });
      // The student did not come or the session took place: either way it is paid out.
      await deps.money.completed(trx, b);
      await deps.schedule.unscheduled(trx, b);
      return updated;
    });
  }

  /** Either side, while the session has not started; frees the slot or the seat. */
  async function cancel(user: Actor, id: string, reason: string, db: Knex = knex): Promise<Booking> {
    return db.transaction(async (trx) => {
      // Only the two parties cancel (the history and the notice name a side).
      if (user.role === 'admin') throw new ForbiddenError();
      const b = await findForUser(user, id, trx, true);
      if (!allowedActions(b, user, clock.now()).canCancel) throw new TransitionError(b.status);
      const side = b.mentorId === user.id ? 'mentor' : 'student';
      const updated = await b.$query(trx).patchAndFetch({ status: 'cancelled', cancelReason: reason, cancelledBy: side, expiresAt: null } as Partial<Booking>);
      if (b.kind === 'group') await trx('skills').where({ id: b.skillId }).where('seatsTaken', '>', 0).decrement('seatsTaken', 1);
      await record(trx, b, 'cancelled', { id: user.id, role: side }, reason);
      await ended(trx, b, side === 'mentor' ? 'mentor_cancelled' : 'student_cancelled');
      await tell(trx, side === 'mentor' ? b.studentId : b.mentorId, 'booking.cancelled', updated, { reason, by: side });
      return updated;
    });
  }

  /** Pending requests unanswered for 48 h, or whose start has come, expire. */
  async function expireDue(): Promise<number> {
    return knex.transaction(async (trx) => {
      const due = await Booking.query(trx).where('status', 'pending').where('expiresAt', '<=', clock.now()).forUpdate().skipLocked().limit(500);
      for (const b of due) {
        const updated = await b.$query(trx).patchAndFetch({ status: 'expired', expiresAt: null } as Partial<Booking>);
        await record(trx, b, 'expired', null);
        await ended(trx, b, 'expired');
        await tell(trx, b.studentId, 'booking.expired', updated);
      }
      return due.length;
    });
  }

  async function listForUser(user: Actor, limit = 100): Promise<Booking[]> {
    return Booking.query(knex)
      .modify('involving', user.id)
      .withGraphFetched('[skill, mentor, student]')
      .orderBy('startsAt', 'desc')
      .limit(limit);
  }

  return { hold, pickState, releaseHold, request, ...seats, findForUser, detail, confirm, reject, cancel, recordOutcome, expireDue, listForUser, bookableSkill };
}

/** Whether a session of this skill and length costs anything. */
export function isPaid(skill: Pick<Skill, 'priceCents' | 'durations'>, durationMinutes: number): boolean {
  return priceFor(skill, durationMinutes) > 0;
}

/** In cents: the skill's price is for its shortest duration; longer sessions cost pro rata, rounded to the cent. */
export function priceFor(skill: Pick<Skill, 'priceCents' | 'durations'>, durationMinutes: number): number {
  const base = Math.min(...skill.durations);
  return Math.round((skill.priceCents * durationMinutes) / base);
}

export type BookingService = ReturnType<typeof bookingService>;
