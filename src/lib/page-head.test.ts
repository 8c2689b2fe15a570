// What the layout puts around every page: a title that names the page (also when the
// error handler re-renders a form), the language of <html> carried inside the body for
// boosted navigation, and a phone menu holding every link of the desktop header.
import type supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';

const t = await createTestApp();

const titleOf = (html: string) => /<title>([\s\S]*?)<\/title>/.exec(html)?.[1]?.trim();
const bodyOf = (html: string) => /<body\b[\s\S]*<\/body>/.exec(html)?.[0] ?? '';
const hrefs = (html: string) => [...html.matchAll(/href="([^"#]*)"/g)].map((m) => m[1]).filter((h) => !h?.startsWith('/media/'));
const between = (html: string, start: RegExp, end: string) => {
  const from = html.search(start);
  return from < 0 ? '' : html.slice(from, html.indexOf(end, from));
};
const desktopNav = (html: string) => between(html, /<nav class="site-nav"/, '</nav>');
const phoneMenu = (html: string) => between(html, /<details class="site-menu"/, '</details>');

async function postForm(agent: supertest.Agent, path: string, body: Record<string, string>, lang: 'en' | 'fr') {
  const token = await t.csrf(agent, path);
  return agent.post(path).set('Cookie', `lang=${lang}`).type('form').send({ _csrf: token, ...body });
}

describe('page titles', () => {
  it('a failed registration keeps the page title, in English and in French', async () => {
    const bad = { role: 'student', displayName: 'X', email: 'not-an-email', username: 'a b', password: 'short' };
    const en = await postForm(t.agent(), '/register', bad, 'en');
    expect(en.status).toBe(422);
    expect(titleOf(en.text)).toBe('Create your account · Leboncours');
    const fr = await postForm(t.agent(), '/register', bad, 'fr');
    expect(titleOf(fr.text)).toBe('Créer votre compte · Leboncours');
  });

  it('a refused login keeps the page title', async () => {
    const res = await postForm(t.agent(), '/login', { identifier: 'nobody', password: 'wrong password here' }, 'en');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(titleOf(res.text)).toBe('Log in · Leboncours');
  });

  it('no page of the header is titled only "Leboncours"', async () => {
    const anonymous = t.agent();
    const mentor = await t.signIn('mentor:titles');
    const student = await t.signIn('student:titles');
    const pages: [supertest.Agent, string][] = [
      [anonymous, '/'], [anonymous, '/login'], [anonymous, '/register'], [anonymous, '/courses'], [anonymous, '/password/forgot'],
      [mentor, '/dashboard'], [mentor, '/my/skills'], [mentor, '/availability'], [mentor, '/earnings'], [mentor, '/payouts'],
      [mentor, '/notifications'], [mentor, '/profile'], [student, '/dashboard'], [anonymous, '/no-such-page'],
    ];
    for (const [agent, path] of pages) {
      const res = await agent.get(path);
      if (res.status >= 300 && res.status < 400) continue;
      expect(titleOf(res.text), path).toMatch(/^\S.* · Leboncours$/);
    }
  });
});

describe('the language of <html> after boosted navigation', () => {
  it('a boosted page carries its language inside the body, where htmx swaps', async () => {
    const agent = t.agent();
    for (const lang of ['en', 'fr'] as const) {
      const token = await t.csrf(agent, '/');
      const switched = await agent.post('/locale').type('form').send({ _csrf: token, locale: lang, next: '/courses' });
      expect(switched.status).toBe(303);
      // A boosted navigation: htmx keeps <html> and swaps the body only.
      const res = await agent.get('/courses').set('HX-Request', 'true').set('HX-Request-Type', 'full');
      expect(res.text).toContain(`<html lang="${lang}">`);
      expect(bodyOf(res.text)).toContain(`id="page-lang" data-lang="${lang}"`);
    }
  });
});

describe('the phone menu of the header', () => {
  it('holds every link of the desktop header, for each role, and a log-out form when signed in', async () => {
    const agents: [string, supertest.Agent][] = [
      ['anonymous', t.agent()],
      ['mentor', await t.signIn('mentor:menu')],
      ['student', await t.signIn('student:menustudent')],
      ['admin', await t.signInAdmin()],
    ];
    for (const [role, agent] of agents) {
      const res = await agent.get('/courses');
      expect(res.status, role).toBe(200);
      const desktop = new Set(hrefs(desktopNav(res.text)));
      const menu = new Set(hrefs(phoneMenu(res.text)));
      expect(desktop.size, role).toBeGreaterThan(1);
      // A mentor's bar is full at 1280 px: their insights are in the menu (and the dashboard) only.
      expect(menu, role).toEqual(new Set([...desktop, ...(role === 'mentor' ? ['/insights'] : [])]));
      expect(phoneMenu(res.text).includes('action="/logout"'), role).toBe(role !== 'anonymous');
      expect(phoneMenu(res.text)).toMatch(/<summary[^>]*>[\s\S]*Menu<\/summary>/);
    }
    const mentorPage = await (await t.signIn('mentor:menu2')).get('/courses');
    expect(hrefs(phoneMenu(mentorPage.text))).toEqual(['/courses', '/dashboard', '/notifications', '/my/skills', '/availability', '/earnings', '/payouts', '/insights', '/profile']);
  });
});
