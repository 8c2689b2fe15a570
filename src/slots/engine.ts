// The slot engine: a pure function from a mentor's availability (weekly wall-clock rules
// and dated overrides), the busy intervals already taken, and the booking policy (buffer,
// notice, booking window) to the start times a student may book.
//
// How it stays correct across daylight-saving changes:
//   * Rules and overrides are wall-clock times in the mentor's zone. For every local day
//     D the availability is first computed in "minutes of the day" (a union of ranges),
//     then turned into real instants: the available instants of D are exactly those whose
//     local wall-clock reading, in the mentor zone, falls on date D inside one of those
//     ranges. On a spring-forward night the missing hour simply has no instants; on a
//     fall-back night the repeated hour is available on both passes when its wall-clock
//     time is inside a range (so a 02:00–03:00 rule on the Paris fall-back night is two
//     real hours long, and 01:00–04:00 is four).
//   * A slot [s, s + duration) is offered only if it lies within one contiguous stretch of
//     available instants of a single local day (so 01:00–02:00 + 03:00–04:00 on the
//     Paris spring-forward night is one stretch: 02:00–03:00 does not exist). Durations
//     are real elapsed minutes.
//   * Slot starts are local wall-clock multiples of the grid (09:00, 09:30, …). A local
//     time that does not exist (02:30 on the spring-forward night) is never a start.
//     A local time that happens twice (02:30 on the fall-back night) is a start at its
//     EARLIER instant only: showing both would list two identical "02:30" buttons to the
//     mentor's students, and the earlier one is what "02:30 on that day" most naturally
//     means. (luxon itself resolves ambiguous times to the LATER offset, so the engine does
//     not rely on DateTime.fromObject for this.)
//
// How it stays fast: the zone's UTC offsets over the whole query are read once as a few
// constant-offset segments (luxon's IANAZone.offset sampled once per UTC day, with a binary
// search to the minute where two samples differ, memoised per zone and day). Everything else
// is integer arithmetic on epoch milliseconds: no DateTime per grid step. Busy intervals are
// sorted and merged once; each candidate is checked with a binary search.
// Assumption: offsets change at most once between two consecutive UTC midnights and on a
// whole minute, which holds for every zone in the tz database since 1970 or so.

import { dateKey, planOverrides, subtract, time, union, weeklyRanges, type DateOverride, type WeeklyRule } from './day-plans.ts';
import { earliestInstant, offsetAt, offsetSegments, zoneEntry } from './zone-offsets.ts';

export type Duration = 30 | 60 | 90 | 120;

export type { DateOverride, WeeklyRule } from './day-plans.ts';

/** Half-open [start, end). */
export interface Interval {
  start: Date;
  end: Date;
}

export interface SlotQuery {
  /** IANA zone, e.g. 'Europe/Paris'. */
  mentorZone: string;
  rules: WeeklyRule[];
  overrides: DateOverride[];
  /** Pending/confirmed bookings and other people's active holds; any order, may overlap. */
  busy: Interval[];
  /** Free time required before and after every busy interval. */
  bufferMinutes: number;
  /** No slot starts before now + notice. */
  minNoticeMinutes: number;
  /** No slot starts at or after now + windowDays × 24 h. */
  windowDays: number;
  now: Date;
  durationMinutes: Duration;
  /** Default 30: slot starts are local wall-clock multiples of this in the mentor zone. */
  gridMinutes?: number;
  /** Optional extra bounds on slot start: from inclusive, to exclusive. */
  from?: Date;
  to?: Date;
}

export interface Slot {
  start: Date;
  end: Date;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
const DAY_MINUTES = 1440;

// ---------------------------------------------------------------------------------------
// The engine
// ---------------------------------------------------------------------------------------

/** Free slot starts, sorted by start, without duplicates. */
export function freeSlots(q: SlotQuery): Slot[] {
  const now = time(q.now, 'now');
  const grid = q.gridMinutes ?? 30;
  if (!Number.isInteger(grid) || grid < 1 || grid > DAY_MINUTES) throw new RangeError(`Invalid gridMinutes ${grid}`);
  const duration = q.durationMinutes * MINUTE;
  if (!(duration > 0) || !Number.isFinite(duration)) throw new RangeError(`Invalid durationMinutes ${q.durationMinutes}`);
  const buffer = q.bufferMinutes * MINUTE;
  const notice = q.minNoticeMinutes * MINUTE;
  if (!Number.isFinite(buffer) || buffer < 0) throw new RangeError(`Invalid bufferMinutes ${q.bufferMinutes}`);
  if (!Number.isFinite(notice)) throw new RangeError(`Invalid minNoticeMinutes ${q.minNoticeMinutes}`);
  if (!Number.isFinite(q.windowDays)) throw new RangeError(`Invalid windowDays ${q.windowDays}`);

  // Bounds on the slot start: lowest inclusive, highest exclusive.
  const windowEnd = now + q.windowDays * DAY;
  let lowest = now + notice;
  let highest = windowEnd;
  if (q.from) lowest = Math.max(lowest, time(q.from, 'from'));
  if (q.to) highest = Math.min(highest, time(q.to, 'to'));
  if (!(lowest < highest) || !(now < windowEnd)) return [];

  const weekly = weeklyRanges(q.rules);
  const plans = planOverrides(q.overrides);

  // Busy intervals, widened by nothing, sorted and merged (touching ones too: with
  // half-open intervals that changes no overlap test). Empty intervals block nothing.
  const raw: [number, number][] = [];
  for (const b of q.busy) {
    const s = time(b.start, 'busy.start');
    const e = time(b.end, 'busy.end');
    if (s < e) raw.push([s, e]);
  }
  raw.sort((x, y) => x[0] - y[0]);
  const busyStart: number[] = [];
  const busyEnd: number[] = [];
  for (const [s, e] of raw) {
    const last = busyEnd.length - 1;
    if (last >= 0 && s <= busyEnd[last]!) busyEnd[last] = Math.max(busyEnd[last]!, e);
    else {
      busyStart.push(s);
      busyEnd.push(e);
    }
  }
  const busyCount = busyStart.length;

  // Local days from the date of `now` through the date of `now + window`, in the mentor zone.
  const segments = offsetSegments(q.mentorZone, now - 2 * DAY, windowEnd + 2 * DAY);
  const firstDayWall = Math.floor((now + offsetAt(segments, now)) / DAY) * DAY;
  const lastDayWall = Math.floor((windowEnd + offsetAt(segments, windowEnd)) / DAY) * DAY;

  const slots: Slot[] = [];
  let sorted = true;
  let previous = -Infinity;
  const pieces: [number, number][] = [];

  for (let dayWall = firstDayWall; dayWall <= lastDayWall; dayWall += DAY) {
    const key = dateKey(dayWall);
    const plan = plans.get(key);
    if (plan?.wholeDayBlocked) continue;
    const isoWeekday = ((new Date(dayWall).getUTCDay() + 6) % 7) + 1;
    let ranges = weekly[isoWeekday]!;
    if (plan) ranges = subtract(union([...ranges, ...plan.extra]), union(plan.blocked));
    if (ranges.length === 0) continue;

    // The day's available instants: every range, cut into the offset segments it spans.
    pieces.length = 0;
    for (const [a, b] of ranges) {
      const wallA = dayWall + a * MINUTE;
      const wallB = dayWall + b * MINUTE;
      for (const seg of segments) {
        const lo = Math.max(wallA - seg.offset, seg.start);
        const hi = Math.min(wallB - seg.offset, seg.end);
        if (lo < hi) pieces.push([lo, hi]);
      }
    }
    pieces.sort((x, y) => x[0] - y[0]);
    // Merge touching pieces into contiguous stretches (in place).
    let stretches = 0;
    for (const [lo, hi] of pieces) {
      const last = stretches > 0 ? pieces[stretches - 1]! : undefined;
      if (last && lo <= last[1]) last[1] = Math.max(last[1], hi);
      else pieces[stretches++] = [lo, hi];
    }
    pieces.length = stretches;

    const firstMinute = Math.ceil(ranges[0]![0] / grid) * grid;
    const endMinute = ranges[ranges.length - 1]![1];
    for (let minute = firstMinute; minute < endMinute && minute < DAY_MINUTES; minute += grid) {
      const start = earliestInstant(segments, dayWall + minute * MINUTE);
      if (Number.isNaN(start) || start < lowest || start >= highest) continue;
      const end = start + duration;
      // Inside one stretch of this day?
      let inside = false;
      for (const [lo, hi] of pieces) {
        if (start < lo) break;
        if (start < hi) {
          inside = end <= hi;
          break;
        }
      }
      if (!inside) continue;
      // Buffer-widened slot vs busy: first merged busy interval ending after start − buffer.
      const from = start - buffer;
      let lo = 0;
      let hi = busyCount;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (busyEnd[mid]! <= from) lo = mid + 1;
        else hi = mid;
      }
      if (lo < busyCount && busyStart[lo]! < end + buffer) continue;

      if (start <= previous) sorted = false;
      previous = start;
      slots.push({ start: new Date(start), end: new Date(end) });
    }
  }

  // Instants come out in order for every real zone; keep the contract even if one does not.
  if (!sorted) {
    slots.sort((x, y) => x.start.getTime() - y.start.getTime());
    return slots.filter((s, i) => i === 0 || s.start.getTime() !== slots[i - 1]!.start.getTime());
  }
  return slots;
}

/** Groups slots by calendar day in the viewer's zone: [{ date: 'YYYY-MM-DD', slots }] sorted. */
export function groupByDay(slots: Slot[], viewerZone: string): { date: string; slots: Slot[] }[] {
  if (slots.length === 0) {
    zoneEntry(viewerZone); // still reject an unknown zone
    return [];
  }
  let min = Infinity;
  let max = -Infinity;
  for (const slot of slots) {
    const t = time(slot.start, 'slot.start');
    if (t < min) min = t;
    if (t > max) max = t;
  }
  const segments = offsetSegments(viewerZone, min - DAY, max + DAY);
  const groups = new Map<string, Slot[]>();
  for (const slot of slots) {
    const t = slot.start.getTime();
    const key = dateKey(t + offsetAt(segments, t));
    const group = groups.get(key);
    if (group) group.push(slot);
    else groups.set(key, [slot]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([date, list]) => ({ date, slots: list.sort((x, y) => x.start.getTime() - y.start.getTime()) }));
}
