// A series of a priced skill is paid like a single session booked with a pack: one
// package credit per week, taken in the booking's own transaction. The purchase rows
// are locked, so two series (or a series and a single booking) can never spend the
// same credit; the settlement gives a credit back when its booking ends with a refund.
import type { Knex } from 'knex';

function usable(db: Knex, studentId: string, skillId: string, durationMinutes: number, now: Date) {
  return db('packagePurchases')
    .where({ studentId, skillId, durationMinutes }).whereNull('refundedAt')
    .where('expiresAt', '>', now).whereRaw('credits_used < credits_total')
    .orderBy([{ column: 'expiresAt' }, { column: 'id' }]);
}

export async function creditsLeft(db: Knex, studentId: string, skillId: string, durationMinutes: number, now: Date): Promise<number> {
  const rows: { creditsTotal: number; creditsUsed: number }[] = await usable(db, studentId, skillId, durationMinutes, now);
  return rows.reduce((n, p) => n + p.creditsTotal - p.creditsUsed, 0);
}

/** Takes `count` credits, soonest to expire first: the purchase id of each, or undefined (nothing taken) when too few. */
export async function takeCredits(trx: Knex.Transaction, studentId: string, skillId: string, durationMinutes: number, count: number, now: Date): Promise<string[] | undefined> {
  const rows: { id: string; creditsTotal: number; creditsUsed: number }[] = await usable(trx, studentId, skillId, durationMinutes, now).forUpdate();
  if (rows.reduce((n, p) => n + p.creditsTotal - p.creditsUsed, 0) < count) return undefined;
  const ids: string[] = [];
  for (const row of rows) {
    const n = Math.min(count - ids.length, row.creditsTotal - row.creditsUsed);
    if (n <= 0) break;
    await trx('packagePurchases').where({ id: row.id }).increment('creditsUsed', n);
    ids.push(...Array<string>(n).fill(row.id));
  }
  return ids;
}
