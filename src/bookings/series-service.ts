// Weekly series: the preview of every week, and the booking of the free ones as one
// request. The confirmation re-plans the weeks under the mentor's calendar lock and
// books only if the free set is still the one the student saw: all or nothing, so a
// week taken meanwhile (or freed) shows the list again and writes nothing.
import type { Knex } from 'knex';
import { lockCalendar, withClaimRetry } from '../lib/calendar.ts';
import { bookingWrites } from './booking-writes.ts';
import { BookingRuleError } from './errors.ts';
import { Booking } from './model.ts';
import { creditsLeft, takeCredits } from './series-credits.ts';
import { SeriesChangedError, SeriesCreditsError, SeriesNothingFreeError } from './series-errors.ts';
import { freeStarts, planWeeks, seriesWindow, type PlannedWeek } from './series-plan.ts';
import type { SeriesPattern, SeriesRequest } from './series-schemas.ts';
import { PENDING_TTL_MS, isPaid, priceFor } from './service.ts';
import type { BookingServiceDeps } from './types.ts';
import type { Duration } from '../slots/engine.ts';

export interface SeriesPreview {
  weeks: PlannedWeek[];
  free: number;
  /** Priced skills: the credits the student has for this skill and length (one per week). */
  paid: boolean;
  credits: number;
  windowDays: number;
}

export function seriesService(deps: BookingServiceDeps) {
  const { knex, clock, slots } = deps;
  const writes = bookingWrites(deps);
  const { bookableSkill, requirePerson, requireEnrollment, record, tell, meetingUrl, overlapError } = writes;

  async function bookable(studentId: string, skillId: string, durationMinutes: number, db: Knex) {
    const skill = await bookableSkill(skillId, db);
    if (skill.mode !== 'one_on_one') throw new BookingRuleError('notBookable');
    if (skill.mentorId === studentId) throw new BookingRuleError('selfBooking');
    if (!skill.durations.includes(durationMinutes)) throw new BookingRuleError('durationNotOffered');
    await requirePerson(studentId, db);
    await requireEnrollment(skill, studentId, db);
    return skill;
  }

  async function windowOf(mentorId: string, db: Knex): Promise<number> {
    const row = await db('mentorSettings').where({ mentorId }).first('windowDays', 'seriesWindowDays');
    return seriesWindow(row ?? { windowDays: 14, seriesWindowDays: 90 });
  }

  async function previewIn(db: Knex, studentId: string, skillId: string, pattern: SeriesPattern): Promise<SeriesPreview> {
    const skill = await bookable(studentId, skillId, pattern.duration, db);
    const windowDays = await windowOf(skill.mentorId, db);
    const weeks = await planWeeks(slots, skill.mentor, studentId, { start: pattern.start, durationMinutes: pattern.duration as Duration, weeks: pattern.weeks, zone: pattern.zone }, windowDays, db);
    const paid = isPaid(skill, pattern.duration);
    const credits = paid ? await creditsLeft(db, studentId, skillId, pattern.duration, clock.now()) : 0;
    return { weeks, free: weeks.filter((w) => !w.reason).length, paid, credits, windowDays };
  }

  /** Every week of the pattern, free or not and why. */
  async function preview(studentId: string, skillId: string, pattern: SeriesPattern): Promise<SeriesPreview> {
    return previewIn(knex, studentId, skillId, pattern);
  }

  /**
   * Books the free weeks as one request: a series row and one booking per week, pending
   * or confirmed by the mentor's setting, the mentor told once. `expected` lists the
   * starts the preview showed as free.
   */
  async function book(studentId: string, skillId: string, input: SeriesRequest & { expected: string[] }): Promise<{ seriesId: string; bookings: Booking[] }> {
    try {
      return await withClaimRetry(knex, async (trx) => {
        const skill = await bookableSkill(skillId, trx);
        await lockCalendar(trx, skill.mentorId);
        const seen = await previewIn(trx, studentId, skillId, input);
        const free = seen.weeks.filter((w) => !w.reason);
        const now = freeStarts(seen.weeks);
        if (now.length !== input.expected.length || now.some((s, i) => s !== new Date(input.expected[i]!).toISOString())) throw new SeriesChangedError(seen.weeks);
        if (free.length === 0) throw new SeriesNothingFreeError();
        let purchases: (string | null)[] = free.map(() => null);
        if (seen.paid) {
          const taken = await takeCredits(trx, studentId, skillId, input.duration, free.length, clock.now());
          if (!taken) throw new SeriesCreditsError(free.length, seen.credits);
          purchases = taken;
        }
        const settings = await trx('mentorSettings').where({ mentorId: skill.mentorId }).first('requiresApproval');
        const instant = settings ? settings.requiresApproval === false : false;
        const [series] = await trx('bookingSeries').insert({
          mentorId: skill.mentorId, studentId, skillId, timeZone: input.zone, weeks: input.weeks, durationMinutes: input.duration, firstStartsAt: input.start,
        }).returning('id');
        const seriesId = (series as { id: string }).id;
        // One room for the whole series: the same link every week.
        const room = instant ? meetingUrl() : null;
        const at = clock.now().getTime();
        const booked: Booking[] = [];
        for (const [i, week] of free.entries()) {
          const booking = await Booking.query(trx).insertAndFetch({
            skillId, mentorId: skill.mentorId, studentId, kind: 'one_on_one', seriesId,
            startsAt: week.start, endsAt: week.end, durationMinutes: input.duration,
            status: instant ? 'confirmed' : 'pending', subject: input.subject, description: input.description ?? null, message: input.message ?? null,
            meetingUrl: room, priceCents: priceFor(skill, input.duration), currency: skill.currency,
            expiresAt: instant ? null : new Date(Math.min(at + PENDING_TTL_MS, week.start.getTime())),
            packagePurchaseId: purchases[i] ?? null,
          } as Partial<Booking>);
          await record(trx, booking, booking.status, { id: studentId, role: 'student' });
          if (instant) await deps.schedule.scheduled(trx, booking);
          booked.push(booking);
        }
        await trx('slotHolds').where({ studentId, mentorId: skill.mentorId }).del();
        const first = booked[0]!;
        await tell(trx, skill.mentorId, instant ? 'booking.series_booked' : 'booking.series_requested', first, { count: booked.length });
        if (instant) await tell(trx, studentId, 'booking.series_confirmed', first, { count: booked.length });
        return { seriesId, bookings: booked };
      });
    } catch (error) {
      throw overlapError(error, studentId) ?? error;
    }
  }

  return { preview, book };
}

export type SeriesService = ReturnType<typeof seriesService>;
