import { describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp, PASSWORD } from '../../test/helpers/app.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';

// Sunday 22 November 2026, 10:00 UTC; Monday 09:00 in Paris is a free slot past the notice.
const clock = new FixedClock(new Date('2026-11-22T10:00:00Z'));
// A five-minute window, so the wait reads in minutes as people see it in production.
const t = await createTestApp({ overrides: { clock }, env: { LOGIN_WINDOW_SECONDS: '300' } });
const MONDAY_9 = '2026-11-23T08:00:00.000Z';

type Agent = ReturnType<typeof t.agent>;

async function failLogin(agent: Agent, token: string, identifier: string, headers: Record<string, string> = {}) {
  return agent.post('/login').set(headers).type('form').send({ _csrf: token, identifier, password: 'wrong-password', next: '/skills' });
}

function expectLimitForm(res: { status: number; text: string; headers: Record<string, string> }, identifier: string) {
  expect(res.status).toBe(429);
  expect(res.headers['retry-after']).toBe('300');
  expect(res.text).toContain('action="/login"');
  expect(res.text).toContain('Too many attempts. Try again in 5 minutes.');
  expect(res.text).toContain(`value="${identifier}"`);
  expect(res.text).toContain('name="next" value="/skills"');
}

describe('the 6th failed login', () => {
  it('in sequence: the 6th and 7th get the login form back with the wait beside it, the email kept (429); JSON keeps its typed 429', async () => {
    await t.user('student:seqlimit');
    const agent = t.agent();
    const token = await t.csrf(agent);
    for (let i = 0; i < 5; i++) expect((await failLogin(agent, token, 'seqlimit@example.test')).status).toBe(401);
    expectLimitForm(await failLogin(agent, token, 'seqlimit@example.test'), 'seqlimit@example.test');
    // htmx (boosted form) gets the same form to swap in.
    expectLimitForm(await failLogin(agent, token, 'seqlimit@example.test', { 'HX-Request': 'true' }), 'seqlimit@example.test');
    // JSON callers keep a JSON 429 with its code.
    const json = await failLogin(agent, token, 'seqlimit@example.test', { Accept: 'application/json' });
    expect(json.status).toBe(429);
    expect(json.body.error).toMatchObject({ code: 'too_many_requests' });
    expect(json.headers['retry-after']).toBe('300');
  });

  it('in parallel: every refused attempt gets the form with the wait, none a bare error page', async () => {
    await t.user('student:parlimit');
    const agent = t.agent();
    const token = await t.csrf(agent);
    const results = await Promise.all(Array.from({ length: 8 }, () => failLogin(agent, token, 'parlimit@example.test')));
    const refused = results.filter((r) => r.status === 429);
    expect(results.filter((r) => r.status === 401).length).toBeLessThanOrEqual(5);
    expect(refused.length).toBeGreaterThanOrEqual(3);
    for (const r of refused) expectLimitForm(r, 'parlimit@example.test');
  });
});

describe('booking intent survives sign-up', () => {
  const details = (skillId: string) => `/skills/${skillId}/book/details?start=${encodeURIComponent(MONDAY_9)}&duration=60`;

  async function register(agent: Agent, username: string, next?: string) {
    const token = await t.csrf(agent, '/register');
    return agent.post('/register').type('form').send({
      _csrf: token, role: 'student', displayName: 'New Student', email: `${username}@example.test`, username, password: 'a long enough password', ...(next === undefined ? {} : { next }),
    });
  }

  /** Step 2 reached by a link holds nothing; its button holds the slot by a POST, then the form shows. */
  async function landAndHold(agent: Agent, url: string, mentorId: string, studentId: string) {
    const holds = () => t.deps.knex('slotHolds').where({ mentorId, studentId });
    expect(await holds()).toHaveLength(0);
    const landing = await agent.get(url);
    expect(landing.status).toBe(200);
    expect(landing.text).toContain('This slot is still free.');
    expect(landing.text).not.toContain('We keep this slot for you until');
    expect(await holds()).toHaveLength(0);
    const token = /name="_csrf" value="([^"]+)"/.exec(landing.text)![1]!;
    const held = await agent.post(/action="(\/skills\/[^"]+\/holds)"/.exec(landing.text)![1]!).type('form').send({ _csrf: token, start: MONDAY_9, duration: '60' });
    expect(held.status).toBe(303);
    expect(held.headers.location).toBe(url);
    const step2 = await agent.get(url);
    expect(step2.text).toContain('We keep this slot for you until');
    expect(step2.text).toContain('name="subject"');
    expect(await holds()).toHaveLength(1);
  }

  it('a slot picked logged out → login → create an account → back at step 2, held by its button', async () => {
    const { skillId, mentorId } = await mentorWithSkill(t, 'mentor:intent');
    const agent = t.agent();
    const picker = await agent.get(`/skills/${skillId}/book?duration=60`);
    const loginHref = `/login?next=${encodeURIComponent(details(skillId))}`;
    expect(picker.text).toContain(`href="${loginHref.replace(/&/g, '&amp;')}"`);

    const login = await agent.get(loginHref);
    const registerHref = `/register?next=${encodeURIComponent(details(skillId))}`;
    expect(login.text).toContain(`href="${registerHref}"`);
    const form = await agent.get(registerHref);
    expect(form.text).toContain(`name="next" value="${details(skillId).replace(/&/g, '&amp;')}"`);

    const created = await register(agent, 'intentstudent', details(skillId));
    expect(created.status).toBe(303);
    expect(created.headers.location).toBe(details(skillId));
    const student = await t.deps.knex('users').where({ username: 'intentstudent' }).first();
    await landAndHold(agent, created.headers.location!, mentorId, student.id);
    expect(await t.deps.knex('slotHolds').where({ mentorId, studentId: student.id }).first()).toMatchObject({ skillId });
  });

  it('after login too: an existing account lands on the slot and holds it by its button', async () => {
    const { skillId, mentorId } = await mentorWithSkill(t, 'mentor:relogin');
    const student = await t.user('student:returning');
    const agent = t.agent();
    const token = await t.csrf(agent, `/login?next=${encodeURIComponent(details(skillId))}`);
    const signedIn = await agent.post('/login').type('form').send({ _csrf: token, identifier: 'returning', password: PASSWORD, next: details(skillId) });
    expect(signedIn.headers.location).toBe(details(skillId));
    await landAndHold(agent, signedIn.headers.location!, mentorId, student.id);
  });

  it('a slot taken meanwhile sends the new account back to step 1 with the reason (409), nothing held', async () => {
    const { skillId, mentorId } = await mentorWithSkill(t, 'mentor:taken');
    const other = await t.signIn('student:quicker');
    const token = await t.csrf(other, '/');
    expect((await other.post(`/skills/${skillId}/holds`).type('form').send({ _csrf: token, start: MONDAY_9, duration: '60' })).status).toBe(303);

    const agent = t.agent();
    const created = await register(agent, 'slowerstudent', details(skillId));
    const landing = await agent.get(created.headers.location!);
    expect(landing.status).toBe(409);
    expect(landing.text).toContain('role="alert"');
    expect(landing.text).not.toContain('We keep this slot for you until');
    const student = await t.deps.knex('users').where({ username: 'slowerstudent' }).first();
    expect(await t.deps.knex('slotHolds').where({ mentorId, studentId: student.id })).toHaveLength(0);
  });

  it('a link to step 2 from anywhere holds nothing for a signed-in student; the mentor page chips carry the slot', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:linked');
    const student = await t.signIn('student:linkedto');
    const before = await t.deps.knex('slotHolds').count({ n: '*' }).first();
    const page = await student.get(details(skillId));
    expect(page.status).toBe(200);
    expect(page.text).toContain('Keep this slot');
    expect(await t.deps.knex('slotHolds').count({ n: '*' }).first()).toEqual(before);
    // The mentor page's chips send a logged-out visitor to login with that very slot as next.
    const profile = await t.agent().get('/mentors/linked');
    expect(profile.text).toContain(`href="/login?next=${encodeURIComponent(`/skills/${skillId}/book/details?start=`)}`);
  });

  it.each(['//evil.example', 'https://evil.example', '/\\evil.example'])('a hostile next (%s) is ignored by the links, sign-up and login', async (hostile) => {
    const agent = t.agent();
    // The same page keeps a same-site next: the hostile one is filtered, not every one.
    expect((await agent.get('/register?next=%2Fskills')).text).toContain('name="next" value="/skills"');
    const login = await agent.get(`/login?next=${encodeURIComponent(hostile)}`);
    expect(login.text).toContain('href="/register"');
    // The locale switch in the footer carries the page's own URL; only the login's next matters here.
    const kept = /name="next" value="(?!\/login\?|\/register\?)[^"]*evil|href="\/register\?next=/;
    expect(login.text).not.toMatch(kept);
    const form = await agent.get(`/register?next=${encodeURIComponent(hostile)}`);
    expect(form.text).toContain('href="/login"');
    expect(form.text).not.toMatch(kept);
    const username = `hostile${Math.abs(hostile.length * 7919 + hostile.charCodeAt(1))}`;
    const created = await register(agent, username, hostile);
    expect(created.headers.location).toBe('/profile');

    const other = t.agent();
    const otherToken = await t.csrf(other);
    const signedIn = await other.post('/login').type('form').send({ _csrf: otherToken, identifier: username, password: 'a long enough password', next: hostile });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.location).toBe('/');
  });
});
