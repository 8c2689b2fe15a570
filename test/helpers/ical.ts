// Reads our iCalendar output with a real RFC 5545 parser (ical.js): a string match
// would pass on output that calendar clients reject.
import ICAL from 'ical.js';

export interface ParsedEvent {
  uid: string;
  sequence: number;
  status: string;
  summary: string;
  description: string;
  /** As written: '2027-03-24T09:00:00Z' for a UTC time. */
  start: string;
  end: string;
  utc: boolean;
  organizer: string;
  attendees: string[];
  dtstamp: string;
}

export function parseCalendar(text: string) {
  const root = new ICAL.Component(ICAL.parse(text));
  if (root.name !== 'vcalendar') throw new Error(`not a calendar: ${root.name}`);
  const events: ParsedEvent[] = root.getAllSubcomponents('vevent').map((v) => {
    const start = v.getFirstPropertyValue('dtstart') as ICAL.Time;
    const end = v.getFirstPropertyValue('dtend') as ICAL.Time;
    return {
      uid: String(v.getFirstPropertyValue('uid')),
      sequence: Number(v.getFirstPropertyValue('sequence')),
      status: String(v.getFirstPropertyValue('status')),
      summary: String(v.getFirstPropertyValue('summary')),
      description: String(v.getFirstPropertyValue('description') ?? ''),
      start: start.toString(),
      end: end.toString(),
      utc: start.zone === ICAL.Timezone.utcTimezone && end.zone === ICAL.Timezone.utcTimezone,
      organizer: String(v.getFirstPropertyValue('organizer')),
      attendees: v.getAllProperties('attendee').map((p) => String(p.getFirstValue())),
      dtstamp: String(v.getFirstPropertyValue('dtstamp')),
    };
  });
  return {
    method: root.getFirstPropertyValue('method') as string | null,
    name: root.getFirstPropertyValue('x-wr-calname') as string | null,
    refresh: root.getFirstProperty('refresh-interval')?.getFirstValue()?.toString() ?? null,
    events,
  };
}
