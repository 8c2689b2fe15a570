import type { Server } from 'node:http';
import supertest from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { createPasswords, type Passwords } from '../lib/passwords.ts';
import { createTestApp, PASSWORD, testEnv } from '../../test/helpers/app.ts';

// Counts argon2 verifications: the limit is about how many passwords get checked.
let verifications = 0;
const real = createPasswords(loadConfig(testEnv()).argon2);
const counting: Passwords = {
  hash: (plain) => real.hash(plain),
  verify: (hash, plain) => {
    verifications++;
    return real.verify(hash, plain);
  },
};

const t = await createTestApp({ overrides: { passwords: counting } });
// A listening server: 30 requests at once through supertest's one-server-per-request would measure supertest.
const server = await new Promise<Server>((resolve) => {
  const s = t.app.listen(0, '127.0.0.1', () => resolve(s));
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const login = (ip: string, identifier: string, password: string) =>
  supertest(server).post('/api/v1/auth/login').set('X-Forwarded-For', ip).set('Accept', 'application/json').send({ identifier, password });

describe('POST /api/v1/auth/login under the page\'s login throttle', () => {
  it('30 parallel wrong passwords get at most 5 verifications, the rest a 429 problem', async () => {
    await t.user('student:apilimit30');
    verifications = 0;
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => login('10.30.0.1', 'apilimit30', `wrong-guess-${i}`)));
    expect(verifications).toBeLessThanOrEqual(5);
    expect(results.filter((r) => r.status === 401).length).toBe(verifications);
    const refused = results.filter((r) => r.status === 429);
    expect(refused.length).toBe(30 - verifications);
    expect(refused[0]!.headers['retry-after']).toMatch(/^\d+$/);
    expect(JSON.parse(refused[0]!.text).code).toBe('too_many_requests');
  });

  it('shares the account\'s counter with the login page', async () => {
    await t.user('student:apilimitshared');
    const agent = t.agent('10.31.0.1');
    const token = await t.csrf(agent);
    for (let i = 0; i < 5; i++) {
      expect((await agent.post('/login').type('form').send({ _csrf: token, identifier: 'apilimitshared', password: 'wrong-password' })).status).toBe(401);
    }
    // From another address, with the right password: the account's counter is full.
    verifications = 0;
    const res = await login('10.31.0.2', 'apilimitshared@example.test', PASSWORD);
    expect(res.status).toBe(429);
    expect(verifications).toBe(0);
  });
});
