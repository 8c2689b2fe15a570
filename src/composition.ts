// The one place where services meet their dependencies: infrastructure first
// (database, clock, mail, storage, jobs), then every feature's service, built once
// and handed to the routers and the job tasks through `deps.services`. Tests call
// createDeps with their own database, clock and mail transport, and get the same graph.
import type { Eta } from 'eta';
import type { Knex } from 'knex';
import { Model } from 'objection';
import pg from 'pg';
import { adminUsersService } from './admin/users-service.ts';
import { authService } from './auth/service.ts';
import { blockingService } from './availability/blocking.ts';
import { availabilityService } from './availability/service.ts';
import { rescheduleService } from './bookings/reschedule-service.ts';
import { bookingService } from './bookings/service.ts';
import { calendarFeedService } from './calendar/feed-service.ts';
import { calendarService } from './calendar/service.ts';
import { seriesService } from './bookings/series-service.ts';
import { seriesAnswersService } from './bookings/series-answers-service.ts';
import { combineScheduleHooks } from './bookings/types.ts';
import { courseAdminService } from './course-admin/service.ts';
import { catalogService } from './courses/catalog-service.ts';
import { enrollmentService } from './courses/enrollment-service.ts';
import { progressService } from './courses/progress-service.ts';
import { commentsService, lessonQuestionMails } from './lesson-qa/service.ts';
import { conversationService } from './conversations/service.ts';
import { notificationsService } from './notifications/service.ts';
import { insightsService } from './insights/service.ts';
import { remindersService } from './reminders/service.ts';
import { reviewsService } from './reviews/service.ts';
import { skillsService } from './skills/service.ts';
import { nextFreeService } from './slots/next-free.ts';
import { slotService } from './slots/service.ts';
import { usersService } from './users/service.ts';
import { bookingPaymentsService } from './payments/booking-payments-service.ts';
import { checkoutService, type CheckoutService } from './payments/checkout-service.ts';
import { coursePaymentsService } from './payments/course-payments-service.ts';
import { subscriptionService } from './payments/subscription-service.ts';
import { ledger } from './payments/ledger.ts';
import { policyService } from './payments/policy-service.ts';
import { payoutAccountService } from './payments/payout-account-service.ts';
import { earningsService } from './payments/earnings-service.ts';
import { settlementService } from './payments/settlement-service.ts';
import { webhookService } from './payments/webhook-service.ts';
import { packagesService } from './payments/packages-service.ts';
import { reportsService } from './payments/reports-service.ts';
import { adminPaymentsService } from './payments/admin-payments-service.ts';
import { insightCaptureService } from './insights/capture.ts';
import type { Config } from './config.ts';
import './messages.ts';
import { createKnex } from './db/knex.ts';
import { prepareStatements } from './db/prepared-statements.ts';
import { createReadRouting, type ReadRouting } from './db/read-routing.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import { createLogger, type Logger } from './lib/logger.ts';
import { jobs, type Jobs } from './lib/jobs.ts';
import { createMailer, outboxTransport, smtpTransport, type Mailer, type MailTransport } from './lib/mailer.ts';
import { createPasswords, type Passwords } from './lib/passwords.ts';
import { PostgresRateLimitStore } from './lib/rate-limit-store.ts';
import { idempotencyStore } from './lib/api/idempotency.ts';
import { tokenKeys } from './auth/token-keys.ts';
import { tokenService } from './auth/token-service.ts';
import { createViews } from './lib/render.ts';
import { createPageCache, type PageCache } from './lib/page-cache.ts';
import { listenForPageChanges } from './lib/page-cache-listener.ts';
import { createS3Storage, isS3Storage } from './lib/s3-storage.ts';
import { createLocalStorage, type Storage } from './lib/storage.ts';
import type { PaymentsProvider } from './lib/payments/port.ts';
import { createSimulatedProvider, type SimulatedProvider } from './lib/payments/simulated-provider.ts';
import { createStripeProvider } from './lib/payments/stripe-provider.ts';
import { createMetrics, type Metrics } from './observability/metrics.ts';

export interface Deps {
  config: Config;
  knex: Knex;
  pool: pg.Pool;
  logger: Logger;
  clock: Clock;
  passwords: Passwords;
  views: Eta;
  mailer: Mailer;
  storage: Storage;
  jobs: Jobs;
  rateLimitStore(prefix: string): PostgresRateLimitStore;
  /** Stripe when its keys are set, else the simulated provider (then also `simulated`). */
  payments: PaymentsProvider;
  simulated: SimulatedProvider | undefined;
  services: Services;
  /** Prometheus registry and counters of this instance (served at /metrics). */
  metrics: Metrics;
  /** Anonymous pages kept for a few seconds (off when config.pageCache.ttlMs is 0). */
  pageCache: PageCache;
  /** Resolves once this process listens for the changes that invalidate it. */
  pageCacheReady: Promise<void>;
  /** The primary without PgBouncer: what needs a session (LISTEN, graphile-worker, migrations). */
  directUrl: string;
  /** The read replica, its lag, and whether catalogue reads may use it now. */
  reads: ReadRouting;
  /**
   * The catalogue services a request reads through: the replica's for an anonymous
   * visitor while the replica is fresh enough, the primary's for anyone signed in, so
   * whoever just wrote (a mentor renaming a skill) reads their own write at once.
   */
  catalogue(viewer: { user?: unknown }): CatalogueReads;
  /** Set by server.ts while a graphile-worker runner runs in this process (for /readyz). */
  worker: { running: boolean };
  close(): Promise<void>;
}

export type Infra = Omit<Deps, 'services' | 'close' | 'pageCache' | 'pageCacheReady' | 'directUrl' | 'reads' | 'catalogue' | 'worker'>;

/** Every feature's service, once. Features call each other only through these. */
export function buildServices(infra: Infra) {
  const { knex, clock, jobs, storage, logger, mailer, passwords, config, metrics } = infra;
  const notifications = notificationsService({ knex, jobs });
  const availability = availabilityService({ knex, clock, jobs });
  const slots = slotService({ knex, clock });
  const policies = policyService({ knex, clock });
  const settlement = settlementService({ jobs, clock, policies });
  const conversations = conversationService({ knex, clock, jobs, notifications, rateLimitStore: infra.rateLimitStore });
  const reminders = remindersService({ knex, clock, jobs });
  const bookingDeps = { knex, clock, jobs, slots, notifications, meetingBaseUrl: config.meetingBaseUrl, money: settlement.hooks, schedule: combineScheduleHooks(reminders.hooks), conversation: conversations, metrics };
  const bookings = bookingService(bookingDeps);
  const provider = infra.payments;
  const paymentLedger = ledger({ knex, clock, provider });
  // Checkouts fulfil what the features sell; those need the checkouts to sell it: a thunk breaks the knot.
  const late: { checkouts?: CheckoutService } = {};
  const checkoutsNow = () => late.checkouts!;
  const bookingPayments = bookingPaymentsService({ knex, clock, bookings, checkouts: checkoutsNow, feePercent: config.payments.platformFeePercent });
  const packages = packagesService({
    knex, clock, bookings, bookingPayments, checkouts: checkoutsNow, feePercent: config.payments.platformFeePercent, validityDays: config.payments.packageValidityDays,
  });
  const enrollments = enrollmentService({ knex });
  const coursePayments = coursePaymentsService({ knex, clock, enrollments, checkouts: checkoutsNow });
  const subscriptions = subscriptionService({ knex, clock, jobs, logger, provider, checkouts: checkoutsNow, graceDays: config.payments.pastDueGraceDays, appUrl: config.appUrl });
  const checkouts = checkoutService({
    knex, clock, jobs, logger, provider, ledger: paymentLedger, settlement, appUrl: config.appUrl,
    purposes: () => ({ ...bookingPayments.purposes, ...packages.purposes, ...coursePayments.purposes, ...subscriptions.purposes }),
  });
  late.checkouts = checkouts;
  const payouts = payoutAccountService({ knex, clock, provider, appUrl: config.appUrl });
  const webhooks = webhookService({ knex, provider, logger, handlers: () => ({ ...checkouts.events, ...paymentLedger.events, ...payouts.events, ...subscriptions.events }), metrics });
  const calendar = calendarService({ knex, clock, appUrl: config.appUrl, mailFrom: config.mail.from });
  return {
    calendar,
    calendarFeeds: calendarFeedService({ knex, clock, appUrl: config.appUrl, signingSecret: config.signingSecret, calendar }),
    payouts,
    earnings: earningsService({ knex }),
    policies,
    settlement,
    ledger: paymentLedger,
    checkouts,
    bookingPayments,
    packages,
    reports: reportsService({ knex, clock, notifications }),
    adminPayments: adminPaymentsService({ knex, clock, settlement }),
    coursePayments,
    subscriptions,
    webhooks,
    notifications,
    conversations,
    reminders,
    availability,
    slots,
    nextFree: nextFreeService({ knex, clock, slots }),
    reschedule: rescheduleService({ ...bookingDeps, availability, maxReschedules: config.maxReschedules }),
    bookings,
    // Weekly series write bookings with the same hooks (money, reminders) as single ones.
    bookingSeries: seriesService(bookingDeps),
    seriesAnswers: seriesAnswersService(bookingDeps),
    blocking: blockingService({ knex, clock, availability, bookings }),
    skills: skillsService({ knex, clock, storage, payouts }),
    auth: authService({ knex, passwords, clock, mailer, jobs, logger, config }),
    tokens: tokenService({ knex, clock, config: config.api, keys: tokenKeys({ privateKeyPem: config.api.jwtPrivateKey, signingSecret: config.signingSecret }) }),
    // Waiters give up before the request timeout cuts them off: a 409 to retry, not a 503.
    idempotency: idempotencyStore({ knex, clock, waitMs: Math.round((config.requestTimeoutMs * 2) / 3) }),
    users: usersService({ knex, storage, logger }),
    adminUsers: adminUsersService({ knex, clock }),
    catalog: catalogService({ knex }),
    enrollments,
    progress: progressService({ knex, subscriptions }),
    courseAdmin: courseAdminService({ knex, storage, logger }),
    reviews: reviewsService({ knex }),
    lessonQa: commentsService({ knex, clock, jobs, notifications, adminEmail: config.admin?.email }),
    questionMails: lessonQuestionMails({ knex, mailer, config }),
    // One buffer per process: every request's events join it, one INSERT a second empties it.
    insightCapture: insightCaptureService({ knex, clock, logger, ...config.insightCapture }),
    insights: insightsService({ knex, clock }),
  };
}

export type Services = ReturnType<typeof buildServices>;
/** The anonymous catalogue's services: landing, search, skill page, mentor profile, courses. */
export type CatalogueReads = Pick<Services, 'skills' | 'users' | 'catalog'>;

/** The same catalogue services over the replica: only their read methods are called there. */
function replicaCatalogue(infra: Infra, replica: Knex, services: Services): CatalogueReads {
  return {
    skills: skillsService({ knex: replica, clock: infra.clock, storage: infra.storage, payouts: services.payouts }),
    users: usersService({ knex: replica, storage: infra.storage, logger: infra.logger }),
    catalog: catalogService({ knex: replica }),
  };
}

export interface DepOverrides {
  clock?: Clock;
  logger?: Logger;
  mailTransport?: MailTransport;
  storage?: Storage;
  passwords?: Passwords;
}

function paymentsProvider(config: Config, deps: { knex: Knex; clock: Clock }): { payments: PaymentsProvider; simulated: SimulatedProvider | undefined } {
  const { stripe } = config.payments;
  if (stripe) return { payments: createStripeProvider({ secretKey: stripe.secretKey, webhookSecret: stripe.webhookSecret, api: stripe.api }), simulated: undefined };
  const simulated = createSimulatedProvider({ ...deps, jobs, appUrl: config.appUrl, webhookSecret: config.payments.simulatedWebhookSecret });
  return { payments: simulated, simulated };
}

/** The primary as requests reach it, and optionally without a pooler and a replica (see src/db/connect.ts). */
export interface DatabaseUrls {
  url: string;
  directUrl?: string | undefined;
  readUrl?: string | undefined;
}

export function createDeps(config: Config, database: string | DatabaseUrls, overrides: DepOverrides = {}): Deps {
  const urls = typeof database === 'string' ? { url: database } : database;
  const databaseUrl = urls.url;
  const directUrl = urls.directUrl ?? databaseUrl;
  const pooled = directUrl !== databaseUrl;
  const knex = createKnex(databaseUrl, config.dbPoolMax, { pooled });
  Model.knex(knex);
  // Sessions get their own small pool so a burst of page loads cannot starve them.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  if (!pooled) pool.on('connect', (client) => prepareStatements(client));
  const logger = overrides.logger ?? createLogger(config);
  // An idle connection dropped by the server (restart, timeout) must not crash the app.
  pool.on('error', (err) => logger.warn({ err }, 'session store connection lost'));
  const clock = overrides.clock ?? systemClock;
  const views = createViews(config.viewsCache);
  // Uploads go to the S3 bucket when S3_BUCKET is set, else to local disk (served at /files).
  const storage = overrides.storage
    ?? (config.s3 ? createS3Storage(config.s3, { clock }) : createLocalStorage(config.uploadDir, { signingSecret: config.signingSecret, clock }));
  const transport = overrides.mailTransport ?? (config.mail.smtpUrl ? smtpTransport(config.mail.smtpUrl, config.mail.from) : outboxTransport(knex));
  const infra: Infra = {
    config,
    knex,
    pool,
    logger,
    clock,
    views,
    passwords: overrides.passwords ?? createPasswords(config.argon2),
    mailer: createMailer({ transport, views, appUrl: config.appUrl, logger }),
    storage,
    jobs,
    rateLimitStore: (prefix) => new PostgresRateLimitStore(knex, clock, prefix),
    metrics: createMetrics({ knex, sessionPool: pool, clock }),
    ...paymentsProvider(config, { knex, clock }),
  };
  const pageCache = createPageCache(config.pageCache);
  // LISTEN holds a session: never through PgBouncer's transaction pooling.
  const listener = pageCache.enabled ? listenForPageChanges(directUrl, pageCache, logger) : undefined;
  const services = buildServices(infra);
  const reads = createReadRouting({ replicaUrl: urls.readUrl, maxLagSeconds: config.readReplicaMaxLagSeconds, poolMax: config.dbPoolMax, logger });
  const fromReplica = reads.replica ? replicaCatalogue(infra, reads.replica, services) : undefined;
  return {
    ...infra,
    services,
    pageCache,
    pageCacheReady: listener?.ready ?? Promise.resolve(),
    directUrl,
    reads,
    catalogue: (viewer) => (fromReplica && !viewer.user && reads.replicaServing() ? fromReplica : services),
    worker: { running: false },
    async close() {
      // The last second of page events, while the database is still there (a no-op if server.ts flushed them).
      await services.insightCapture.close();
      await Promise.allSettled([knex.destroy(), pool.end(), listener?.close(), reads.close()]);
      if (!overrides.storage && isS3Storage(storage)) storage.client.destroy();
    },
  };
}
