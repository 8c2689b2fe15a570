import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';

const t = await createTestApp(); // APP_URL=http://localhost:3999

/** A signed-in browser and a valid token: only the origin headers decide below. */
async function signedIn(name: string) {
  const agent = await t.signIn(`student:${name}`);
  return { agent, token: await t.csrf(agent, '/profile') };
}
const stillSignedIn = async (agent: Awaited<ReturnType<typeof signedIn>>['agent']) => (await agent.get('/profile')).status === 200;

describe('cross-site requests', () => {
  it('refuses Sec-Fetch-Site: cross-site with 403 even with a valid token; without the headers the token decides', async () => {
    const { agent, token } = await signedIn('fetchsite');
    const res = await agent.post('/logout').set('Sec-Fetch-Site', 'cross-site').type('form').send({ _csrf: token });
    expect(res.status).toBe(403);
    expect(res.text).toContain('This request came from another site and was refused');
    expect(await stillSignedIn(agent)).toBe(true);
    // No Sec-Fetch-Site nor Origin (curl, old browsers): on to the CSRF check.
    const missing = await agent.post('/logout').set('Accept', 'application/json').type('form').send({});
    expect(missing.body.error.code).toBe('csrf_invalid');
    // same-site (a sibling subdomain) is not refused by this header alone.
    expect((await agent.post('/logout').set('Sec-Fetch-Site', 'same-site').type('form').send({ _csrf: token })).status).toBe(303);
  });

  it('refuses a foreign Origin, and the opaque "null" one, in HTML and JSON', async () => {
    const { agent, token } = await signedIn('foreign');
    for (const origin of ['https://evil.example', 'http://localhost:3999.evil.example', 'null']) {
      const res = await agent.post('/logout').set('Origin', origin).type('form').send({ _csrf: token });
      expect(res.status).toBe(403);
    }
    const json = await agent.post('/logout').set('Origin', 'https://evil.example').set('Accept', 'application/json').type('form').send({ _csrf: token });
    expect(json.status).toBe(403);
    expect(json.body.error.code).toBe('forbidden');
    expect(json.body.error.message).toMatch(/another site/);
    expect(await stillSignedIn(agent)).toBe(true);
    // APP_URL's origin and the request's own host origin are ours.
    expect((await agent.post('/logout').set('Host', 'lan-box.local:3000').set('Origin', 'http://lan-box.local:3000').type('form').send({ _csrf: token })).status).toBe(303);
    const again = await signedIn('foreign2');
    expect((await again.agent.post('/logout').set('Origin', 'http://localhost:3999').set('Sec-Fetch-Site', 'same-origin').type('form').send({ _csrf: again.token })).status).toBe(303);
  });

  it("refuses a cross-site login attempt too (anonymous forms are state-changing)", async () => {
    await t.user('student:loginx');
    const agent = t.agent();
    const token = await t.csrf(agent);
    const res = await agent.post('/login').set('Origin', 'https://evil.example').type('form').send({ _csrf: token, identifier: 'loginx', password: 'whatever-123' });
    expect(res.status).toBe(403);
  });

});
