// The flash cookie: shown once by the next whole page, never by a forged or altered cookie,
// and never served from or stored in the anonymous page cache.
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { kept } from '../../test/helpers/page-cache.ts';
import type { FlashCookie } from './flash.ts';

// The anonymous page cache on, as in production.
const t = await createTestApp({ env: { PAGE_CACHE_SECONDS: '60' } });
const cookie = t.app.locals.flashCookie as FlashCookie;

/** A cookie as setFlash writes it, signed with `key` (the app's unless told). */
function flashValue(flash: unknown, key = cookie.key): string {
  const value = Buffer.from(JSON.stringify(flash)).toString('base64url');
  return `${value}.${crypto.createHmac('sha256', key).update(value).digest('base64url')}`;
}
const withFlash = (value: string) => `${cookie.name}=${encodeURIComponent(value)}`;

describe('the flash cookie', () => {
  it('is set by the redirect (HttpOnly, Lax, a minute), shown by the next page once, cleared by it', async () => {
    const agent = await t.signIn('student:flash-cookie');
    const token = await t.csrf(agent, '/profile');
    const res = await agent.post('/profile/calendar-feed').type('form').send({ _csrf: token });
    expect(res.status).toBe(303);
    const set = String(res.headers['set-cookie']);
    expect(set).toMatch(new RegExp(`${cookie.name.replace('.', '\\.')}=[\\w-]+\\.[\\w-]+;`));
    expect(set).toMatch(/Max-Age=60;.*HttpOnly;.*SameSite=Lax/);
    const page = await agent.get('/profile');
    expect(page.text).toContain('Your calendar address is ready.');
    expect(String(page.headers['set-cookie'])).toContain(`${cookie.name}=;`);
    expect((await agent.get('/profile')).text).not.toContain('Your calendar address is ready.');
  });

  it('a valid cookie shows its message; that page is neither served from nor stored in the anonymous page cache', async () => {
    const value = flashValue({ kind: 'success', key: 'users.saved' });
    // The landing stored first: a visit with the cookie must not be served from it either.
    expect((await kept(() => t.agent().get('/'))).headers['x-page-cache']).toBe('hit');
    const first = await t.agent().get('/').set('Cookie', withFlash(value));
    expect(first.status).toBe(200);
    expect(first.text).toContain('class="alert alert--success"');
    expect(first.headers['x-page-cache']).toBeUndefined();
    expect(String(first.headers['set-cookie'])).toMatch(new RegExp(`^${cookie.name.replace('.', '\\.')}=;`));
    // The next visitor without the cookie never sees it.
    for (let i = 0; i < 2; i++) expect((await t.agent().get('/')).text).not.toContain('alert alert--success');
  });

  it('ignores a forged, altered or malformed cookie: no message, no error', async () => {
    const forged = flashValue({ kind: 'success', key: 'users.saved' }, crypto.randomBytes(32));
    const good = flashValue({ kind: 'success', key: 'users.saved' });
    const altered = good.replace(/^./, (c) => (c === 'e' ? 'f' : 'e'));
    const badShape = flashValue({ kind: 'shout', key: 'users.saved' });
    const badParams = flashValue({ kind: 'info', key: 'users.saved', params: { x: { nested: true } } });
    for (const value of [forged, altered, badShape, badParams, 'no-dot', '.', `${'a'.repeat(3000)}.x`, '%00\u0000.\u00ff']) {
      const res = await t.agent().get('/').set('Cookie', withFlash(value));
      expect({ value: value.slice(0, 20), status: res.status }).toEqual({ value: value.slice(0, 20), status: 200 });
      expect(res.text).not.toContain('alert alert--');
    }
  });
});
