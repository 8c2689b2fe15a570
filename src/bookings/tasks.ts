// The bookings feature's jobs: the mail of each booking notification (with the
// calendar invitation or cancellation, see invitation.ts), and expiring unanswered requests.
import type { Deps } from '../composition.ts';
import { formatters } from '../i18n/format.ts';
import type { FeatureJobs, StoredNotification } from '../lib/jobs.ts';
import type { CalendarBooking } from '../calendar/service.ts';
import { User } from '../users/model.ts';
import { invitationAttachment } from './invitation.ts';
import { Booking } from './model.ts';

export function bookingJobs(deps: Deps): FeatureJobs {
  const { bookings } = deps.services;

  async function bookingMail(n: StoredNotification): Promise<void> {
    if (!n.bookingId) return; // deleted meanwhile: nothing to tell
    const [recipient, booking] = await Promise.all([
      User.query(deps.knex).findById(n.userId),
      Booking.query(deps.knex).findById(n.bookingId).withGraphFetched('[skill, mentor, student]'),
    ]);
    if (!recipient || !booking?.skill || !booking.mentor || !booking.student) return;
    const fmt = formatters(recipient.locale, recipient.timezone);
    const other = recipient.id === booking.mentorId ? booking.student : booking.mentor;
    const data = {
      kind: n.kind, reason: n.data.reason ?? null, other: other.displayName, skill: booking.skill.title,
      when: fmt.dateTimeInZone(booking.startsAt), duration: booking.durationMinutes,
      topic: booking.subject, meetingUrl: booking.meetingUrl, url: `${deps.config.appUrl}/bookings/${booking.id}`,
    };
    const ics = invitationAttachment(deps.services.calendar, n.kind, booking as CalendarBooking, recipient);
    await deps.mailer.send('booking', { email: recipient.email, locale: recipient.locale, name: recipient.displayName }, data, {
      subjectKey: `mail.${n.kind}.subject`,
      ...(ics ? { attachments: [ics] } : {}),
    });
  }

  return {
    tasks: {
      'expire-bookings': async () => {
        const expired = await bookings.expireDue();
        if (expired) deps.logger.info({ expired }, 'pending requests expired');
      },
      'lapse-reschedule-proposals': async () => {
        await deps.services.reschedule.lapseDue();
      },
    },
    // Every minute: pending requests past their deadline expire.
    crontab: ['* * * * * expire-bookings', '* * * * * lapse-reschedule-proposals'],
    notificationMails: { booking: bookingMail },
  };
}
