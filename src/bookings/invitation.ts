// Which booking mails carry a calendar invitation, and which kind: a notice that the
// session holds a time carries METHOD:REQUEST, a notice that it ended METHOD:CANCEL.
// The event itself (UID, SEQUENCE, times) is the calendar service's, read from the
// booking as it is when the mail goes out, so a late mail never resurrects an old time.
import type { OutgoingMail } from '../lib/mailer.ts';
import type { CalendarBooking, CalendarService } from '../calendar/service.ts';
import type { User } from '../users/model.ts';

const REQUEST_KINDS = ['booking.confirmed', 'booking.booked', 'booking.rescheduled'];
const CANCEL_KINDS = ['booking.cancelled', 'booking.rejected', 'booking.auto_cancelled'];

type Attachment = NonNullable<OutgoingMail['attachments']>[number];

export function invitationAttachment(calendar: CalendarService, kind: string, booking: CalendarBooking, recipient: User): Attachment | undefined {
  const wanted = REQUEST_KINDS.includes(kind) ? 'REQUEST' : CANCEL_KINDS.includes(kind) ? 'CANCEL' : undefined;
  if (!wanted) return undefined;
  const { method, content } = calendar.invitation(booking, recipient);
  // A confirmation read after the booking ended: the cancellation mail carries the news.
  if (method !== wanted) return undefined;
  return {
    filename: method === 'CANCEL' ? 'leboncours-cancellation.ics' : 'leboncours-session.ics',
    content,
    contentType: `text/calendar; charset=utf-8; method=${method}`,
  };
}
