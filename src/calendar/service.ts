// A booking as a calendar event: the .ics download, the invitation mailed with a
// booking notice, and the "add to Google / Outlook" links, all from one description
// so they never disagree about the time, the title or the UID.
import type { Knex } from 'knex';
import type { Clock } from '../lib/clock.ts';
import { NotFoundError } from '../lib/errors.ts';
import { Booking } from '../bookings/model.ts';
import type { User } from '../users/model.ts';
import { writeCalendar, type CalendarEntry, type CalendarMethod, type EntryStatus } from './ics.ts';

/** Statuses after which the event must leave the calendar. */
export const CANCELLED_STATUSES = ['cancelled', 'rejected', 'expired'];

/** A booking with its parties and skill loaded, as the event needs it. */
export type CalendarBooking = Booking & { skill: NonNullable<Booking['skill']>; mentor: User; student: User };

export interface CalendarServiceDeps {
  knex: Knex;
  clock: Clock;
  appUrl: string;
  /** MAIL_FROM: the organizer's address (people's own addresses stay private). */
  mailFrom: string;
}

/** The trigger-maintained counter (migration 20261201152000); not every query selects it. */
export const sequenceOf = (b: Booking): number => Number((b as Booking & { calendarSequence?: number }).calendarSequence ?? 0);

export function calendarService(deps: CalendarServiceDeps) {
  const host = new URL(deps.appUrl).hostname;
  const organizerEmail = /<([^>]+)>/.exec(deps.mailFrom)?.[1] ?? deps.mailFrom;

  const uid = (bookingId: string) => `${bookingId}@${host}`;

  function status(b: Booking): EntryStatus {
    if (CANCELLED_STATUSES.includes(b.status)) return 'CANCELLED';
    return b.status === 'pending' ? 'TENTATIVE' : 'CONFIRMED';
  }

  /** The event as `viewer` sees it: titled with the other party, the viewer as attendee. */
  function entry(b: CalendarBooking, viewer: User): CalendarEntry {
    const other = viewer.id === b.mentorId ? b.student : b.mentor;
    const page = `${deps.appUrl}/bookings/${b.id}`;
    const live = b.status === 'confirmed' && b.meetingUrl;
    return {
      uid: uid(b.id),
      sequence: sequenceOf(b),
      start: b.startsAt,
      end: b.endsAt,
      title: `${b.skill.title} · ${other.displayName}`,
      description: [b.subject, live ? b.meetingUrl : null, page].filter(Boolean).join('\n\n'),
      url: page,
      location: live ? b.meetingUrl ?? undefined : undefined,
      status: status(b),
      organizer: { name: b.mentor.displayName, email: organizerEmail },
      attendees: [{ name: viewer.displayName, email: viewer.email }],
      created: b.createdAt,
      modified: b.updatedAt,
    };
  }

  const methodOf = (b: Booking): CalendarMethod => (CANCELLED_STATUSES.includes(b.status) ? 'CANCEL' : 'REQUEST');

  /** The booking's single-event iTIP message: REQUEST while it holds time, CANCEL once it ended. */
  function invitation(b: CalendarBooking, viewer: User): { method: CalendarMethod; content: string } {
    const method = methodOf(b);
    return { method, content: writeCalendar([entry(b, viewer)], { method }, deps.clock.now()) };
  }

  /** Only the two parties: the query is the check (an admin or a stranger gets a 404). */
  async function download(userId: string, bookingId: string) {
    const b = await Booking.query(deps.knex).modify('involving', userId).findById(bookingId).withGraphFetched('[skill, mentor, student]');
    if (!b?.skill || !b.mentor || !b.student) throw new NotFoundError();
    const viewer = b.mentorId === userId ? b.mentor : b.student;
    return invitation(b as CalendarBooking, viewer);
  }

  /** "Add to calendar" for web calendars that do not import an invitation by URL. */
  function addLinks(b: CalendarBooking, viewer: User) {
    const e = entry(b, viewer);
    const compact = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const iso = (d: Date) => d.toISOString().replace(/\.\d{3}/, '');
    const google = new URLSearchParams({ action: 'TEMPLATE', text: e.title, dates: `${compact(e.start)}/${compact(e.end)}`, details: e.description, ...(e.location ? { location: e.location } : {}) });
    const outlook = new URLSearchParams({ path: '/calendar/action/compose', rru: 'addevent', subject: e.title, startdt: iso(e.start), enddt: iso(e.end), body: e.description, ...(e.location ? { location: e.location } : {}) });
    return {
      ics: `/bookings/${b.id}/calendar.ics`,
      cancelled: e.status === 'CANCELLED',
      google: `https://calendar.google.com/calendar/render?${google}`,
      outlook: `https://outlook.live.com/calendar/0/action/compose?${outlook}`,
    };
  }

  /** The booking page's links for this viewer; null for anyone but the two parties. */
  function linksFor(b: Booking, userId: string) {
    const viewer = b.mentorId === userId ? b.mentor : b.studentId === userId ? b.student : undefined;
    if (!viewer || !b.skill || !b.mentor || !b.student) return null;
    return addLinks(b as CalendarBooking, viewer);
  }

  return { uid, entry, invitation, download, addLinks, linksFor, methodOf };
}

export type CalendarService = ReturnType<typeof calendarService>;
