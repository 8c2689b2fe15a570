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
  | 'lesson.question';

export interface NotificationRow {
  id: string;
  userId: string;
  kind: NotificationKind;
  bookingId: string | null;
  data: Record<string, unknown>;
  readAt: Date | null;
  createdAt: Date;
}

export function notificationsService(deps: { knex: Knex; jobs: Jobs }) {
  const { knex, jobs } = deps;

  async function notify(trx: Knex.Transaction, input: { userId: string; kind: NotificationKind; bookingId?: string; data?: Record<string, unknown> }): Promise<void> {
    const [row] = await trx('notifications')
      .insert({ userId: input.userId, kind: input.kind, bookingId: input.bookingId ?? null, data: input.data ?? {} })
      .returning('id');
    await jobs.add(trx, 'notification-mail', { notificationId: (row as { id: string }).id });
  }

  async function list(userId: string, limit = 50): Promise<NotificationRow[]> {
    return knex('notifications').where({ userId }).orderBy('createdAt', 'desc').limit(limit);
  }

  async function unreadCount(userId: string): Promise<number> {
    const row = await knex('notifications').where({ userId }).whereNull('readAt').count({ n: '*' }).first();
    return Number((row as { n: number } | undefined)?.n ?? 0);
  }

  /** Scoped to the owner: someone else's id changes nothing. */
  async function markRead(userId: string, id: string, at: Date): Promise<boolean> {
    return (await knex('notifications').where({ userId, id }).whereNull('readAt').update({ readAt: at })) > 0;
  }

  async function markAllRead(userId: string, at: Date): Promise<number> {
    return knex('notifications').where({ userId }).whereNull('readAt').update({ readAt: at });
  }

  return { notify, list, unreadCount, markRead, markAllRead };
}

export type NotificationsService = ReturnType<typeof notificationsService>;
