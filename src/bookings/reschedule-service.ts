// Moving a booking to a new time, from either side. A student moves a pending request,
// or a confirmed booking of a mentor who confirms instantly, at once; otherwise the new
// time becomes a proposal that the other side accepts or declines, and that holds the
// new time (calendar_claims) until then. Every move is one transaction that the
// database's overlap constraint checks; the booking keeps its id, history, payment and
// meeting link.
import type { Knex } from 'knex';
import type { AvailabilityService } from '../availability/service.ts';
import type { Formatters } from '../i18n/format.ts';
import type { Translate } from '../i18n/index.ts';
import { lockCalendar, withClaimRetry } from '../lib/calendar.ts';
import { ForbiddenError, NotFoundError } from '../lib/errors.ts';
import type { Duration } from '../slots/engine.ts';
import { TransitionError, unavailableError } from './errors.ts';
import { bookingWrites } from './booking-writes.ts';
import { Booking } from './model.ts';
import { ProposalClosedError, RescheduleLimitError, RescheduleRuleError } from './reschedule-errors.ts';
import { PENDING_TTL_MS } from './service.ts';
import type { Actor, BookingServiceDeps } from './types.ts';

export type Side = 'student' | 'mentor';

export interface Proposal {
  id: string;
  bookingId: string;
  proposedBy: Side;
  startsAt: Date;
  endsAt: Date;
  status: 'open' | 'accepted' | 'declined' | 'replaced' | 'lapsed';
  expiresAt: Date;
}

export type MoveResult = { moved: true; booking: Booking } | { moved: false; booking: Booking; proposal: Proposal };

/** What the booking page shows: whether the viewer may move it, why not, and the open proposal. */
export interface RescheduleState {
  canReschedule: boolean;
  /** Why not, when the booking is live and the viewer a party (shown as a note). */
  blockedBy?: 'tooLate' | 'limit' | 'groupSeat';
  /** The viewer's move happens at once (else it is a proposal). */
  movesAtOnce: boolean;
  proposal?: Proposal;
  /** The viewer answers the open proposal. */
  answers: boolean;
  /** The last moment to move it (the mentor's notice before the current start). */
  deadline?: Date;
  /** A history note as the viewer reads it (moves in their language and zone). */
  note: (note: string | null) => string | null;
  /** The setting: moves allowed per booking. */
  max: number;
}

export function rescheduleService(deps: BookingServiceDeps & { maxReschedules: number; availability: Pick<AvailabilityService, 'settingsOf'> }) {
  const { knex, clock, slots, maxReschedules } = deps;
  // A move keeps the booking's status: its history rows are not counted as transitions.
  const { overlapError, record, tell } = bookingWrites({ ...deps, metrics: undefined });

  const sideOf = (b: Booking, user: Actor): Side | undefined => (b.studentId === user.id ? 'student' : b.mentorId === user.id ? 'mentor' : undefined);

  async function settingsOf(db: Knex, mentorId: string): Promise<{ minNoticeMinutes: number; instant: boolean }> {
    const s = await deps.availability.settingsOf(mentorId, db);
    return { minNoticeMinutes: s.minNoticeMinutes, instant: s.requiresApproval === false };
  }

  /** Why this booking cannot be moved now, or undefined: the rules shared by the page and the writes. */
  function blocker(b: Booking, minNoticeMinutes: number, now: Date): 'tooLate' | 'limit' | 'groupSeat' | 'notLive' | undefined {
    if (b.kind === 'group') return 'groupSeat';
    if (b.status !== 'pending' && b.status !== 'confirmed') return 'notLive';
    if (b.startsAt.getTime() - minNoticeMinutes * 60_000 < now.getTime()) return 'tooLate';
    if (b.rescheduleCount >= maxReschedules) return 'limit';
    return undefined;
  }

  function refuse(why: NonNullable<ReturnType<typeof blocker>>, b: Booking): never {
    if (why === 'limit') throw new RescheduleLimitError(maxReschedules);
    if (why === 'notLive') throw new TransitionError(b.status);
    throw new RescheduleRuleError(why);
  }

  async function openProposal(db: Knex, bookingId: string): Promise<Proposal | undefined> {
    return db('rescheduleProposals').where({ bookingId, status: 'open' }).first();
  }

  async function state(user: Actor, b: Booking, viewer: { t: Translate; fmt: Pick<Formatters, 'dateTime'> }): Promise<RescheduleState> {
    const side = sideOf(b, user);
    const note = (n: string | null) => noteText(n, viewer.t, viewer.fmt.dateTime);
    const none: RescheduleState = { canReschedule: false, movesAtOnce: false, answers: false, note, max: maxReschedules };
    if (!side || user.role === 'admin') return none;
    const settings = await settingsOf(knex, b.mentorId);
    const now = clock.now();
    const why = blocker(b, settings.minNoticeMinutes, now);
    if (why === 'notLive') return none;
    const proposal = await openProposal(knex, b.id);
    const live = proposal && proposal.expiresAt.getTime() > now.getTime() ? proposal : undefined;
    return {
      canReschedule: !why, blockedBy: why, deadline: new Date(b.startsAt.getTime() - settings.minNoticeMinutes * 60_000),
      movesAtOnce: side === 'student' && (b.status === 'pending' || settings.instant),
      proposal: live, answers: Boolean(live && live.proposedBy !== side && !why), note, max: maxReschedules,
    };
  }

  /** The booking, locked, with the viewer's side; refusals as typed errors. */
  async function loadForMove(trx: Knex.Transaction, user: Actor, id: string): Promise<{ b: Booking; side: Side; settings: Awaited<ReturnType<typeof settingsOf>> }> {
    if (user.role === 'admin') throw new ForbiddenError();
    const b = await Booking.query(trx).findById(id).modify('involving', user.id).forUpdate();
    if (!b) throw new NotFoundError();
    const side = sideOf(b, user)!;
    const settings = await settingsOf(trx, b.mentorId);
    const why = blocker(b, settings.minNoticeMinutes, clock.now());
    if (why) refuse(why, b);
    return { b, side, settings };
  }

  /** The new time meets every booking rule for both people; the booking's own time does not count. */
  async function checkTime(trx: Knex.Transaction, b: Booking, start: Date): Promise<void> {
    const mentor = await trx('users').where({ id: b.mentorId }).first<{ id: string; timezone: string }>('id', 'timezone');
    if (!mentor) throw new NotFoundError();
    const reason = await slots.unavailableReason(mentor, start, b.durationMinutes as Duration, b.studentId, trx, { ignoreBooking: b.id });
    if (reason) throw unavailableError(reason);
  }

  /** Closes the open proposal (its claim goes with it, by trigger). */
  async function close(trx: Knex.Transaction, bookingId: string, status: Proposal['status']): Promise<void> {
    await trx('rescheduleProposals').where({ bookingId, status: 'open' }).update({ status, closedAt: clock.now() });
  }

  /** The move itself: new time, the count, history, reminders, both parties told. */
  async function move(trx: Knex.Transaction, b: Booking, start: Date, by: Side, actorId: string): Promise<Booking> {
    const end = new Date(start.getTime() + b.durationMinutes * 60_000);
    // patchAndFetch updates the instance itself: the old time is read first.
    const previous = b.startsAt;
    // A moved request is answered like a new one: 48 h, and never after its new start.
    const expiresAt = b.status === 'pending' ? new Date(Math.min(clock.now().getTime() + PENDING_TTL_MS, start.getTime())) : b.expiresAt;
    // The student's move keeps the earliest start for the cancellation policy; the mentor's resets it.
    const policyStartsAt = by === 'student' ? new Date(Math.min((b.policyStartsAt ?? previous).getTime(), start.getTime())) : null;
    const updated = await b.$query(trx).patchAndFetch({ startsAt: start, endsAt: end, expiresAt, rescheduleCount: b.rescheduleCount + 1, policyStartsAt } as Partial<Booking>);
    await record(trx, updated, updated.status, { id: actorId, role: by }, movedNote(previous, start));
    if (updated.status === 'confirmed') await deps.schedule.scheduled(trx, updated);
    const data = { previousStartsAt: previous.toISOString(), by };
    await tell(trx, b.studentId, 'booking.rescheduled', updated, data);
    await tell(trx, b.mentorId, 'booking.rescheduled', updated, data);
    return updated;
  }

  /** Runs a move's transaction; an overlap the database refused reads as the side it hit. */
  async function inMoveTransaction<T>(studentId: string, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    try {
      return await withClaimRetry(knex, work);
    } catch (error) {
      throw overlapError(error, studentId) ?? error;
    }
  }

  /** Only the two parties move a booking (the admin sees it but acts as neither). */
  async function partyBooking(user: Actor, id: string): Promise<Booking> {
    if (user.role === 'admin') throw new ForbiddenError();
    const found = await Booking.query(knex).findById(id).modify('involving', user.id);
    if (!found) throw new NotFoundError();
    return found;
  }

  /** A new time from either side: moved at once, or proposed to the other side. */
  async function propose(user: Actor, id: string, start: Date): Promise<MoveResult> {
    const found = await partyBooking(user, id);
    return inMoveTransaction(found.studentId, async (trx) => {
      await lockCalendar(trx, found.mentorId);
      const { b, side, settings } = await loadForMove(trx, user, id);
      if (start.getTime() === b.startsAt.getTime()) throw new RescheduleRuleError('sameTime');
      await checkTime(trx, b, start);
      // One open proposal per booking: a new time replaces the one waiting.
      await close(trx, b.id, 'replaced');
      if (side === 'student' && (b.status === 'pending' || settings.instant)) return { moved: true, booking: await move(trx, b, start, side, user.id) };
      const [proposal] = await trx('rescheduleProposals').insert({
        bookingId: b.id, proposedBy: side, startsAt: start, endsAt: new Date(start.getTime() + b.durationMinutes * 60_000),
        expiresAt: new Date(Math.min(start.getTime(), b.startsAt.getTime())),
      }).returning('*');
      await record(trx, b, b.status, { id: user.id, role: side }, proposedNote(start));
      await tell(trx, side === 'student' ? b.mentorId : b.studentId, 'booking.reschedule_proposed', b, { proposedStartsAt: start.toISOString(), by: side });
      return { moved: false, booking: b, proposal: proposal as Proposal };
    });
  }

  /** The open proposal that this user answers, locked. */
  async function proposalToAnswer(trx: Knex.Transaction, b: Booking, side: Side, proposalId: string): Promise<Proposal> {
    const p: Proposal | undefined = await trx('rescheduleProposals').where({ id: proposalId, bookingId: b.id }).forUpdate().first();
    if (!p) throw new NotFoundError();
    if (p.status !== 'open' || p.expiresAt.getTime() <= clock.now().getTime()) throw new ProposalClosedError();
    if (p.proposedBy === side) throw new ForbiddenError();
    return p;
  }

  async function accept(user: Actor, id: string, proposalId: string): Promise<Booking> {
    const found = await partyBooking(user, id);
    return inMoveTransaction(found.studentId, async (trx) => {
      await lockCalendar(trx, found.mentorId);
      const { b, side } = await loadForMove(trx, user, id);
      const p = await proposalToAnswer(trx, b, side, proposalId);
      await checkTime(trx, b, p.startsAt);
      await close(trx, b.id, 'accepted');
      return move(trx, b, p.startsAt, p.proposedBy, user.id);
    });
  }

  /** The answering side says no: the booking keeps its time, the held new time is freed. */
  async function decline(user: Actor, id: string, proposalId: string): Promise<Booking> {
    return knex.transaction(async (trx) => {
      if (user.role === 'admin') throw new ForbiddenError();
      const b = await Booking.query(trx).findById(id).modify('involving', user.id).forUpdate();
      if (!b) throw new NotFoundError();
      const side = sideOf(b, user)!;
      const p = await proposalToAnswer(trx, b, side, proposalId);
      await close(trx, b.id, 'declined');
      await record(trx, b, b.status, { id: user.id, role: side }, declinedNote(p.startsAt));
      await tell(trx, p.proposedBy === 'student' ? b.studentId : b.mentorId, 'booking.reschedule_declined', b, { proposedStartsAt: p.startsAt.toISOString(), by: side });
      return b;
    });
  }

  /** Proposals whose time or whose booking's start has come lapse, freeing the held time. */
  async function lapseDue(): Promise<number> {
    return knex('rescheduleProposals').where({ status: 'open' }).where('expiresAt', '<=', clock.now()).update({ status: 'lapsed', closedAt: clock.now() });
  }

  return { state, propose, accept, decline, lapseDue };
}

// History notes carry the times as ISO strings; the page shows them in the viewer's zone (noteText).
const movedNote = (from: Date, to: Date) => `reschedule:moved ${from.toISOString()} ${to.toISOString()}`;
const proposedNote = (to: Date) => `reschedule:proposed ${to.toISOString()}`;
const declinedNote = (to: Date) => `reschedule:declined ${to.toISOString()}`;

/** A history note in the viewer's language and zone (other notes as written). */
export function noteText(note: string | null, t: Translate, when: (d: Date) => string): string | null {
  const m = note ? /^reschedule:(moved|proposed|declined) (\S+)(?: (\S+))?$/.exec(note) : null;
  if (!m) return note;
  const [, kind, a, b] = m;
  if (kind === 'moved') return t('reschedule.note.moved', { from: when(new Date(a!)), to: when(new Date(b!)) });
  return t(`reschedule.note.${kind}`, { to: when(new Date(a!)) });
}

export type RescheduleService = ReturnType<typeof rescheduleService>;
