// A booking's conversation over HTTP: who may read and write it, what a message may
// hold and how it is shown, the rate limit under parallel posts, the one in-app notice
// and the 15-minute digest mail, and the booking's note as its first message.
import { afterEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';

// Real time (the digest job's run_at is compared with the database's clock).
const NOW = new Date(Math.floor(Date.now() / 60_000) * 60_000);
const clock = new FixedClock(NOW);
const t = await createTestApp({ overrides: { clock } });
afterEach(() => clock.set(NOW));
type Agent = Awaited<ReturnType<typeof t.signIn>>;

/**
 * 09:00 in Paris on the n-th weekday from now (inside the mentor's hours and window).
 * Weekdays are counted, not calendar days: counting days and then skipping the weekend
 * sent n = 2 and n = 4 to the same Monday when run on a Thursday, and the student's second
 * booking then met their own first one (409).
 */
function weekdayAhead(weekdays: number, utcHour = 8): string {
  const d = new Date(NOW);
  for (let left = weekdays; left > 0; ) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) left -= 1;
  }
  d.setUTCHours(utcHour, 0, 0, 0);
  return d.toISOString();
}

async function book(student: Agent, skillId: string, extra: Record<string, string> = {}, days = 2): Promise<string> {
  const token = await t.csrf(student, '/');
  const res = await student.post(`/skills/${skillId}/bookings`).type('form').send({ _csrf: token, start: weekdayAhead(days), duration: '60', subject: 'Ownership and borrowing', ...extra });
  expect(res.status).toBe(303);
  return res.headers.location!.split('/').pop()!;
}

async function say(agent: Agent, bookingId: string, body: string, partial = false) {
  const token = await t.csrf(agent, '/');
  const req = agent.post(`/bookings/${bookingId}/messages`).type('form');
  if (partial) req.set('HX-Request', 'true').set('HX-Request-Type', 'partial');
  return req.send({ _csrf: token, body });
}

const bodies = async (bookingId: string) => (await t.deps.knex('bookingMessages').where({ bookingId }).orderBy('id')).map((m) => m.body as string);
const digestJobs = (bookingId: string) => t.deps.knex('graphile_worker._private_jobs').where('key', 'like', `conversation-digest:${bookingId}:%`);
/** The 15 minutes pass for the queue: the digest jobs of this booking are due now. */
const digestsDue = (bookingId: string) => digestJobs(bookingId).update({ runAt: t.deps.knex.raw("now() - interval '1 second'") });

describe('a booking conversation', () => {
  it('is read and written by the two parties and the admin only; strangers and other mentors get 404', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:scoper');
    await mentorWithSkill(t, 'mentor:othermentor');
    const student = await t.signIn('student:scopee');
    const id = await book(student, skillId);
    const mentor = await t.signIn('mentor:scoper');

    expect((await say(student, id, 'Hello from the student')).status).toBe(303);
    expect((await say(mentor, id, 'Hello from the mentor')).headers.location).toBe(`/bookings/${id}#conversation`);
    const page = await student.get(`/bookings/${id}`);
    expect(page.text).toContain('id="conversation"');
    expect(page.text).toContain('Hello from the mentor');

    for (const outsider of [await t.signIn('student:stranger'), await t.signIn('mentor:othermentor')]) {
      expect((await outsider.get(`/bookings/${id}/messages`)).status).toBe(404);
      expect((await say(outsider, id, 'Let me in')).status).toBe(404);
    }
    const admin = await t.signInAdmin();
    const adminView = await admin.get(`/bookings/${id}/messages`);
    expect(adminView.status).toBe(200);
    expect(adminView.text).toContain('Hello from the student');
    expect((await say(admin, id, 'Admin here: all good?')).status).toBe(303);
    expect(await bodies(id)).toEqual(['Hello from the student', 'Hello from the mentor', 'Admin here: all good?']);
    expect((await student.get(`/bookings/${id}`)).text).toContain('Leboncours team');
  });

  it('shows text escaped, with http(s) links clickable and safe, and line breaks kept', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:escaper');
    const student = await t.signIn('student:escapee');
    const id = await book(student, skillId);
    await say(student, id, '<script>alert(1)</script> <b>bold</b>\nsee https://example.com/a?b=1&c=2. or javascript:alert(2)');
    const html = (await student.get(`/bookings/${id}`)).text;
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<b>bold');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain('<a href="https://example.com/a?b=1&#38;c=2" rel="noopener noreferrer nofollow ugc" target="_blank">https://example.com/a?b=1&#38;c=2</a>.');
    expect(html).toContain('&#60;/b&#62;<br>see ');
    expect(html).not.toContain('href="javascript');
  });

  it('refuses empty, too long, control characters (422 beside the field), NUL and bad UTF-8 (400); nothing is stored', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:lengthy');
    const student = await t.signIn('student:lengthee');
    const id = await book(student, skillId);
    for (const [body, message] of [['   ', 'Write a message'], ['x'.repeat(2001), 'at most 2,000'], ['bell \u0007 here', 'control characters'], ['esc \u001b[31m', 'control characters']]) {
      const res = await say(student, id, body!);
      expect(res.status).toBe(422);
      expect(res.text).toContain('id="message-body-error"');
      expect(res.text).toContain(message);
    }
    const partial = await say(student, id, '', true);
    expect(partial.status).toBe(422);
    expect(partial.text).toMatch(/^\s*<section class="card stack conversation" id="conversation"/);
    const json = await student.post(`/bookings/${id}/messages`).set('Accept', 'application/json').type('form').send({ _csrf: await t.csrf(student, '/'), body: 'y'.repeat(2001) });
    expect(json.status).toBe(422);
    expect(json.body.error.fields.body).toContain('2,000');
    const token = await t.csrf(student, '/');
    for (const raw of ['body=nul%00byte', 'body=bad%FFbyte']) {
      const res = await student.post(`/bookings/${id}/messages`).type('form').send(`_csrf=${encodeURIComponent(token)}&${raw}`);
      expect(res.status).toBe(400);
    }
    expect(await bodies(id)).toEqual([]);
    // 2,000 characters are counted as characters: 2,000 emoji fit.
    expect((await say(student, id, '😀'.repeat(2000))).status).toBe(303);
  });

  it('lets exactly 10 of 100 parallel posts through in a minute, and more the next minute', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:limiter');
    const student = await t.signIn('student:chatty');
    const id = await book(student, skillId);
    const token = await t.csrf(student, '/');
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) =>
      student.post(`/bookings/${id}/messages`).type('form').send({ _csrf: token, body: `message ${i}` })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 303)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(90);
    expect(await bodies(id)).toHaveLength(10);
    const refused = results.find((r) => r.status === 429)!;
    expect(refused.text).toContain('too fast');
    clock.advance(61_000);
    expect((await say(student, id, 'a minute later')).status).toBe(303);
  });

  it('tells the other party in-app once per conversation, until they read it', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:notified');
    const student = await t.signIn('student:notifier');
    const id = await book(student, skillId);
    const mentorId = (await t.user('mentor:notified')).id;
    const notices = () => t.deps.knex('notifications').where({ userId: mentorId, bookingId: id, kind: 'message.received' });
    for (const n of [1, 2, 3]) await say(student, id, `note ${n}`);
    expect(await notices()).toHaveLength(1);
    const mentor = await t.signIn('mentor:notified');
    expect((await mentor.get('/notifications')).text).toContain('New message from Notifier Test');
    await mentor.get(`/bookings/${id}`);
    expect((await notices()).every((n) => n.readAt)).toBe(true);
    await say(student, id, 'note 4');
    expect(await notices().whereNull('readAt')).toHaveLength(1);
    expect(await notices()).toHaveLength(2);
  });

  it('mails the unread messages once, 15 minutes after the first, in the recipient’s language; nothing once read', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:digester');
    await t.deps.knex('users').where({ username: 'digester' }).update({ locale: 'fr', timezone: 'America/New_York' });
    const student = await t.signIn('student:digestee');
    // 15:00 UTC: 10:00 in the mentor's New York, inside their hours.
    const id = await book(student, skillId, { start: weekdayAhead(2, 15) });
    for (const n of [1, 2, 3]) {
      await say(student, id, `point ${n}`);
      clock.advance(60_000);
    }
    const jobs = await digestJobs(id);
    expect(jobs).toHaveLength(1);
    expect(new Date(jobs[0].runAt).getTime()).toBe(NOW.getTime() + 15 * 60_000);
    await t.runJobs();
    const digests = () => t.mails.filter((m) => m.to === 'digester@example.test' && m.subject.startsWith('Nouveaux messages'));
    expect(digests()).toHaveLength(0);

    await digestsDue(id);
    await t.runJobs();
    const mails = digests();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('Nouveaux messages : « Ownership and borrowing »');
    for (const n of [1, 2, 3]) expect(mails[0]!.text).toContain(`point ${n}`);
    expect(mails[0]!.text).toContain('America/New York');
    expect(mails[0]!.html).toContain(`/bookings/${id}#conversation`);

    // Read before the 15 minutes are up: no mail.
    const id2 = await book(student, skillId, { subject: 'Second topic', start: weekdayAhead(3, 15) });
    await say(student, id2, 'are you there?');
    await say(student, id2, 'hello?');
    await (await t.signIn('mentor:digester')).get(`/bookings/${id2}/messages`);
    await digestsDue(id2);
    await t.runJobs();
    expect(digests()).toHaveLength(1);
  });

  it('starts with the note of the booking request, and of a group seat', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:opener');
    const student = await t.signIn('student:openee');
    const id = await book(student, skillId, { message: 'Please look at my borrow checker errors first.' });
    expect(await bodies(id)).toEqual(['Please look at my borrow checker errors first.']);
    const page = await (await t.signIn('mentor:opener')).get(`/bookings/${id}`);
    expect(page.text).toContain('Please look at my borrow checker errors first.');
    expect(page.text).toContain('Openee Test');

    const group = await mentorWithSkill(t, 'mentor:grouper', { skill: { mode: 'group', durations: [60], startsAt: new Date(weekdayAhead(4)), capacity: 3 } });
    const token = await t.csrf(student, '/');
    const seat = await student.post(`/skills/${group.skillId}/bookings`).type('form').send({ _csrf: token, message: 'Joining from Lyon' });
    expect(seat.status).toBe(303);
    const seatId = seat.headers.location!.split('/').pop()!;
    expect(await bodies(seatId)).toEqual(['Joining from Lyon']);
  });

  it('answers htmx with the conversation in its next state, and the polled thread alone', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:swapper');
    const student = await t.signIn('student:swappee');
    const id = await book(student, skillId);
    const res = await say(student, id, 'via htmx', true);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/^\s*<section class="card stack conversation" id="conversation"/);
    expect(res.text).toContain('via htmx');
    const thread = await student.get(`/bookings/${id}/messages`).set('HX-Request', 'true').set('HX-Request-Type', 'partial');
    expect(thread.text).toMatch(/^\s*<div id="conversation-thread"[^>]*hx-trigger="every 20s"/);
  });
});
