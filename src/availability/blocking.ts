// Changes that close time (time off, removing or pausing weekly hours, removing extra
// hours) may cover live bookings. They are never applied silently over them: the mentor
// sees the affected bookings and keeps them or cancels them with a reason.
//
// Everything happens in one transaction: the change is written, the availability is
// read again before and after it, and the bookings that were inside the old hours and
// are outside the new ones are the affected ones. If the mentor has not confirmed
// exactly that set, the transaction rolls back and the set is returned to be shown.
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { LIVE_STATUSES, type BookingStatus } from '../bookings/model.ts';
import type { BookingService } from '../bookings/service.ts';
import type { Clock } from '../lib/clock.ts';
import { lockCalendar } from '../lib/calendar.ts';
import { freeSlots, type DateOverride, type Duration, type WeeklyRule } from '../slots/engine.ts';
import type { AvailabilityService, OverrideInput } from './service.ts';

export type Change =
  | { kind: 'addOverride'; input: OverrideInput }
  | { kind: 'pauseRule'; id: string }
  | { kind: 'deleteRule'; id: string }
  | { kind: 'deleteOverride'; id: string };

export interface AffectedBooking {
  id: string;
  startsAt: Date;
  endsAt: Date;
  status: 'pending' | 'confirmed';
  studentName: string;
  skillTitle: string;
}

/** What the mentor answered on the confirmation step. */
export interface Decision {
  /** The booking ids the step listed: the decision holds for exactly these. */
  seen: string[];
  cancelReason?: string;
}

export type Outcome =
  | { applied: true; kept: number; cancelled: number }
  | { applied: false; affected: AffectedBooking[] };

interface Availability {
  rules: WeeklyRule[];
  overrides: DateOverride[];
}

/** Thrown inside the transaction to roll the change back; never leaves this module. */
class NeedsDecision extends Error {
  constructor(readonly affected: AffectedBooking[]) {
    super('needs decision');
  }
}

const hm = (t: string | null) => (t ? t.slice(0, 5) : undefined);
const MINUTE = 60_000;

/**
 * Whether [start, end) lies inside the mentor's open time, by the slot engine itself:
 * the same DST rules as booking. A one-minute grid so that a booking is judged by its
 * own start, whatever grid it was booked on.
 */
function inside(availability: Availability, zone: string, start: Date, end: Date): boolean {
  const minutes = Math.round((end.getTime() - start.getTime()) / MINUTE);
  const slots = freeSlots({
    mentorZone: zone, rules: availability.rules, overrides: availability.overrides, busy: [],
    bufferMinutes: 0, minNoticeMinutes: 0, windowDays: 1, now: start, gridMinutes: 1,
    // The engine only multiplies it: any real length works, not just the bookable ones.
    durationMinutes: minutes as Duration, from: start, to: new Date(start.getTime() + 1),
  });
  return slots.length > 0;
}

export function blockingService(deps: { knex: Knex; clock: Clock; availability: AvailabilityService; bookings: BookingService }) {
  const { knex, clock, availability, bookings } = deps;

  async function snapshot(trx: Knex.Transaction, mentorId: string, fromDate: string): Promise<Availability> {
    const rules = await trx('availabilityRules').where({ mentorId }).select('weekday', 'startTime', 'endTime', 'active');
    const overrides = await trx('availabilityOverrides').where({ mentorId }).where('date', '>=', fromDate).select('date', 'kind', 'startTime', 'endTime');
    return {
      rules: rules.map((r: { weekday: number; startTime: string; endTime: string; active: boolean }) => ({ weekday: r.weekday, start: hm(r.startTime)!, end: hm(r.endTime)!, active: r.active })),
      overrides: overrides.map((o: { date: string; kind: 'extra' | 'blocked'; startTime: string | null; endTime: string | null }) => ({ date: o.date, kind: o.kind, start: hm(o.startTime), end: hm(o.endTime) })),
    };
  }

  function write(trx: Knex.Transaction, mentor: { id: string; timezone: string }, change: Change): Promise<unknown> {
    switch (change.kind) {
      case 'addOverride': return availability.addOverride(mentor.id, mentor.timezone, change.input, trx);
      case 'pauseRule': return availability.setRuleActive(mentor.id, change.id, false, trx);
      case 'deleteRule': return availability.deleteRule(mentor.id, change.id, trx);
      case 'deleteOverride': return availability.deleteOverride(mentor.id, change.id, trx);
    }
  }

  async function details(trx: Knex.Transaction, ids: string[]): Promise<AffectedBooking[]> {
    return trx('bookings')
      .join('users', 'users.id', 'bookings.studentId')
      .join('skills', 'skills.id', 'bookings.skillId')
      .whereIn('bookings.id', ids)
      .orderBy('bookings.startsAt')
      .select('bookings.id', 'bookings.startsAt', 'bookings.endsAt', 'bookings.status', 'users.displayName as studentName', 'skills.title as skillTitle');
  }

  /**
   * Applies the change when it affects no live booking, or when `decision` names exactly
   * the bookings it affects now; otherwise writes nothing and returns them.
   */
  async function apply(mentor: { id: string; timezone: string }, change: Change, decision?: Decision, options: { dryRun?: boolean } = {}): Promise<Outcome> {
    try {
      return await knex.transaction(async (trx) => {
        // The availability lock orders us with other edits of these hours; the mentor
        // lock (the one booking requests take) keeps a new booking from slipping in
        // between reading the bookings and committing.
        await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`availability:${mentor.id}`]);
        await lockCalendar(trx, mentor.id);
        const now = clock.now();
        // Locked before anything else so that a concurrent cancel or confirmation of
        // one of them finishes first (rows, then the job row: the booking service's order).
        const live: { id: string; status: BookingStatus; startsAt: Date; endsAt: Date }[] = await trx('bookings')
          .where({ mentorId: mentor.id, kind: 'one_on_one' }).whereIn('status', LIVE_STATUSES).where('startsAt', '>', now)
          .orderBy('id').forUpdate().select('id', 'status', 'startsAt', 'endsAt');
        const fromDate = DateTime.fromJSDate(now, { zone: mentor.timezone }).minus({ days: 1 }).toISODate()!;
        const before = await snapshot(trx, mentor.id, fromDate);
        await write(trx, mentor, change);
        const after = await snapshot(trx, mentor.id, fromDate);
        const affected = live.filter((b) => inside(before, mentor.timezone, b.startsAt, b.endsAt) && !inside(after, mentor.timezone, b.startsAt, b.endsAt));
        const ids = affected.map((b) => b.id);
        const confirmed = decision !== undefined && sameSet(ids, decision.seen);
        if (options.dryRun || (ids.length > 0 && !confirmed)) throw new NeedsDecision(await details(trx, ids));
        if (ids.length > 0 && decision?.cancelReason) {
          // The booking service's own transition (history, notice, mail job), in this
          // transaction: its transaction becomes a savepoint of ours.
          // A pending request is declined (the mentor's answer to a request), an agreed
          // session cancelled; the student reads the reason either way.
          for (const b of affected) {
            if (b.status === 'pending') await bookings.reject(mentor.id, b.id, decision.cancelReason, trx);
            else await bookings.cancel({ id: mentor.id, role: 'mentor' }, b.id, decision.cancelReason, trx);
          }
          return { applied: true as const, kept: 0, cancelled: ids.length };
        }
        return { applied: true as const, kept: ids.length, cancelled: 0 };
      });
    } catch (error) {
      if (error instanceof NeedsDecision) return { applied: false, affected: error.affected };
      throw error;
    }
  }

  return { apply };
}

function sameSet(a: string[], b: string[]): boolean {
  const set = new Set(b);
  return a.length === set.size && a.every((id) => set.has(id));
}

export type BlockingService = ReturnType<typeof blockingService>;
