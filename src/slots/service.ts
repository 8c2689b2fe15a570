// Feeds the pure engine from the database: a mentor's rules, exceptions, settings,
// the mentor's claimed time (live bookings on either side, published group sessions),
// other students' active holds, and the viewer's own claimed time.
import type { Knex } from 'knex';
import type { Settings } from '../availability/service.ts';
import type { Clock } from '../lib/clock.ts';
import { querySlotInputs } from './inputs-query.ts';
import { freeSlots, type Duration, type Interval, type Slot, type SlotQuery } from './engine.ts';

// The booking request reads the same inputs with its lock (bookings/request-store.ts).
export { toSlotInputs, type StoredSlotInputs } from './inputs-query.ts';

export interface SlotOptions {
  durationMinutes: Duration;
  /**
   * The viewer: their own hold does not hide the slot they are holding, and slots that
   * meet their own sessions are marked (they cannot be in two places).
   */
  exceptHoldOf?: string;
  /** Availability alone: tells "outside your hours" apart from "already taken". */
  ignoreBusy?: boolean;
  /** A booking being moved: its own time (and its open proposal's) does not block itself. */
  ignoreBooking?: string;
  from?: Date;
  to?: Date;
}

type Mentor = { id: string; timezone: string };

export interface SlotInputs {
  settings: Settings;
  rules: SlotQuery['rules'];
  overrides: SlotQuery['overrides'];
  /** The mentor's own claimed time. */
  busy: Interval[];
  /** Other students' holds: busy for everyone else while they last. */
  held: Interval[];
  /** The viewer's claimed time (empty without a viewer). */
  mine: Interval[];
}

/** A free slot, and whether the viewer already has something at that time. */
export interface ViewerSlot extends Slot {
  conflict?: 'mine';
}

const meets = (list: Interval[], start: Date, end: Date) => list.some((i) => i.start < end && start < i.end);

/** What a single check may relax: the booking being moved, the window of a series. */
export interface CheckOptions {
  ignoreBooking?: string;
  windowDays?: number;
}

export function slotService(deps: { knex: Knex; clock: Clock }) {
  const { knex, clock } = deps;

  /** Everything the engine needs about one mentor and the viewer, in one statement (inputs-query.ts). */
  async function loadInputs(mentor: Mentor, exceptHoldOf: string | undefined, db: Knex, options: CheckOptions = {}): Promise<SlotInputs> {
    return querySlotInputs(db, { mentor, viewer: exceptHoldOf, ignoreBooking: options.ignoreBooking, windowDays: options.windowDays, now: clock.now() });
  }

  function run(mentor: Mentor, inputs: SlotInputs, options: SlotOptions & { ignoreHolds?: boolean }): Slot[] {
    return freeSlots({
      mentorZone: mentor.timezone,
      rules: inputs.rules,
      overrides: inputs.overrides,
      busy: options.ignoreBusy ? [] : options.ignoreHolds ? inputs.busy : [...inputs.busy, ...inputs.held],
      bufferMinutes: inputs.settings.bufferMinutes,
      minNoticeMinutes: inputs.settings.minNoticeMinutes,
      windowDays: inputs.settings.windowDays,
      now: clock.now(),
      durationMinutes: options.durationMinutes,
      from: options.from,
      to: options.to,
    });
  }

  async function freeSlotsFor(mentor: Mentor, options: SlotOptions, db: Knex = knex): Promise<ViewerSlot[]> {
    const inputs = await loadInputs(mentor, options.exceptHoldOf, db, { ignoreBooking: options.ignoreBooking });
    return run(mentor, inputs, options).map((s) => (meets(inputs.mine, s.start, s.end) ? { ...s, conflict: 'mine' as const } : s));
  }

  /**
   * Why a start time cannot be booked, or undefined when it can: one load, two runs.
   * `ignoreBooking`: a booking being moved does not block itself; `windowDays` replaces
   * the mentor's booking window (a series uses its own).
   */
  async function unavailableReason(mentor: Mentor, start: Date, durationMinutes: Duration, exceptHoldOf: string | undefined, db: Knex = knex, options: CheckOptions = {}) {
    return reasonGiven(mentor, await loadInputs(mentor, exceptHoldOf, db, options), start, durationMinutes);
  }

  /** The same answer from inputs loaded elsewhere (a booking request loads them with its lock, in one round trip). */
  function reasonGiven(mentor: Mentor, inputs: SlotInputs, start: Date, durationMinutes: Duration) {
    const now = clock.now().getTime();
    if (start.getTime() < now + inputs.settings.minNoticeMinutes * 60_000) return 'tooSoon' as const;
    if (start.getTime() >= now + inputs.settings.windowDays * 86_400_000) return 'tooFar' as const;
    const bounds = { durationMinutes, from: start, to: new Date(start.getTime() + 1) };
    const at = (slots: Slot[]) => slots.some((s) => s.start.getTime() === start.getTime());
    if (!at(run(mentor, inputs, { ...bounds, ignoreBusy: true }))) return 'outsideAvailability' as const;
    if (!at(run(mentor, inputs, { ...bounds, ignoreHolds: true }))) return 'taken' as const;
    if (!at(run(mentor, inputs, bounds))) return 'held' as const;
    if (meets(inputs.mine, start, new Date(start.getTime() + durationMinutes * 60_000))) return 'studentBusy' as const;
    return undefined;
  }

  return { freeSlotsFor, unavailableReason, reasonGiven };
}

export type SlotService = ReturnType<typeof slotService>;
