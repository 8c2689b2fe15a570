// jobs.replace queues a whole batch with one add_jobs call: a key given twice keeps the
// last spec (as separate add_job calls did), unkeyed jobs are all added, and removed
// keys are gone.
import { describe, expect, it } from 'vitest';
import { jobs } from './jobs.ts';
import { createTestApp } from '../../test/helpers/app.ts';

const t = await createTestApp();

const queued = async (task: string) => (await t.deps.knex.raw<{ rows: { key: string | null; payload: { n: number }; max_attempts: number }[] }>(
  `select j.key, j.payload, j.max_attempts from graphile_worker._private_jobs j join graphile_worker._private_tasks k on k.id = j.task_id
   where k.identifier = ? order by j.id`, [task])).rows;

describe('jobs.replace', () => {
  it('adds a batch in one statement: the last spec of a repeated key wins, unkeyed ones all count', async () => {
    await jobs.replace(t.deps.knex, [{ task: 'replace-test', payload: { n: 0 }, options: { jobKey: 'old' } }], []);
    const statements: string[] = [];
    const onQuery = (q: { sql: string }) => statements.push(q.sql);
    t.deps.knex.on('query', onQuery);
    await jobs.replace(t.deps.knex, [
      { task: 'replace-test', payload: { n: 1 }, options: { jobKey: 'k' } },
      { task: 'replace-test', payload: { n: 2 } },
      { task: 'replace-test', payload: { n: 3 }, options: { jobKey: 'k', maxAttempts: 4 } },
      { task: 'replace-test', payload: { n: 4 } },
    ], ['old']);
    t.deps.knex.off('query', onQuery);
    expect(statements).toHaveLength(1);
    const rows = await queued('replace-test');
    expect(rows.map((r) => [r.key, r.payload.n])).toEqual([['k', 3], [null, 2], [null, 4]]);
    expect(rows[0]!.max_attempts).toBe(4);
  });

  it('adds nothing and says nothing for an empty batch', async () => {
    await expect(jobs.replace(t.deps.knex, [], [])).resolves.toBeUndefined();
    await expect(jobs.replace(t.deps.knex, [], ['no-such-key'])).resolves.toBeUndefined();
  });
});
