// Jobs run by the worker after the transaction that queued them has committed.
import type { TaskList } from 'graphile-worker';
import { createEvent } from 'ics';
import type { Deps } from '../composition.ts';
import { formatters } from '../i18n/format.ts';
import { Booking } from '../bookings/model.ts';
import { makeBookingService } from '../bookings/factory.ts';
import { ADMIN_QUESTION_MAIL_TASK, lessonQuestionMails } from '../lesson-qa/service.ts';
import { nextFreeService } from '../slots/next-free.ts';
import { User } from '../users/model.ts';
import type { NotificationRow } from './service.ts';

/** An invitation a calendar client can import (sent when a session is confirmed). */
export function invitation(booking: Booking, title: string, organizer: User, appUrl: string): string | undefined {
  const { error, value } = createEvent({
    uid: `${booking.id}@leboncours`,
    start: booking.startsAt.getTime(),
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { minutes: booking.durationMinutes },
    title,
    description: booking.subject,
    url: booking.meetingUrl ?? `${appUrl}/bookings/${booking.id}`,
    ...(booking.meetingUrl ? { location: booking.meetingUrl } : {}),
    organizer: { name: organizer.displayName, email: 'no-reply@leboncours.local' },
    method: 'PUBLISH',
    status: 'CONFIRMED',
  });
  return error || !value ? undefined : value;
}

export function taskList(deps: Deps): TaskList {
  const questionMails = lessonQuestionMails(deps);
  return {
    'notification-mail': async (payload) => {
      const { notificationId } = payload as { notificationId: string };
      const n = await deps.knex('notifications').where({ id: notificationId }).first<NotificationRow | undefined>();
      if (n?.kind === 'lesson.question') return questionMails.toRecipient(n);
      if (!n?.bookingId) return; // deleted meanwhile: nothing to tell
      const [recipient, booking] = await Promise.all([
        User.query(deps.knex).findById(n.userId),
        Booking.query(deps.knex).findById(n.bookingId).withGraphFetched('[skill, mentor, student]'),
      ]);
      if (!recipient || !booking?.skill || !booking.mentor || !booking.student) return;
      const fmt = formatters(recipient.locale, recipient.timezone);
      const other = recipient.id === booking.mentorId ? booking.student : booking.mentor;
      const data = {
        kind: n.kind, reason: n.data.reason ?? null, other: other.displayName, skill: booking.skill.title,
        when: fmt.dateTime(booking.startsAt), zone: recipient.timezone, duration: booking.durationMinutes,
        topic: booking.subject, meetingUrl: booking.meetingUrl, url: `${deps.config.appUrl}/bookings/${booking.id}`,
      };
      const ics = n.kind === 'booking.confirmed' || n.kind === 'booking.booked' ? invitation(booking, booking.skill.title, booking.mentor, deps.config.appUrl) : undefined;
      await deps.mailer.send('booking', { email: recipient.email, locale: recipient.locale, name: recipient.displayName }, data, {
        subjectKey: `mail.${n.kind}.subject`,
        ...(ics ? { attachments: [{ filename: 'leboncours-session.ics', content: ics, contentType: 'text/calendar; charset=utf-8; method=PUBLISH' }] } : {}),
      });
    },
    // A new lesson question, for the shadow admin (no users row, so mail only).
    [ADMIN_QUESTION_MAIL_TASK]: async (payload) => {
      const { commentId } = (payload ?? {}) as { commentId?: unknown };
      if (typeof commentId === 'string') await questionMails.toAdmin(commentId);
    },
    'expire-bookings': async () => {
      const expired = await makeBookingService(deps).expireDue();
      if (expired) deps.logger.info({ expired }, 'pending requests expired');
    },
    'refresh-next-free': async (payload) => {
      const { mentorId } = (payload ?? {}) as { mentorId?: string };
      await nextFreeService(deps).refresh(mentorId ? [mentorId] : undefined);
    },
  };
}

/**
 * Every minute: pending requests past their deadline expire. Every five minutes:
 * each mentor's first free slot is recomputed, as time moves the notice window.
 */
export const CRONTAB = ['* * * * * expire-bookings', '*/5 * * * * refresh-next-free'].join('\n');
