// Malformed input at the edge of the app (issue 8, "No 500 for any input"): each
// case below answered 500 before the fixes; now a 4xx with the normal error page
// or JSON, and never a half-written record.
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.ts';
import { mentorWithSkill } from '../helpers/marketplace.ts';

const t = await createTestApp();

const jsonError = (res: { body: unknown }) => (res.body as { error?: { code?: string; message?: string; fields?: Record<string, string> } }).error;

describe('body parsing', () => {
  it('answers too many form parameters with 413, on the error page even before the locale is known', async () => {
    const body = Array.from({ length: 300 }, (_, i) => `f${i}=x`).join('&');
    const res = await t.agent().post('/login').type('form').send(body);
    expect(res.status).toBe(413);
    expect(res.text).toContain('What you sent is too large.');
    expect(res.text).not.toMatch(/at \S+ \(|it\.t is not a function/);
  });

  it('answers malformed JSON with a 400 JSON error', async () => {
    const res = await t.agent().post('/api/bookings/bulk').set('Content-Type', 'application/json').send('{"ids": [');
    expect(res.status).toBe(400);
    expect(jsonError(res)).toMatchObject({ code: 'bad_request' });
  });

  it('answers an unsupported charset with 415', async () => {
    const res = await t.agent().post('/login').set('Content-Type', 'application/x-www-form-urlencoded; charset=utf-16').send('identifier=a');
    expect(res.status).toBe(415);
    expect(res.text).toContain('Unsupported');
  });

  it('answers an unknown Content-Encoding with 415 and corrupt gzip with 400', async () => {
    const unknown = await t.agent().post('/login').type('form').set('Content-Encoding', 'bogus').send('identifier=a');
    expect(unknown.status).toBe(415);
    const corrupt = await t.agent().post('/login').type('form').set('Content-Encoding', 'gzip').send('not gzip at all');
    expect(corrupt.status).toBe(400);
  });

  it('stops a gzip bomb at the size limit (413)', async () => {
    // superagent would form-encode a Buffer: sent as is, it is 20 MB of 'a' in 20 kB of gzip.
    const bomb = zlib.gzipSync(Buffer.alloc(20 * 1024 * 1024, 'a'));
    const res = await t.agent().post('/login').set('Content-Type', 'application/x-www-form-urlencoded').set('Content-Encoding', 'gzip').serialize((b: Buffer) => b as unknown as string).send(bomb);
    expect(res.status).toBe(413);
  });

  it('answers a text/plain or multipart body on a form route with the form and its messages, writing nothing', async () => {
    const agent = await t.signIn('mentor:plain');
    const token = await t.csrf(agent, '/skills/new');
    const before = await t.deps.knex('skills').count({ n: '*' });
    const plain = await agent.post('/skills').set('Content-Type', 'text/plain').set('X-CSRF-Token', token).send('title=abc');
    expect(plain.status).toBe(422);
    expect(plain.text).toContain('id="f-title-error"');
    const multipart = await agent.post(`/skills?_csrf=${encodeURIComponent(token)}`).set('X-CSRF-Token', token).field('title', 'Multipart title');
    expect(multipart.status).toBe(422);
    expect(multipart.text).toContain('id="f-category-error"');
    expect(await t.deps.knex('skills').count({ n: '*' })).toEqual(before);
  });
});

describe('NUL bytes and bad percent-encoding', () => {
  it('refuses them in the query, the path and form fields before any handler', async () => {
    expect((await t.agent().get('/?q=a%00b')).status).toBe(400);
    expect((await t.agent().get('/skills?q=a%00b')).status).toBe(400);
    expect((await t.agent().get('/skills/%00')).status).toBe(400);
    expect((await t.agent().get('/bookings/%FF')).status).toBe(400);
    expect((await t.agent().get('/skills?q=%E0%A4%A')).status).toBe(400);
    const agent = t.agent();
    const token = await t.csrf(agent);
    const login = await agent.post('/login').type('form').send({ _csrf: token, identifier: 'a\u0000b', password: 'x' });
    expect(login.status).toBe(400);
    expect(login.text).toContain('The request could not be understood.');
  });

  it('answers JSON clients with a JSON 400', async () => {
    const res = await t.agent().get('/api/bookings?quickFilter=%00');
    expect(res.status).toBe(400);
    expect(jsonError(res)).toMatchObject({ code: 'bad_request' });
  });
});

describe('uploads', () => {
  const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082', 'hex');
  const part = (name: string, filename: string, body: string) => `--B\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: image/png\r\n\r\n${body}\r\n`;

  async function avatarPost(raw: string) {
    const agent = await t.signIn('student:uploader');
    const token = await t.csrf(agent, '/profile');
    return agent.post(`/profile/avatar?_csrf=${encodeURIComponent(token)}`).set('Content-Type', 'multipart/form-data; boundary=B').send(raw);
  }

  it('answers a truncated body, a NUL in the file name, two files or the wrong field beside the field', async () => {
    const cases = {
      truncated: `${part('avatar', 'a.png', 'abc')}--B\r\nContent-Disposition: form-da`,
      nulName: `${part('avatar', 'a\u0000.png', PNG.toString('latin1'))}--B--\r\n`,
      twoFiles: `${part('avatar', 'a.png', 'x')}${part('avatar', 'b.png', 'y')}--B--\r\n`,
      wrongField: `${part('picture', 'a.png', 'x')}--B--\r\n`,
    };
    for (const [name, raw] of Object.entries(cases)) {
      const res = await avatarPost(raw);
      expect([name, res.status]).toEqual([name, 422]);
      expect(res.text).toContain('id="f-avatar-error"');
    }
    expect((await t.deps.knex('users').where({ username: 'uploader' }).first()).avatarKey).toBeNull();
  });
});

describe('the error page', () => {
  it('renders in the visitor\'s language before the locale middleware, with no stack trace', async () => {
    const res = await t.agent().post('/login').set('Accept-Language', 'fr').type('form').send('a=1&'.repeat(300));
    expect(res.status).toBe(413);
    expect(res.text).toContain('<html lang="fr">');
    expect(res.text).toContain('Trop volumineux');
    expect(res.text).not.toMatch(/node_modules|\.ts:\d+/);
  });
});

describe('validation reaches the one mapper', () => {
  it('turns a thrown ZodError (group join with a 1,001-character message) into a 422', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:grouphost', { skill: { mode: 'group', durations: [60], capacity: 5, startsAt: new Date(Date.now() + 7 * 86400_000) } });
    const student = await t.signIn('student:joiner');
    const token = await t.csrf(student, `/skills/${skillId}/book`);
    const long = await student.post(`/skills/${skillId}/bookings`).type('form').send({ _csrf: token, message: 'x'.repeat(1001) });
    expect(long.status).toBe(422);
    const repeated = await student.post(`/skills/${skillId}/bookings`).type('form').send(`_csrf=${encodeURIComponent(token)}&message=a&message=b`);
    expect(repeated.status).toBe(422);
    expect(await t.deps.knex('bookings').where({ skillId })).toHaveLength(0);
  });

  it('refuses impossible calendar dates beside the field', async () => {
    const mentor = await t.signIn('mentor:calendar');
    const token = await t.csrf(mentor, '/availability');
    const override = await mentor.post('/availability/overrides').type('form').send({ _csrf: token, date: '2026-13-45', kind: 'blocked' });
    // Refused, back to the form's page (303, lib/refused-form.ts), nothing written.
    expect(override.status).toBe(303);
    expect(override.headers.location).toBe('/availability');
    expect(await t.deps.knex('availabilityOverrides')).toHaveLength(0);
    const skill = await mentor.post('/skills').type('form').send({ _csrf: token, title: 'Group night', category: 'programming', price: '10', mode: 'group', durations: ['60'], capacity: '4', startsAt: '2026-02-30T18:00' });
    expect(skill.status).toBe(422);
    expect(skill.text).toContain('id="f-startsAt-error"');
  });
});
