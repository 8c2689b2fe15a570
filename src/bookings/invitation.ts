// The calendar invitation sent with a confirmation: an .ics a calendar client imports.
import { createEvent } from 'ics';
import type { User } from '../users/model.ts';
import type { Booking } from './model.ts';

export function invitation(booking: Booking, title: string, organizer: User, appUrl: string): string | undefined {
  const { error, value } = createEvent({
    uid: `${booking.id}@leboncours`,
    start: booking.startsAt.getTime(),
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { minutes: booking.durationMinutes },
    title,
    description: booking.subject,
    url: booking.meetingUrl ?? `${appUrl}/bookings/${booking.id}`,
    ...(booking.meetingUrl ? { location: booking.meetingUrl } : {}),
    organizer: { name: organizer.displayName, email: 'no-reply@leboncours.local' },
    method: 'PUBLISH',
    status: 'CONFIRMED',
  });
  return error || !value ? undefined : value;
}
