// Rows for the insights tests, written straight into their tables: a booking with the
// status history that leads to its state, and the page events the capture would batch.
import crypto from 'node:crypto';
import type { TestApp } from './app.ts';

export interface BookingSpec {
  mentorId: string;
  studentId: string;
  skillId: string;
  createdAt: Date;
  startsAt: Date;
  status: 'pending' | 'confirmed' | 'rejected' | 'cancelled' | 'completed' | 'no_show' | 'expired';
  durationMinutes?: number;
  cancelledBy?: 'student' | 'mentor';
  /** The status history after the request ('pending' at createdAt is always written). */
  history?: { status: string; at: Date }[];
}

export async function insertBooking(t: TestApp, b: BookingSpec): Promise<string> {
  const duration = b.durationMinutes ?? 60;
  const [row] = await t.deps.knex('bookings').insert({
    mentorId: b.mentorId, studentId: b.studentId, skillId: b.skillId, kind: 'one_on_one', subject: 'Insights subject', currency: 'EUR', priceCents: 0,
    startsAt: b.startsAt, endsAt: new Date(b.startsAt.getTime() + duration * 60_000), durationMinutes: duration,
    status: b.status, cancelledBy: b.cancelledBy ?? null, createdAt: b.createdAt, updatedAt: b.history?.at(-1)?.at ?? b.createdAt,
  }).returning('id');
  const id = (row as { id: string }).id;
  const history = [{ status: 'pending', at: b.createdAt }, ...(b.history ?? [])];
  await t.deps.knex('bookingEvents').insert(history.map((h) => ({ bookingId: id, status: h.status, actorRole: 'system', createdAt: h.at })));
  return id;
}

/** Moves a booking on, as a transition would: its row (the trigger marks its hours) and its history. */
export async function transition(t: TestApp, bookingId: string, status: string, at: Date, extra: Record<string, unknown> = {}): Promise<void> {
  await t.deps.knex('bookings').where({ id: bookingId }).update({ status, updatedAt: at, ...extra });
  await t.deps.knex('bookingEvents').insert({ bookingId, status, actorRole: 'system', createdAt: at });
}

export type EventKind = 'skill_view' | 'mentor_view' | 'modal_opened' | 'details_reached' | 'summary_reached';

/** A stable 16-byte visitor hash per test name ("v1"), as the capture's HMAC would give. */
export const visitor = (name: string) => crypto.createHash('sha256').update(name).digest().subarray(0, 16);

export async function insertEvents(t: TestApp, events: { kind: EventKind; at: Date; skillId?: string; mentorUsername?: string; visitor?: string; count?: number }[]): Promise<void> {
  const rows = events.flatMap((e) => Array.from({ length: e.count ?? 1 }, (_, i) => ({
    kind: e.kind, occurredAt: e.at, skillId: e.kind === 'mentor_view' ? null : e.skillId ?? null,
    mentorUsername: e.kind === 'mentor_view' ? e.mentorUsername : null, visitor: visitor(e.visitor ?? `${e.kind}-${e.at.toISOString()}-${i}`),
  })));
  if (rows.length) await t.deps.knex('insightEvents').insert(rows);
}

export async function addReview(t: TestApp, bookingId: string, rating: number, at: Date): Promise<void> {
  const b = await t.deps.knex('bookings').where({ id: bookingId }).first<{ mentorId: string; studentId: string }>('mentorId', 'studentId');
  await t.deps.knex('mentorReviews').insert({ bookingId, mentorId: b!.mentorId, studentId: b!.studentId, rating, body: 'A clear and useful session.', createdAt: at, updatedAt: at });
}

export const at = (iso: string) => new Date(iso);
