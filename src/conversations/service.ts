// Each booking's conversation: its student, its mentor and the admin read and write.
// The booking is loaded through the viewer by the caller (bookings' visibleTo), so a
// thread is only ever reached through a booking its viewer may see. Writers of one
// conversation are serialised by an advisory lock, so "is this the first unread
// message?" (one notice, one digest job per recipient) has one answer under races.
import type { Knex } from 'knex';
import type { Clock } from '../lib/clock.ts';
import type { Jobs } from '../lib/jobs.ts';
import type { PostgresRateLimitStore } from '../lib/rate-limit-store.ts';
import type { NotificationsService } from '../notifications/service.ts';
import { MessageRateError } from './errors.ts';
import { asFirstMessage, messageHtml } from './text.ts';

export const DIGEST_TASK = 'conversation-digest';
export const DIGEST_DELAY_MS = 15 * 60_000;

export interface ConversationActor {
  id: string;
  role: 'student' | 'mentor' | 'admin';
}

/** What a conversation needs of its booking: whose it is. */
export interface ConversationBooking {
  id: string;
  mentorId: string;
  studentId: string;
  skillId: string;
}

export interface MessageRow {
  id: string;
  bookingId: string;
  authorId: string | null;
  authorRole: 'student' | 'mentor' | 'admin';
  authorName: string | null;
  body: string;
  createdAt: Date;
}

export interface Thread {
  bookingId: string;
  messages: (MessageRow & { html: string; mine: boolean })[];
}

export interface ConversationLimits {
  perMinute: number;
  perDay: number;
}

export function conversationService(deps: {
  knex: Knex;
  clock: Clock;
  jobs: Jobs;
  notifications: NotificationsService;
  rateLimitStore(prefix: string): PostgresRateLimitStore;
  limits?: ConversationLimits;
}) {
  const { knex, clock, jobs, notifications } = deps;
  const limits = deps.limits ?? { perMinute: 10, perDay: 100 };
  const perMinute = deps.rateLimitStore('messages-minute');
  perMinute.windowMs = 60_000;
  const perDay = deps.rateLimitStore('messages-day');
  perDay.windowMs = 24 * 3_600_000;

  const lock = (trx: Knex.Transaction, bookingId: string) => trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`conversation:${bookingId}`]);

  async function messagesOf(bookingId: string, db: Knex = knex): Promise<MessageRow[]> {
    return db('bookingMessages as m')
      .leftJoin('users as u', 'u.id', 'm.authorId')
      .where('m.bookingId', bookingId)
      .orderBy('m.id')
      .select('m.id', 'm.bookingId', 'm.authorId', 'm.authorRole', 'u.displayName as authorName', 'm.body', 'm.createdAt');
  }

  const isParty = (b: ConversationBooking, userId: string) => b.mentorId === userId || b.studentId === userId;

  /** The thread as its viewer sees it; a party who opens it has read it. */
  async function threadFor(actor: ConversationActor, booking: ConversationBooking): Promise<Thread> {
    const rows = await messagesOf(booking.id);
    // Nothing written when there is nothing to read: the booking page is viewed far more often than written to.
    if (isParty(booking, actor.id) && rows.length) await markRead(actor.id, booking, rows.at(-1)!.id);
    return {
      bookingId: booking.id,
      messages: rows.map((m) => ({ ...m, html: messageHtml(m.body), mine: actor.role === 'admin' ? m.authorRole === 'admin' : m.authorId === actor.id })),
    };
  }

  async function markRead(userId: string, booking: ConversationBooking, lastId: string): Promise<void> {
    await knex('bookingMessageReads')
      .insert({ bookingId: booking.id, userId, lastReadId: lastId })
      .onConflict(['bookingId', 'userId'])
      .merge({ lastReadId: knex.raw('greatest(booking_message_reads.last_read_id, excluded.last_read_id)') });
    await notifications.markReadFor(userId, booking.id, 'message.received', clock.now());
  }

  /**
   * One message per call, counted before it is written: the counters are single
   * upserts, so 100 parallel posts get exactly `perMinute` through, never more.
   */
  async function consume(userId: string): Promise<void> {
    const minute = await perMinute.increment(userId);
    if (minute.totalHits > limits.perMinute) throw new MessageRateError(secondsUntil(minute.resetTime));
    const day = await perDay.increment(userId);
    if (day.totalHits > limits.perDay) {
      await perMinute.decrement(userId);
      throw new MessageRateError(secondsUntil(day.resetTime));
    }
  }
  const secondsUntil = (at: Date | undefined) => Math.max(1, Math.ceil(((at?.getTime() ?? clock.now().getTime() + 60_000) - clock.now().getTime()) / 1000));

  /** `body` is already validated (schemas.ts); the table's checks are the last word. */
  async function post(actor: ConversationActor, booking: ConversationBooking, body: string): Promise<string> {
    await consume(actor.id);
    return knex.transaction(async (trx) => {
      await lock(trx, booking.id);
      const now = clock.now();
      const [row] = await trx('bookingMessages')
        .insert({ bookingId: booking.id, authorId: actor.role === 'admin' ? null : actor.id, authorRole: actor.role, body, createdAt: now })
        .returning('id');
      const id = (row as { id: string }).id;
      if (isParty(booking, actor.id)) {
        await trx('bookingMessageReads').insert({ bookingId: booking.id, userId: actor.id, lastReadId: id })
          .onConflict(['bookingId', 'userId']).merge({ lastReadId: id });
      }
      const author = actor.role === 'admin' ? null : await trx('users').where({ id: actor.id }).first<{ displayName: string } | undefined>('displayName');
      const skill = await trx('skills').where({ id: booking.skillId }).first<{ title: string } | undefined>('title');
      for (const userId of [booking.studentId, booking.mentorId].filter((u) => u !== actor.id)) {
        await notifications.notifyOnce(trx, {
          userId, kind: 'message.received', bookingId: booking.id,
          data: { other: author?.displayName ?? 'Leboncours', admin: actor.role === 'admin', skill: skill?.title ?? '' },
        });
        // The first message the recipient has neither read nor been mailed starts the
        // 15 minutes; later ones join the same mail.
        if (!(await pendingFor(trx, booking.id, userId, id)).length) {
          await jobs.add(trx, DIGEST_TASK, { bookingId: booking.id, userId }, { jobKey: `${DIGEST_TASK}:${booking.id}:${userId}`, runAt: new Date(now.getTime() + DIGEST_DELAY_MS) });
        }
      }
      return id;
    });
  }

  /** Messages by others this user has neither read nor been mailed (before `beforeId` when given). */
  async function pendingFor(db: Knex | Knex.Transaction, bookingId: string, userId: string, beforeId?: string): Promise<MessageRow[]> {
    const seen = await db('bookingMessageReads').where({ bookingId, userId }).first<{ lastReadId: string; mailedThroughId: string } | undefined>('lastReadId', 'mailedThroughId');
    const after = Math.max(Number(seen?.lastReadId ?? 0), Number(seen?.mailedThroughId ?? 0));
    const q = db('bookingMessages as m').leftJoin('users as u', 'u.id', 'm.authorId')
      .where('m.bookingId', bookingId).where('m.id', '>', after)
      .where((w) => w.whereNull('m.authorId').orWhereNot('m.authorId', userId))
      .orderBy('m.id')
      .select('m.id', 'm.bookingId', 'm.authorId', 'm.authorRole', 'u.displayName as authorName', 'm.body', 'm.createdAt');
    if (beforeId) q.where('m.id', '<', beforeId);
    return q;
  }

  /**
   * The digest job: what is still unread and unmailed goes out in one mail (`send`),
   * and is then marked as mailed, in one transaction; nothing when all was read.
   */
  async function digest(bookingId: string, userId: string, send: (messages: MessageRow[]) => Promise<void>): Promise<number> {
    return knex.transaction(async (trx) => {
      await lock(trx, bookingId);
      const pending = await pendingFor(trx, bookingId, userId);
      if (!pending.length) return 0;
      await send(pending);
      await trx('bookingMessageReads').insert({ bookingId, userId, mailedThroughId: pending.at(-1)!.id })
        .onConflict(['bookingId', 'userId']).merge({ mailedThroughId: pending.at(-1)!.id });
      return pending.length;
    });
  }

  /** The booking's own note (the "message to the mentor") opens its conversation, in the booking's transaction. */
  async function opened(trx: Knex.Transaction, booking: { id: string; studentId: string; createdAt?: Date }, note: string | null | undefined): Promise<void> {
    const body = asFirstMessage(note);
    if (!body) return;
    await trx('bookingMessages').insert({ bookingId: booking.id, authorId: booking.studentId, authorRole: 'student', body, createdAt: clock.now() });
  }

  return { threadFor, post, digest, opened, messagesOf };
}

export type ConversationService = ReturnType<typeof conversationService>;
