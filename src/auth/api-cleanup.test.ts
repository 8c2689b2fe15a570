import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { allTasks } from '../jobs.ts';
import { API_CLEANUP_TASK } from './tasks.ts';

const t = await createTestApp();

describe('the API cleanup job', () => {
  it('drops refresh tokens past their expiry and idempotency keys older than a day, and keeps the rest', async () => {
    const user = await t.user('student:cleanup_cleo');
    const now = t.deps.clock.now().getTime();
    const day = 86_400_000;
    const family = '6f0e2a52-6c43-4f8f-9a53-3c1d7a2b9e01';
    await t.deps.knex('refresh_tokens').insert([
      { userId: user.id, familyId: family, tokenHash: 'old', expiresAt: new Date(now - day), createdAt: new Date(now - 31 * day) },
      { userId: user.id, familyId: family, tokenHash: 'live', expiresAt: new Date(now + day), createdAt: new Date(now - day) },
    ]);
    await t.deps.knex('idempotency_keys').insert([
      { scope: `user:${user.id}`, key: 'old', requestHash: 'h', createdAt: new Date(now - 2 * day) },
      { scope: `user:${user.id}`, key: 'fresh', requestHash: 'h', createdAt: new Date(now - 60_000) },
    ]);
    await (allTasks(t.deps)[API_CLEANUP_TASK] as (p: unknown, h: unknown) => Promise<void>)({}, {});
    expect((await t.deps.knex('refresh_tokens').where({ userId: user.id })).map((r) => r.tokenHash)).toEqual(['live']);
    expect((await t.deps.knex('idempotency_keys').where({ scope: `user:${user.id}` })).map((r) => r.key)).toEqual(['fresh']);
  });
});
