// A person's own bookings, a page at a time, for the API's session lists. The cursor is
// the last row's sort key and id (base64url JSON): keyset pagination, so a booking made
// between two pages never shifts or repeats a row, whatever the offset would have said.
import type { Knex } from 'knex';
import { Booking, LIVE_STATUSES } from './model.ts';

export type SessionWhen = 'upcoming' | 'past';

export interface SessionPage {
  items: Booking[];
  nextCursor: string | null;
}

const encode = (b: Booking) => Buffer.from(JSON.stringify([b.startsAt.toISOString(), b.id])).toString('base64url');

function decode(cursor: string): [Date, string] | undefined {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const date = new Date(String(at));
    if (typeof id !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id) || Number.isNaN(date.getTime())) return undefined;
    return [date, id];
  } catch {
    return undefined;
  }
}

/** For the query schema: a cursor this module made (anything else is a 422 on `cursor`). */
export const isSessionCursor = (cursor: string) => decode(cursor) !== undefined;

/**
 * Upcoming: live and not over, soonest first. Past: the rest (over, or called off),
 * latest first. Neither: everything, latest first.
 */
export async function sessionPage(knex: Knex, userId: string, now: Date, input: { when?: SessionWhen; limit: number; cursor?: string }): Promise<SessionPage> {
  const ascending = input.when === 'upcoming';
  const q = Booking.query(knex).modify('involving', userId);
  if (input.when === 'upcoming') q.whereIn('status', LIVE_STATUSES).where('endsAt', '>', now);
  if (input.when === 'past') q.where((w) => w.whereNotIn('status', LIVE_STATUSES).orWhere('endsAt', '<=', now));
  if (input.cursor) {
    const [at, id] = decode(input.cursor) ?? [now, '00000000-0000-0000-0000-000000000000'];
    q.whereRaw(`(starts_at, id) ${ascending ? '>' : '<'} (?, ?)`, [at, id]);
  }
  const dir = ascending ? 'asc' : 'desc';
  const rows = await q.orderBy([{ column: 'startsAt', order: dir }, { column: 'id', order: dir }]).limit(input.limit + 1);
  const items = rows.slice(0, input.limit);
  return { items, nextCursor: rows.length > input.limit ? encode(items.at(-1)!) : null };
}
