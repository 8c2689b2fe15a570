// Mail has no page footer naming the zone: every time a booking mail quotes (subject,
// HTML and text) is followed by the recipient's zone, for every kind of notice.
import { describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import type { NotificationKind } from '../notifications/service.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';
import { book, makeDue, post, reminderJobs } from '../../test/helpers/reminders.ts';

// Ahead of the database's real clock: no reminder is due until the test makes it so.
const START = new Date('2027-01-10T10:00:00Z');
const TUESDAY_9_PARIS = '2027-01-12T08:00:00.000Z';
const clock = new FixedClock(START);
const t = await createTestApp({ overrides: { clock } });

type Mail = (typeof t.mails)[number];

/** Every hh:mm in the mail is followed by the zone, and the session's time is there at least once. */
function expectZoned(mail: Mail | undefined, time: string, zone: string) {
  expect(mail, 'a mail was sent').toBeDefined();
  for (const [part, text] of [['subject', mail!.subject], ['text', mail!.text], ['html', mail!.html]] as const) {
    const bare = [...text.matchAll(/\d{1,2}:\d{2}(?! \()/g)].map((m) => m[0]);
    expect(bare, `${part} of "${mail!.subject}" names no zone after a time`).toEqual([]);
    const zoned = [...text.matchAll(/\d{1,2}:\d{2} \(([^)]+)\)/g)].map((m) => m[1]);
    expect(new Set(zoned), `${part} of "${mail!.subject}"`).toEqual(new Set(part === 'subject' && zoned.length === 0 ? [] : [zone]));
  }
  expect(mail!.text).toContain(`${time} (${zone})`);
}

async function mailsDuring(action: () => Promise<unknown>): Promise<Mail[]> {
  const before = t.mails.length;
  await action();
  await t.runJobs();
  return t.mails.slice(before);
}

describe('times in booking mails', () => {
  it('name the recipient\'s zone next to the time, for every kind of notice and in both languages', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:zonemail');
    const student = await t.signIn('student:zonemailkid', { timezone: 'America/New_York' });
    const studentId = (await t.user('student:zonemailkid')).id;
    const frStudent = await t.user('student:zonemailfr', { locale: 'fr', timezone: 'Africa/Dakar' });

    // Requested through the booking flow: the mentor reads it in Paris time.
    let bookingId = '';
    const [requested] = await mailsDuring(async () => { bookingId = await book(t, student, skillId, TUESDAY_9_PARIS); });
    expect(requested?.to).toBe('zonemail@example.test');
    expectZoned(requested, '12 Jan 2027, 09:00', 'Europe/Paris');

    // Every other notice goes through the same mail job: told to the student in New York, and in French in Dakar.
    const kinds: NotificationKind[] = ['booking.booked', 'booking.confirmed', 'booking.rejected', 'booking.cancelled', 'booking.expired', 'booking.auto_cancelled', 'booking.rescheduled'];
    for (const kind of kinds) {
      const mails = await mailsDuring(() => t.deps.knex.transaction(async (trx) => {
        for (const userId of [studentId, frStudent.id]) await t.deps.services.notifications.notify(trx, { userId, kind, bookingId, data: { reason: 'Mentor unwell' } });
      }));
      expect(mails.map((m) => m.to).sort(), kind).toEqual(['zonemailfr@example.test', 'zonemailkid@example.test']);
      const en = mails.find((m) => m.to === 'zonemailkid@example.test');
      expect(en?.subject, kind).not.toContain('mail.');
      expectZoned(en, '12 Jan 2027, 03:00', 'America/New York');
      expectZoned(mails.find((m) => m.to === 'zonemailfr@example.test'), '12 janv. 2027, 08:00', 'Africa/Dakar');
    }

    // The reminder of the confirmed session, through its own job.
    expect((await post(t, await t.signIn('mentor:zonemail'), `/bookings/${bookingId}/confirmation`, { meetingUrl: 'https://meet.example.com/z1' })).status).toBe(303);
    clock.set(new Date(new Date(TUESDAY_9_PARIS).getTime() - 1440 * 60_000));
    const reminders = await mailsDuring(async () => {
      for (const j of (await reminderJobs(t, bookingId)).filter((j) => j.payload.offsetMinutes === 1440)) await makeDue(t, j.key);
    });
    const reminder = reminders.find((m) => m.to === 'zonemailkid@example.test' && m.subject.startsWith('Reminder'));
    expectZoned(reminder, '12 Jan 2027, 03:00', 'America/New York');
    expectZoned(reminders.find((m) => m.to === 'zonemail@example.test' && m.subject.startsWith('Reminder')), '12 Jan 2027, 09:00', 'Europe/Paris');
  });
});
