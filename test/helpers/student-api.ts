// Named fixtures for the student's API operations: a mentor open every day 08:00–20:00
// UTC (one hour's notice) with a free one-on-one skill, and slots counted from the
// app's clock, so the same fixtures serve a real clock (contract) and a fixed one.
import type { Duration } from '../../src/slots/engine.ts';
import type { TestApp } from './app.ts';
import { mentorWithSkill } from './marketplace.ts';

const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '20:00' }));

export function openMentor(t: TestApp, fixture: string, options: { priceCents?: number; payable?: boolean; requiresApproval?: boolean } = {}) {
  return mentorWithSkill(t, fixture, {
    timezone: 'UTC', rules: EVERY_DAY, payable: options.payable,
    settings: { minNoticeMinutes: 60, windowDays: 14, requiresApproval: options.requiresApproval ?? true },
    skill: { priceCents: options.priceCents ?? 0, durations: [30, 60] },
  });
}

/** `days` after today (the app's clock) at `hour`:00 UTC, as the API takes it. */
export function slotAt(t: TestApp, days: number, hour = 10): string {
  const d = new Date(t.deps.clock.now());
  d.setUTCHours(hour, 0, 0, 0);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString();
}

/** A pending request of `student` with a new open mentor, made through the service. */
export async function pendingBooking(t: TestApp, mentorFixture: string, studentFixture: string, start = slotAt(t, 2)) {
  const { skillId, mentorId } = await openMentor(t, mentorFixture);
  const student = await t.user(studentFixture);
  const booking = await t.deps.services.bookings.request(student.id, skillId, { start: new Date(start), durationMinutes: 60 as Duration, subject: 'Fixture session' });
  return { booking, student, mentorId, skillId };
}
