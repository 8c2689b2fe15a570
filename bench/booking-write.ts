// The booking target: booking POST on distinct slots against the write floor
// (bench/write-floor.ts), measured back to back in one call so that the ratio compares
// two runs on the same machine state. The lead's bench/run.ts can call it as is.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { runLoad, type LoadResult } from './load.ts';
import { freeBookingSlots, MENTORS, type BookingSlot } from './seed-large.ts';
import type { SignedIn } from './sign-in.ts';
import { measureWriteFloor } from './write-floor.ts';

export const BOOKING_WRITE_TARGET = 0.5;

export interface BookingWriteResult {
  writeFloor: LoadResult;
  booking: LoadResult;
  /** Booked (303) per second ÷ the write floor's per second. */
  ratio: number;
  pass: boolean;
}

export interface BookingWriteOptions {
  databaseUrl: string;
  /** A pool on the app's database, to pick free slots. */
  pool: pg.Pool;
  appUrl: string;
  students: Pick<SignedIn, 'cookie' | 'token'>[];
  /** Where the plan for bench/hooks/booking-request.cts is written (BENCH_BOOKING_PLAN). */
  planFile: string;
  connections: number;
  seconds: number;
  warmupSeconds?: number;
  durationMinutes?: number;
}

/**
 * The hook gives slot i to student i mod n. freeBookingSlots lists each mentor's first
 * free hour first, mostly the same hour for every mentor, so a student would get many
 * slots at one time and all but one would be a 409 (their own calendar): a run would
 * measure refusals. Here each block of n consecutive slots is one hour with n different
 * mentors, so every request can succeed.
 */
export function conflictFreePlan(slots: BookingSlot[], students: number, limit: number): BookingSlot[] {
  const byStart = new Map<string, BookingSlot[]>();
  for (const slot of slots) byStart.set(slot.start, [...(byStart.get(slot.start) ?? []), slot]);
  const plan: BookingSlot[] = [];
  for (const group of byStart.values()) {
    if (group.length >= students) plan.push(...group.slice(0, students));
    if (plan.length >= limit) break;
  }
  return plan;
}

const HOOK = fileURLToPath(new URL('./hooks/booking-request.cts', import.meta.url));

/** Only 303s count as bookings: a 409 on a slot reused past the plan's end is no booking. */
export async function measureBookingWrite(options: BookingWriteOptions): Promise<BookingWriteResult> {
  const { connections, seconds } = options;
  process.env.BENCH_BOOKING_PLAN = options.planFile;
  const bookingRun = async (runSeconds: number) => {
    // A fresh plan per run: the hook counts from 0 in each autocannon worker.
    const wanted = Math.max(2_000, Math.ceil(runSeconds * 1_000));
    const hours = Math.ceil(wanted / options.students.length) + 1;
    const slots = conflictFreePlan(await freeBookingSlots(options.pool, hours * MENTORS), options.students.length, wanted);
    fs.writeFileSync(options.planFile, JSON.stringify({ students: options.students, slots, duration: options.durationMinutes ?? 60 }));
    return runLoad({ url: options.appUrl, connections, seconds: runSeconds, expected: [303], requests: [{ setupRequest: HOOK }] });
  };
  if (options.warmupSeconds) await bookingRun(options.warmupSeconds);
  const booking = await bookingRun(seconds);
  const writeFloor = await measureWriteFloor(options.databaseUrl, { connections, seconds, warmupSeconds: options.warmupSeconds });
  const booked = (booking.statusCounts['303'] ?? 0) / (booking.seconds || seconds);
  const ratio = writeFloor.reqPerSec ? booked / writeFloor.reqPerSec : 0;
  return { writeFloor, booking, ratio, pass: ratio >= BOOKING_WRITE_TARGET };
}
