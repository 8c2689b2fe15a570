// A person's calendar, shared by every feature that puts something in it (bookings,
// seats, group sessions). The database keeps one claim per person and interval in
// calendar_claims and refuses overlaps; these helpers serialise writers of one
// calendar (so the code's own check sees a settled state) and read who the
// constraint protected when it refused a write.
import type { Knex } from 'knex';
import { PG, pgCode, pgConstraint } from './errors.ts';

export const CLAIMS_CONSTRAINT = 'calendar_claims_no_overlap';

/** Serialises changes to one person's calendar until the transaction ends. */
export async function lockCalendar(trx: Knex.Transaction, userId: string): Promise<void> {
  await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`calendar:${userId}`]);
}

/**
 * When a write was refused because it overlaps someone's time, whose time it was.
 * PostgreSQL names the key in the detail: `Key (user_id, during)=(<uuid>, [...))`.
 */
export function claimConflictUser(error: unknown): string | undefined {
  if (pgCode(error) !== PG.exclusionViolation || pgConstraint(error) !== CLAIMS_CONSTRAINT) return undefined;
  const e = error as { detail?: unknown; nativeError?: { detail?: unknown } };
  const detail = String(e.detail ?? e.nativeError?.detail ?? '');
  return /\(user_id, during\)=\(([0-9a-f-]{36}),/i.exec(detail)?.[1];
}

/** A person's live claims that meet [from, to), as intervals. */
export async function claimsOf(db: Knex, userId: string, from: Date, to: Date): Promise<{ start: Date; end: Date }[]> {
  const rows: { start: Date; end: Date }[] = await db('calendarClaims')
    .where({ userId }).whereRaw('during && tstzrange(?, ?)', [from, to])
    .select({ start: db.raw('lower(during)'), end: db.raw('upper(during)') });
  return rows;
}

/**
 * Runs a transaction that writes claims, again if PostgreSQL broke a deadlock in it.
 * Two transactions inserting overlapping claims for one person at the same instant
 * each wait for the other's uncommitted row (that is how an exclusion constraint is
 * checked); PostgreSQL aborts one of them. Run again, it sees the other's committed
 * claim and fails as it should: with the overlap, which the caller turns into a 409.
 */
export async function withClaimRetry<T>(knex: Knex, work: (trx: Knex.Transaction) => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await knex.transaction(work);
    } catch (error) {
      if (pgCode(error) !== '40P01' || attempt >= attempts) throw error;
    }
  }
}
