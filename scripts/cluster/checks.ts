// What the database says after the load: the constraints held (no overlap on either side,
// no duplicate), every 201 names a booking that exists once, and every booking made
// during the load was acknowledged to its client, or its answer was lost on the way
// (then a retry with the same key must return that same booking).
import { api, type Outcome } from './load.ts';
import { PORTS, sql } from './topology.ts';

const LIVE = `('pending', 'confirmed')`;

/** A mentor's one-on-one bookings never meet (group seats share their session's time by design); a student's never meet at all. */
export async function overlaps(side: 'mentor_id' | 'student_id'): Promise<number> {
  const kind = side === 'mentor_id' ? `and a.kind = 'one_on_one' and b.kind = 'one_on_one'` : '';
  const [row] = await sql<{ n: number }>(PORTS.primary, `select count(*)::int as n from bookings a join bookings b
    on a.id < b.id and a.${side} = b.${side} and tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at)
    where a.status in ${LIVE} and b.status in ${LIVE} ${kind}`);
  return row!.n;
}

export interface BookingChecks {
  mentorOverlaps: number;
  studentOverlaps: number;
  duplicateBookings: number;
  ackedMissing: number;
  keysWithTwoBookings: number;
  bookingsMade: number;
  unacknowledged: number;
  lostResponses: number;
  lostRetriedSame: number;
  lostRetryAnswers: Record<string, number>;
}

export async function checkBookings(outcomes: Outcome[], since: Date, studentIds: string[]): Promise<BookingChecks> {
  const made = await sql<{ id: string; studentId: string; mentorId: string; startsAt: Date }>(PORTS.primary,
    `select id, student_id as "studentId", mentor_id as "mentorId", starts_at as "startsAt" from bookings
      where created_at >= $1 and student_id = any($2)`, [since, studentIds]);
  const ids = new Set(made.map((b) => b.id));
  const acked = outcomes.filter((o) => o.status === 201);
  const ackedIds = new Set(acked.map((o) => o.bookingId!));
  // One key, one booking: the same key answered 201 twice must name the same booking.
  const byKey = new Map<string, Set<string>>();
  for (const o of acked) byKey.set(o.attempt.key, (byKey.get(o.attempt.key) ?? new Set()).add(o.bookingId!));
  const [dup] = await sql<{ n: number }>(PORTS.primary, `select count(*)::int as n from (select 1 from bookings where status in ${LIVE}
    group by student_id, mentor_id, starts_at having count(*) > 1) d`);

  // An answer is lost when the client got no verdict: a network error, a 5xx, or a key still "in progress".
  const lost = outcomes.filter((o) => o.status === 0 || o.status >= 500 || o.code === 'idempotency_in_progress');
  const answers: Record<string, number> = {};
  let same = 0;
  // In parallel: a key the killed instance still held makes its retry wait for the key's lease (5 s).
  const retries = await Promise.all(lost.map((o) => api('/bookings', { method: 'POST', token: o.attempt.token, key: o.attempt.key, body: o.attempt.body })
    .catch((error: unknown) => ({ status: 0, body: { error: { code: (error as Error).message } } as Record<string, unknown>, server: null }))));
  for (const [i, o] of lost.entries()) {
    const retry = retries[i]!;
    const code = (retry.body.error as { code?: string } | undefined)?.code;
    const label = `${retry.status}${code ? ` ${code}` : ''}`;
    answers[label] = (answers[label] ?? 0) + 1;
    const inDb = made.find((b) => b.studentId === o.attempt.studentId && b.mentorId === o.attempt.mentorId && b.startsAt.toISOString() === new Date(o.attempt.body.startsAt).toISOString());
    if (retry.status === 201 && (!inDb || inDb.id === retry.body.id)) same++;
    if (retry.status === 201) ackedIds.add(String(retry.body.id));
  }
  return {
    mentorOverlaps: await overlaps('mentor_id'),
    studentOverlaps: await overlaps('student_id'),
    duplicateBookings: dup!.n,
    ackedMissing: [...ackedIds].filter((id) => !ids.has(id)).length,
    keysWithTwoBookings: [...byKey.values()].filter((s) => s.size > 1).length,
    bookingsMade: made.length,
    unacknowledged: made.filter((b) => !ackedIds.has(b.id)).length,
    lostResponses: lost.length,
    lostRetriedSame: same,
    lostRetryAnswers: answers,
  };
}
