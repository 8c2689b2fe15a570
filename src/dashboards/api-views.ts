// A booking as the mentor's side of the API shows it (a row of the dashboard grid):
// a public module, so the decisions and the list answer in the same shape.
import { BOOKING_STATUSES, type Booking } from '../bookings/model.ts';
import { z } from '../lib/api/openapi.ts';
import type { GridRow } from './grid-query.ts';

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

/** A row of the bookings grid: the names the viewer may see, and what they may do with it now. */
export const BookingGridRow = z.object({
  id: z.uuid(),
  skillTitle: z.string(),
  studentName: z.string(),
  mentorName: z.string(),
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime(),
  durationMinutes: z.number().int(),
  price: z.object({ amount: z.number().int().openapi({ description: 'Minor units (cents)' }), currency: z.string().length(3) }),
  status: z.enum(BOOKING_STATUSES),
  meetingUrl: z.string().nullable().openapi({ description: 'Only once confirmed' }),
  subject: z.string().nullable(),
  createdAt: z.iso.datetime(),
  canApprove: z.boolean(),
  canCancel: z.boolean(),
}).openapi('BookingGridRow');

export function bookingGridRow(r: GridRow): z.infer<typeof BookingGridRow> {
  const { priceCents, currency, ...rest } = r;
  return { ...rest, price: { amount: priceCents, currency } };
}
