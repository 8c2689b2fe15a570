// What becomes of a job the killed instance had locked. graphile-worker alone frees such
// a lock after 4 hours; src/lib/jobs.ts frees the locks of a worker whose heartbeat has
// stopped. The dead worker is the one whose heartbeat row stops moving; a job is then
// locked in its name as of the kill (what it would have held), and we time how long
// until another instance has run it (graphile-worker deletes a job once it succeeded).
import { sleep } from './processes.ts';
import pg from 'pg';
import { PORTS, sql, url } from './topology.ts';

export interface AbandonedJob { deadWorker: string | null; ranAfterMs: number | null; detail: string }

export async function abandonedJob(killedAt: number, timeoutMs = 90_000): Promise<AbandonedJob> {
  const deadline = killedAt + timeoutMs;
  let dead: string | undefined;
  // Heartbeats every 10 s: a row unchanged for 12 s after the kill is the dead worker's.
  while (!dead && Date.now() < deadline) {
    const rows = await sql<{ workerId: string }>(PORTS.primary,
      `select worker_id as "workerId" from worker_heartbeats where seen_at < now() - interval '12 seconds' and seen_at > to_timestamp($1 / 1000.0) - interval '15 seconds'`, [killedAt]);
    dead = rows[0]?.workerId;
    if (!dead) await sleep(500);
  }
  if (!dead) return { deadWorker: null, ranAfterMs: null, detail: 'no heartbeat went stale' };
  // One transaction: the job is already locked when its insert's NOTIFY wakes the workers.
  const client = new pg.Client({ connectionString: url(PORTS.primary) });
  await client.connect();
  let jobId: string;
  try {
    await client.query('begin');
    const added = await client.query<{ id: string }>(`select (graphile_worker.add_job('refresh-next-free', '{}'::json, job_key := 'cluster-abandoned-job')).id::text as id`);
    jobId = added.rows[0]!.id;
    await client.query('update graphile_worker._private_jobs set locked_by = $1, locked_at = to_timestamp($2 / 1000.0) where id = $3', [dead, killedAt, jobId]);
    await client.query('commit');
  } finally {
    await client.end();
  }
  while (Date.now() < deadline) {
    const left = await sql(PORTS.primary, 'select 1 from graphile_worker._private_jobs where id = $1', [jobId]);
    if (!left.length) return { deadWorker: dead, ranAfterMs: Date.now() - killedAt, detail: 'run' };
    await sleep(250);
  }
  const [row] = await sql<{ lockedBy: string | null; attempts: number }>(PORTS.primary, 'select locked_by as "lockedBy", attempts from graphile_worker._private_jobs where id = $1', [jobId]);
  return { deadWorker: dead, ranAfterMs: null, detail: `still there after ${timeoutMs / 1000} s: locked_by ${row?.lockedBy}, attempts ${row?.attempts}` };
}
