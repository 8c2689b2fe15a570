// The signed-in user comes with the session: the store's one statement reads the
// session, the header's row and the bell's count, so a signed-in page pays one round
// trip for "who is this" and not two. Still fresh on every request: a rename, a new
// notice or a disabled account shows on the very next page.
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { captureQueries, readable } from '../../test/helpers/query-count.ts';

const t = await createTestApp();

const bellCount = (html: string) => /class="site-menu__count">([^<]+)</.exec(html)?.[1];
// The header shows the user's initial (no avatar in these fixtures) and the page speaks their language.
const initial = (html: string) => /avatar--xs" aria-hidden="true">([^<]*)</.exec(html)?.[1];
const lang = (html: string) => /<html lang="([^"]+)"/.exec(html)?.[1];

describe('the signed-in user, read with the session', () => {
  it('costs one statement for session, header row and unread count; no users query of its own', async () => {
    const agent = await t.signIn('student:cu_one');
    await agent.get('/notifications'); // the store's first read of a process also starts its prune timer
    const queries = await captureQueries(t.deps, async () => {
      expect((await agent.get('/notifications')).status).toBe(200);
    });
    const sessionReads = queries.filter((q) => q.pool === 'session');
    expect(sessionReads, readable(queries)).toHaveLength(1);
    expect(sessionReads[0]!.sql).toMatch(/from sessions s/);
    expect(sessionReads[0]!.sql).toMatch(/from "users"/);
    expect(queries.filter((q) => q.pool === 'knex' && /from "users"/.test(q.sql)), readable(queries)).toEqual([]);
  });

  it('shows what changed since the last request: the name, the language, the unread count', async () => {
    const agent = await t.signIn('student:cu_fresh', { locale: 'en' });
    const user = await t.user('student:cu_fresh');
    const before = (await agent.get('/dashboard')).text;
    expect([bellCount(before), initial(before), lang(before)]).toEqual([undefined, 'C', 'en']);
    await t.deps.knex('users').where({ id: user.id }).update({ displayName: 'Renamed Elsewhere', locale: 'fr' });
    await t.deps.knex('notifications').insert([
      { userId: user.id, kind: 'booking.confirmed', data: { other: 'X', skill: 'Y', when: new Date().toISOString() } },
      { userId: user.id, kind: 'booking.confirmed', data: { other: 'X', skill: 'Z', when: new Date().toISOString() } },
    ]);
    const page = (await agent.get('/dashboard')).text;
    expect([bellCount(page), initial(page), lang(page)]).toEqual(['2', 'R', 'fr']);
  });

  it('ends the session of an account disabled since sign-in, on its next request', async () => {
    const agent = await t.signIn('student:cu_disabled');
    expect((await agent.get('/notifications')).status).toBe(200);
    await t.deps.knex('users').where({ id: (await t.user('student:cu_disabled')).id }).update({ disabledAt: new Date() });
    const res = await agent.get('/notifications');
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/login/);
  });

  it("never takes another user's row: two agents, each sees their own name", async () => {
    const a = await t.signIn('student:cu_alice', { displayName: 'Alice', locale: 'fr' });
    const b = await t.signIn('student:cu_bruno', { displayName: 'Bruno', locale: 'en' });
    for (let round = 0; round < 5; round++) {
      const [pa, pb] = await Promise.all([a.get('/dashboard'), b.get('/dashboard')]);
      expect([initial(pa.text), lang(pa.text), initial(pb.text), lang(pb.text)]).toEqual(['A', 'fr', 'B', 'en']);
    }
  });
});
