// The mail that goes with each in-app notification, sent after the transaction that
// wrote the notification has committed. Which mail a kind gets is its feature's
// business: 'booking.*' kinds are mailed by bookings, 'lesson.*' by lesson-qa.
import type { Task } from 'graphile-worker';
import type { Deps } from '../composition.ts';
import type { NotificationMailer, StoredNotification } from '../lib/jobs.ts';

export const NOTIFICATION_MAIL_TASK = 'notification-mail';

export function notificationMailTask(deps: Deps, mailers: Record<string, NotificationMailer>): Task {
  return async (payload) => {
    const { notificationId } = payload as { notificationId: string };
    const n = await deps.knex('notifications').where({ id: notificationId }).first<StoredNotification | undefined>();
    if (!n) return; // deleted meanwhile: nothing to tell
    await mailers[n.kind.split('.')[0]!]?.(n);
  };
}
