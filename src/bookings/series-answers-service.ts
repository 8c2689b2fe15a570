// Answering a series as a whole: the mentor accepts or declines every week still
// waiting, either side ends "this week and the following". Each is one transaction
// over the occurrences (locked), with one history row per booking and one notice for
// the whole answer. Week by week, the ordinary booking transitions apply.
import type { Knex } from 'knex';
import { ForbiddenError, NotFoundError } from '../lib/errors.ts';
import { bookingWrites } from './booking-writes.ts';
import { TransitionError } from './errors.ts';
import { Booking } from './model.ts';
import { allowedActions } from './policy.ts';
import { SeriesNothingToAnswerError } from './series-errors.ts';
import type { Actor, BookingServiceDeps } from './types.ts';

export interface SeriesView {
  id: string;
  weeks: number;
  timeZone: string;
  occurrences: Booking[];
  /** Weeks the viewer (the mentor) can still accept or decline. */
  pending: number;
  /** Weeks from the viewed one on that the viewer can end with "this and the following". */
  following: number;
}

export function seriesAnswersService(deps: BookingServiceDeps) {
  const { knex, clock } = deps;
  const { record, tell, meetingUrl, ended } = bookingWrites(deps);

  const occurrences = (db: Knex, seriesId: string) => Booking.query(db).where({ seriesId }).orderBy('startsAt');

  /** The series a booking belongs to, as its page shows it; undefined for a single booking. */
  async function forBooking(viewer: Actor, booking: Booking & { seriesId?: string | null }): Promise<SeriesView | undefined> {
    if (!booking.seriesId) return undefined;
    const series = await knex('bookingSeries').where({ id: booking.seriesId }).first('id', 'weeks', 'timeZone');
    if (!series) return undefined;
    const all = await occurrences(knex, booking.seriesId);
    const now = clock.now();
    const pending = all.filter((b) => allowedActions(b, viewer, now).canDecide).length;
    const later = all.filter((b) => b.startsAt >= booking.startsAt && endable(b, viewer, now));
    // A mentor with only waiting weeks answers them with "decline": no second way to do it.
    const following = later.some((b) => allowedActions(b, viewer, now).canCancel) ? later.length : 0;
    return { ...series, occurrences: all, pending, following };
  }

  /** "This and the following": the student cancels; the mentor cancels agreed weeks and declines waiting ones. */
  function endable(b: Booking, viewer: Actor, now: Date): boolean {
    const allowed = allowedActions(b, viewer, now);
    return allowed.canCancel || allowed.canDecide;
  }

  async function mentorSeries(trx: Knex.Transaction, mentorId: string, seriesId: string): Promise<Booking[]> {
    const rows = await occurrences(trx, seriesId).where({ mentorId }).forUpdate();
    if (!rows.length) throw new NotFoundError();
    return rows.filter((b) => allowedActions(b, { id: mentorId, role: 'mentor' }, clock.now()).canDecide);
  }

  async function confirmAll(mentorId: string, seriesId: string, input: { meetingUrl?: string }): Promise<Booking[]> {
    return knex.transaction(async (trx) => {
      const waiting = await mentorSeries(trx, mentorId, seriesId);
      if (!waiting.length) throw new SeriesNothingToAnswerError();
      // The weeks already agreed keep their room; the rest join it (one link for the series).
      const existing = (await occurrences(trx, seriesId).whereNotNull('meetingUrl').first())?.meetingUrl;
      const room = input.meetingUrl || existing || meetingUrl();
      const done: Booking[] = [];
      for (const b of waiting) {
        const updated = await b.$query(trx).patchAndFetch({ status: 'confirmed', meetingUrl: room, expiresAt: null } as Partial<Booking>);
        await record(trx, b, 'confirmed', { id: mentorId, role: 'mentor' });
        await deps.money.confirmed(trx, b);
        await deps.schedule.scheduled(trx, updated);
        done.push(updated);
      }
      await tell(trx, done[0]!.studentId, 'booking.series_confirmed', done[0]!, { count: done.length });
      return done;
    });
  }

  async function rejectAll(mentorId: string, seriesId: string, reason: string): Promise<Booking[]> {
    return knex.transaction(async (trx) => {
      const waiting = await mentorSeries(trx, mentorId, seriesId);
      if (!waiting.length) throw new SeriesNothingToAnswerError();
      const done: Booking[] = [];
      for (const b of waiting) {
        done.push(await b.$query(trx).patchAndFetch({ status: 'rejected', rejectReason: reason, expiresAt: null } as Partial<Booking>));
        await record(trx, b, 'rejected', { id: mentorId, role: 'mentor' }, reason);
        await ended(trx, b, 'rejected');
      }
      await tell(trx, done[0]!.studentId, 'booking.series_declined', done[0]!, { count: done.length, reason });
      return done;
    });
  }

  /** Ends the viewed week and every later one of its series that the viewer may end, with one reason. */
  async function cancelFollowing(user: Actor, bookingId: string, reason: string): Promise<Booking[]> {
    if (user.role === 'admin') throw new ForbiddenError();
    return knex.transaction(async (trx) => {
      const b = (await Booking.query(trx).findById(bookingId).modify('involving', user.id).forUpdate()) as (Booking & { seriesId?: string | null }) | undefined;
      if (!b) throw new NotFoundError();
      const now = clock.now();
      if (!b.seriesId || !endable(b, user, now)) throw new TransitionError(b.status);
      const later = (await occurrences(trx, b.seriesId).where('startsAt', '>=', b.startsAt).forUpdate()).filter((o) => endable(o, user, now));
      const side = b.mentorId === user.id ? 'mentor' : 'student';
      const done: Booking[] = [];
      for (const o of later) {
        // A mentor answers a waiting week by declining it: cancelling is for agreed sessions.
        const declined = side === 'mentor' && o.status === 'pending';
        const status = declined ? 'rejected' : 'cancelled';
        done.push(await o.$query(trx).patchAndFetch(declined ? { status, rejectReason: reason, expiresAt: null } as Partial<Booking> : { status, cancelReason: reason, cancelledBy: side, expiresAt: null } as Partial<Booking>));
        await record(trx, o, status, { id: user.id, role: side }, reason);
        await ended(trx, o, declined ? 'rejected' : side === 'mentor' ? 'mentor_cancelled' : 'student_cancelled');
      }
      await tell(trx, side === 'mentor' ? b.studentId : b.mentorId, 'booking.series_cancelled', done[0]!, { count: done.length, reason, by: side });
      return done;
    });
  }

  return { forBooking, confirmAll, rejectAll, cancelFollowing };
}

export type SeriesAnswersService = ReturnType<typeof seriesAnswersService>;
