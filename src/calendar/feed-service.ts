// A private calendar feed per person (GET /calendar/<token>.ics, no session).
// The token is <feed id><mac>: the row stores only the random feed id, the mac is an
// HMAC of it under the signing secret. A copy of the database alone does not give
// anyone's URL, the profile can still show the URL again (it is recomputed), and the
// mac is compared in constant time. Revoking deletes the row; regenerating replaces the
// id, so every older URL stops working at once.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';
import { translator, type Locale } from '../i18n/index.ts';
import type { Clock } from '../lib/clock.ts';
import { NotFoundError } from '../lib/errors.ts';
import { Booking } from '../bookings/model.ts';
import { Skill } from '../skills/model.ts';
import { User } from '../users/model.ts';
import { writeCalendar, type CalendarEntry } from './ics.ts';
import { CANCELLED_STATUSES, type CalendarBooking, type CalendarService } from './service.ts';

const ID_LENGTH = 22; // 16 random bytes, base64url
const TOKEN = /^[A-Za-z0-9_-]{44}$/;
/** Ended bookings stay this long, marked cancelled, so subscribed clients remove them. */
const KEEP_ENDED_DAYS = 30;
const MAX_EVENTS = 1000;

export interface FeedServiceDeps {
  knex: Knex;
  clock: Clock;
  appUrl: string;
  signingSecret: string;
  calendar: CalendarService;
}

export function calendarFeedService(deps: FeedServiceDeps) {
  const { knex, calendar } = deps;
  // A key of its own, so a feed mac can never be replayed as another signature of the app.
  const key = createHmac('sha256', deps.signingSecret).update('calendar-feed/v1').digest();
  const mac = (feedId: string) => createHmac('sha256', key).update(feedId).digest('base64url').slice(0, 44 - ID_LENGTH);
  const host = new URL(deps.appUrl).host;

  function links(feedId: string) {
    const path = `/calendar/${feedId}${mac(feedId)}.ics`;
    return { https: `${deps.appUrl}${path}`, webcal: `webcal://${host}${path}` };
  }

  /** The person's feed URLs, or null when they have none. */
  async function forUser(userId: string) {
    const row = await knex('calendarFeeds').where({ userId }).first<{ feedId: string; createdAt: Date } | undefined>();
    return row ? { ...links(row.feedId), createdAt: row.createdAt } : null;
  }

  /** Creates the feed, or replaces its URL (the old one stops working). */
  async function regenerate(userId: string) {
    const feedId = randomBytes(16).toString('base64url');
    await knex('calendarFeeds').insert({ userId, feedId, createdAt: deps.clock.now() }).onConflict('userId').merge();
    return links(feedId);
  }

  async function revoke(userId: string): Promise<void> {
    await knex('calendarFeeds').where({ userId }).delete();
  }

  /** The owner of a token, or NotFound for anything malformed, unknown or revoked. */
  async function ownerOf(token: string): Promise<User> {
    if (!TOKEN.test(token)) throw new NotFoundError();
    const feedId = token.slice(0, ID_LENGTH);
    const given = Buffer.from(token.slice(ID_LENGTH));
    const row = await knex('calendarFeeds').where({ feedId }).first<{ userId: string } | undefined>();
    if (!row || !timingSafeEqual(given, Buffer.from(mac(feedId)))) throw new NotFoundError();
    const user = await User.query(knex).findById(row.userId);
    if (!user) throw new NotFoundError();
    return user;
  }

  /** A mentor's group session is one event of theirs, not one per seat; drafts never show. */
  async function sessionEntries(user: User, since: Date): Promise<CalendarEntry[]> {
    if (user.role !== 'mentor') return [];
    const sessions = await Skill.query(knex).where({ mentorId: user.id, mode: 'group' }).whereNotNull('startsAt')
      .where((q) => q.where('status', 'published').orWhere((c) => c.where('status', 'cancelled').where('updatedAt', '>=', since)))
      .where('startsAt', '>=', since).limit(MAX_EVENTS);
    return sessions.map((s) => {
      const page = `${deps.appUrl}/skills/${s.id}`;
      return {
        uid: `session-${s.id}@${new URL(deps.appUrl).hostname}`, sequence: s.status === 'cancelled' ? 1 : 0,
        start: s.startsAt!, end: new Date(s.startsAt!.getTime() + s.durations[0]! * 60_000), title: s.title,
        description: page, url: page, status: s.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
        organizer: { name: user.displayName, email: user.email }, attendees: [{ name: user.displayName, email: user.email }],
        created: s.createdAt, modified: s.updatedAt,
      };
    });
  }

  /** Every live booking of the person on either side, and those ended in the last 30 days. */
  async function feed(token: string): Promise<string> {
    const user = await ownerOf(token);
    const now = deps.clock.now();
    const since = new Date(now.getTime() - KEEP_ENDED_DAYS * 24 * 3600_000);
    const bookings = await Booking.query(knex).modify('involving', user.id)
      .whereNot((q) => q.where('bookings.kind', 'group').where('bookings.mentorId', user.id))
      .where((q) => q.whereNotIn('bookings.status', CANCELLED_STATUSES)
        .orWhere((c) => c.where('bookings.updatedAt', '>=', since).orWhere('bookings.startsAt', '>=', since)))
      .withGraphFetched('[skill, mentor, student]').orderBy('bookings.startsAt', 'desc').limit(MAX_EVENTS);
    const entries = [
      ...bookings.filter((b) => b.skill && b.mentor && b.student).map((b) => calendar.entry(b as CalendarBooking, user)),
      ...(await sessionEntries(user, since)),
    ];
    const t = translator(user.locale as Locale);
    return writeCalendar(entries, { method: 'PUBLISH', feedName: t('calendar.feedName', { name: user.displayName }) }, now);
  }

  return { forUser, regenerate, revoke, feed };
}

export type CalendarFeedService = ReturnType<typeof calendarFeedService>;
