// How a booking, a hold and a checkout hand-over look in the public API: a public
// module, so the mentor's operations (their bookings list, decisions) answer the
// same shape as the student's.
import { z } from '../lib/api/openapi.ts';
import { BOOKING_STATUSES, type Booking } from './model.ts';

export const Money = z.object({
  amount: z.number().int().openapi({ description: 'Minor units (cents)' }),
  currency: z.string().length(3),
}).openapi('Money');

export const BookingView = z.object({
  id: z.uuid(),
  status: z.enum(BOOKING_STATUSES),
  kind: z.enum(['one_on_one', 'group']),
  skillId: z.uuid(),
  mentorId: z.uuid(),
  studentId: z.uuid(),
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime(),
  durationMinutes: z.number().int(),
  subject: z.string(),
  message: z.string().nullable(),
  meetingUrl: z.string().nullable().openapi({ description: 'The video room, once the session is confirmed' }),
  price: Money,
  expiresAt: z.iso.datetime().nullable().openapi({ description: 'When an unanswered request expires' }),
  rescheduleCount: z.number().int(),
  cancelledBy: z.enum(['student', 'mentor']).nullable(),
  cancelReason: z.string().nullable(),
  rejectReason: z.string().nullable(),
  createdAt: z.iso.datetime(),
}).openapi('Booking');

export function bookingView(b: Booking): z.infer<typeof BookingView> {
  return {
    id: b.id, status: b.status, kind: b.kind, skillId: b.skillId, mentorId: b.mentorId, studentId: b.studentId,
    startsAt: b.startsAt.toISOString(), endsAt: b.endsAt.toISOString(), durationMinutes: b.durationMinutes,
    subject: b.subject, message: b.message, meetingUrl: b.meetingUrl, price: { amount: b.priceCents, currency: b.currency.trim() },
    expiresAt: b.expiresAt?.toISOString() ?? null, rescheduleCount: b.rescheduleCount,
    cancelledBy: b.cancelledBy, cancelReason: b.cancelReason, rejectReason: b.rejectReason, createdAt: b.createdAt.toISOString(),
  };
}

export const BookingList = z.object({
  items: z.array(BookingView),
  nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last one' }),
}).openapi('BookingList');

/**
 * A paid session or course: nothing is booked (or enrolled) until the provider says
 * the money is there, so the answer is where to pay, not a booking.
 */
export const PaymentRequired = z.object({
  status: z.literal('awaiting_payment'),
  checkoutId: z.uuid(),
  checkoutUrl: z.url().openapi({ description: 'The provider\'s payment page; the booking exists once it is paid (then GET /sessions lists it)' }),
}).openapi('PaymentRequired');
