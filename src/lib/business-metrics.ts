// The port through which features count what happened (src/observability/metrics.ts is
// the Prometheus adapter, built once in the composition root). Features call it where
// the thing happens; `noMetrics` keeps services that are built without it working.
import type { Knex } from 'knex';

export interface BusinessMetrics {
  /** A booking reached `to`; counted once `db`'s transaction commits (never for a rollback). */
  bookingTransition(db: Knex | Knex.Transaction, to: string): void;
  /** A payment provider event was applied (exactly once per event id): counted by outcome. */
  paymentEventApplied(type: string): void;
  /** The login rate limit refused an attempt: by address, by account, or both. */
  loginThrottled(by: 'ip' | 'account' | 'both'): void;
}

export const noMetrics: BusinessMetrics = {
  bookingTransition: () => undefined,
  paymentEventApplied: () => undefined,
  loginThrottled: () => undefined,
};
