// What the slot engine needs about a mentor and a viewer, in one statement: the settings,
// weekly rules, overrides and claimed time of the mentor, other students' live holds and
// the viewer's own claimed time, from the slot_inputs function (migration 20261204100000,
// which says which windows). A booking request reads the same through booking_inputs,
// which takes the calendar lock first. It used to be six queries, the settings first and
// five more once the window was known.
import type { Knex } from 'knex';
import { DEFAULT_SETTINGS } from '../availability/model.ts';
import type { Settings } from '../availability/service.ts';
import type { SlotInputs } from './service.ts';

type Stored = { start: string; end: string };

/** The JSON both statements return (snake_case columns already renamed). */
export interface StoredSlotInputs {
  settings: Settings | null;
  rules: { weekday: number; startTime: string; endTime: string; active: boolean }[];
  overrides: { date: string; kind: 'extra' | 'blocked'; startTime: string | null; endTime: string | null }[];
  busy: Stored[];
  held: Stored[];
  mine: Stored[];
}

const hm = (t: string | null) => (t ? t.slice(0, 5) : undefined);
const intervals = (list: Stored[]) => list.map((i) => ({ start: new Date(i.start), end: new Date(i.end) }));

/** The engine's inputs from the stored JSON; `windowDays` replaces the mentor's window (a series uses its own). */
export function toSlotInputs(stored: StoredSlotInputs, windowDays?: number): SlotInputs {
  const settings = stored.settings ?? { ...DEFAULT_SETTINGS };
  return {
    settings: windowDays === undefined ? settings : { ...settings, windowDays },
    rules: stored.rules.map((r) => ({ weekday: r.weekday, start: hm(r.startTime)!, end: hm(r.endTime)!, active: r.active })),
    overrides: stored.overrides.map((o) => ({ date: o.date, kind: o.kind, start: hm(o.startTime), end: hm(o.endTime) })),
    busy: intervals(stored.busy),
    held: intervals(stored.held),
    mine: intervals(stored.mine),
  };
}

export interface SlotInputsQuery {
  mentor: { id: string; timezone: string };
  /** The viewer: their own hold is not "held", and their claims are "mine". */
  viewer?: string;
  /** A booking being moved: its own time does not block itself. */
  ignoreBooking?: string;
  windowDays?: number;
  now: Date;
}

export async function querySlotInputs(db: Knex, q: SlotInputsQuery): Promise<SlotInputs> {
  const result = await db.raw('select slot_inputs(?, ?, ?, ?, ?, ?, ?, ?) as inputs', [
    q.mentor.id, q.viewer ?? null, q.now, q.mentor.timezone, q.ignoreBooking ?? null, q.windowDays ?? null,
    DEFAULT_SETTINGS.windowDays, DEFAULT_SETTINGS.bufferMinutes,
  ]) as { rows: { inputs: StoredSlotInputs }[] };
  return toSlotInputs(result.rows[0]!.inputs, q.windowDays);
}
