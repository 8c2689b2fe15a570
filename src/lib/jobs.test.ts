import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Runner } from 'graphile-worker';
import { afterAll, describe, expect, it } from 'vitest';
import { startWorker, SWEEP_LOCK } from './jobs.ts';
import { allTasks } from '../jobs.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { waitFor } from '../../test/helpers/wait.ts';

const t = await createTestApp(); // no worker of its own: the crashing one takes the job
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let worker: Runner | undefined;
afterAll(async () => worker?.stop());

const lockedJobs = async () => Number((await t.deps.knex.raw<{ rows: { n: string }[] }>(
  'select count(*) as n from graphile_worker._private_jobs where locked_by is not null')).rows[0]!.n);

/** Starts the crashing worker and resolves once it holds the job. */
function crashingWorker(task: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/crashing-worker.ts', t.databaseUrl, task], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const locked = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => { if (chunk.toString().includes('locked')) resolve(); });
    child.once('exit', (code) => reject(new Error(`crashing worker exited early (${code})`)));
  });
  return { child, locked };
}

describe('jobs of a worker that died without shutting down', () => {
  it('come back within the bound: a second worker sends the reset mail the dead one had locked', async () => {
    await t.user('student:stuck');
    const agent = t.agent();
    const token = await t.csrf(agent, '/password-resets/new');
    expect((await agent.post('/password-resets').type('form').send({ _csrf: token, email: 'stuck@example.test' })).status).toBe(200);

    const { child, locked } = crashingWorker('password-reset-mail');
    await locked;
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(await lockedJobs()).toBe(1); // graphile-worker alone would leave it so for 4 hours

    const killedAt = Date.now();
    worker = await startWorker({
      connectionString: t.databaseUrl, taskList: allTasks(t.deps), logger: t.deps.logger, concurrency: 1,
      recovery: { staleAfterMs: 1000, heartbeatMs: 200 },
    });
    const mail = await waitFor(() => t.mails.find((m) => m.to === 'stuck@example.test'), 10_000);
    const recoveredInMs = Date.now() - killedAt;
    expect(mail.text).toMatch(/\/password-resets\//);
    // The bound (1 s) plus one heartbeat (0.2 s); freed jobs wake the workers at once. Margin for 2 busy cores.
    expect(recoveredInMs).toBeLessThan(4000);
    // The mail is captured inside the task; the job is unlocked when the task's commit follows.
    await expect.poll(lockedJobs, { timeout: 5000 }).toBe(0);
  });

  it('are freed by one sweeper at a time: while another holds the sweep lock, nothing is freed', async () => {
    // The lock state a dead worker leaves, written directly: locked an hour ago by a worker with no heartbeat.
    await t.deps.jobs.add(t.deps.knex, 'sweep-probe', {});
    await t.deps.knex.raw(`update graphile_worker._private_jobs set locked_by = 'dead-worker-1', locked_at = now() - interval '1 hour'
      where task_id = (select id from graphile_worker._private_tasks where identifier = 'sweep-probe')`);
    let ran = 0;
    // Another instance's sweep, mid-transaction.
    const other = await t.deps.knex.transaction();
    await other.raw('select pg_advisory_xact_lock(?)', [SWEEP_LOCK]);
    const second = await startWorker({
      connectionString: t.databaseUrl, taskList: { 'sweep-probe': async () => { ran++; } }, logger: t.deps.logger, concurrency: 1,
      recovery: { staleAfterMs: 500, heartbeatMs: 100 },
    });
    try {
      await new Promise((r) => setTimeout(r, 800)); // several sweep rounds, all skipped
      expect(ran).toBe(0);
      expect(await lockedJobs()).toBe(1);
      await other.commit();
      await waitFor(() => ran || undefined, 5000);
      expect(ran).toBe(1);
    } finally {
      if (!other.isCompleted()) await other.rollback();
      await second.stop();
    }
  });
});
