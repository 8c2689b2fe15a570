// The weeks of a series and, for each, whether every booking rule lets it be had.
// "Every week" means the same weekday and wall-clock time in the zone the student saw
// the slots in: luxon adds calendar weeks, so a daylight-saving change keeps 18:00 at
// 18:00 (the instant moves by an hour).
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import type { Duration } from '../slots/engine.ts';
import type { SlotService } from '../slots/service.ts';

export type WeekReason = Exclude<Awaited<ReturnType<SlotService['unavailableReason']>>, undefined>;

export interface PlannedWeek {
  start: Date;
  end: Date;
  /** Why this week cannot be booked; none when it is free. */
  reason?: WeekReason;
}

export function weeklyStarts(first: Date, weeks: number, zone: string): Date[] {
  const local = DateTime.fromJSDate(first, { zone });
  return Array.from({ length: weeks }, (_, i) => local.plus({ weeks: i }).toJSDate());
}

/** The series window: a mentor's series reach at least as far as a single booking. */
export function seriesWindow(settings: { windowDays: number; seriesWindowDays: number }): number {
  return Math.max(settings.windowDays, settings.seriesWindowDays);
}

export async function planWeeks(
  slots: SlotService,
  mentor: { id: string; timezone: string },
  studentId: string,
  pattern: { start: Date; durationMinutes: Duration; weeks: number; zone: string },
  windowDays: number,
  db: Knex,
): Promise<PlannedWeek[]> {
  const weeks: PlannedWeek[] = [];
  // One week after the other: inside a transaction there is one connection.
  for (const start of weeklyStarts(pattern.start, pattern.weeks, pattern.zone)) {
    const reason = await slots.unavailableReason(mentor, start, pattern.durationMinutes, studentId, db, { windowDays });
    weeks.push({ start, end: new Date(start.getTime() + pattern.durationMinutes * 60_000), ...(reason ? { reason } : {}) });
  }
  return weeks;
}

export const freeStarts = (weeks: PlannedWeek[]) => weeks.filter((w) => !w.reason).map((w) => w.start.toISOString());
