// PostgreSQL-backed job queue (graphile-worker): jobs are added with SQL inside the
// caller's transaction, so they exist only if the transaction commits, and run after
// it with retries and backoff. A failing mail never loses or blocks a booking.
import type { Knex } from 'knex';
import { Logger as WorkerLogger, run, runMigrations, type Runner, type TaskList } from 'graphile-worker';
import type { Logger } from './logger.ts';

export interface JobOptions {
  maxAttempts?: number;
  runAt?: Date;
  jobKey?: string;
}

export interface Jobs {
  add(db: Knex | Knex.Transaction, task: string, payload: Record<string, unknown>, options?: JobOptions): Promise<void>;
}

export const jobs: Jobs = {
  async add(db, task, payload, options = {}) {
    await db.raw('select graphile_worker.add_job(?, ?::json, max_attempts => ?, run_at => ?, job_key => ?)', [
      task, JSON.stringify(payload), options.maxAttempts ?? 10, options.runAt ?? null, options.jobKey ?? null,
    ]);
  },
};

function workerLogger(logger: Logger): WorkerLogger {
  return new WorkerLogger(() => (level, message, meta) => {
    const method = level === 'error' ? 'error' : level === 'warning' ? 'warn' : 'debug';
    logger[method]({ worker: meta }, message);
  });
}

export async function migrateJobs(connectionString: string, logger: Logger): Promise<void> {
  await runMigrations({ connectionString, logger: workerLogger(logger) });
}

export async function startWorker(options: { connectionString: string; taskList: TaskList; logger: Logger; crontab?: string; concurrency?: number }): Promise<Runner> {
  return run({
    connectionString: options.connectionString,
    taskList: options.taskList,
    crontab: options.crontab ?? '',
    concurrency: options.concurrency ?? 2,
    noHandleSignals: true,
    pollInterval: 2000,
    logger: workerLogger(options.logger),
  });
}
