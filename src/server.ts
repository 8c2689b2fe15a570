// Entry point of `npm start`: database, migrations, demo data once, listen, and a
// graceful shutdown that drains requests before stopping PostgreSQL.
import fs from 'node:fs';
import type { Server } from 'node:http';
import { createApp } from './app.ts';
import { createDeps, type Deps } from './composition.ts';
import { ConfigError, loadConfig } from './config.ts';
import { connectDatabase, DatabaseUnreachableError, type DatabaseHandle } from './db/connect.ts';
import { DatabaseStartError } from './db/embedded-postgres.ts';
import { createKnex } from './db/knex.ts';
import { migrateLatest } from './db/migrate.ts';
import { migrateJobs, startWorker } from './lib/jobs.ts';
import { allTasks, crontab } from './jobs.ts';
import { startMetricsServer } from './observability/metrics-endpoint.ts';
import { limitHeapGrowth } from './lib/heap-growth.ts';
import type { Runner } from 'graphile-worker';
import { seedDemoOnce } from '../seeds/demo.ts';
import { seedDemoSkillsOnce } from '../seeds/demo-skills.ts';
import { seedDemoBookingsOnce } from '../seeds/demo-bookings.ts';
import { seedDemoCoursesOnce } from '../seeds/demo-courses.ts';
import { seedDemoPaymentsOnce } from '../seeds/demo-payments.ts';
import { seedDemoConversationsOnce } from '../seeds/demo-scheduling.ts';
import { seedDemoInsightsOnce } from '../seeds/demo-insights.ts';

if (fs.existsSync('.env')) process.loadEnvFile('.env');

function fail(message: string): never {
  process.stderr.write(`\n  Leboncours could not start.\n  ${message.replace(/\n/g, '\n  ')}\n\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  const started = performance.now();
  const config = loadConfig();
  limitHeapGrowth(config.heapGrowingPercent);
  // Filled in as start-up proceeds; shutdown releases whatever exists so far.
  const running: { db?: DatabaseHandle; deps?: Deps; server?: Server; worker?: Runner; metricsServer?: Server } = {};
  let stopping = false;

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const { db, deps, server, worker, metricsServer } = running;
    metricsServer?.close();
    deps?.logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    if (server) {
      // Stop accepting, let in-flight requests finish, drop idle keep-alive sockets.
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    }
    // No request adds page events any more: write the buffered ones before the pool goes.
    await deps?.services.insightCapture.close();
    await worker?.stop();
    await deps?.close();
    await db?.embedded?.stop();
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // Ctrl+C in a terminal signals the embedded PostgreSQL too (same process group):
  // it closes connections while we drain. Those errors are expected then, not fatal.
  process.on('uncaughtException', (error) => {
    if (stopping) return;
    running.deps?.logger.fatal({ err: error }, 'uncaught exception');
    process.exit(1);
  });
  process.on('unhandledRejection', (error) => {
    if (stopping) return;
    running.deps?.logger.error({ err: error }, 'unhandled rejection');
  });

  const db = (running.db = await connectDatabase(config, () => undefined));
  const deps = (running.deps = createDeps(config, db));
  // Migrations take a session's worth of locks and DDL: on the primary directly, not through PgBouncer.
  const migrator = db.directUrl === db.url ? deps.knex : createKnex(db.directUrl, 1);
  try {
    const applied = await migrateLatest(migrator);
    if (applied.length) deps.logger.info({ applied }, 'migrations applied');
  } finally {
    if (migrator !== deps.knex) await migrator.destroy();
  }
  await migrateJobs(db.directUrl, deps.logger);
  if (config.seedDemo) {
    const seeded = await seedDemoOnce(deps);
    if (seeded) deps.logger.info(seeded, 'demo users loaded');
    const skills = await seedDemoSkillsOnce(deps.knex, deps.clock.now());
    if (skills) deps.logger.info({ skills }, 'demo skills loaded');
    const bookings = await seedDemoBookingsOnce(deps.knex, deps.clock.now());
    if (bookings) deps.logger.info(bookings, 'demo availability and bookings loaded');
    const courses = await seedDemoCoursesOnce(deps.knex, deps.storage, deps.clock.now());
    if (courses) deps.logger.info(courses, 'demo courses loaded');
    const payments = await seedDemoPaymentsOnce(deps);
    if (payments) deps.logger.info(payments, 'demo payout accounts and payments loaded');
    const conversations = await seedDemoConversationsOnce(deps.knex, deps.clock.now());
    if (conversations) deps.logger.info(conversations, 'demo conversations loaded');
    const history = await seedDemoInsightsOnce(deps.knex, deps.clock.now());
    if (history) deps.logger.info(history, 'demo history and page visits loaded');
    // The charts show the demo's three months on the first page, not a minute later.
    if (history) deps.logger.info(await deps.services.insights.rollup(), 'insights rolled up');
  }
  // Reminders of sessions confirmed while no worker ran (or loaded as demo data) are scheduled now, not at the next sweep.
  await deps.services.reminders.sweep();

  // Catalogue availability is derived from the calendar: recompute it on start.
  await deps.jobs.add(deps.knex, 'refresh-next-free', {}, { jobKey: 'next-free:all' });
  if (config.runWorker) {
    // graphile-worker LISTENs and prepares its statements: both need a session of their own.
    const worker = (running.worker = await startWorker({ connectionString: db.directUrl, taskList: allTasks(deps), crontab: crontab(deps), logger: deps.logger, events: deps.metrics.workerEvents }));
    deps.worker.running = true;
    worker.promise.finally(() => (deps.worker.running = false)).catch(() => undefined);
  }

  const app = createApp(deps);
  const server = (running.server = app.listen(config.port, config.host));
  server.requestTimeout = config.requestTimeoutMs + 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  }).catch(async (error: NodeJS.ErrnoException) => {
    await deps.close();
    await db.embedded?.stop();
    if (error.code === 'EADDRINUSE') fail(`Port ${config.port} is already in use. Stop the other process or set PORT to a free port.`);
    throw error;
  });
  if (config.metrics.port !== undefined) {
    running.metricsServer = await startMetricsServer(deps.metrics.registry, config.host, config.metrics.port).catch(async (error: NodeJS.ErrnoException) => {
      await running.worker?.stop();
      await deps.close();
      await db.embedded?.stop();
      fail(`The metrics listener could not start on METRICS_PORT ${config.metrics.port}: ${error.code ?? error.message}.`);
    });
    deps.logger.info({ port: config.metrics.port, host: config.host }, 'metrics listener ready');
  }
  const ms = Math.round(performance.now() - started);
  const database = db.embedded ? 'embedded' : 'DATABASE_URL';
  deps.logger.info({ url: config.appUrl, ms, database, pooled: db.directUrl !== db.url, replica: Boolean(db.readUrl) }, `Leboncours is ready on ${config.appUrl}`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DatabaseStartError || error instanceof DatabaseUnreachableError) fail(error.message);
  console.error(error);
  process.exit(1);
});
