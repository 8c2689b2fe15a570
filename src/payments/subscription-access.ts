// Pure rules: how long a subscription row gives access to the included courses.
//   active / trialing → yes; one set to cancel ends at its period's end, even before
//                       the provider's deletion event arrives;
//   past_due          → yes for the grace period from when it became past due;
//   canceled          → until the period that was paid for ends;
//   anything else     → no (incomplete, unpaid, paused).

export interface SubscriptionRow {
  id: string;
  userId: string;
  provider: string;
  providerSubscriptionId: string;
  planType: 'monthly' | 'yearly';
  status: string;
  currentPeriodEnd: Date;
  cancelAtPeriodEnd: boolean;
  pastDueSince: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Statuses that are still running at the provider: a second subscription is refused. */
export const RUNNING = ['active', 'trialing', 'past_due', 'unpaid', 'incomplete'] as const;

export type AccessState =
  | { access: true; until: Date | null; reason: 'renews' | 'ends' | 'grace' }
  | { access: false };

export function accessOf(row: SubscriptionRow, now: Date, graceDays: number): AccessState {
  const periodEnd = row.currentPeriodEnd;
  if (row.status === 'active' || row.status === 'trialing') {
    if (!row.cancelAtPeriodEnd) return { access: true, until: null, reason: 'renews' };
    return now < periodEnd ? { access: true, until: periodEnd, reason: 'ends' } : { access: false };
  }
  if (row.status === 'past_due') {
    const since = row.pastDueSince ?? row.updatedAt;
    const graceEnd = new Date(since.getTime() + graceDays * 86_400_000);
    return now < graceEnd ? { access: true, until: graceEnd, reason: 'grace' } : { access: false };
  }
  if (row.status === 'canceled') return now < periodEnd ? { access: true, until: periodEnd, reason: 'ends' } : { access: false };
  return { access: false };
}

/** The end of a period of `interval` that starts at `from` (as the providers count months). */
export function periodEndFrom(from: Date, interval: 'month' | 'year'): Date {
  const end = new Date(from.getTime());
  if (interval === 'year') end.setUTCFullYear(end.getUTCFullYear() + 1); else end.setUTCMonth(end.getUTCMonth() + 1);
  return end;
}

export const planTypeOf = (interval: 'month' | 'year'): SubscriptionRow['planType'] => (interval === 'year' ? 'yearly' : 'monthly');
