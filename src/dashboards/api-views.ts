// A booking as the mentor's side of the API shows it (a row of the dashboard grid):
// a public module, so the decisions and the list answer in the same shape.
import { BOOKING_STATUSES, type Booking } from '../bookings/model.ts';
import { z } from '../lib/api/openapi.ts';

export const BookingRow = z.object({
  id: z.uuid(),
  skillId: z.uuid(),
  mentorId: z.uuid(),
  studentId: z.uuid(),
  kind: z.enum(['one_on_one', 'group']),
  status: z.enum(BOOKING_STATUSES),
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime(),
  durationMinutes: z.number().int(),
  subject: z.string(),
  meetingUrl: z.string().nullable().openapi({ description: 'Set once the mentor confirmed' }),
  price: z.object({ amount: z.number().int().openapi({ description: 'Minor units (cents)' }), currency: z.string().length(3) }),
  rejectReason: z.string().nullable(),
  cancelReason: z.string().nullable(),
  createdAt: z.iso.datetime(),
}).openapi('BookingRow');

export function bookingRow(b: Booking): z.infer<typeof BookingRow> {
  return {
    id: b.id, skillId: b.skillId, mentorId: b.mentorId, studentId: b.studentId, kind: b.kind, status: b.status,
    startsAt: b.startsAt.toISOString(), endsAt: b.endsAt.toISOString(), durationMinutes: b.durationMinutes, subject: b.subject,
    meetingUrl: b.meetingUrl, price: { amount: b.priceCents, currency: b.currency }, rejectReason: b.rejectReason, cancelReason: b.cancelReason,
    createdAt: b.createdAt.toISOString(),
  };
}
