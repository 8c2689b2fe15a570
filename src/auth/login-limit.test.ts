import type { Server } from 'node:http';
import supertest from 'supertest';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { createPasswords, type Passwords } from '../lib/passwords.ts';
import { createTestApp, testEnv } from '../../test/helpers/app.ts';

// Counts the argon2 verifications each app instance performs: the limit is about
// how many passwords an attacker gets checked, not only about the status codes.
let verifications = 0;
const real = createPasswords(loadConfig(testEnv()).argon2);
const counting: Passwords = {
  hash: (plain) => real.hash(plain),
  verify: (hash, plain) => {
    verifications++;
    return real.verify(hash, plain);
  },
};

const a = await createTestApp({ overrides: { passwords: counting } });
const b = await createTestApp({ overrides: { passwords: counting }, databaseUrl: a.databaseUrl });

// Real listening servers: 200 requests at once through supertest's one-server-per-request would measure supertest.
const listen = (app: typeof a.app) => new Promise<Server>((resolve) => {
  const server = app.listen(0, '127.0.0.1', () => resolve(server));
});
const servers = await Promise.all([listen(a.app), listen(b.app)]);
afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

/** A CSRF cookie and token, valid on both instances (same secret), for anonymous posts. */
async function anonymousForm(ip: string) {
  const res = await supertest(servers[0]!).get('/login').set('X-Forwarded-For', ip);
  const token = /id="csrf-token" data-token="([^"]+)"/.exec(res.text)?.[1];
  const cookie = (res.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
  return { token: token!, cookie };
}

function postLogin(server: Server, form: { token: string; cookie: string }, ip: string, identifier: string, password: string) {
  return supertest(server).post('/login').set('X-Forwarded-For', ip).set('Cookie', form.cookie).set('Accept-Language', 'en')
    .type('form').send({ _csrf: form.token, identifier, password });
}

beforeEach(() => {
  verifications = 0;
});

describe('login limit under concurrency', () => {
  it('200 parallel guesses over two instances get at most 5 password verifications, the rest 429', async () => {
    await a.user('student:race200');
    const ip = '10.20.0.1';
    const form = await anonymousForm(ip);
    verifications = 0;
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) =>
      postLogin(servers[i % 2]!, form, ip, 'race200', `wrong-guess-${i}`)));
    const statuses = results.map((r) => r.status);
    expect(verifications).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 401).length).toBe(verifications);
    expect(statuses.filter((s) => s === 429).length).toBe(200 - verifications);
    const refused = results.find((r) => r.status === 429)!;
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect(refused.text).toMatch(/Try again in \d+ seconds/);
  });

  it('counts the account, not what was typed: the username and the email share one counter', async () => {
    await a.user('student:race250');
    const statuses: number[] = [];
    // A fresh address for every attempt: only the account counter can trip.
    for (const [i, identifier] of ['race250', 'RACE250@example.test', 'race250', ' race250@example.test', 'Race250', 'race250@example.test'].entries()) {
      const ip = `10.21.0.${i + 1}`;
      const res = await postLogin(servers[i % 2]!, await anonymousForm(ip), ip, identifier, 'wrong-password');
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect(verifications).toBe(5);
  });

  it('limits parallel guesses on an unknown account from many addresses alike (a 429 says nothing about existence)', async () => {
    const forms = await Promise.all(Array.from({ length: 40 }, (_, i) => anonymousForm(`10.22.0.${i + 1}`)));
    verifications = 0;
    const results = await Promise.all(forms.map((form, i) =>
      postLogin(servers[i % 2]!, form, `10.22.0.${i + 1}`, 'ghost@example.test', `wrong-guess-${i}`)));
    expect(verifications).toBeLessThanOrEqual(5);
    expect(results.filter((r) => r.status === 429).length).toBe(40 - verifications);
  });
});
