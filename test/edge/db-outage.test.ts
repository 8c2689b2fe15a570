// The database out of reach (a restart, a failover): pages and the API answer 503
// with a page that says we are back in a moment, and Retry-After, not a 500.
// Its own file: createDeps binds objection's models to this unreachable database.
import supertest from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { createDeps } from '../../src/composition.ts';
import { loadConfig } from '../../src/config.ts';
import { testEnv } from '../helpers/app.ts';
import { closedPort } from '../helpers/closed-port.ts';

const deps = createDeps(loadConfig(testEnv()), `postgresql://nobody@127.0.0.1:${await closedPort()}/gone`, { mailTransport: { send: async () => undefined } });
const app = createApp(deps);
afterAll(() => deps.close());

describe('database outage', () => {
  it('answers a page with 503, Retry-After and a clear message', async () => {
    const res = await supertest(app).get('/').set('Accept-Language', 'en');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.text).toContain('We are back in a moment');
    expect(res.text).toContain('<h1>Temporarily unavailable</h1>');
  });

  it('answers the API with a JSON 503', async () => {
    const res = await supertest(app).get('/skills').set('Accept', 'application/json').set('Accept-Language', 'fr');
    expect(res.status).toBe(503);
    expect(res.body.error).toMatchObject({ code: 'service_unavailable', message: expect.stringContaining('Nous revenons dans un instant') });
  });

  it('keeps /readyz at 503', async () => {
    expect((await supertest(app).get('/readyz')).status).toBe(503);
  });
});
