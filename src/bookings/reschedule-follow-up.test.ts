// What a real reschedule sets moving in the other features: the invitation both parties
// get is the same event at the new time with a higher SEQUENCE, the reminders follow the
// new time and the old time's reminder never goes out.
import { afterEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { parseCalendar } from '../../test/helpers/ical.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';
import { book, post, reminderJobs, reminderMails, reminderNotices } from '../../test/helpers/reminders.ts';

// Sunday 22 November 2026, 10:00 UTC; Monday 09:00 Paris is 08:00 UTC.
const START = new Date('2026-11-22T10:00:00Z');
const clock = new FixedClock(START);
const t = await createTestApp({ overrides: { clock } });
afterEach(() => clock.set(START));
const MONDAY_9 = '2026-11-23T08:00:00.000Z';
const THURSDAY_10 = '2026-11-26T09:00:00.000Z';
const instant = { settings: { minNoticeMinutes: 60, requiresApproval: false } };

describe('a student moves a confirmed session', () => {
  it('sends both parties the updated invitation (same UID, higher SEQUENCE, new time) and moves the reminders', async () => {
    const m = await mentorWithSkill(t, 'mentor:followup', instant);
    const student = await t.signIn('student:followkid');
    const id = await book(t, student, m.skillId, MONDAY_9);
    // The queue runs on the database's clock, ahead of the test's: every job is due at once,
    // so the booking is moved before any job runs and what goes out must name the new time.
    const before = (await t.deps.knex('bookings').where({ id }).first()).calendarSequence as number;
    expect((await post(t, student, `/bookings/${id}/reschedule`, { start: THURSDAY_10 })).status).toBe(303);
    expect((await reminderJobs(t, id)).map((j) => j.payload.startsAt)).toEqual(expect.arrayContaining([THURSDAY_10]));
    for (const job of await reminderJobs(t, id)) expect(job.payload.startsAt).toBe(THURSDAY_10);
    await t.runJobs();
    await t.runJobs();

    for (const email of ['followkid@example.test', 'followup@example.test']) {
      const invites = t.mails.filter((x) => x.to === email).flatMap((x) => x.attachments ?? []).filter((a) => a.contentType.includes('text/calendar'));
      const last = invites.at(-1)!;
      expect(last.contentType).toContain('method=REQUEST');
      const event = parseCalendar(last.content).events[0]!;
      expect(event).toMatchObject({ uid: `${id}@localhost`, start: '2026-11-26T09:00:00Z', status: 'CONFIRMED' });
      expect(event.sequence).toBeGreaterThan(before);
      // One reminder per offset, for the new time only.
      const reminders = reminderMails(t, email);
      expect(reminders.length).toBe(2);
      for (const r of reminders) expect(r.subject).toContain('26 Nov');
    }
    expect(await reminderNotices(t, id)).toHaveLength(4);
  });
});
