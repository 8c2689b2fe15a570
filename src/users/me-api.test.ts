import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';

const t = await createTestApp();

async function bearer(fixture: string, extra = {}) {
  const user = await t.user(fixture, extra);
  return `Bearer ${(await t.deps.services.tokens.issueAccess(user)).accessToken}`;
}
const api = () => t.agent().set('Accept', 'application/json');
const problem = (res: { text: string }) => JSON.parse(res.text) as { code: string; errors?: { name: string; reason: string }[] };
const png = () => sharp({ create: { width: 64, height: 48, channels: 3, background: '#62b6cb' } }).png().toBuffer();

describe('GET and PATCH /api/v1/me', () => {
  it('shows every profile field, and a patch changes only the fields it names', async () => {
    const auth = await bearer('mentor:meapi_mentor', { bio: 'Teaches SQL.', city: 'Lyon', hourlyRateCents: 4000, languages: ['fr'] });
    const before = await api().get('/api/v1/me').set('Authorization', auth);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ username: 'meapi_mentor', role: 'mentor', bio: 'Teaches SQL.', city: 'Lyon', hourlyRate: { amount: 4000, currency: 'EUR' }, languages: ['fr'], avatarUrl: null });
    const res = await api().patch('/api/v1/me').set('Authorization', auth).send({ headline: 'Databases, gently', city: null, hourlyRate: { amount: 3750, currency: 'XOF' }, languages: ['fr', 'wo'] });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ bio: 'Teaches SQL.', city: null, headline: 'Databases, gently', hourlyRate: { amount: 3750, currency: 'XOF' }, languages: ['fr', 'wo'], timezone: 'Europe/Paris' });
    expect((await t.deps.knex('users').where({ username: 'meapi_mentor' }).first()).headline).toBe('Databases, gently');
  });

  it('applies the profile form\'s rules, each message beside its field, and writes nothing', async () => {
    const auth = await bearer('student:meapi_rules', { city: 'Dakar' });
    const res = await api().patch('/api/v1/me').set('Authorization', auth)
      .send({ city: 'Thiès', linkedinUrl: 'https://example.com/me', timezone: 'Mars/Olympus', displayName: 'x' });
    expect(res.status).toBe(422);
    expect(problem(res).errors?.map((e) => e.name).sort()).toEqual(['displayName', 'linkedinUrl', 'timezone']);
    expect(problem(res).errors).toContainEqual({ name: 'timezone', reason: 'Choose a time zone from the list.' });
    expect((await t.deps.knex('users').where({ username: 'meapi_rules' }).first()).city).toBe('Dakar');
    for (const body of [{ locale: 'de' }, { bio: 42 }, { hourlyRate: { amount: 1.5, currency: 'EUR' } }, { bio: 'x'.repeat(5000) }]) {
      const bad = await api().patch('/api/v1/me').set('Authorization', auth).send(body);
      expect(bad.status, JSON.stringify(body).slice(0, 60)).toBe(422);
      expect(problem(bad).errors?.length).toBe(1);
    }
  });

  it('needs X-CSRF-Token with a session cookie, not with a bearer token', async () => {
    const agent = await t.signIn('student:meapi_csrf');
    const refused = await agent.patch('/api/v1/me').set('Accept', 'application/json').send({ city: 'Paris' });
    expect(refused.status).toBe(403);
    expect(problem(refused).code).toBe('csrf_invalid');
    const token = await t.csrf(agent, '/profile');
    expect((await agent.patch('/api/v1/me').set('X-CSRF-Token', token).send({ city: 'Paris' })).status).toBe(200);
    const viaToken = await api().patch('/api/v1/me').set('Authorization', await bearer('student:meapi_csrf')).send({ city: 'Nantes' });
    expect(viaToken.status).toBe(200);
    expect(viaToken.body.city).toBe('Nantes');
  });

  it('is 401 without credentials and 403 for the shadow admin (no profile)', async () => {
    expect((await api().get('/api/v1/me')).status).toBe(401);
    const admin = await t.signInAdmin();
    expect((await admin.get('/api/v1/me').set('Accept', 'application/json')).status).toBe(403);
  });
});

describe('PUT and DELETE /api/v1/me/avatar', () => {
  it('stores a picture as the page does, and removes it', async () => {
    const auth = await bearer('student:meapi_avatar');
    const res = await api().put('/api/v1/me/avatar').set('Authorization', auth).attach('avatar', await png(), 'me.png');
    expect(res.status, res.text).toBe(200);
    expect(res.body.avatarUrl).toMatch(/^http:\/\/localhost:3999\/media\/avatars\/[0-9a-f-]{36}-48x48\.webp$/);
    const picture = await t.agent().get(new URL(res.body.avatarUrl as string).pathname);
    expect(picture.status).toBe(200);
    expect(picture.headers['content-type']).toBe('image/webp');
    const removed = await api().delete('/api/v1/me/avatar').set('Authorization', auth);
    expect(removed.status).toBe(200);
    expect(removed.body.avatarUrl).toBeNull();
  });

  it('refuses a file that is not an image (422 on avatar), one too large (413), and no credentials (401)', async () => {
    const auth = await bearer('student:meapi_badavatar');
    const text = await api().put('/api/v1/me/avatar').set('Authorization', auth).attach('avatar', Buffer.from('not a picture at all'), 'me.png');
    expect(text.status).toBe(422);
    expect(problem(text).errors).toEqual([{ name: 'avatar', reason: 'This file is not a PNG, JPEG or WebP image.' }]);
    const none = await api().put('/api/v1/me/avatar').set('Authorization', auth).field('other', 'x');
    expect(none.status).toBe(422);
    const big = await api().put('/api/v1/me/avatar').set('Authorization', auth).attach('avatar', Buffer.alloc(2 * 1024 * 1024 + 1), 'big.png');
    expect(big.status).toBe(413);
    expect(problem(big).code).toBe('payload_too_large');
    expect((await api().put('/api/v1/me/avatar').attach('avatar', await png(), 'me.png')).status).toBe(401);
    expect((await t.deps.knex('users').where({ username: 'meapi_badavatar' }).first()).avatarKey).toBeNull();
  });
});
