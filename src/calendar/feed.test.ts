// The private feed: what it holds (both roles, recent cancellations, no one else's, no
// drafts), that it needs no session, and that revoked, replaced or malformed tokens get
// a 404, never a 500.
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { parseCalendar } from '../../test/helpers/ical.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';

const clock = new FixedClock(new Date('2027-03-22T08:00:00Z'));
const t = await createTestApp({ overrides: { clock } });
type Agent = Awaited<ReturnType<typeof t.signIn>>;
const anonymous = () => supertest(t.app);

async function post(agent: Agent, path: string, body: Record<string, string> = {}) {
  const token = await t.csrf(agent, '/profile');
  return agent.post(path).type('form').send({ _csrf: token, ...body });
}

async function book(student: Agent, skillId: string, start: string): Promise<string> {
  const token = await t.csrf(student, '/');
  const res = await student.post(`/skills/${skillId}/bookings`).type('form').send({ _csrf: token, start, duration: '60', subject: 'Feed me' });
  expect(res.status).toBe(303);
  return String(res.headers.location).split('/').pop()!;
}

/** The feed URLs as the profile shows them. */
async function feedUrls(agent: Agent) {
  const page = (await agent.get('/profile')).text;
  const webcal = /href="(webcal:\/\/[^"]+)"/.exec(page)?.[1];
  const https = /id="calendar-feed-url"[^>]*value="([^"]+)"/.exec(page)?.[1];
  return { page, webcal, https, path: https ? new URL(https).pathname : undefined };
}

async function createFeed(agent: Agent) {
  const res = await post(agent, '/profile/calendar-feed');
  expect(res.status).toBe(303);
  expect(res.headers.location).toBe('/profile#calendar-feed');
  const urls = await feedUrls(agent);
  expect(urls.path).toMatch(/^\/calendar\/[A-Za-z0-9_-]{44}\.ics$/);
  return urls;
}

describe('the private calendar feed', () => {
  it('is created from the profile and holds every live booking of the person, on both sides, and nothing of anyone else', async () => {
    const teacher = await mentorWithSkill(t, 'mentor:feedmentor', { skill: { title: 'Rust basics' } });
    const other = await mentorWithSkill(t, 'mentor:feedother', { skill: { title: 'Golang basics' } });
    const student = await t.signIn('student:feedstudent');
    const stranger = await t.signIn('student:feedstranger');
    const pending = await book(student, teacher.skillId, '2027-03-24T09:00:00.000Z');
    const confirmed = await book(student, other.skillId, '2027-03-25T09:00:00.000Z');
    await t.deps.knex('bookings').where({ id: confirmed }).update({ status: 'confirmed' });
    const cancelledRecently = await book(student, teacher.skillId, '2027-03-26T09:00:00.000Z');
    await t.deps.knex('bookings').where({ id: cancelledRecently }).update({ status: 'cancelled', cancelledBy: 'student' });
    const strangers = await book(stranger, teacher.skillId, '2027-03-24T13:00:00.000Z');
    // Cancelled long ago: gone from the feed.
    const old = await book(student, teacher.skillId, '2027-03-29T09:00:00.000Z');
    await t.deps.knex('bookings').where({ id: old }).update({ status: 'cancelled', startsAt: '2027-01-04T09:00:00Z', endsAt: '2027-01-04T10:00:00Z', updatedAt: '2027-01-05T09:00:00Z' });

    const before = await feedUrls(student);
    expect(before.page).toContain('Create my calendar address');
    expect(before.https).toBeUndefined();
    const { webcal, https, path } = await createFeed(student);
    expect(webcal).toBe(`webcal://localhost:3999${path}`);
    expect(https).toBe(`http://localhost:3999${path}`);

    const res = await anonymous().get(path!);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8; method=PUBLISH');
    expect(res.headers['cache-control']).toBe('private, max-age=300');
    // No session is read or written for a calendar client.
    expect(res.headers['set-cookie']).toBeUndefined();
    const cal = parseCalendar(res.text);
    expect(cal.method).toBe('PUBLISH');
    expect(cal.name).toBe('Leboncours · Feedstudent Test');
    expect(cal.refresh).toBe('PT1H');
    const byUid = new Map(cal.events.map((e) => [e.uid, e]));
    expect([...byUid.keys()].sort()).toEqual([pending, confirmed, cancelledRecently].map((id) => `${id}@localhost`).sort());
    expect(byUid.get(`${pending}@localhost`)).toMatchObject({ status: 'TENTATIVE', start: '2027-03-24T09:00:00Z', utc: true, summary: 'Rust basics · Feedmentor Test' });
    expect(byUid.get(`${confirmed}@localhost`)).toMatchObject({ status: 'CONFIRMED', summary: 'Golang basics · Feedother Test' });
    expect(byUid.get(`${cancelledRecently}@localhost`)?.status).toBe('CANCELLED');
    expect(res.text).not.toContain(strangers);
    expect(res.text).not.toContain(old);

    // The mentor's own feed has the same events under the same UIDs, and the stranger's booking.
    const mentor = await t.signIn('mentor:feedmentor');
    const mentorCal = parseCalendar((await anonymous().get((await createFeed(mentor)).path!)).text);
    expect(mentorCal.events.map((e) => e.uid).sort()).toEqual([pending, cancelledRecently, strangers].map((id) => `${id}@localhost`).sort());
  });

  it("shows a mentor's published group session once, whatever its seats, and never a draft", async () => {
    const starts = new Date('2027-03-26T17:00:00Z');
    const group = await mentorWithSkill(t, 'mentor:feedgroup', { skill: { title: 'Group Rust', mode: 'group', durations: [60], startsAt: starts, capacity: 5 } });
    await t.deps.knex('skills').insert({ mentorId: group.mentorId, title: 'Secret draft', description: 'x', category: 'programming', priceCents: 0, durations: [60], mode: 'group', status: 'draft', startsAt: new Date('2027-03-27T17:00:00Z'), capacity: 3 });
    for (const fixture of ['student:seatone', 'student:seattwo']) {
      const kid = await t.signIn(fixture);
      const token = await t.csrf(kid, '/');
      expect((await kid.post(`/skills/${group.skillId}/bookings`).type('form').send({ _csrf: token, subject: 'Seat' })).status).toBe(303);
    }
    const mentor = await t.signIn('mentor:feedgroup');
    const cal = parseCalendar((await anonymous().get((await createFeed(mentor)).path!)).text);
    expect(cal.events).toHaveLength(1);
    expect(cal.events[0]).toMatchObject({ uid: `session-${group.skillId}@localhost`, summary: 'Group Rust', start: '2027-03-26T17:00:00Z', status: 'CONFIRMED' });
    expect(JSON.stringify(cal)).not.toContain('Secret draft');
    // A seat holder sees their seat.
    const seat = parseCalendar((await anonymous().get((await createFeed(await t.signIn('student:seatone'))).path!)).text);
    expect(seat.events).toHaveLength(1);
    expect(seat.events[0]).toMatchObject({ start: '2027-03-26T17:00:00Z', status: 'CONFIRMED' });
  });

  it('regenerating kills the old URL, revoking kills the URL, both work without JavaScript', async () => {
    const student = await t.signIn('student:feedrevoker');
    const first = await createFeed(student);
    expect((await anonymous().get(first.path!)).status).toBe(200);
    const second = await createFeed(student); // the same form: "Get a new address"
    expect(second.path).not.toBe(first.path);
    expect((await anonymous().get(first.path!)).status).toBe(404);
    expect((await anonymous().get(second.path!)).status).toBe(200);

    const revoked = await post(student, '/profile/calendar-feed/deletion');
    expect(revoked.status).toBe(303);
    const page = await student.get('/profile');
    expect(page.text).toContain('Calendar address turned off.');
    expect(page.text).toContain('Create my calendar address');
    expect((await anonymous().get(second.path!)).status).toBe(404);

    // The forms need the CSRF token.
    expect((await student.post('/profile/calendar-feed').type('form').send({})).status).toBe(403);
    expect(await t.deps.knex('calendarFeeds').where({ userId: (await t.user('student:feedrevoker')).id })).toHaveLength(0);
  });

  it('answers 404, never 500, to HEAD, forged, short or odd tokens; a NUL byte is the app-wide 400', async () => {
    const { path } = await createFeed(await t.signIn('student:feedprobe'));
    const token = path!.slice('/calendar/'.length, -'.ics'.length);
    const head = await anonymous().head(path!);
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toContain('text/calendar');
    const forged = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    const otherId = (token.startsWith('A') ? 'B' : 'A') + token.slice(1);
    for (const bad of [forged, otherId, token.slice(0, 43), `${token}A`, 'x', '..%2F..%2Fetc', 'a'.repeat(5000), token.toLowerCase()]) {
      const get = await anonymous().get(`/calendar/${bad}.ics`);
      expect(get.status, bad).toBe(404);
      expect(get.text).not.toContain('BEGIN:VCALENDAR');
      expect((await anonymous().head(`/calendar/${bad}.ics`)).status, bad).toBe(404);
    }
    expect((await anonymous().get(`/calendar/${token}`)).status).toBe(404);
    // Control characters never reach the router (src/lib/request-sanity.ts): a clear 400.
    for (const bad of ['%00', `${token.slice(0, 43)}%00`]) {
      const res = await anonymous().get(`/calendar/${bad}.ics`).set('Accept', 'application/json');
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('bad_request');
    }
    const json = await anonymous().get(`/calendar/${forged}.ics`).set('Accept', 'application/json');
    expect(json.body.error.code).toBe('not_found');
  });
});
