// The conversation digest: one job per recipient and conversation (its job key), due
// 15 minutes after the first message they have not read; it mails what is still
// unread then, in their language and zone, and nothing if they read it meanwhile.
import type { Deps } from '../composition.ts';
import { formatters } from '../i18n/format.ts';
import { translator } from '../i18n/index.ts';
import type { FeatureJobs } from '../lib/jobs.ts';
import { Booking } from '../bookings/model.ts';
import { User } from '../users/model.ts';
import { DIGEST_TASK } from './service.ts';

export function conversationJobs(deps: Deps): FeatureJobs {
  const { conversations } = deps.services;
  return {
    tasks: {
      [DIGEST_TASK]: async (payload) => {
        const { bookingId, userId } = payload as { bookingId: string; userId: string };
        const [recipient, booking] = await Promise.all([
          User.query(deps.knex).findById(userId),
          Booking.query(deps.knex).findById(bookingId).withGraphFetched('skill'),
        ]);
        if (!recipient || !booking?.skill) return; // gone meanwhile: nothing to tell
        const fmt = formatters(recipient.locale, recipient.timezone);
        const t = translator(recipient.locale);
        await conversations.digest(bookingId, userId, async (messages) => {
          const items = messages.map((m) => ({ author: m.authorRole === 'admin' ? t('conversations.admin') : m.authorName ?? '', when: fmt.dateTimeInZone(m.createdAt), body: m.body }));
          await deps.mailer.send('conversation-digest', { email: recipient.email, locale: recipient.locale, name: recipient.displayName }, {
            count: items.length, skill: booking.skill!.title, subject: booking.subject, items,
            url: `${deps.config.appUrl}/bookings/${booking.id}#conversation`,
          });
        });
      },
    },
  };
}
