// An RFC 5545 writer over the `ics` package: it folds lines, escapes text and prints
// UTC times. Every time is written in UTC (…Z), so daylight-saving changes cannot shift
// a session whatever zone the reader's calendar is in.
import { createEvents, type EventAttributes } from 'ics';

export type EntryStatus = 'CONFIRMED' | 'TENTATIVE' | 'CANCELLED';
export type CalendarMethod = 'REQUEST' | 'CANCEL' | 'PUBLISH';

export interface Contact { name: string; email: string }

export interface CalendarEntry {
  uid: string;
  sequence: number;
  start: Date;
  end: Date;
  title: string;
  description: string;
  url: string;
  location?: string | undefined;
  status: EntryStatus;
  organizer: Contact;
  attendees: Contact[];
  created: Date;
  modified: Date;
}

export interface CalendarHeader {
  method: CalendarMethod;
  /** A subscribed feed's name and refresh hint. */
  feedName?: string;
}

const PRODUCT_ID = '-//Leboncours//Sessions//EN';
/** How often a subscribed client should fetch again (RFC 7986, and Outlook's own hint). */
const REFRESH = 'PT1H';

function toEvent(e: CalendarEntry, now: Date): EventAttributes {
  const event: EventAttributes = {
    uid: e.uid,
    sequence: e.sequence,
    start: e.start.getTime(),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: e.end.getTime(),
    endInputType: 'utc',
    endOutputType: 'utc',
    title: e.title,
    description: e.description,
    url: e.url,
    ...(e.location ? { location: e.location } : {}),
    status: e.status,
    organizer: e.organizer,
    attendees: e.attendees.map((a) => ({ ...a, rsvp: false, partstat: 'ACCEPTED', role: 'REQ-PARTICIPANT' })),
    created: e.created.getTime(),
    lastModified: e.modified.getTime(),
  };
  // DTSTAMP: `ics` takes it (it defaults to Date.now()) but its types omit it; ours is the clock's.
  return Object.assign(event, { timestamp: now.getTime() });
}

/** A VCALENDAR with these events; throws if `ics` refuses one (a bug of ours, not input). */
export function writeCalendar(entries: CalendarEntry[], header: CalendarHeader, now: Date): string {
  const { error, value } = createEvents(entries.map((e) => toEvent(e, now)), {
    productId: PRODUCT_ID,
    method: header.method,
    ...(header.feedName ? { calName: header.feedName } : {}),
  });
  if (error || !value) throw error ?? new TypeError('ics produced no calendar');
  if (!header.feedName) return value;
  return value.replace('X-PUBLISHED-TTL:PT1H\r\n', `X-PUBLISHED-TTL:${REFRESH}\r\nREFRESH-INTERVAL;VALUE=DURATION:${REFRESH}\r\n`);
}
