// /readyz and the catalogue's read routing over real databases: a "replica" that is a
// second connection to the test database (not in recovery, so nothing to replay: lag 0),
// and one on a port nobody listens on (reads fall back to the primary, the instance
// stays in the balancer). The streaming replica itself is exercised by npm run test:cluster.
import supertest from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { createDeps } from '../composition.ts';
import { loadConfig } from '../config.ts';
import { testEnv } from '../../test/helpers/app.ts';
import { createTestDatabase } from '../../test/helpers/db.ts';
import { closedPort } from '../../test/helpers/closed-port.ts';

const db = await createTestDatabase();
const config = loadConfig(testEnv({ READ_REPLICA_MAX_LAG_SECONDS: '5' }));
const noMail = { mailTransport: { send: async () => undefined } };
// Named, so the test can see which pool a query used.
const replicaUrl = `${db.url}${db.url.includes('?') ? '&' : '?'}application_name=replica-reads`;
const withReplica = createDeps(config, { url: db.url, readUrl: replicaUrl }, noMail);
const lostReplica = createDeps(config, { url: db.url, readUrl: `postgresql://nobody@127.0.0.1:${await closedPort()}/gone` }, noMail);
const noReplica = createDeps(config, db.url, noMail);
afterAll(async () => {
  await Promise.all([withReplica.close(), lostReplica.close(), noReplica.close()]);
  await db.drop();
});

describe('/readyz', () => {
  it('reports the primary, a fresh replica and the worker', async () => {
    await withReplica.reads.ready;
    const res = await supertest(createApp(withReplica)).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', database: { ok: true }, replica: { ok: true, lagSeconds: 0, serving: true }, worker: { running: false } });
  });

  it('stays 200 with an unreachable replica, says so, and reads the catalogue from the primary', async () => {
    await lostReplica.reads.ready;
    const res = await supertest(createApp(lostReplica)).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'degraded', database: { ok: true }, replica: { ok: false, lagSeconds: null, serving: false } });
    expect(lostReplica.catalogue({})).toBe(lostReplica.services);
    // The landing page still renders (from the primary).
    expect((await supertest(createApp(lostReplica)).get('/')).status).toBe(200);
  });

  it('says "absent" without DATABASE_READ_URL', async () => {
    const res = await supertest(createApp(noReplica)).get('/readyz');
    expect(res.body).toMatchObject({ status: 'ready', replica: 'absent' });
  });
});

describe('catalogue read routing', () => {
  it('sends anonymous visitors to the replica and signed-in users to the primary', async () => {
    await withReplica.reads.ready;
    const anonymous = withReplica.catalogue({});
    expect(anonymous).not.toBe(withReplica.services);
    expect(withReplica.catalogue({ user: { id: 'x' } })).toBe(withReplica.services);
    // The replica's services really query through the replica's pool (its connections carry its name).
    const searchInput = { page: 1 } as Parameters<typeof anonymous.skills.search>[0];
    const { pid } = (await withReplica.reads.replica!.raw<{ rows: { pid: number }[] }>('select pg_backend_pid() as pid')).rows[0]!;
    await anonymous.skills.search(searchInput);
    const named = await withReplica.knex('pg_stat_activity').where({ applicationName: 'replica-reads' }).pluck('pid');
    expect(named).toContain(pid);
    const primaryPid = (await withReplica.knex.raw<{ rows: { pid: number }[] }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    expect(named).not.toContain(primaryPid);
  });
});
