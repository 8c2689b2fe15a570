import { afterEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';
import { book, makeDue, post, reminderJobs, reminderMails, reminderNotices } from '../../test/helpers/reminders.ts';

// Ahead of the database's real clock: no reminder job is due until a test makes it so.
const START = new Date('2027-01-10T10:00:00Z'); // a Sunday
const TUESDAY_9_PARIS = '2027-01-12T08:00:00.000Z';
const clock = new FixedClock(START);
const t = await createTestApp({ overrides: { clock } });
afterEach(() => clock.set(START));

const hour = 3_600_000;
const at = (iso: string, minusMinutes: number) => new Date(new Date(iso).getTime() - minusMinutes * 60_000);

describe('reminders scheduled with the booking', () => {
  it('a mentor confirms: one job per party and offset (24 h, 1 h); each sends a notice and a mail in the recipient\'s language and zone', async () => {
    const { skillId, mentorId } = await mentorWithSkill(t, 'mentor:marie');
    const student = await t.signIn('student:sam', { locale: 'fr', timezone: 'America/New_York' });
    const id = await book(t, student, skillId, TUESDAY_9_PARIS);
    expect(await reminderJobs(t, id)).toEqual([]); // pending: nothing to remind of yet
    expect((await post(t, await t.signIn('mentor:marie'), `/bookings/${id}/confirmation`, { meetingUrl: 'https://meet.example.com/r1' })).status).toBe(303);

    const jobs = await reminderJobs(t, id);
    const samId = (await t.user('student:sam')).id;
    expect(jobs.map((j) => j.key).sort()).toEqual([1440, 60].flatMap((o) => [mentorId, samId].map((u) => `reminder:${id}:${u}:${o}`)).sort());
    for (const j of jobs) {
      expect(j.runAt.getTime()).toBe(at(TUESDAY_9_PARIS, j.payload.offsetMinutes).getTime());
      expect(j.payload.startsAt).toBe(TUESDAY_9_PARIS);
    }

    clock.set(at(TUESDAY_9_PARIS, 1440));
    for (const j of jobs.filter((j) => j.payload.offsetMinutes === 1440)) await makeDue(t, j.key);
    await t.runJobs();
    expect((await reminderNotices(t, id)).map((n) => n.userId).sort()).toEqual([mentorId, samId].sort());
    const [fr] = reminderMails(t, 'sam@example.test');
    expect(fr?.subject).toBe('Rappel : Session with Marie Test avec Marie Test, 12 janv. 2027, 03:00 (America/New York)');
    expect(fr?.text).toContain('dans 24 heures');
    expect(fr?.text).toContain('03:00'); // 08:00 UTC in New York
    expect(fr?.text).toContain('(America/New York)');
    expect(fr?.text).toContain('https://meet.example.com/r1');
    expect(fr?.text).toContain(`http://localhost:3999/bookings/${id}/reschedule`);
    expect(fr?.text).toContain(`http://localhost:3999/bookings/${id}#cancel`);
    const [en] = reminderMails(t, 'marie@example.test');
    expect(en?.text).toContain('in 24 hours');
    expect(en?.text).toContain('09:00 (Europe/Paris)');
    expect(en?.html).toContain(`href="http://localhost:3999/bookings/${id}#cancel"`);
    // The 1-hour ones are still waiting for their time.
    expect((await reminderJobs(t, id)).map((j) => j.payload.offsetMinutes)).toEqual([60, 60]);
    // The notice reads in the recipient's language (signed in again: a day passed).
    expect((await (await t.signIn('student:sam')).get('/notifications')).text).toContain('Rappel : « Session with Marie Test » avec Marie Test');
  });

  it('an instant booking is reminded too', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:ines', { settings: { requiresApproval: false } });
    const id = await book(t, await t.signIn('student:ivan'), skillId, TUESDAY_9_PARIS);
    expect((await reminderJobs(t, id)).length).toBe(4);
  });

  it('a moved booking: its jobs move with it (same keys), and the old time is never reminded', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:mona', { settings: { requiresApproval: false } });
    const id = await book(t, await t.signIn('student:milo'), skillId, TUESDAY_9_PARIS);
    const before = await reminderJobs(t, id);
    const wednesday = new Date(new Date(TUESDAY_9_PARIS).getTime() + 24 * hour);
    // What a reschedule does: the new time and the hook, in one transaction.
    await t.deps.knex.transaction(async (trx) => {
      const [moved] = await trx('bookings').where({ id }).update({ startsAt: wednesday, endsAt: new Date(wednesday.getTime() + hour) })
        .returning(['id', 'startsAt', 'endsAt', 'status', 'mentorId', 'studentId']);
      await t.deps.services.reminders.hooks.scheduled(trx, moved);
    });
    const after = await reminderJobs(t, id);
    expect(after.map((j) => j.key)).toEqual(before.map((j) => j.key));
    for (const j of after) expect(j.payload.startsAt).toBe(wednesday.toISOString());

    // A job still naming the old start (queued before the move) runs and sends nothing.
    await t.deps.jobs.add(t.deps.knex, 'booking-reminder', { ...before[0]!.payload });
    clock.set(at(TUESDAY_9_PARIS, 60));
    await t.runJobs();
    expect(await reminderNotices(t, id)).toEqual([]);
  });

  it('moved without the hook: the stale job sends nothing and the sweep schedules the new time, once', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:nora', { settings: { requiresApproval: false } });
    const id = await book(t, await t.signIn('student:noah'), skillId, TUESDAY_9_PARIS);
    const wednesday = new Date(new Date(TUESDAY_9_PARIS).getTime() + 24 * hour);
    await t.deps.knex('bookings').where({ id }).update({ startsAt: wednesday, endsAt: new Date(wednesday.getTime() + hour) });
    clock.set(at(TUESDAY_9_PARIS, 1440));
    for (const j of (await reminderJobs(t, id)).filter((j) => j.payload.offsetMinutes === 1440)) await makeDue(t, j.key);
    await t.runJobs();
    expect(await reminderNotices(t, id)).toEqual([]);

    await t.deps.services.reminders.sweep();
    const swept = await reminderJobs(t, id);
    expect(swept.filter((j) => j.payload.startsAt === wednesday.toISOString()).length).toBe(4);
    await t.deps.services.reminders.sweep();
    expect((await reminderJobs(t, id)).length).toBe(4);
  });

  it('the sweep schedules confirmed bookings written without the hook (demo data), and nothing twice', async () => {
    const { skillId, mentorId } = await mentorWithSkill(t, 'mentor:demo');
    const student = await t.user('student:dina');
    const [row] = await t.deps.knex('bookings').insert({
      skillId, mentorId, studentId: student.id, kind: 'one_on_one', startsAt: new Date(TUESDAY_9_PARIS), endsAt: new Date(new Date(TUESDAY_9_PARIS).getTime() + hour),
      durationMinutes: 60, status: 'confirmed', subject: 'Seeded', priceCents: 0, currency: 'EUR', meetingUrl: 'https://meet.example.com/seed',
    }).returning('id');
    const id = (row as { id: string }).id;
    expect(await reminderJobs(t, id)).toEqual([]);
    await t.deps.services.reminders.sweep();
    expect((await reminderJobs(t, id)).length).toBe(4);
    // Sent already: the sweep does not queue it again.
    clock.set(at(TUESDAY_9_PARIS, 60));
    for (const j of await reminderJobs(t, id)) await makeDue(t, j.key);
    await t.runJobs();
    expect((await reminderNotices(t, id)).length).toBe(4);
    await t.deps.services.reminders.sweep();
    expect(await reminderJobs(t, id)).toEqual([]);
  });

  it('a cancelled booking: its jobs are gone, and a reminder job that still runs sends nothing', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:carl', { settings: { requiresApproval: false } });
    const student = await t.signIn('student:cleo');
    const id = await book(t, student, skillId, TUESDAY_9_PARIS);
    const [job] = await reminderJobs(t, id);
    expect((await post(t, student, `/bookings/${id}/cancellation`, { reason: 'Ill' })).status).toBe(303);
    expect(await reminderJobs(t, id)).toEqual([]);
    await t.deps.jobs.add(t.deps.knex, 'booking-reminder', { ...job!.payload });
    await t.runJobs();
    expect(await reminderNotices(t, id)).toEqual([]);
    expect(reminderMails(t, 'cleo@example.test')).toEqual([]);
  });
});

describe('reminder preferences (profile)', () => {
  it('custom offsets and mail off: the upcoming session is rescheduled at once; the reminder is in-app only', async () => {
    const { skillId, mentorId } = await mentorWithSkill(t, 'mentor:olga', { settings: { requiresApproval: false } });
    const student = await t.signIn('student:otto');
    const id = await book(t, student, skillId, TUESDAY_9_PARIS);
    const page = await student.get('/profile');
    expect(page.text).toContain('id="reminders"');
    expect(page.text).toMatch(/name="offsets" value="1440" checked/);

    const res = await post(t, student, '/profile/reminders', { offsets: ['15', '180'], inApp: 'on' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/profile#reminders');
    const ottoId = (await t.user('student:otto')).id;
    const jobs = await reminderJobs(t, id);
    expect(jobs.filter((j) => j.payload.userId === ottoId).map((j) => j.payload.offsetMinutes).sort()).toEqual([15, 180]);
    expect(jobs.filter((j) => j.payload.userId === mentorId).map((j) => j.payload.offsetMinutes).sort()).toEqual([1440, 60].sort());
    expect((await student.get('/profile')).text).toMatch(/name="offsets" value="180" checked/);

    clock.set(at(TUESDAY_9_PARIS, 15));
    for (const j of jobs.filter((j) => j.payload.userId === ottoId)) await makeDue(t, j.key);
    await t.runJobs();
    expect((await reminderNotices(t, id)).length).toBe(2);
    expect(reminderMails(t, 'otto@example.test')).toEqual([]);
  });

  it('preferences chosen before booking: the confirmation places exactly those jobs, and none for a user with everything off', async () => {
    const { skillId, mentorId } = await mentorWithSkill(t, 'mentor:prea', { settings: { requiresApproval: false } });
    const mentor = await t.signIn('mentor:prea');
    expect((await post(t, mentor, '/profile/reminders', {})).status).toBe(303);
    const student = await t.signIn('student:preb');
    // 48 h before is already past (the session is in 46 h): only 15 min and 24 h are placed.
    expect((await post(t, student, '/profile/reminders', { offsets: ['15', '1440', '2880'], byMail: 'on' })).status).toBe(303);
    const id = await book(t, student, skillId, TUESDAY_9_PARIS);
    const studentId = (await t.user('student:preb')).id;
    const jobs = await reminderJobs(t, id);
    expect(jobs.filter((j) => j.payload.userId === mentorId)).toEqual([]);
    expect(jobs.filter((j) => j.payload.userId === studentId).map((j) => j.payload.offsetMinutes).sort((a, b) => a - b)).toEqual([15, 1440]);
    expect(jobs.every((j) => j.payload.bookingId === id && typeof j.payload.startsAt === 'string')).toBe(true);
  });

  it('everything off: no reminder is queued for that user', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:pia', { settings: { requiresApproval: false } });
    const student = await t.signIn('student:paul');
    const id = await book(t, student, skillId, TUESDAY_9_PARIS);
    expect((await post(t, student, '/profile/reminders', {})).status).toBe(303);
    const paulId = (await t.user('student:paul')).id;
    expect((await reminderJobs(t, id)).filter((j) => j.payload.userId === paulId)).toEqual([]);
  });

  it('more than 3 offsets, or one not offered: refused beside the field, nothing saved', async () => {
    const student = await t.signIn('student:quin');
    const tooMany = await post(t, student, '/profile/reminders', { offsets: ['15', '60', '180', '1440'], byMail: 'on' });
    expect(tooMany.status).toBe(422);
    expect(tooMany.text).toContain('id="r-offsets-error"');
    expect(tooMany.text).toContain('Choose at most 3 reminders.');
    expect(tooMany.text).toMatch(/name="offsets" value="180" checked/); // what was typed stays ticked
    const odd = await post(t, student, '/profile/reminders', { offsets: ['7'], byMail: 'on' });
    expect(odd.status).toBe(422);
    expect(odd.text).toContain('id="r-offsets-error"');
    expect(await t.deps.knex('reminderPreferences').where({ userId: (await t.user('student:quin')).id })).toEqual([]);
    // With htmx the form alone comes back, in its next state.
    const token = await t.csrf(student, '/');
    const partial = await student.post('/profile/reminders').set('HX-Request', 'true').set('HX-Request-Type', 'partial').type('form')
      .send({ _csrf: token, offsets: '60', inApp: 'on' });
    expect(partial.status).toBe(200);
    expect(partial.text).toContain('Your reminder settings are saved.');
    expect(partial.text).not.toContain('<html');
  });
});

describe('the dashboard\'s "session starting" prompt', () => {
  it('from 10 minutes before until the end, for both sides, with the join link', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:rita', { settings: { requiresApproval: false } });
    const id = await book(t, await t.signIn('student:rudy'), skillId, TUESDAY_9_PARIS);
    const { meetingUrl } = await t.deps.knex('bookings').where({ id }).first('meetingUrl');

    clock.set(at(TUESDAY_9_PARIS, 11)); // signed in at that time: sessions expire when idle
    const student = await t.signIn('student:rudy');
    const mentor = await t.signIn('mentor:rita');
    expect((await student.get('/dashboard')).text).not.toContain('starts in');
    clock.set(at(TUESDAY_9_PARIS, 9));
    const page = await student.get('/dashboard');
    expect(page.text).toContain('Your session with Rita Test starts in 9 min');
    expect(page.text).toContain(`href="${meetingUrl}"`);
    expect((await mentor.get('/dashboard/starting')).text).toContain('Your session with Rudy Test starts in 9 min');
    clock.set(at(TUESDAY_9_PARIS, -30));
    expect((await mentor.get('/dashboard/starting')).text).toContain('Your session with Rudy Test has started');
    clock.set(at(TUESDAY_9_PARIS, -61));
    const after = await student.get('/dashboard/starting');
    expect(after.text).toContain('id="starting-soon"'); // it keeps polling
    expect(after.text).not.toContain('Rita Test');
  });
});

describe('the shadow admin', () => {
  it('has no reminder preferences to save: 403, nothing written', async () => {
    const admin = await t.signInAdmin();
    const before = (await t.deps.knex('reminderPreferences')).length;
    const res = await post(t, admin, '/profile/reminders', { offsets: '60', byMail: 'on' });
    expect(res.status).toBe(403);
    expect(await t.deps.knex('reminderPreferences')).toHaveLength(before);
  });
});
