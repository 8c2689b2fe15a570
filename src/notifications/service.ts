// In-app notifications (the bell, the notifications page) and the mail that goes with each one. Both are
// written inside the caller's transaction; the mail is a job that runs after commit.
import type { Knex } from 'knex';
import type { Jobs } from '../lib/jobs.ts';

export type NotificationKind =
  | 'booking.requested' | 'booking.booked' | 'booking.confirmed' | 'booking.rejected'
  | 'booking.cancelled' | 'booking.expired' | 'booking.auto_cancelled'
  | 'booking.reported'
  | 'booking.reschedule_proposed' | 'booking.reschedule_declined' | 'booking.rescheduled'
  | 'booking.reminder' | 'booking.series_requested'
  | 'booking.series_booked' | 'booking.series_confirmed' | 'booking.series_declined' | 'booking.series_cancelled'
  | 'message.received'
  | 'lesson.question' | 'lesson.answered' | 'lesson.pinned';

export interface NotificationRow {
  id: string;
  userId: string;
  kind: NotificationKind;
  bookingId: string | null;
  data: Record<string, unknown>;
  readAt: Date | null;
  createdAt: Date;
}

/**
 * The bell's number as a subquery, so the signed-in header reads it in the same round
 * trip as the user (users/current-user.ts); the partial index on unread rows serves it.
 */
export function unreadCountOf(knex: Knex, userId: string | Knex.Ref<string, Record<string, string>>): Knex.QueryBuilder {
  return knex('notifications').where({ userId }).whereNull('readAt').count('*');
}

export function notificationsService(deps: { knex: Knex; jobs: Jobs }) {
  const { knex, jobs } = deps;

  /** `mail: false` for a feature that sends its own mail, or none (reminders: mail and in-app are separate choices). */
  async function notify(trx: Knex.Transaction, input: { userId: string; kind: NotificationKind; bookingId?: string; data?: Record<string, unknown>; mail?: boolean }): Promise<void> {
    const [row] = await trx('notifications')
      .insert({ userId: input.userId, kind: input.kind, bookingId: input.bookingId ?? null, data: input.data ?? {} })
      .returning('id');
    if (input.mail !== false) await jobs.add(trx, 'notification-mail', { notificationId: (row as { id: string }).id });
  }

  /**
   * At most one unread notice of this kind per booking (a conversation's new messages):
   * the caller serialises writers of the booking, so the check and the insert agree.
   */
  async function notifyOnce(trx: Knex.Transaction, input: { userId: string; kind: NotificationKind; bookingId: string; data?: Record<string, unknown> }): Promise<void> {
    const unread = await trx('notifications').where({ userId: input.userId, kind: input.kind, bookingId: input.bookingId }).whereNull('readAt').first('id');
    if (!unread) await notify(trx, input);
  }

  /** The thing a notice points at has been seen (a conversation read): its notices are read too. */
  async function markReadFor(userId: string, bookingId: string, kind: NotificationKind, at: Date): Promise<number> {
    return knex('notifications').where({ userId, bookingId, kind }).whereNull('readAt').update({ readAt: at });
  }

  async function list(userId: string, limit = 50): Promise<NotificationRow[]> {
    return knex('notifications').where({ userId }).orderBy('createdAt', 'desc').limit(limit)
      .select('id', 'userId', 'kind', 'bookingId', 'data', 'readAt', 'createdAt');
  }

  async function unreadCount(userId: string): Promise<number> {
    const row = await knex.first({ n: unreadCountOf(knex, userId) });
    return Number((row as { n: number } | undefined)?.n ?? 0);
  }

  /** Scoped to the owner: someone else's id changes nothing. */
  async function markRead(userId: string, id: string, at: Date): Promise<boolean> {
    return (await knex('notifications').where({ userId, id }).whereNull('readAt').update({ readAt: at })) > 0;
  }

  async function markAllRead(userId: string, at: Date): Promise<number> {
    return knex('notifications').where({ userId }).whereNull('readAt').update({ readAt: at });
  }

  return { notify, notifyOnce, markReadFor, list, unreadCount, markRead, markAllRead };
}

export type NotificationsService = ReturnType<typeof notificationsService>;
