// What a due reminder job does, in ONE transaction: check that the booking still holds
// the time the reminder was scheduled for and that the user still wants this offset,
// then claim the (booking, user, offset, start) row. Only the run that claims it writes
// the in-app notice and queues the mail, so two instances, or a run repeated after a
// worker died before marking its job done, send one reminder between them.
import type { Knex } from 'knex';
import type { Clock } from '../lib/clock.ts';
import type { Jobs } from '../lib/jobs.ts';
import type { NotificationsService } from '../notifications/service.ts';
import { preferencesOf, wants } from './preferences.ts';
import type { ReminderPayload } from './service.ts';

export const REMINDER_MAIL_TASK = 'reminder-mail';

export interface DeliverDeps {
  knex: Knex;
  clock: Clock;
  jobs: Jobs;
  notifications: NotificationsService;
}

export type Outcome = 'sent' | 'stale' | 'unwanted' | 'already_sent';

export async function deliverReminder(deps: DeliverDeps, payload: ReminderPayload): Promise<Outcome> {
  const { bookingId, userId, offsetMinutes } = payload;
  const startsAt = new Date(payload.startsAt);
  return deps.knex.transaction(async (trx) => {
    // A share lock: a cancel or a move waits for this reminder to commit, so it is never
    // written for a time the booking has already left.
    const booking = await trx('bookings').where({ id: bookingId }).forShare().first('status', 'startsAt', 'mentorId', 'studentId', 'kind', 'skillId') as
      { status: string; startsAt: Date; mentorId: string; studentId: string; kind: string; skillId: string } | undefined;
    if (!booking || booking.status !== 'confirmed' || booking.startsAt.getTime() !== startsAt.getTime()) return 'stale';
    if (userId !== booking.mentorId && userId !== booking.studentId) return 'stale';
    // A job held up (workers down) past the start would remind of a session that has begun.
    if (deps.clock.now() >= startsAt) return 'stale';
    const prefs = (await preferencesOf(trx, [userId])).get(userId)!;
    if (!wants(prefs, offsetMinutes)) return 'unwanted';
    if (booking.kind === 'group' && userId === booking.mentorId && await mentorAlreadyReminded(trx, booking, offsetMinutes)) return 'already_sent';
    const claimed = await trx('sentReminders')
      .insert({ bookingId, userId, offsetMinutes, startsAt, sentAt: deps.clock.now() })
      .onConflict(['bookingId', 'userId', 'offsetMinutes', 'startsAt']).ignore()
      .returning('id');
    if (!claimed.length) return 'already_sent';
    if (prefs.inApp) {
      const otherId = userId === booking.mentorId ? booking.studentId : booking.mentorId;
      const other = await trx('users').where({ id: otherId }).first<{ displayName: string }>('displayName');
      const skill = await trx('skills').where({ id: booking.skillId }).first<{ title: string }>('title');
      await deps.notifications.notify(trx, {
        userId, kind: 'booking.reminder', bookingId, mail: false,
        data: { offsetMinutes, other: other?.displayName ?? '', skill: skill?.title ?? '', when: startsAt.toISOString() },
      });
    }
    if (prefs.byMail) await deps.jobs.add(trx, REMINDER_MAIL_TASK, { ...payload }, { maxAttempts: 5 });
    return 'sent';
  });
}

/**
 * Each seat of a group session is a booking; its mentor is reminded once per session.
 * The advisory lock serialises the seats' jobs, so two of them cannot both pass the check.
 */
async function mentorAlreadyReminded(trx: Knex.Transaction, booking: { mentorId: string; skillId: string; startsAt: Date }, offsetMinutes: number): Promise<boolean> {
  await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`group-reminder:${booking.skillId}:${booking.startsAt.toISOString()}:${offsetMinutes}`]);
  const row = await trx('sentReminders as s').join('bookings as b', 'b.id', 's.bookingId')
    .where({ 's.userId': booking.mentorId, 's.offsetMinutes': offsetMinutes, 's.startsAt': booking.startsAt, 'b.skillId': booking.skillId })
    .first('s.id');
  return Boolean(row);
}
