// "The mentor did not come": a paid session's student may say so for 48 hours after its
// end, once per booking (the unique booking_id decides a double click). The mentor is
// told at once; an admin then refunds or dismisses it from the payments grid.
import type { Knex } from 'knex';
import type { Clock } from '../lib/clock.ts';
import { NotFoundError, PG, pgCode } from '../lib/errors.ts';
import type { NotificationsService } from '../notifications/service.ts';
import { PaymentRuleError } from './errors.ts';

export const REPORT_WINDOW_MS = 48 * 3_600_000;

/** Bookings a student may report: the session was meant to take place. */
const REPORTABLE = ['confirmed', 'completed', 'no_show'];

export interface BookingReport {
  id: string;
  bookingId: string;
  studentId: string;
  note: string;
  status: 'open' | 'refunded' | 'dismissed';
  resolvedBy: string | null;
  resolvedAt: Date | null;
  createdAt: Date;
}

interface ReportableBooking {
  id: string;
  studentId: string;
  mentorId: string;
  skillId: string;
  status: string;
  startsAt: Date;
  endsAt: Date;
  packagePurchaseId: string | null;
}

export function reportsService(deps: { knex: Knex; clock: Clock; notifications: NotificationsService }) {
  const { knex, clock } = deps;

  /** The student's own booking, paid (a payment or a package credit): anything else does not exist here. */
  async function paidBookingOf(studentId: string, bookingId: string, db: Knex = knex): Promise<ReportableBooking> {
    const booking: ReportableBooking | undefined = await db('bookings').where({ id: bookingId, studentId }).first();
    if (!booking) throw new NotFoundError();
    const paid = booking.packagePurchaseId || (await db('payments').where({ bookingId }).first('id'));
    if (!paid) throw new NotFoundError();
    return booking;
  }

  /** What the report box shows: the report made, the form, or why there is none. */
  async function stateFor(studentId: string, bookingId: string) {
    const booking = await paidBookingOf(studentId, bookingId);
    const report: BookingReport | undefined = await knex('bookingReports').where({ bookingId }).first();
    const closesAt = new Date(booking.endsAt.getTime() + REPORT_WINDOW_MS);
    const now = clock.now();
    const open = REPORTABLE.includes(booking.status) && booking.endsAt <= now && now < closesAt;
    return { booking, report, open, closesAt, notYet: booking.endsAt > now };
  }

  async function report(studentId: string, bookingId: string, note: string): Promise<BookingReport> {
    return knex.transaction(async (trx) => {
      const booking = await paidBookingOf(studentId, bookingId, trx);
      const now = clock.now();
      if (!REPORTABLE.includes(booking.status)) throw new PaymentRuleError('reportNotReportable');
      if (booking.endsAt > now) throw new PaymentRuleError('reportTooEarly');
      if (now.getTime() >= booking.endsAt.getTime() + REPORT_WINDOW_MS) throw new PaymentRuleError('reportWindowClosed');
      let row: BookingReport;
      try {
        [row] = await trx('bookingReports').insert({ bookingId, studentId, note, createdAt: now }).returning('*');
      } catch (error) {
        if (pgCode(error) === PG.uniqueViolation) throw new PaymentRuleError('reportAlreadyMade');
        throw error;
      }
      const student = await trx('users').where({ id: studentId }).first('displayName');
      const skill = await trx('skills').where({ id: booking.skillId }).first('title');
      await deps.notifications.notify(trx, {
        userId: booking.mentorId, kind: 'booking.reported', bookingId,
        data: { other: student?.displayName ?? '', skill: skill?.title ?? '', when: booking.startsAt.toISOString(), reason: note },
      });
      return row;
    });
  }

  return { stateFor, report };
}

export type ReportsService = ReturnType<typeof reportsService>;
