import { createLocalJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp, PASSWORD } from '../../test/helpers/app.ts';

const clock = new FixedClock(new Date());
const t = await createTestApp({ overrides: { clock } });

interface Pair { accessToken: string; refreshToken: string; refreshExpiresAt: string; expiresIn: number; user: { id: string; username: string } }

const api = () => t.agent().set('Accept', 'application/json');
const problem = (res: { text: string }) => JSON.parse(res.text) as { code: string; detail: string; errors?: { name: string; reason: string }[] };

async function login(username: string): Promise<Pair> {
  await t.user(`student:${username}`);
  const res = await api().post('/api/v1/auth/login').send({ identifier: username, password: PASSWORD });
  expect(res.status, res.text).toBe(200);
  return res.body as Pair;
}
const refresh = (refreshToken: string) => api().post('/api/v1/auth/refresh').send({ refreshToken });
const me = (accessToken: string) => api().get('/api/v1/me').set('Authorization', `Bearer ${accessToken}`);

describe('POST /auth/register and /auth/login', () => {
  it('creates an account through the sign-up rules and hands out a working token pair', async () => {
    const res = await api().post('/api/v1/auth/register').send({
      email: 'Tok_New@Example.test', username: 'tok_new', displayName: 'Tok Newcomer', password: 'a long enough password', role: 'student',
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, user: { username: 'tok_new', email: 'tok_new@example.test', locale: 'en', timezone: 'Europe/Paris' } });
    expect((await me(res.body.accessToken)).body.username).toBe('tok_new');
  });

  it('refuses a taken username or email beside that field, with the page\'s words', async () => {
    await t.user('student:tok_taken');
    const base = { displayName: 'Someone Else', password: 'a long enough password', role: 'student' };
    const byName = await api().post('/api/v1/auth/register').send({ ...base, email: 'tok_other@example.test', username: 'tok_taken' });
    expect(byName.status).toBe(422);
    expect(problem(byName).errors).toEqual([{ name: 'username', reason: 'This username is taken. Try another one.' }]);
    const byEmail = await api().post('/api/v1/auth/register').send({ ...base, email: 'tok_taken@example.test', username: 'tok_other' });
    expect(byEmail.status).toBe(422);
    expect(problem(byEmail).errors).toEqual([{ name: 'email', reason: 'This email cannot be used for a new account. If it is yours, log in or reset your password.' }]);
    const short = await api().post('/api/v1/auth/register').send({ ...base, email: 'tok_short@example.test', username: 'tok_short', password: 'short', timezone: 'Mars/Olympus' });
    expect(short.status).toBe(422);
    expect(problem(short).errors?.map((e) => e.name).sort()).toEqual(['password', 'timezone']);
  });

  it('shares the sign-up page\'s limit per address (20 an hour)', async () => {
    const ip = '10.40.0.1';
    for (let i = 0; i < 20; i++) {
      const res = await t.agent(ip).post('/api/v1/auth/register').set('Accept', 'application/json')
        .send({ email: `tok_flood${i}@example.test`, username: `tok_flood${i}`, displayName: 'Flood Test', password: 'a long enough password', role: 'student' });
      expect(res.status, res.text).toBe(201);
    }
    const page = t.agent(ip);
    const token = await t.csrf(page, '/register');
    const refused = await page.post('/register').type('form')
      .send({ _csrf: token, email: 'tok_flood_page@example.test', username: 'tok_flood_page', displayName: 'Flood Test', password: 'a long enough password', role: 'student' });
    expect(refused.status).toBe(429);
  });

  it('refuses wrong credentials, a disabled account and the shadow admin alike (401)', async () => {
    await t.user('student:tok_wrong');
    await t.user('student:tok_disabled_login', { disabledAt: new Date() });
    for (const [identifier, password] of [['tok_wrong', 'not-the-password'], ['tok_disabled_login', PASSWORD], ['admin@leboncours.test', 'admin-password-123']]) {
      const res = await api().post('/api/v1/auth/login').send({ identifier, password });
      expect(res.status, identifier).toBe(401);
      expect(problem(res)).toMatchObject({ code: 'unauthorized', detail: 'These credentials do not match an active account.' });
    }
  });
});

describe('refresh tokens', () => {
  it('rotate: a refresh gives a new pair, and the spent token stops working', async () => {
    const first = await login('tok_rotate');
    const res = await refresh(first.refreshToken);
    expect(res.status, res.text).toBe(200);
    const next = res.body as Pair;
    expect(next.refreshToken).not.toBe(first.refreshToken);
    expect(next.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await me(next.accessToken)).status).toBe(200);
    const stored = await t.deps.knex('refresh_tokens').where({ userId: first.user.id }).select('tokenHash');
    expect(stored.map((r: { tokenHash: string }) => r.tokenHash)).not.toContain(first.refreshToken);
    const again = await refresh(first.refreshToken);
    expect(again.status).toBe(401);
    expect(problem(again).code).toBe('refresh_token_reused');
  });

  it('a spent token shown again revokes the whole family: the newest token fails too', async () => {
    const first = await login('tok_reuse');
    const second = (await refresh(first.refreshToken)).body as Pair;
    const third = (await refresh(second.refreshToken)).body as Pair;
    expect((await refresh(first.refreshToken)).status).toBe(401);
    const newest = await refresh(third.refreshToken);
    expect(newest.status).toBe(401);
    expect(problem(newest).code).toBe('refresh_token_reused');
    // Another login of the same account is another family, untouched.
    const other = await login('tok_reuse');
    expect((await refresh(other.refreshToken)).status).toBe(200);
  });

  it('two parallel refreshes with one token: exactly one succeeds', async () => {
    const { refreshToken } = await login('tok_parallel');
    const results = await Promise.all(Array.from({ length: 5 }, () => refresh(refreshToken)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401, 401, 401]);
    // One rotation happened: the login's token and a single successor.
    const user = await t.user('student:tok_parallel');
    const rows = await t.deps.knex('refresh_tokens').where({ userId: user.id }).select('id');
    expect(rows).toHaveLength(2);
  });

  it('logout revokes the family, and a second logout is still a 204', async () => {
    const first = await login('tok_logout');
    const second = (await refresh(first.refreshToken)).body as Pair;
    expect((await api().post('/api/v1/auth/logout').send({ refreshToken: second.refreshToken })).status).toBe(204);
    expect((await refresh(second.refreshToken)).status).toBe(401);
    const twice = await api().post('/api/v1/auth/logout').send({ refreshToken: second.refreshToken });
    expect(twice.status).toBe(204);
    expect(twice.text).toBe('');
    expect((await api().post('/api/v1/auth/logout').send({ refreshToken: 'never-issued' })).status).toBe(204);
  });

  it('an unknown or malformed refresh token is a 401 or a 422, never a 500', async () => {
    expect(problem(await refresh('x'.repeat(43))).code).toBe('refresh_token_invalid');
    for (const refreshToken of [42, '', 'x'.repeat(5000), null]) {
      const res = await api().post('/api/v1/auth/refresh').send({ refreshToken });
      expect(res.status, String(refreshToken)).toBe(422);
      expect(problem(res).errors?.[0]?.name).toBe('refreshToken');
    }
  });
});

describe('expiry and disabled accounts', () => {
  it('an access token expires after 15 minutes, a refresh token after 30 days (the injected clock)', async () => {
    const pair = await login('tok_expiry');
    clock.advance(15 * 60_000 - 1000);
    expect((await me(pair.accessToken)).status).toBe(200);
    clock.advance(2000);
    const expired = await me(pair.accessToken);
    expect(expired.status).toBe(401);
    expect(problem(expired)).toMatchObject({ code: 'unauthorized', detail: 'The access token has expired. Refresh it with your refresh token.' });
    const renewed = (await refresh(pair.refreshToken)).body as Pair;
    expect((await me(renewed.accessToken)).status).toBe(200);
    clock.advance(30 * 24 * 3600_000 + 1000);
    const late = await refresh(renewed.refreshToken);
    expect(late.status).toBe(401);
    expect(problem(late).code).toBe('refresh_token_expired');
  });

  it('a disabled account\'s access and refresh tokens stop working', async () => {
    const pair = await login('tok_disabled');
    expect((await me(pair.accessToken)).status).toBe(200);
    await t.deps.knex('users').where({ username: 'tok_disabled' }).update({ disabledAt: clock.now() });
    expect((await me(pair.accessToken)).status).toBe(401);
    const res = await refresh(pair.refreshToken);
    expect(res.status).toBe(401);
    expect(problem(res).code).toBe('refresh_token_invalid');
  });
});

describe('GET /.well-known/jwks.json', () => {
  it('lets a partner verify an access token with the published keys', async () => {
    const res = await api().get('/api/v1/.well-known/jwks.json');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=3600');
    const pair = await login('tok_jwks');
    const { payload, protectedHeader } = await jwtVerify(pair.accessToken, createLocalJWKSet(res.body), {
      issuer: 'http://localhost:3999', audience: 'leboncours-api', currentDate: clock.now(),
    });
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', typ: 'at+jwt' });
    expect(payload).toMatchObject({ sub: pair.user.id, role: 'student' });
  });
});
