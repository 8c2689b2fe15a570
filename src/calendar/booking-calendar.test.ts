// A booking as a calendar event: the .ics download (scoped to the two parties), its
// SEQUENCE over confirm → move → cancel, UTC times across DST, the booking page's links
// and the invitations mailed with booking notices. Every output goes through ical.js.
import { describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { parseCalendar } from '../../test/helpers/ical.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';

// Monday 22 March 2027, 09:00 Paris; Europe/Paris moves to summer time on Sunday 28 March.
const clock = new FixedClock(new Date('2027-03-22T08:00:00Z'));
const t = await createTestApp({ overrides: { clock } });
type Agent = Awaited<ReturnType<typeof t.signIn>>;
const WED_BEFORE_DST = '2027-03-24T09:00:00.000Z'; // 10:00 in Paris (UTC+1)
const WED_AFTER_DST = '2027-03-31T08:00:00.000Z'; // 10:00 in Paris (UTC+2)

async function post(agent: Agent, path: string, body: Record<string, string> = {}) {
  const token = await t.csrf(agent, '/');
  return agent.post(path).type('form').send({ _csrf: token, ...body });
}

async function book(student: Agent, skillId: string, start: string): Promise<string> {
  const res = await post(student, `/skills/${skillId}/bookings`, { start, duration: '60', subject: 'Help with lifetimes' });
  expect(res.status).toBe(303);
  return String(res.headers.location).split('/').pop()!;
}

async function ics(agent: Agent, id: string) {
  const res = await agent.get(`/bookings/${id}/calendar.ics`);
  expect(res.status).toBe(200);
  return { res, cal: parseCalendar(res.text) };
}

const mailTo = (email: string, subject: RegExp) => t.mails.filter((m) => m.to === email && subject.test(m.subject)).at(-1);

describe('a booking in a calendar', () => {
  it('keeps its UID and raises SEQUENCE on confirm, move and cancel; the cancellation is METHOD:CANCEL', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:seqmentor', { skill: { title: 'Rust' } });
    const student = await t.signIn('student:seqstudent');
    const id = await book(student, skillId, WED_BEFORE_DST);

    const pending = (await ics(student, id)).cal;
    expect(pending.method).toBe('REQUEST');
    expect(pending.events).toHaveLength(1);
    const first = pending.events[0]!;
    expect(first.uid).toBe(`${id}@localhost`);
    expect(first.status).toBe('TENTATIVE');
    expect(first.summary).toBe('Rust · Seqmentor Test');
    expect(first.organizer.toLowerCase()).toContain('mailto:');
    expect(first.attendees).toEqual(['mailto:seqstudent@example.test']);
    expect(first.dtstamp).toBe('2027-03-22T08:00:00Z');

    const mentor = await t.signIn('mentor:seqmentor');
    expect((await post(mentor, `/bookings/${id}/confirmation`, { meetingUrl: 'https://meet.example.com/room-7' })).status).toBe(303);
    const confirmed = (await ics(mentor, id)).cal.events[0]!;
    expect(confirmed).toMatchObject({ uid: first.uid, status: 'CONFIRMED' });
    expect(confirmed.sequence).toBeGreaterThan(first.sequence);
    expect(confirmed.description).toContain('https://meet.example.com/room-7');
    // The mentor's copy names the student and has the mentor as attendee.
    expect(confirmed.summary).toBe('Rust · Seqstudent Test');
    expect(confirmed.attendees).toEqual(['mailto:seqmentor@example.test']);

    // A move by any path (here the database itself) is a new version of the same event.
    await t.deps.knex('bookings').where({ id }).update({ startsAt: WED_AFTER_DST, endsAt: '2027-03-31T09:00:00.000Z' });
    const moved = (await ics(student, id)).cal.events[0]!;
    expect(moved).toMatchObject({ uid: first.uid, start: '2027-03-31T08:00:00Z', status: 'CONFIRMED' });
    expect(moved.sequence).toBeGreaterThan(confirmed.sequence);

    // A write that changes nothing the calendar shows leaves the sequence alone.
    await t.deps.knex('bookings').where({ id }).update({ mentorNotes: 'Bring code' });
    expect((await ics(student, id)).cal.events[0]!.sequence).toBe(moved.sequence);

    expect((await post(student, `/bookings/${id}/cancellation`, { reason: 'Ill' })).status).toBe(303);
    const cancelled = await ics(student, id);
    expect(cancelled.res.headers['content-type']).toBe('text/calendar; charset=utf-8; method=CANCEL');
    expect(cancelled.cal.method).toBe('CANCEL');
    expect(cancelled.cal.events[0]).toMatchObject({ uid: first.uid, status: 'CANCELLED' });
    expect(cancelled.cal.events[0]!.sequence).toBeGreaterThan(moved.sequence);
  });

  it('writes a Paris 10:00 session in UTC on both sides of the March change: 09:00Z, then 08:00Z', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:dstmentor', { settings: { requiresApproval: false, windowDays: 21 } });
    const student = await t.signIn('student:dststudent', { timezone: 'America/New_York' });
    const before = (await ics(student, await book(student, skillId, WED_BEFORE_DST))).cal.events[0]!;
    const after = (await ics(student, await book(student, skillId, WED_AFTER_DST))).cal.events[0]!;
    expect(before).toMatchObject({ start: '2027-03-24T09:00:00Z', end: '2027-03-24T10:00:00Z', utc: true, status: 'CONFIRMED' });
    expect(after).toMatchObject({ start: '2027-03-31T08:00:00Z', end: '2027-03-31T09:00:00Z', utc: true });
  });

  it('serves the .ics to the two parties only: a stranger, the admin or a bad id get a 404', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:scopementor');
    const student = await t.signIn('student:scopestudent');
    const id = await book(student, skillId, WED_BEFORE_DST);
    const mine = await student.get(`/bookings/${id}/calendar.ics`);
    expect(mine.headers['content-type']).toBe('text/calendar; charset=utf-8; method=REQUEST');
    expect(mine.headers['content-disposition']).toMatch(/^attachment; filename="?leboncours-[0-9a-f]{8}\.ics"?$/);
    expect(mine.headers['cache-control']).toBe('private, no-store');
    for (const agent of [await t.signIn('student:scopestranger'), await t.signIn('mentor:scopeother'), await t.signInAdmin()]) {
      const res = await agent.get(`/bookings/${id}/calendar.ics`);
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('BEGIN:VCALENDAR');
    }
    expect((await student.get('/bookings/not-a-uuid/calendar.ics')).status).toBe(404);
    expect((await student.get('/bookings/00000000-0000-4000-8000-000000000000/calendar.ics')).status).toBe(404);
    expect((await t.agent().get(`/bookings/${id}/calendar.ics`)).status).not.toBe(200);
  });

  it('shows the add-to-calendar links on the booking page, with Google and Outlook times in UTC', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:linkmentor', { skill: { title: 'Go & C' } });
    const student = await t.signIn('student:linkstudent');
    const id = await book(student, skillId, WED_BEFORE_DST);
    const page = (await student.get(`/bookings/${id}`)).text;
    const hrefs = [...page.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&').replace(/&#39;/g, "'"));
    expect(hrefs).toContain(`/bookings/${id}/calendar.ics`);
    const google = new URL(hrefs.find((h) => h.startsWith('https://calendar.google.com/'))!);
    expect(google.pathname).toBe('/calendar/render');
    expect(google.searchParams.get('action')).toBe('TEMPLATE');
    expect(google.searchParams.get('dates')).toBe('20270324T090000Z/20270324T100000Z');
    expect(google.searchParams.get('text')).toBe('Go & C · Linkmentor Test');
    const outlook = new URL(hrefs.find((h) => h.startsWith('https://outlook.live.com/'))!);
    expect(outlook.pathname).toBe('/calendar/0/action/compose');
    expect(outlook.searchParams.get('rru')).toBe('addevent');
    expect(outlook.searchParams.get('startdt')).toBe('2027-03-24T09:00:00Z');
    expect(outlook.searchParams.get('enddt')).toBe('2027-03-24T10:00:00Z');
    // The admin may read the booking but has no calendar of it.
    const admin = (await (await t.signInAdmin()).get(`/bookings/${id}`)).text;
    expect(admin).not.toContain('calendar.ics');
    // Once cancelled, the page offers the cancellation instead of adding it.
    await post(student, `/bookings/${id}/cancellation`, { reason: 'Changed plans' });
    const after = (await student.get(`/bookings/${id}`)).text;
    expect(after).toContain('Download the cancellation (.ics)');
    expect(after).not.toContain('calendar.google.com');
  });

  it('mails METHOD:REQUEST with a confirmation and METHOD:CANCEL, with the next sequence, with a cancellation or rejection', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:mailmentor');
    const student = await t.signIn('student:mailstudent');
    const mentor = await t.signIn('mentor:mailmentor');
    const id = await book(student, skillId, WED_BEFORE_DST);
    await t.runJobs();
    expect(mailTo('mailmentor@example.test', /request/i)?.attachments ?? []).toEqual([]);

    await post(mentor, `/bookings/${id}/confirmation`);
    await t.runJobs();
    const invite = mailTo('mailstudent@example.test', /^Confirmed/)?.attachments?.[0];
    expect(invite?.contentType).toBe('text/calendar; charset=utf-8; method=REQUEST');
    const request = parseCalendar(invite!.content);
    expect(request.method).toBe('REQUEST');
    expect(request.events[0]).toMatchObject({ uid: `${id}@localhost`, status: 'CONFIRMED', start: '2027-03-24T09:00:00Z' });

    await post(student, `/bookings/${id}/cancellation`, { reason: 'Ill' });
    await t.runJobs();
    const cancelMail = t.mails.filter((m) => m.to === 'mailmentor@example.test').at(-1)!;
    const cancel = cancelMail.attachments?.[0];
    expect(cancel?.contentType).toBe('text/calendar; charset=utf-8; method=CANCEL');
    const parsed = parseCalendar(cancel!.content);
    expect(parsed.method).toBe('CANCEL');
    expect(parsed.events[0]).toMatchObject({ uid: `${id}@localhost`, status: 'CANCELLED' });
    expect(parsed.events[0]!.sequence).toBeGreaterThan(request.events[0]!.sequence);

    const rejectedId = await book(student, skillId, '2027-03-25T09:00:00.000Z');
    await post(mentor, `/bookings/${rejectedId}/rejection`, { reason: 'Away that day' });
    await t.runJobs();
    const rejection = t.mails.filter((m) => m.to === 'mailstudent@example.test').at(-1)!.attachments?.[0];
    expect(rejection?.contentType).toContain('method=CANCEL');
    expect(parseCalendar(rejection!.content).events[0]).toMatchObject({ uid: `${rejectedId}@localhost`, status: 'CANCELLED' });
  });

  it('mails a moved booking (the reschedule notice) as a REQUEST at the new time with a higher sequence', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:movementor', { settings: { requiresApproval: false } });
    const student = await t.signIn('student:movestudent');
    const id = await book(student, skillId, WED_BEFORE_DST);
    await t.runJobs();
    const first = parseCalendar(t.mails.filter((m) => m.to === 'movestudent@example.test').at(-1)!.attachments![0]!.content).events[0]!;
    // What the reschedule feature does in its move transaction: new time, then the notice.
    await t.deps.knex.transaction(async (trx) => {
      await trx('bookings').where({ id }).update({ startsAt: WED_AFTER_DST, endsAt: '2027-03-31T09:00:00.000Z' });
      const userId = (await t.user('student:movestudent')).id;
      await t.deps.services.notifications.notify(trx, { userId, kind: 'booking.rescheduled', bookingId: id, data: { previousStartsAt: WED_BEFORE_DST, by: 'mentor' } });
    });
    await t.runJobs();
    const moved = t.mails.filter((m) => m.to === 'movestudent@example.test').at(-1)!.attachments?.[0];
    expect(moved?.contentType).toBe('text/calendar; charset=utf-8; method=REQUEST');
    const event = parseCalendar(moved!.content).events[0]!;
    expect(event).toMatchObject({ uid: first.uid, start: '2027-03-31T08:00:00Z', status: 'CONFIRMED' });
    expect(event.sequence).toBeGreaterThan(first.sequence);
  });

  it('attaches the instant booking invitation to both parties', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:instantmentor', { settings: { requiresApproval: false } });
    const student = await t.signIn('student:instantstudent');
    const id = await book(student, skillId, WED_BEFORE_DST);
    await t.runJobs();
    for (const email of ['instantmentor@example.test', 'instantstudent@example.test']) {
      const a = t.mails.filter((m) => m.to === email).at(-1)?.attachments?.[0];
      expect(a?.contentType).toContain('method=REQUEST');
      const cal = parseCalendar(a!.content);
      expect(cal.events[0]).toMatchObject({ uid: `${id}@localhost`, status: 'CONFIRMED' });
      expect(cal.events[0]!.attendees).toEqual([`mailto:${email}`]);
    }
  });
});
