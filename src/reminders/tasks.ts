// The reminders' jobs: a due reminder (deliver.ts), its mail, and the safety sweep.
import type { Deps } from '../composition.ts';
import { formatters } from '../i18n/format.ts';
import type { FeatureJobs } from '../lib/jobs.ts';
import { Booking } from '../bookings/model.ts';
import { User } from '../users/model.ts';
import { deliverReminder, REMINDER_MAIL_TASK } from './deliver.ts';
import { REMINDER_TASK, type ReminderPayload } from './service.ts';

export function reminderJobs(deps: Deps): FeatureJobs {
  const { reminders, notifications } = deps.services;

  async function reminderMail(payload: ReminderPayload): Promise<void> {
    const [recipient, booking] = await Promise.all([
      User.query(deps.knex).findById(payload.userId),
      Booking.query(deps.knex).findById(payload.bookingId).withGraphFetched('[skill, mentor, student]'),
    ]);
    if (!recipient || !booking?.skill || !booking.mentor || !booking.student) return;
    // Cancelled or moved between the reminder and its mail: the mail would be stale.
    if (booking.status !== 'confirmed' || booking.startsAt.getTime() !== new Date(payload.startsAt).getTime()) return;
    const fmt = formatters(recipient.locale, recipient.timezone);
    const other = recipient.id === booking.mentorId ? booking.student : booking.mentor;
    const url = `${deps.config.appUrl}/bookings/${booking.id}`;
    await deps.mailer.send('reminder', { email: recipient.email, locale: recipient.locale, name: recipient.displayName }, {
      other: other.displayName, skill: booking.skill.title, topic: booking.subject, duration: booking.durationMinutes,
      when: fmt.dateTimeInZone(booking.startsAt), offsetMinutes: payload.offsetMinutes,
      meetingUrl: booking.meetingUrl, url, rescheduleUrl: `${url}/reschedule`, cancelUrl: `${url}#cancel`,
    }, { subjectKey: 'mail.reminder.subject' });
  }

  return {
    tasks: {
      [REMINDER_TASK]: async (payload) => {
        await deliverReminder({ knex: deps.knex, clock: deps.clock, jobs: deps.jobs, notifications }, payload as ReminderPayload);
      },
      [REMINDER_MAIL_TASK]: async (payload) => reminderMail(payload as ReminderPayload),
      'reminders-sweep': async () => {
        const added = await reminders.sweep();
        if (added) deps.logger.info({ added }, 'reminders scheduled by the sweep');
      },
    },
    // Every 10 minutes: confirmed bookings starting soon get the reminders they lack.
    crontab: ['*/10 * * * * reminders-sweep'],
  };
}
