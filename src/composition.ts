// The one place where services meet their dependencies (habit 8). Tests call
// createDeps with their own database, clock and mail transport.
import type { Eta } from 'eta';
import type { Knex } from 'knex';
import { Model } from 'objection';
import pg from 'pg';
import type { Config } from './config.ts';
import { createKnex } from './db/knex.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import { createLogger, type Logger } from './lib/logger.ts';
import { jobs, type Jobs } from './lib/jobs.ts';
import { createMailer, outboxTransport, smtpTransport, type Mailer, type MailTransport } from './lib/mailer.ts';
import { createPasswords, type Passwords } from './lib/passwords.ts';
import { PostgresRateLimitStore } from './lib/rate-limit-store.ts';
import { createViews } from './lib/render.ts';
import { createS3Storage, isS3Storage } from './lib/s3-storage.ts';
import { createLocalStorage, type Storage } from './lib/storage.ts';

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
  close(): Promise<void>;
}

export interface DepOverrides {
  clock?: Clock;
  logger?: Logger;
  mailTransport?: MailTransport;
  storage?: Storage;
  passwords?: Passwords;
}

export function createDeps(config: Config, databaseUrl: string, overrides: DepOverrides = {}): Deps {
  const knex = createKnex(databaseUrl, config.dbPoolMax);
  Model.knex(knex);
  // Sessions get their own small pool so a burst of page loads cannot starve them.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  const logger = overrides.logger ?? createLogger(config);
  // An idle connection dropped by the server (restart, timeout) must not crash the app.
  pool.on('error', (err) => logger.warn({ err }, 'session store connection lost'));
  const clock = overrides.clock ?? systemClock;
  const views = createViews(config.isProduction);
  // Uploads go to the S3 bucket when S3_BUCKET is set, else to local disk (served at /files).
  const storage = overrides.storage
    ?? (config.s3 ? createS3Storage(config.s3, { clock }) : createLocalStorage(config.uploadDir, { signingSecret: config.signingSecret, clock }));
  const transport = overrides.mailTransport ?? (config.mail.smtpUrl ? smtpTransport(config.mail.smtpUrl, config.mail.from) : outboxTransport(knex));
  return {
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
    async close() {
      await Promise.allSettled([knex.destroy(), pool.end()]);
      if (!overrides.storage && isS3Storage(storage)) storage.client.destroy();
    },
  };
}
