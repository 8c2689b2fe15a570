// PostgreSQL-backed job queue (graphile-worker): jobs are added with SQL inside the
// caller's transaction, so they exist only if the transaction commits, and run after
// it with retries and backoff. A failing mail never loses or blocks a booking.
import { EventEmitter } from 'node:events';
import type { Knex } from 'knex';
import { Logger as WorkerLogger, run, runMigrations, type Runner, type TaskList, type WorkerEvents } from 'graphile-worker';
import pg from 'pg';
import type { Logger } from './logger.ts';
import { currentScope } from './request-context.ts';

export interface JobOptions {
  maxAttempts?: number;
  runAt?: Date;
  jobKey?: string;
  /** Jobs of one queue run one at a time, in order (a payment's capture before its refund). */
  queueName?: string;
}

export interface JobSpec {
  task: string;
  payload: Record<string, unknown>;
  options?: JobOptions;
}

export interface Jobs {
  add(db: Knex | Knex.Transaction, task: string, payload: Record<string, unknown>, options?: JobOptions): Promise<void>;
  /** Adds (or replaces, by key) every job and removes the keyed ones, in one statement: one round trip. */
  replace(db: Knex | Knex.Transaction, add: JobSpec[], removeKeys: string[]): Promise<void>;
}

/**
 * The payload with the ids of the request (or job) that adds it, read from the running
 * scope so no caller has to pass them: the job's log lines and mails then carry them too.
 */
export function scopedPayload(payload: Record<string, unknown>): Record<string, unknown> {
  const scope = currentScope();
  if (!scope?.reqId || '_requestId' in payload) return payload;
  return scope.traceId ? { ...payload, _requestId: scope.reqId, _traceId: scope.traceId } : { ...payload, _requestId: scope.reqId };
}

/**
 * The same ids as JSON, for jobs added in SQL (`payload::jsonb || ?::jsonb`): statements that
 * queue their jobs themselves, in the statement that writes the rows the jobs are about.
 */
export function scopeIdsJson(): string {
  return JSON.stringify(scopedPayload({}));
}

/**
 * SQL for one graphile_worker.add_jobs call over the specs a subquery yields as a json
 * column `spec` (job_spec's field names: identifier, payload, job_key, run_at,
 * max_attempts, queue_name): the count of jobs added. One call for all of a statement's
 * jobs, because each add_job is a whole add_jobs (four statements and a NOTIFY); none
 * when the subquery yields nothing, since add_jobs would still notify.
 */
export function addJobsSql(specs: string): string {
  return `(select count(*) from (select array(select json_populate_record(null::graphile_worker.job_spec, q.spec) from (${specs}) q) as a) batch
     cross join lateral graphile_worker.add_jobs(batch.a) where cardinality(batch.a) > 0)`;
}

export const jobs: Jobs = {
  async add(db, task, payload, options = {}) {
    await db.raw('select graphile_worker.add_job(?, ?::json, max_attempts => ?, run_at => ?, job_key => ?, queue_name => ?)', [
      task, JSON.stringify(scopedPayload(payload)), options.maxAttempts ?? 10, options.runAt ?? null, options.jobKey ?? null, options.queueName ?? null,
    ]);
  },
  async replace(db, add, removeKeys) {
    if (!add.length && !removeKeys.length) return;
    // One add_jobs call cannot take a key twice (separate add_job calls let the last win): keep the last.
    const byKey = new Map(add.map((j, i) => [j.options?.jobKey ?? i, j]));
    const specs = [...byKey.values()].map((j) => ({
      identifier: j.task, payload: scopedPayload(j.payload), max_attempts: j.options?.maxAttempts ?? 10, run_at: j.options?.runAt?.toISOString() ?? null,
      job_key: j.options?.jobKey ?? null, queue_name: j.options?.queueName ?? null,
    }));
    // Both lists are evaluated because both counts are returned (the keys never overlap).
    await db.raw(
      `select (select count(graphile_worker.remove_job(k)) from unnest(?::text[]) k) as removed,
              ${addJobsSql('select json_array_elements(?::json) as spec')} as added`,
      [removeKeys, JSON.stringify(specs)],
    );
  },
};

export function workerLogger(logger: Logger): WorkerLogger {
  return new WorkerLogger(() => (level, message, meta) => {
    const method = level === 'error' ? 'error' : level === 'warning' ? 'warn' : 'debug';
    logger[method]({ worker: meta }, message);
  });
}

export async function migrateJobs(connectionString: string, logger: Logger): Promise<void> {
  await runMigrations({ connectionString, logger: workerLogger(logger) });
}

/** A notification row as the mail job reads it. */
export interface StoredNotification {
  id: string;
  userId: string;
  kind: string;
  bookingId: string | null;
  data: Record<string, unknown>;
}

/** A notification's mail: the notifications feature hands each kind's prefix to its feature. */
export type NotificationMailer = (notification: StoredNotification) => Promise<void>;

/** What a feature gives the worker: its tasks, its schedules, the mail of its notification kinds. */
export interface FeatureJobs {
  tasks: TaskList;
  crontab?: string[];
  notificationMails?: Record<string, NotificationMailer>;
}

/**
 * How fast the jobs of a dead worker come back. graphile-worker itself only frees
 * locks older than 4 hours; here every worker refreshes a heartbeat row, and any
 * process frees the locks of workers whose heartbeat is older than `staleAfterMs`.
 */
export interface LockRecovery {
  staleAfterMs: number;
  heartbeatMs: number;
}
// A dead worker's jobs run again within staleAfterMs + heartbeatMs (≤ 40 s): its last
// beat goes stale after 30 s and some live process sweeps at most 10 s later.
export const DEFAULT_LOCK_RECOVERY: LockRecovery = { staleAfterMs: 30_000, heartbeatMs: 10_000 };
// The sweep's advisory lock key: above 2^32, so no hashtext() key of the other locks can equal it.
export const SWEEP_LOCK = 7_231_004_416;

export async function startWorker(options: {
  connectionString: string;
  taskList: TaskList;
  logger: Logger;
  crontab?: string;
  concurrency?: number;
  recovery?: LockRecovery;
  /** The worker's event emitter, for whoever listens (the job metrics). */
  events?: WorkerEvents;
}): Promise<Runner> {
  const { staleAfterMs, heartbeatMs } = options.recovery ?? DEFAULT_LOCK_RECOVERY;
  const pool = new pg.Pool({ connectionString: options.connectionString, max: 1 });
  pool.on('error', (err) => options.logger.warn({ err }, 'worker heartbeat connection lost'));
  const workerIds = new Set<string>();
  const events: WorkerEvents = options.events ?? new EventEmitter();
  events.on('worker:create', ({ worker }) => workerIds.add(worker.workerId));

  const beat = () => pool.query(
    `insert into worker_heartbeats (worker_id, seen_at) select unnest($1::text[]), now()
     on conflict (worker_id) do update set seen_at = now()`,
    [[...workerIds]],
  );
  // A lock is freed only when its worker has no fresh heartbeat AND the lock itself
  // is older than the bound: a worker that has just started and not yet beaten is safe.
  // One sweeper at a time across instances, under a transaction-level advisory lock
  // (a session-level one would stay with whichever client PgBouncer's transaction
  // pooling hands the connection to next); the others skip this round.
  const recover = async () => {
    const client = await pool.connect();
    let dead: string[] = [];
    let failed: Error | undefined;
    try {
      await client.query('begin');
      const { rows: [lock] } = await client.query<{ got: boolean }>('select pg_try_advisory_xact_lock($1) as got', [SWEEP_LOCK]);
      if (lock?.got) {
        const { rows } = await client.query<{ id: string }>(
          `select distinct locked_by as id from (
             select locked_by, locked_at from graphile_worker._private_jobs where locked_by is not null
             union all
             select locked_by, locked_at from graphile_worker._private_job_queues where locked_by is not null
           ) locks
           where locked_at < now() - $1 * interval '1 millisecond'
             and locked_by not in (select worker_id from worker_heartbeats where seen_at >= now() - $1 * interval '1 millisecond')`,
          [staleAfterMs],
        );
        dead = rows.map((r) => r.id);
        if (dead.length) {
          await client.query('select graphile_worker.force_unlock_workers($1::text[])', [dead]);
          // The message graphile-worker sends for new jobs (delivered at commit): idle workers everywhere look now, not at their next poll.
          await client.query(`select pg_notify('jobs:insert', json_build_object('count', $1::int)::text)`, [dead.length]);
        }
        await client.query(`delete from worker_heartbeats where seen_at < now() - $1 * interval '1 millisecond'`, [staleAfterMs * 10]);
      }
      await client.query('commit');
    } catch (error) {
      failed = error as Error;
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release(failed); // a connection that failed mid-transaction is dropped, not reused
    }
    if (dead.length) options.logger.warn({ workers: dead }, 'freed the jobs locked by workers that stopped without shutting down');
  };
  const tick = () => beat().then(recover).catch((err: unknown) => options.logger.warn({ err }, 'worker heartbeat failed'));

  const runner = await run({
    connectionString: options.connectionString,
    taskList: options.taskList,
    crontab: options.crontab ?? '',
    concurrency: options.concurrency ?? 2,
    noHandleSignals: true,
    pollInterval: 2000,
    logger: workerLogger(options.logger),
    events,
  });
  await tick(); // on start: what a crashed predecessor left locked comes back now
  const timer = setInterval(() => void tick(), heartbeatMs);
  timer.unref();

  return {
    ...runner,
    async stop(reason) {
      clearInterval(timer);
      await runner.stop(reason);
      // A clean stop has released its locks: its heartbeat can go at once.
      await pool.query('delete from worker_heartbeats where worker_id = any($1::text[])', [[...workerIds]]).catch(() => undefined);
      await pool.end();
    },
  };
}
