import type { Runner } from 'graphile-worker';
import { afterAll, describe, expect, it } from 'vitest';
import { startWorker } from '../lib/jobs.ts';
import { allTasks } from '../jobs.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { waitFor } from '../../test/helpers/wait.ts';

// No worker at first: what the request itself does is what an attacker can time.
const t = await createTestApp();
let worker: Runner | undefined;
afterAll(async () => worker?.stop());

async function requestReset(email: string) {
  const agent = t.agent();
  const token = await t.csrf(agent, '/password-resets/new');
  return agent.post('/password-resets').type('form').send({ _csrf: token, email });
}

const queued = async () => (await t.deps.knex.raw<{ rows: unknown[] }>(
  `select t.identifier as task, j.payload, j.max_attempts as "maxAttempts"
   from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id order by j.id`)).rows;

describe('password reset request', () => {
  it('does the same work whether or not the email has an account: one identical job, nothing else', async () => {
    await t.user('student:known');
    const known = await requestReset('known@example.test');
    const unknown = await requestReset('nobody@example.test');
    expect([known.status, unknown.status]).toEqual([200, 200]);
    // The request path wrote no token and sent no mail for either: both only queued a job.
    expect(await t.deps.knex('password_resets').count({ n: '*' }).first()).toEqual({ n: 0 });
    expect(t.mails).toEqual([]);
    const jobs = await queued();
    // Each carries the id of the request that queued it (for the logs), the same shape for both.
    const requestId = expect.stringMatching(/^[0-9a-f-]{36}$/);
    expect(jobs).toEqual([
      { task: 'password-reset-mail', payload: { email: 'known@example.test', _requestId: requestId }, maxAttempts: 5 },
      { task: 'password-reset-mail', payload: { email: 'nobody@example.test', _requestId: requestId }, maxAttempts: 5 },
    ]);

    // The worker sends the link to the account, and nothing anywhere for the unknown email.
    worker = await startWorker({ connectionString: t.databaseUrl, taskList: allTasks(t.deps), logger: t.deps.logger, concurrency: 1 });
    const mail = await waitFor(() => t.mails.find((m) => m.to === 'known@example.test'));
    expect(mail.text).toMatch(/\/password-resets\/[A-Za-z0-9_-]{20,}/);
    for (let i = 0; i < 100 && (await queued()).length; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await queued()).toEqual([]);
    expect(t.mails.map((m) => m.to)).toEqual(['known@example.test']);
    expect(await t.deps.knex('password_resets').count({ n: '*' }).first()).toEqual({ n: 1 });
  });
});
