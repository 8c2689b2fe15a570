import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';

const t = await createTestApp();

async function adminAgent() {
  const agent = t.agent();
  const token = await t.csrf(agent);
  const res = await agent.post('/login').type('form').send({ _csrf: token, identifier: 'admin@leboncours.test', password: 'admin-password-123' });
  expect(res.headers.location).toBe('/admin');
  return agent;
}

describe('role guards on /admin', () => {
  it('sends anonymous visitors to the login page and back', async () => {
    const res = await t.agent().get('/admin');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login?next=%2Fadmin');
  });

  it('forbids students and mentors', async () => {
    for (const fixture of ['student:sam', 'mentor:maya']) {
      const res = await (await t.signIn(fixture)).get('/admin');
      expect(res.status).toBe(403);
      expect(res.text).toContain('Not allowed');
    }
  });

  it('answers JSON clients with a 401 code, not a redirect', async () => {
    const res = await t.agent().get('/admin').set('Accept', 'application/json');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });

  it('shows the admin the real counts', async () => {
    await t.user('mentor:mentor1');
    await t.user('mentor:mentor2');
    await t.user('student:student1');
    const res = await (await adminAgent()).get('/admin');
    expect(res.status).toBe(200);
    const values = [...res.text.matchAll(/class="stat__value">([^<]+)</g)].map((m) => m[1]);
    const mentors = Number((await t.deps.knex('users').where({ role: 'mentor' }).count({ n: '*' }).first())!.n);
    const students = Number((await t.deps.knex('users').where({ role: 'student' }).count({ n: '*' }).first())!.n);
    expect(values.slice(0, 2)).toEqual([String(mentors), String(students)]);
    expect(res.text).toContain('@mentor1');
  });
});
