// Feeds the pure engine from the database: a mentor's rules, exceptions, settings,
// live bookings and other students' active holds.
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { availabilityService } from '../availability/service.ts';
import type { Clock } from '../lib/clock.ts';
import { freeSlots, type Duration, type Slot } from './engine.ts';

export interface SlotOptions {
  durationMinutes: Duration;
  /** The viewer's own hold does not hide the slot they are holding. */
  exceptHoldOf?: string;
  /** Availability alone: tells "outside your hours" apart from "already taken". */
  ignoreBusy?: boolean;
  from?: Date;
  to?: Date;
}

export function slotService(deps: { knex: Knex; clock: Clock }) {
  const { knex, clock } = deps;
  const availability = availabilityService(deps);

  async function freeSlotsFor(mentor: { id: string; timezone: string }, options: SlotOptions, db: Knex = knex): Promise<Slot[]> {
    const now = clock.now();
    const settings = await availability.settingsOf(mentor.id, db);
    const windowEnd = new Date(now.getTime() + settings.windowDays * 86_400_000);
    const fromDate = DateTime.fromJSDate(now, { zone: mentor.timezone }).minus({ days: 1 }).toISODate()!;
    const toDate = DateTime.fromJSDate(windowEnd, { zone: mentor.timezone }).plus({ days: 1 }).toISODate()!;
    const margin = (settings.bufferMinutes + 120) * 60_000;
    const [rules, overrides, bookings, holds] = await Promise.all([
      db('availabilityRules').where({ mentorId: mentor.id }).select('weekday', 'startTime', 'endTime', 'active'),
      db('availabilityOverrides').where({ mentorId: mentor.id }).whereBetween('date', [fromDate, toDate]).select('date', 'kind', 'startTime', 'endTime'),
      db('bookings').where({ mentorId: mentor.id, kind: 'one_on_one' }).whereIn('status', ['pending', 'confirmed'])
        .where('endsAt', '>', new Date(now.getTime() - margin)).where('startsAt', '<', new Date(windowEnd.getTime() + margin)).select('startsAt', 'endsAt'),
      db('slotHolds').where({ mentorId: mentor.id }).where('expiresAt', '>', now)
        .modify((q) => { if (options.exceptHoldOf) q.whereNot('studentId', options.exceptHoldOf); })
        .select('startsAt', 'endsAt'),
    ]);
    const hm = (t: string | null) => (t ? t.slice(0, 5) : undefined);
    return freeSlots({
      mentorZone: mentor.timezone,
      rules: rules.map((r: { weekday: number; startTime: string; endTime: string; active: boolean }) => ({ weekday: r.weekday, start: hm(r.startTime)!, end: hm(r.endTime)!, active: r.active })),
      overrides: overrides.map((o: { date: string; kind: 'extra' | 'blocked'; startTime: string | null; endTime: string | null }) => ({ date: o.date, kind: o.kind, start: hm(o.startTime), end: hm(o.endTime) })),
      busy: options.ignoreBusy ? [] : [...bookings, ...holds].map((b: { startsAt: Date; endsAt: Date }) => ({ start: b.startsAt, end: b.endsAt })),
      bufferMinutes: settings.bufferMinutes,
      minNoticeMinutes: settings.minNoticeMinutes,
      windowDays: settings.windowDays,
      now,
      durationMinutes: options.durationMinutes,
      from: options.from,
      to: options.to,
    });
  }

  /** Whether one exact slot is free right now (checked again inside booking transactions). */
  async function isFree(mentor: { id: string; timezone: string }, start: Date, durationMinutes: Duration, exceptHoldOf: string | undefined, db: Knex = knex): Promise<boolean> {
    const slots = await freeSlotsFor(mentor, { durationMinutes, exceptHoldOf, from: start, to: new Date(start.getTime() + 1) }, db);
    return slots.some((s) => s.start.getTime() === start.getTime());
  }

  /** Why a start time cannot be booked, or undefined when it can. */
  async function unavailableReason(mentor: { id: string; timezone: string }, start: Date, durationMinutes: Duration, exceptHoldOf: string | undefined, db: Knex = knex) {
    const now = clock.now();
    const settings = await availability.settingsOf(mentor.id, db);
    if (start.getTime() < now.getTime() + settings.minNoticeMinutes * 60_000) return 'tooSoon' as const;
    if (start.getTime() >= now.getTime() + settings.windowDays * 86_400_000) return 'tooFar' as const;
    const bounds = { from: start, to: new Date(start.getTime() + 1) };
    const open = await freeSlotsFor(mentor, { durationMinutes, ignoreBusy: true, ...bounds }, db);
    if (!open.some((s) => s.start.getTime() === start.getTime())) return 'outsideAvailability' as const;
    if (!(await isFree(mentor, start, durationMinutes, exceptHoldOf, db))) return 'taken' as const;
    return undefined;
  }

  return { freeSlotsFor, isFree, unavailableReason };
}

export type SlotService = ReturnType<typeof slotService>;
