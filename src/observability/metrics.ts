// Prometheus metrics of one app instance. Its own Registry, built once in the
// composition root (never prom-client's global one: tests build several apps in one
// process, and each must count only its own requests).
import { EventEmitter } from 'node:events';
import type { WorkerEvents } from 'graphile-worker';
import type { Knex } from 'knex';
import type pg from 'pg';
import { collectDefaultMetrics, Counter, Registry } from 'prom-client';
import type { BusinessMetrics } from '../lib/business-metrics.ts';
import type { Clock } from '../lib/clock.ts';
import type { RequestObserver } from '../lib/request-context.ts';
import { afterCommit } from './after-commit.ts';
import { registerPoolMetrics } from './pool-metrics.ts';
import { registerQueueMetrics } from './queue-metrics.ts';
import { RequestHistogram } from './request-histogram.ts';
import { routeLabel } from './route-label.ts';

export interface Metrics extends BusinessMetrics {
  registry: Registry;
  /** The request log's `close` listener calls it: no middleware of its own. */
  observeRequest: RequestObserver;
  /** Hand to startWorker: job runs and failures are counted from its events. */
  workerEvents: WorkerEvents;
}

// A provider event type → the outcome it records; other applied events count as `other`.
const PAYMENT_OUTCOMES: Record<string, string> = {
  'payment_intent.succeeded': 'succeeded',
  'payment_intent.amount_capturable_updated': 'authorized',
  'payment_intent.payment_failed': 'failed',
  'payment_intent.canceled': 'released',
  'charge.refunded': 'refunded',
  'checkout.session.completed': 'checkout_completed',
  'checkout.session.expired': 'checkout_expired',
  'invoice.paid': 'invoice_paid',
  'invoice.payment_failed': 'invoice_failed',
};

export function createMetrics(deps: { knex: Knex; sessionPool: pg.Pool; clock: Clock; queueCacheMs?: number }): Metrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });
  registerPoolMetrics(registry, deps.knex, deps.sessionPool);
  registerQueueMetrics(registry, { knex: deps.knex, clock: deps.clock, cacheMs: deps.queueCacheMs ?? 5000 });

  const requests = new RequestHistogram(
    'http_request_duration_seconds', 'Time from the first byte of a request to the end of its response, by route template.',
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  ).register(registry);
  const observeRequest: RequestObserver = (req, statusCode, ms) => requests.observe(req.method ?? 'UNKNOWN', routeLabel(req), statusCode, ms / 1000);

  const transitions = new Counter({ name: 'bookings_transitions_total', help: 'Bookings that reached a status (committed), by that status.', labelNames: ['to'], registers });
  const payments = new Counter({ name: 'payments_events_total', help: 'Payment provider events applied (once per event id), by outcome.', labelNames: ['outcome'], registers });
  const throttles = new Counter({ name: 'login_throttled_total', help: 'Login attempts refused by the rate limit, by what was over it.', labelNames: ['by'], registers });

  const jobRuns = new Counter({ name: 'jobs_runs_total', help: 'Job runs by task and outcome: success, retry (failed, will run again) or failed (no attempts left).', labelNames: ['task', 'outcome'], registers });
  const workerEvents: WorkerEvents = new EventEmitter();
  workerEvents.on('job:success', ({ job }) => jobRuns.inc({ task: job.task_identifier, outcome: 'success' }));
  workerEvents.on('job:error', ({ job }) => {
    // The last attempt's error is counted by job:failed, which follows it.
    if (job.attempts < job.max_attempts) jobRuns.inc({ task: job.task_identifier, outcome: 'retry' });
  });
  workerEvents.on('job:failed', ({ job }) => jobRuns.inc({ task: job.task_identifier, outcome: 'failed' }));

  return {
    registry,
    observeRequest,
    workerEvents,
    bookingTransition: (db, to) => afterCommit(db, () => transitions.inc({ to })),
    paymentEventApplied: (type) => payments.inc({ outcome: PAYMENT_OUTCOMES[type] ?? 'other' }),
    loginThrottled: (by) => throttles.inc({ by }),
  };
}
