import { describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp, PASSWORD } from '../../test/helpers/app.ts';
import { waitFor } from '../../test/helpers/wait.ts';

const clock = new FixedClock(new Date('2026-11-22T10:00:00Z'));
// The worker sends the reset mails (a job, so the answer takes the same time for unknown emails).
const t = await createTestApp({ overrides: { clock }, worker: true });

async function register(body: Record<string, string>) {
  const agent = t.agent();
  const token = await t.csrf(agent, '/register');
  const res = await agent.post('/register').type('form').send({ _csrf: token, ...body });
  return { agent, res };
}

const valid = { role: 'mentor', displayName: 'Awa Ndiaye', email: 'Awa.Ndiaye@Example.com', username: 'awa', password: 'long-enough-password' };

describe('registration', () => {
  it('creates the account, signs in, lowercases the email and sends a welcome mail', async () => {
    const { agent, res } = await register(valid);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/profile');
    const profile = await agent.get('/profile');
    expect(profile.status).toBe(200);
    expect(profile.text).toContain('Awa Ndiaye');
    const row = await t.deps.knex('users').where({ username: 'awa' }).first();
    expect(row.email).toBe('awa.ndiaye@example.com');
    expect(row.role).toBe('mentor');
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    await new Promise((r) => setTimeout(r, 50));
    expect(t.mails.some((m) => m.to === 'awa.ndiaye@example.com' && /Leboncours/.test(m.subject))).toBe(true);
  });

  it('re-renders the form with messages beside the fields and keeps the input', async () => {
    const { res } = await register({ role: 'student', displayName: 'X', email: 'not-an-email', username: 'a b', password: 'short' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('id="f-email-error"');
    expect(res.text).toContain('id="f-username-error"');
    expect(res.text).toContain('id="f-password-error"');
    expect(res.text).toContain('id="f-displayName-error"');
    expect(res.text).toContain('value="not-an-email"');
    expect(res.text).not.toContain('value="short"'); // passwords are never echoed
  });

  it('refuses a duplicate email (any case) and a duplicate username', async () => {
    const dupEmail = await register({ ...valid, email: 'AWA.NDIAYE@example.com', username: 'awa2' });
    expect(dupEmail.res.status).toBe(422);
    expect(dupEmail.res.text).toContain('id="f-email-error"');
    const dupUser = await register({ ...valid, email: 'other@example.com', username: 'AWA' });
    expect(dupUser.res.status).toBe(422);
    expect(dupUser.res.text).toContain('id="f-username-error"');
    expect(await t.deps.knex('users').count({ n: '*' }).first()).toEqual({ n: 1 });
  });

  it('answers JSON clients with a code and field errors', async () => {
    const agent = t.agent();
    const token = await t.csrf(agent, '/register');
    const res = await agent.post('/register').set('Accept', 'application/json').type('form').send({ _csrf: token, role: 'student' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('validation_failed');
    expect(Object.keys(res.body.error.fields)).toEqual(expect.arrayContaining(['email', 'username', 'password', 'displayName']));
  });
});

describe('login', () => {
  it('signs in by email or username and regenerates the session id', async () => {
    await t.user('student:lina');
    const agent = t.agent();
    const token = await t.csrf(agent);
    const res = await agent.post('/login').type('form').send({ _csrf: token, identifier: 'LINA@example.test', password: PASSWORD });
    expect(res.status).toBe(303);
    const sid = /lbc\.sid=([^;]+)/.exec(String(res.headers['set-cookie']))?.[1];
    expect(sid).toBeTruthy();
    // A second sign-in issues a different session id (no fixation).
    const token2 = await t.csrf(agent, '/');
    const again = await agent.post('/login').type('form').send({ _csrf: token2, identifier: 'lina', password: PASSWORD });
    const sid2 = /lbc\.sid=([^;]+)/.exec(String(again.headers['set-cookie']))?.[1];
    expect(sid2).toBeTruthy();
    expect(sid2).not.toBe(sid);
    expect((await agent.get('/profile')).status).toBe(200);
  });

  it('gives one message for an unknown account and a wrong password', async () => {
    await t.user('student:mona');
    const agent = t.agent();
    const token = await t.csrf(agent);
    const unknown = await agent.post('/login').type('form').send({ _csrf: token, identifier: 'nobody@example.test', password: 'whatever-123' });
    const wrong = await agent.post('/login').type('form').send({ _csrf: token, identifier: 'mona', password: 'wrong-password' });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    const message = (html: string) => /<div class="alert alert--error" role="alert">([^<]+)/.exec(html)?.[1];
    expect(message(unknown.text)).toBe(message(wrong.text));
  });

  it('locks an account out after 5 failures with a 429 that says when to retry', async () => {
    await t.user('student:target');
    const statuses: number[] = [];
    // Different "IPs" are not possible over supertest; the account counter is what trips here.
    for (let i = 0; i < 6; i++) {
      const agent = t.agent();
      const token = await t.csrf(agent);
      const res = await agent.post('/login').type('form').send({ _csrf: token, identifier: 'target', password: `wrong-${i}` });
      statuses.push(res.status);
      if (i === 5) {
        expect(res.headers['retry-after']).toMatch(/^\d+$/);
        expect(res.text).toMatch(/Try again in \d+ seconds/);
      }
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    // The right password is refused too while locked.
    const agent = t.agent();
    const token = await t.csrf(agent);
    const locked = await agent.post('/login').type('form').send({ _csrf: token, identifier: 'target', password: PASSWORD });
    expect(locked.status).toBe(429);
    // The window passes (counters live in PostgreSQL, read through the clock).
    clock.advance(61_000);
    const ok = await agent.post('/login').type('form').send({ _csrf: token, identifier: 'target', password: PASSWORD });
    expect(ok.status).toBe(303);
  });

  it('never locks out a classroom signing in from one address: each success gives its attempt back', async () => {
    const users = await Promise.all(Array.from({ length: 12 }, (_, i) => t.user(`student:pupil${i}`)));
    const statuses: number[] = [];
    // Waves of 4 at once (attempts are counted before the password check, so more
    // than 5 in flight together from one address would be refused by design).
    for (let wave = 0; wave < 3; wave++) {
      const pupils = users.slice(wave * 4, wave * 4 + 4);
      const agents = pupils.map(() => t.agent('10.9.9.9'));
      const tokens = await Promise.all(agents.map((a) => t.csrf(a)));
      const results = await Promise.all(agents.map((a, i) => a.post('/login').type('form').send({ _csrf: tokens[i], identifier: pupils[i]!.username, password: PASSWORD })));
      statuses.push(...results.map((r) => r.status));
    }
    expect(statuses).toEqual(Array(12).fill(303));
  });

  it('counts failures per address too: 5 wrong passwords on different accounts block that address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const agent = t.agent('10.8.8.8');
      const token = await t.csrf(agent);
      statuses.push((await agent.post('/login').type('form').send({ _csrf: token, identifier: `nobody${i}`, password: 'wrong-password' })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('logs the shadow admin in from the environment, with no users row', async () => {
    const agent = t.agent();
    const token = await t.csrf(agent);
    const res = await agent.post('/login').type('form').send({ _csrf: token, identifier: 'Admin@Leboncours.test', password: 'admin-password-123' });
    expect(res.status).toBe(303);
    const home = await agent.get('/');
    expect(home.text).toContain('Admin');
    expect(await t.deps.knex('users').where({ email: 'admin@leboncours.test' }).first()).toBeUndefined();
    const bad = t.agent();
    const token2 = await t.csrf(bad);
    expect((await bad.post('/login').type('form').send({ _csrf: token2, identifier: 'admin@leboncours.test', password: 'nope-nope-nope' })).status).toBe(401);
  });

  it('logs out and forgets the session', async () => {
    const agent = await t.signIn('student:leo');
    const token = await t.csrf(agent, '/profile');
    expect((await agent.post('/logout').type('form').send({ _csrf: token })).status).toBe(303);
    const after = await agent.get('/profile');
    expect(after.status).toBe(303);
    expect(after.headers.location).toBe('/login?next=%2Fprofile');
  });
});

describe('CSRF', () => {
  it('rejects a state-changing request without a token or with a forged one', async () => {
    const agent = await t.signIn('student:csrf');
    const none = await agent.post('/profile').type('form').send({ displayName: 'Hacked' });
    expect(none.status).toBe(403);
    const forged = await agent.post('/profile').type('form').send({ _csrf: 'forged', displayName: 'Hacked' });
    expect(forged.status).toBe(403);
    const viaHeader = await agent.post('/profile').set('X-CSRF-Token', 'forged').set('Accept', 'application/json').type('form').send({ displayName: 'Hacked' });
    expect(viaHeader.body.error.code).toBe('csrf_invalid');
    const row = await t.deps.knex('users').where({ username: 'csrf' }).first();
    expect(row.displayName).not.toBe('Hacked');
  });

  it('does not let a multipart body slip past the check (no route parses it first)', async () => {
    const agent = await t.signIn('student:multipart');
    const forged = await agent.post('/logout').field('anything', '1');
    expect(forged.status).toBe(403);
    expect((await agent.get('/profile')).status).toBe(200); // still signed in
    const token = await t.csrf(agent, '/profile');
    expect((await agent.post(`/logout?_csrf=${encodeURIComponent(token)}`).field('x', '1')).status).toBe(303);
  });

  it('accepts the token from the X-CSRF-Token header (htmx requests)', async () => {
    const agent = await t.signIn('student:htmx');
    const token = await t.csrf(agent, '/profile');
    const res = await agent.post('/logout').set('X-CSRF-Token', token).set('HX-Request', 'true');
    expect(res.status).toBe(303);
  });

  it('refuses a token issued to another session', async () => {
    const a = await t.signIn('student:first');
    const b = await t.signIn('student:second');
    const tokenOfA = await t.csrf(a, '/profile');
    const res = await b.post('/logout').type('form').send({ _csrf: tokenOfA });
    expect(res.status).toBe(403);
  });
});

describe('password reset', () => {
  const linkIn = (text: string) => /\/password-resets\/([A-Za-z0-9_-]+)/.exec(text)?.[1];

  it('never says whether the email exists', async () => {
    await t.user('student:known');
    const agent = t.agent();
    const token = await t.csrf(agent, '/password-resets/new');
    const known = await agent.post('/password-resets').type('form').send({ _csrf: token, email: 'known@example.test' });
    const unknown = await agent.post('/password-resets').type('form').send({ _csrf: token, email: 'unknown@example.test' });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    expect(known.text.replace(/known@example\.test/g, 'X').replace(/nonce-[^"']+/g, '').replace(/content="[^"]+"/g, ''))
      .toBe(unknown.text.replace(/unknown@example\.test/g, 'X').replace(/nonce-[^"']+/g, '').replace(/content="[^"]+"/g, ''));
  });

  it('works once, ends every session of the user, and expires after an hour', async () => {
    const phone = await t.signIn('student:resetme');
    expect((await phone.get('/profile')).status).toBe(200);

    const agent = t.agent();
    const token = await t.csrf(agent, '/password-resets/new');
    t.mails.length = 0;
    await agent.post('/password-resets').type('form').send({ _csrf: token, email: 'resetme@example.test' });
    const mail = await waitFor(() => t.mails.find((m) => m.to === 'resetme@example.test'));
    const resetToken = linkIn(mail!.text)!;
    expect(mail!.html).toContain(resetToken);
    const stored = await t.deps.knex('password_resets').first();
    expect(stored.tokenHash).not.toContain(resetToken);

    expect((await agent.get(`/password-resets/${resetToken}`)).status).toBe(200);
    const mismatch = await agent.post(`/password-resets/${resetToken}`).type('form').send({ _csrf: token, password: 'brand-new-password', passwordConfirm: 'different-password' });
    expect(mismatch.status).toBe(422);
    expect(mismatch.text).toContain('id="f-passwordConfirm-error"');

    const done = await agent.post(`/password-resets/${resetToken}`).type('form').send({ _csrf: token, password: 'brand-new-password', passwordConfirm: 'brand-new-password' });
    expect(done.status).toBe(303);
    // The other device is signed out.
    expect((await phone.get('/profile')).status).toBe(303);
    // Single use.
    expect((await t.agent().get(`/password-resets/${resetToken}`)).status).toBe(410);
    // The new password works.
    const fresh = t.agent();
    const tk = await t.csrf(fresh);
    expect((await fresh.post('/login').type('form').send({ _csrf: tk, identifier: 'resetme', password: 'brand-new-password' })).status).toBe(303);

    // A new link expires after one hour.
    t.mails.length = 0;
    const other = t.agent();
    const otherToken = await t.csrf(other, '/password-resets/new');
    await other.post('/password-resets').type('form').send({ _csrf: otherToken, email: 'resetme@example.test' });
    const second = linkIn((await waitFor(() => t.mails[0])).text)!;
    clock.advance(60 * 60 * 1000 + 1000);
    expect((await t.agent().get(`/password-resets/${second}`)).status).toBe(410);
  });
});
