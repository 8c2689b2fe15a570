// Types the booking service's parts share (service.ts, booking-writes.ts, group-seats.ts).
import type { Knex } from 'knex';
import type { BusinessMetrics } from '../lib/business-metrics.ts';
import type { Clock } from '../lib/clock.ts';
import type { Jobs } from '../lib/jobs.ts';
import type { NotificationsService } from '../notifications/service.ts';
import type { SlotService } from '../slots/service.ts';

export interface Actor {
  id: string;
  role: 'student' | 'mentor' | 'admin';
}

/** How a booking ended, for whoever settles its money. */
export type BookingEnd = 'student_cancelled' | 'mentor_cancelled' | 'rejected' | 'expired' | 'session_withdrawn';

/**
 * What the money side does when a booking changes, in the same transaction (the
 * payments feature implements it: capture on confirm, release or refund on an end by
 * the mentor's policy, payout on completion). Bookings know nothing of providers.
 */
export interface BookingMoneyHooks {
  confirmed(trx: Knex.Transaction, booking: { id: string }): Promise<void>;
  ended(trx: Knex.Transaction, booking: { id: string; startsAt: Date }, how: BookingEnd): Promise<void>;
  completed(trx: Knex.Transaction, booking: { id: string }): Promise<void>;
}

/**
 * What follows a booking's place in time (reminders, calendars), in the booking's own
 * transaction: `scheduled` whenever a booking holds a confirmed time (accepted, booked
 * at once, a seat taken, moved to a new time), `unscheduled` when it stops being live.
 */
export interface BookingScheduleHooks {
  scheduled(trx: Knex.Transaction, booking: ScheduledBooking): Promise<void>;
  unscheduled(trx: Knex.Transaction, booking: { id: string }): Promise<void>;
}

export interface ScheduledBooking {
  id: string;
  startsAt: Date;
  endsAt: Date;
  status: string;
  mentorId: string;
  studentId: string;
}

/** Several features listening to the same schedule, in order. */
export function combineScheduleHooks(...parts: BookingScheduleHooks[]): BookingScheduleHooks {
  return {
    async scheduled(trx, booking) { for (const p of parts) await p.scheduled(trx, booking); },
    async unscheduled(trx, booking) { for (const p of parts) await p.unscheduled(trx, booking); },
  };
}

/** The student's note of a new booking or seat opens its conversation, in the booking's transaction. */
export interface BookingConversationHooks {
  opened(trx: Knex.Transaction, booking: { id: string; studentId: string }, note: string | null | undefined): Promise<void>;
}

export interface BookingServiceDeps {
  knex: Knex;
  clock: Clock;
  jobs: Jobs;
  slots: SlotService;
  notifications: NotificationsService;
  meetingBaseUrl: string;
  money: BookingMoneyHooks;
  schedule: BookingScheduleHooks;
  conversation?: BookingConversationHooks;
  metrics?: BusinessMetrics;
}
