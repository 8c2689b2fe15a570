// A zone's UTC offsets over a span, read once as a few constant-offset segments
// (luxon's IANAZone.offset sampled once per UTC day, with a binary search to the minute
// where two samples differ, memoised per zone and day), so the slot engine does integer
// arithmetic on epoch milliseconds instead of building a DateTime per grid step.
// Assumption: offsets change at most once between two consecutive UTC midnights and on
// a whole minute, which holds for every zone in the tz database since 1970 or so.
import { IANAZone } from 'luxon';

const MINUTE = 60_000;
const DAY = 86_400_000;
const DAY_MINUTES = 1440;

/** [start, end) in epoch ms during which the zone is `offset` ms ahead of UTC. */
export interface Segment {
  start: number;
  end: number;
  offset: number;
}

/** What happens to a zone's offset during one UTC day. */
interface DayOffsets {
  /** Offset (ms) at the UTC midnight that starts the day. */
  atStart: number;
  /** Offset (ms) at the next UTC midnight. */
  atEnd: number;
  /** When atStart ≠ atEnd: the first whole minute (epoch ms) at the new offset. */
  change: number;
}

const MAX_CACHED_DAYS_PER_ZONE = 20_000;
const zoneCache = new Map<string, { zone: IANAZone; days: Map<number, DayOffsets> }>();

export function zoneEntry(name: string) {
  let entry = zoneCache.get(name);
  if (!entry) {
    const zone = IANAZone.create(name);
    if (!zone.isValid) throw new RangeError(`Unknown time zone: ${name}`);
    entry = { zone, days: new Map() };
    zoneCache.set(name, entry);
  }
  return entry;
}

function dayOffsets(entry: { zone: IANAZone; days: Map<number, DayOffsets> }, dayIndex: number): DayOffsets {
  const cached = entry.days.get(dayIndex);
  if (cached) return cached;
  const start = dayIndex * DAY;
  const atStart = entry.zone.offset(start) * MINUTE;
  const atEnd = entry.zone.offset(start + DAY) * MINUTE;
  let change = start + DAY;
  if (atStart !== atEnd) {
    // Smallest minute in (start, start + DAY] already at the new offset.
    let lo = 0; // known: old offset
    let hi = DAY_MINUTES; // known: new offset
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (entry.zone.offset(start + mid * MINUTE) * MINUTE === atStart) lo = mid;
      else hi = mid;
    }
    change = start + hi * MINUTE;
  }
  const value: DayOffsets = { atStart, atEnd, change };
  if (entry.days.size >= MAX_CACHED_DAYS_PER_ZONE) entry.days.clear();
  entry.days.set(dayIndex, value);
  return value;
}

/**
 * The zone's offsets from `from` to `to` (epoch ms) as consecutive segments; the first one
 * extends to −∞ and the last one to +∞ so that lookups never fall off the ends.
 */
export function offsetSegments(zoneName: string, from: number, to: number): Segment[] {
  const entry = zoneEntry(zoneName);
  const firstDay = Math.floor(from / DAY);
  const lastDay = Math.floor(to / DAY);
  const segments: Segment[] = [];
  let current: Segment = { start: -Infinity, end: Infinity, offset: dayOffsets(entry, firstDay).atStart };
  for (let day = firstDay; day <= lastDay; day++) {
    // Each day starts at the offset the previous one ended with (same sample).
    const info = dayOffsets(entry, day);
    if (info.atEnd !== info.atStart) {
      current.end = info.change;
      segments.push(current);
      current = { start: info.change, end: Infinity, offset: info.atEnd };
    }
  }
  segments.push(current);
  return segments;
}

/** Offset (ms) in force at instant t. */
export function offsetAt(segments: Segment[], t: number): number {
  for (const seg of segments) if (t < seg.end) return seg.offset;
  return segments[segments.length - 1]!.offset;
}

/**
 * The earliest instant whose wall clock reads `wall` (wall-clock time written as if it were
 * UTC epoch ms), or NaN when that wall-clock time does not exist (spring-forward gap).
 * Segments are in time order, so the first match is the earliest one: on a fall-back
 * night this picks the first pass (see the header comment).
 */
export function earliestInstant(segments: Segment[], wall: number): number {
  for (const seg of segments) {
    const t = wall - seg.offset;
    if (t >= seg.start && t < seg.end) return t;
  }
  return NaN;
}
