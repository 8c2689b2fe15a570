// express() and the middleware order. Importable without side effects so supertest
// can build an app over a test database; src/server.ts adds listen and shutdown.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import compression from 'compression';
import cookieParser from 'cookie-parser';
import express from 'express';
import type { Deps } from './composition.ts';
import { adminRoutes } from './admin/routes.ts';
import { apiRoutes } from './api/routes.ts';
import { apiModules } from './api-modules.ts';
import { courseAdminRoutes } from './course-admin/routes.ts';
import { authRoutes } from './auth/routes.ts';
import { bookingsRoutes } from './bookings/routes.ts';
import { conversationRoutes } from './conversations/routes.ts';
import { calendarFeedRoutes, calendarRoutes } from './calendar/routes.ts';
import { dashboardRoutes } from './dashboards/routes.ts';
import { dashboardApiRoutes } from './dashboards/api-routes.ts';
import { notificationsRoutes } from './notifications/routes.ts';
import { availabilityRoutes } from './availability/routes.ts';
import { devOutboxRoutes } from './dev-outbox/routes.ts';
import { healthRoutes } from './health/routes.ts';
import { insightsRoutes } from './insights/routes.ts';
import { skillsRoutes } from './skills/routes.ts';
import { slotsRoutes } from './slots/routes.ts';
import { mediaRoutes } from './media/routes.ts';
import { coursePublicRoutes } from './courses/routes.ts';
import { lessonQaRoutes } from './lesson-qa/routes.ts';
import { reviewsRoutes } from './reviews/routes.ts';
import { usersRoutes } from './users/routes.ts';
import { remindersRoutes } from './reminders/routes.ts';
import { paymentsRoutes, paymentWebhookRoutes } from './payments/routes.ts';
import { createCsrf } from './lib/csrf.ts';
import { loadCurrentUser, viewerCompanion } from './users/current-user.ts';
import { errorHandler, notFound } from './lib/error-handler.ts';
import { localeContext } from './lib/locale.ts';
import { exposeRequestId, requestLogger, requestTimeout, TimeoutError } from './lib/request-context.ts';
import { rejectMalformedBody, rejectMalformedUrl, verifyUrlencoded } from './lib/request-sanity.ts';
import { nonce, securityHeaders } from './lib/security.ts';
import { PROJECT_ROOT } from './lib/project-root.ts';
import { createSession, sessionCookieName, sessionTimeouts } from './lib/session.ts';
import { flashCookie } from './lib/flash.ts';
import { appAssetSources, createStaticAssets } from './lib/static-assets.ts';
import { compressible } from './lib/compressible.ts';
import { metricsRoute } from './observability/metrics-endpoint.ts';
import { pageCacheMiddleware } from './lib/page-cache.ts';
import { gated } from './lib/route-gate.ts';

const ROOT = PROJECT_ROOT;
const noop = () => undefined;
// Part of every page-cache key: a deploy never serves the previous version's pages.
const APP_VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

export function createApp(deps: Deps): express.Express {
  const { config } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy ? 1 : false);
  app.locals.views = deps.views;
  app.locals.csrf = createCsrf(config);
  app.locals.flashCookie = flashCookie(config);
  app.locals.appUrl = config.appUrl;
  // For error pages raised before the locale middleware has chosen a zone.
  app.locals.defaultTimezone = config.defaultTimezone;

  // The request log's close listener also feeds the request histogram: no middleware of its own.
  app.use(requestLogger(deps.logger, deps.metrics.observeRequest), exposeRequestId);
  app.use(nonce(), securityHeaders(config));
  app.use(requestTimeout(config.requestTimeoutMs, (req, res) => errorHandler(new TimeoutError('errors.timeout'), req, res, noop)));
  app.use(rejectMalformedUrl);

  // Static files and probes come before sessions: they never touch the session store.
  const assets = createStaticAssets({
    sources: appAssetSources(ROOT),
    cacheDir: path.join(ROOT, 'node_modules/.cache/leboncours-assets'),
    // Re-hashing an edited file costs a stat per asset() call: only while templates are re-read too (npm run dev).
    watch: !config.viewsCache,
    plainCacheControl: config.isProduction ? 'public, max-age=300' : 'public, max-age=0',
  });
  app.locals.assets = assets;
  // Tests build only what they ask for; a server has every compressed copy ready within seconds.
  if (config.env !== 'test') assets.warm().catch((err: unknown) => deps.logger.warn({ err }, 'could not build the static assets'));
  app.use((_req, res, next) => {
    res.locals.asset = assets.url;
    next();
  });
  app.use(assets.middleware);
  // Pages and JSON, compressed per request at the cheapest levels: on the 20 KB landing, brotli 1
  // takes ~0.1 ms of CPU for 5.0 KB, brotli 4 ~0.5 ms for 4.4 KB, gzip 6 ~0.4 ms for 4.5 KB.
  app.use(compression({ filter: compressible, threshold: 1024, level: 1, brotli: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } } }));
  const staticOptions = { maxAge: config.isProduction ? '7d' : 0, index: false };
  // Under its folders only: mounted at / it would stat public/<path> for every page request.
  for (const dir of ['css', 'js', 'img']) app.use(`/${dir}`, express.static(path.join(ROOT, 'public', dir), staticOptions));
  app.use('/vendor/htmx', express.static(path.join(ROOT, 'node_modules/htmx.org/dist'), staticOptions));
  app.use('/vendor/ag-grid', express.static(path.join(ROOT, 'node_modules/ag-grid-community/dist'), staticOptions));
  app.use(gated(healthRoutes(deps)));
  app.get('/metrics', metricsRoute(deps.metrics.registry, config.metrics.token));
  for (const routes of [mediaRoutes, paymentWebhookRoutes, calendarFeedRoutes]) app.use(gated(routes(deps)));

  app.use(cookieParser());
  // Before the page cache: a page served from memory is still a view to count.
  app.use(deps.services.insightCapture.middleware);
  // Anonymous pages from memory: before the body parsers, the session, the user and CSRF.
  // The session cookie's presence means "maybe signed in": never served from the cache.
  app.use(pageCacheMiddleware(deps.pageCache, { sessionCookie: sessionCookieName(config), flashCookie: app.locals.flashCookie.name, version: APP_VERSION }));
  app.use(express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 200, verify: verifyUrlencoded }));
  app.use(express.json({ limit: '100kb' }));
  app.use(rejectMalformedBody);
  app.use(createSession(config, deps.pool, viewerCompanion(deps.knex)));
  app.use(sessionTimeouts(config, deps.clock));
  app.use(loadCurrentUser(deps.knex, config.admin));
  app.use(localeContext(config.defaultTimezone));
  // The API checks CSRF itself: only for cookie-authenticated unsafe requests (api/access.ts).
  app.use(app.locals.csrf.provide, apiRoutes(deps, apiModules));
  app.use(app.locals.csrf.protect);

  // In this order (an earlier router's route wins), each entered only for its own paths.
  const features = [
    authRoutes, remindersRoutes, usersRoutes, skillsRoutes, availabilityRoutes, slotsRoutes, bookingsRoutes,
    conversationRoutes, calendarRoutes, paymentsRoutes, dashboardApiRoutes, notificationsRoutes, dashboardRoutes,
    coursePublicRoutes, reviewsRoutes, lessonQaRoutes, insightsRoutes, adminRoutes, courseAdminRoutes,
    ...(config.isProduction ? [] : [devOutboxRoutes]),
  ];
  for (const routes of features) app.use(gated(routes(deps)));

  app.use(notFound);
  app.use(errorHandler);
  return app;
}
