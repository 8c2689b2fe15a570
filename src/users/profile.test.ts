import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { createLocalStorage } from '../lib/storage.ts';
import { createTestApp } from '../../test/helpers/app.ts';

// Avatars go to a folder of this file's own, so the tests can look at the disk.
const uploadRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'lbc-profile-test-'));
const t = await createTestApp({ overrides: { storage: createLocalStorage(uploadRoot) } });
afterAll(() => fs.promises.rm(uploadRoot, { recursive: true, force: true }));

// ---- image fixtures ---------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A valid RGB PNG of `size`×`size` pixels of one colour. */
function makePng(size: number, rgb: [number, number, number]): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(2, 9); // colour type: truecolour
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: size }, () => rgb).flat())]);
  const raw = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', zlib.deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

const PNG = makePng(4, [0x1b, 0x49, 0x65]);
// 2×2 baseline JPEG and lossy WebP, encoded by Chromium's canvas and checked to
// decode there (the ICC profile chunk was removed to keep them short).
const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBT/wAARCAACAAIDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAj/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFQEBAQAAAAAAAAAAAAAAAAAABgf/xAAUEQEAAAAAAAAAAAAAAAAAAAAA/9oADAMBAAIRAxEAPwCTwDtPH//Z',
  'base64',
);
const WEBP = Buffer.from('UklGRjgAAABXRUJQVlA4ICwAAADQAQCdASoCAAIAAMASJZACdLoB+AADsAD+/FHt/5Z8/hs6nP/n5l8oq9tgAA==', 'base64');

// ---- helpers ----------------------------------------------------------------------

const validStudent = {
  displayName: 'Bob Diop',
  bio: 'Développeur WinDev qui apprend TypeScript.',
  jobTitle: 'Analyste programmeur',
  company: 'Sonatel',
  city: 'Dakar',
  country: 'SN',
  linkedinUrl: 'https://www.linkedin.com/in/x',
  websiteUrl: 'https://bob.example.com/blog',
  experienceLevel: 'intermediate',
  phone: '+221 77 123 45 67',
  timezone: 'Africa/Dakar',
  locale: 'fr',
};

async function postProfile(agent: supertest.Agent, fields: Record<string, string> | [string, string][]) {
  const token = await t.csrf(agent, '/profile');
  const body = new URLSearchParams(Array.isArray(fields) ? fields : Object.entries(fields));
  body.set('_csrf', token);
  return agent.post('/profile').type('form').send(body.toString());
}

const row = (username: string) => t.deps.knex('users').where({ username }).first();

function uploadAvatar(agent: supertest.Agent, token: string | undefined, file?: { body: Buffer; name: string; type: string }) {
  let req = agent.post(token !== undefined ? `/profile/avatar?_csrf=${encodeURIComponent(token)}` : '/profile/avatar');
  if (token !== undefined) req = req.field('_csrf', token);
  if (file) req = req.attach('avatar', file.body, { filename: file.name, contentType: file.type });
  return req;
}

const fieldError = (html: string, field: string) => new RegExp(`<p class="field__error" id="f-${field}-error">([^<]*)</p>`).exec(html)?.[1];
const fileOnDisk = (key: string) => fs.existsSync(path.join(uploadRoot, key));
const storedFiles = () => (fs.existsSync(path.join(uploadRoot, 'avatars')) ? fs.readdirSync(path.join(uploadRoot, 'avatars')).sort() : []);

// ---- the profile form -------------------------------------------------------------

describe('profile form', () => {
  it('sends anonymous visitors to the login page', async () => {
    const res = await t.agent().get('/profile');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login?next=%2Fprofile');
  });

  it('saves every field of a student profile', async () => {
    const agent = await t.signIn('student:bob');
    const res = await postProfile(agent, validStudent);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/profile');
    const saved = await row('bob');
    expect(saved).toMatchObject({ ...validStudent, role: 'student', headline: null, hourlyRateCents: null, languages: [] });
    // The site now speaks the language chosen.
    const page = await agent.get('/profile');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Votre profil a été enregistré.');
    expect(page.text).toContain('value="+221 77 123 45 67"');
    expect(page.text).toContain('<option value="Africa/Dakar" selected>');
    expect(page.text).toContain('<html lang="fr">');
  });

  it('stores empty optional fields as NULL, never as empty strings', async () => {
    const agent = await t.signIn('student:empty');
    expect((await postProfile(agent, validStudent)).status).toBe(303);
    const cleared = { ...validStudent, bio: '   ', jobTitle: '', company: '', city: '', country: '', linkedinUrl: '', websiteUrl: ' ', experienceLevel: '', phone: '' };
    expect((await postProfile(agent, cleared)).status).toBe(303);
    expect(await row('empty')).toMatchObject({
      displayName: 'Bob Diop', bio: null, jobTitle: null, company: null, city: null, country: null,
      linkedinUrl: null, websiteUrl: null, experienceLevel: null, phone: null, timezone: 'Africa/Dakar', locale: 'fr',
    });
  });

  it('trims text fields', async () => {
    const agent = await t.signIn('student:trim');
    expect((await postProfile(agent, { ...validStudent, displayName: '  Trim Me  ', city: ' Thiès ' })).status).toBe(303);
    expect(await row('trim')).toMatchObject({ displayName: 'Trim Me', city: 'Thiès' });
  });

  describe('validation', () => {
    // The user stays in English: none of these posts is saved.
    const base = { ...validStudent, locale: 'en', displayName: 'Val Changed' };
    const cases: { name: string; field: string; value: string; message: string; kept?: string }[] = [
      { name: 'a website that is not a URL', field: 'websiteUrl', value: 'not a url', message: 'Enter a full web address starting with https://', kept: 'value="not a url"' },
      { name: 'a LinkedIn URL that is not a URL', field: 'linkedinUrl', value: 'not a url', message: 'Enter a full web address starting with https://', kept: 'value="not a url"' },
      { name: 'a LinkedIn URL on another host', field: 'linkedinUrl', value: 'https://www.linkedin.com.evil.example/in/x', message: 'Enter the address of a LinkedIn profile (linkedin.com).', kept: 'value="https://www.linkedin.com.evil.example/in/x"' },
      { name: 'a javascript: URL', field: 'websiteUrl', value: 'javascript:alert(1)', message: 'Enter a full web address starting with https://', kept: 'value="javascript:alert(1)"' },
      { name: 'a phone number with letters', field: 'phone', value: 'call me maybe', message: 'Enter a phone number with digits, spaces and an optional leading +.', kept: 'value="call me maybe"' },
      { name: 'an unknown time zone', field: 'timezone', value: 'Mars/Olympus_Mons', message: 'Choose a time zone from the list.' },
      { name: 'a bio over 2000 characters', field: 'bio', value: 'é'.repeat(2001), message: 'Use at most 2000 characters.', kept: `>${'é'.repeat(2001)}</textarea>` },
      { name: 'an unknown country', field: 'country', value: 'XX', message: 'Choose one of the options.' },
      { name: 'a display name too short', field: 'displayName', value: 'X', message: 'Use at least 2 characters.', kept: 'value="X"' },
    ];

    it.each(cases)('refuses $name beside the field, keeps the input and saves nothing', async ({ field, value, message, kept }) => {
      const username = `val${cases.findIndex((c) => c.field === field && c.value === value)}`;
      const agent = await t.signIn(`student:${username}`);
      const before = await row(username);
      const res = await postProfile(agent, { ...base, [field]: value });
      expect(res.status).toBe(422);
      expect(fieldError(res.text, field)).toBe(message);
      // Only that field is in error, and the rest of what was typed is still there.
      expect(res.text.match(/class="field__error"/g)).toHaveLength(1);
      expect(res.text).toContain(`aria-describedby="f-${field}-error`);
      expect(res.text).toContain(field === 'displayName' ? 'value="X"' : 'value="Val Changed"');
      expect(res.text).toContain(`value="${field === 'phone' ? value : validStudent.phone}"`);
      if (kept) expect(res.text).toContain(kept);
      expect(await row(username)).toEqual(before);
    });

    it('answers JSON clients with the field errors', async () => {
      const agent = await t.signIn('student:json');
      const token = await t.csrf(agent, '/profile');
      const res = await agent.post('/profile').set('Accept', 'application/json').type('form').send({ ...base, _csrf: token, phone: 'abc', websiteUrl: 'ftp://x.example' });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
      expect(Object.keys(res.body.error.fields).sort()).toEqual(['phone', 'websiteUrl']);
    });

    it('rejects a post without the CSRF token', async () => {
      const agent = await t.signIn('student:nocsrf');
      const before = await row('nocsrf');
      const res = await agent.post('/profile').type('form').send(validStudent);
      expect(res.status).toBe(403);
      expect(await row('nocsrf')).toEqual(before);
    });
  });

  describe('mentor fields', () => {
    const mentor = { ...validStudent, locale: 'en', displayName: 'Alice Martin', headline: 'TypeScript code reviews', hourlyRate: '37,50', currency: 'XOF' };

    it('saves headline, rate (decimal comma), currency and languages for a mentor', async () => {
      const agent = await t.signIn('mentor:alice');
      const res = await postProfile(agent, [...Object.entries(mentor), ['languages', 'fr'], ['languages', 'wo']]);
      expect(res.status).toBe(303);
      expect(await row('alice')).toMatchObject({ headline: 'TypeScript code reviews', hourlyRateCents: 3750, currency: 'XOF', languages: ['fr', 'wo'] });
      const form = await agent.get('/profile');
      expect(form.text).toMatch(/<input type="checkbox" name="languages" value="wo" checked>/);
      expect(form.text).toMatch(/<input type="checkbox" name="languages" value="fr" checked>/);
      expect(form.text).not.toMatch(/value="en" checked/);
    });

    it('accepts one ticked language (a string, not an array) and none', async () => {
      const agent = await t.signIn('mentor:solo');
      expect((await postProfile(agent, [...Object.entries(mentor), ['languages', 'ff']])).status).toBe(303);
      expect((await row('solo')).languages).toEqual(['ff']);
      expect((await postProfile(agent, { ...mentor, hourlyRate: '45' })).status).toBe(303);
      expect(await row('solo')).toMatchObject({ languages: [], hourlyRateCents: 4500 });
    });

    it('does not store mentor fields posted by a student', async () => {
      const agent = await t.signIn('student:sneaky');
      const res = await postProfile(agent, [...Object.entries(mentor), ['languages', 'fr']]);
      expect(res.status).toBe(303);
      expect(await row('sneaky')).toMatchObject({ displayName: 'Alice Martin', headline: null, hourlyRateCents: null, currency: 'EUR', languages: [] });
    });

    it('refuses a language that is not offered', async () => {
      const agent = await t.signIn('mentor:babel');
      const before = await row('babel');
      const res = await postProfile(agent, [...Object.entries(mentor), ['languages', 'fr'], ['languages', 'klingon']]);
      expect(res.status).toBe(422);
      expect(res.text).toMatch(/<fieldset class="fieldset field--invalid" aria-describedby="f-languages-error">[\s\S]*?<p class="field__error" id="f-languages-error" role="alert">Choose one of the options\.<\/p>\s*<\/fieldset>/);
      expect(await row('babel')).toEqual(before);
    });

    it.each(['abc', '12.345', '10001', '-5'])('refuses the hourly rate %j', async (hourlyRate) => {
      const agent = await t.signIn('mentor:rate');
      const before = await row('rate');
      const res = await postProfile(agent, { ...mentor, hourlyRate });
      expect(res.status).toBe(422);
      expect(fieldError(res.text, 'hourlyRate')).toBe('Enter an amount such as 45 or 37.50 (at most 10,000).');
      expect(res.text).toContain(`value="${hourlyRate}"`);
      expect(await row('rate')).toEqual(before);
    });
  });
});

// ---- avatars ----------------------------------------------------------------------

describe('avatar upload', () => {
  async function avatarKeyAfter(username: string, file: { body: Buffer; name: string; type: string }) {
    const agent = await t.signIn(`student:${username}`);
    const token = await t.csrf(agent, '/profile');
    const res = await uploadAvatar(agent, token, file);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/profile');
    return { agent, key: (await row(username)).avatarKey as string };
  }

  it.each([
    { kind: 'PNG', body: PNG, name: 'me.png', type: 'image/png', size: 4 },
    { kind: 'JPEG', body: JPEG, name: 'me.jpg', type: 'image/jpeg', size: 2 },
    { kind: 'WebP', body: WEBP, name: 'me.webp', type: 'image/webp', size: 2 },
    // The bytes decide, not the name or the type the browser claims.
    { kind: 'JPEG named .png', body: JPEG, name: 'x.png', type: 'image/png', size: 2 },
  ])('accepts a $kind, re-encoded to WebP, and serves it with a long cache', async ({ body, name, type, size }) => {
    const { agent, key } = await avatarKeyAfter(`pic${size}${name.length}${type.length}`, { body, name, type });
    // Never enlarged: a picture this small is stored at its own size only.
    expect(key).toMatch(new RegExp(`^avatars/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}-${size}x${size}\\.webp$`));
    const res = await t.agent().get(`/media/${key}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/webp');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(await sharp(res.body as Buffer).metadata()).toMatchObject({ format: 'webp', width: size, height: size });
    // The profile page shows it, with the message that it was saved.
    const page = await agent.get('/profile');
    expect(page.text).toContain(`src="/media/${key}" srcset="/media/${key} ${size}w" sizes="112px"`);
    expect(page.text).toContain('Your photo has been updated.');
  });

  it('refuses a text file renamed x.png, beside the field', async () => {
    const agent = await t.signIn('student:faker');
    const token = await t.csrf(agent, '/profile');
    const filesBefore = storedFiles();
    const res = await uploadAvatar(agent, token, { body: Buffer.from('this is not an image, just text\n'), name: 'x.png', type: 'image/png' });
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'avatar')).toBe('This file is not a PNG, JPEG or WebP image.');
    expect(res.text).toContain('aria-describedby="f-avatar-hint f-avatar-error"');
    expect((await row('faker')).avatarKey).toBeNull();
    expect(storedFiles()).toEqual(filesBefore); // nothing written, not even a temporary file
    // The re-rendered page is the whole profile page, other features' sections included.
    expect(res.text).toContain('id="reminders"');
    expect(res.text).toContain('id="calendar-feed"');
  });

  it('refuses an image over 2 MB with a message beside the field', async () => {
    const agent = await t.signIn('student:huge');
    const token = await t.csrf(agent, '/profile');
    const big = Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024 + 1 - PNG.length, 0)]);
    expect(big.length).toBe(2 * 1024 * 1024 + 1);
    const res = await uploadAvatar(agent, token, { body: big, name: 'big.png', type: 'image/png' });
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'avatar')).toBe('This image is over 2 MB. Choose a smaller one.');
    expect((await row('huge')).avatarKey).toBeNull();
    // Exactly 2 MB is still fine.
    const limit = Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024 - PNG.length, 0)]);
    const ok = await uploadAvatar(agent, await t.csrf(agent, '/profile'), { body: limit, name: 'limit.png', type: 'image/png' });
    expect(ok.status).toBe(303);
  });

  it('asks for a file when none is sent', async () => {
    const agent = await t.signIn('student:nofile');
    const res = await uploadAvatar(agent, await t.csrf(agent, '/profile'));
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'avatar')).toBe('Choose an image first.');
  });

  it('rejects a multipart post without the CSRF token', async () => {
    const agent = await t.signIn('student:forged');
    const none = await uploadAvatar(agent, undefined, { body: PNG, name: 'x.png', type: 'image/png' });
    expect(none.status).toBe(403);
    const forged = await uploadAvatar(agent, 'forged-token', { body: PNG, name: 'x.png', type: 'image/png' });
    expect(forged.status).toBe(403);
    expect((await row('forged')).avatarKey).toBeNull();
  });

  it('deletes the old file when the avatar is replaced, and on removal', async () => {
    const { agent, key: first } = await avatarKeyAfter('swapper', { body: PNG, name: 'a.png', type: 'image/png' });
    expect(fileOnDisk(first)).toBe(true);
    const token = await t.csrf(agent, '/profile');
    expect((await uploadAvatar(agent, token, { body: WEBP, name: 'b.webp', type: 'image/webp' })).status).toBe(303);
    const second = (await row('swapper')).avatarKey as string;
    expect(second).not.toBe(first);
    expect(fileOnDisk(first)).toBe(false);
    expect((await t.agent().get(`/media/${first}`)).status).toBe(404);
    expect((await t.agent().get(`/media/${second}`)).status).toBe(200);

    const removal = await agent.post('/profile/avatar/deletion').type('form').send({ _csrf: await t.csrf(agent, '/profile') });
    expect(removal.status).toBe(303);
    expect((await row('swapper')).avatarKey).toBeNull();
    expect(fileOnDisk(second)).toBe(false);
    expect((await t.agent().get(`/media/${second}`)).status).toBe(404);
    expect((await agent.get('/profile')).text).toContain('Your photo has been removed.');
  });

  it('serves nothing outside avatars and no other file types', async () => {
    const { key } = await avatarKeyAfter('lonely', { body: PNG, name: 'a.png', type: 'image/png' });
    const name = key.replace('avatars/', '');
    expect((await t.agent().get(`/media/avatars/${name.replace('.webp', '.txt')}`)).status).toBe(404);
    expect((await t.agent().get('/media/avatars/..%2F..%2Fetc%2Fpasswd.png')).status).toBe(404);
    expect((await t.agent().get('/media/avatars/00000000-0000-4000-8000-000000000000.png')).status).toBe(404);
  });
});

// ---- the public mentor page -------------------------------------------------------

describe('public mentor page', () => {
  it("shows a mentor's name, headline and details", async () => {
    await t.user('mentor:awa', { displayName: 'Awa Ndiaye', headline: 'Rust async, du premier future à la prod', languages: ['fr', 'wo'], hourlyRateCents: 4500, currency: 'EUR', country: 'SN', city: 'Dakar' });
    const res = await t.agent().get('/mentors/awa');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1 class="profile-hero__name">Awa Ndiaye</h1>');
    expect(res.text).toContain('Rust async, du premier future à la prod');
    expect(res.text).toContain('Wolof');
    expect(res.text).toContain('Dakar, Senegal');
    // The self-declared hourly rate is not a price anyone can book: prices come from skills (src/users/mentor.test.ts).
    expect(res.text).not.toContain('€45');
    // Private fields are never shown.
    expect(res.text).not.toContain('awa@example.test');
  });

  it('is a 404 for a student, an unknown name and a disabled mentor', async () => {
    await t.user('student:carla');
    await t.user('mentor:gone', { disabledAt: new Date() });
    expect((await t.agent().get('/mentors/carla')).status).toBe(404);
    expect((await t.agent().get('/mentors/nobody-here')).status).toBe(404);
    expect((await t.agent().get('/mentors/gone')).status).toBe(404);
    // The same mentor is visible once enabled again: the 404 was about the flag.
    await t.deps.knex('users').where({ username: 'gone' }).update({ disabledAt: null });
    expect((await t.agent().get('/mentors/gone')).status).toBe(200);
  });

  it('escapes what mentors write', async () => {
    const agent = await t.signIn('mentor:mallory');
    const script = '<script>alert(1)</script>';
    const res = await postProfile(agent, { ...validStudent, locale: 'en', displayName: `Mal ${script}`, bio: `Hi ${script} & "quotes"`, headline: script, currency: 'EUR' });
    expect(res.status).toBe(303);
    const page = await t.agent().get('/mentors/mallory');
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(script);
    expect(page.text).toContain('Mal &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.text).toContain('Hi &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(page.text).toContain('<title>Mal &lt;script&gt;');
  });
});

// ---- who may edit -----------------------------------------------------------------

describe('access', () => {
  it('refuses the profile pages to the shadow admin, who has no profile', async () => {
    const agent = t.agent();
    const token = await t.csrf(agent);
    const login = await agent.post('/login').type('form').send({ _csrf: token, identifier: 'admin@leboncours.test', password: 'admin-password-123' });
    expect(login.status).toBe(303);
    const res = await agent.get('/profile');
    expect(res.status).toBe(403);
    expect(res.text).toContain('The administrator account has no profile.');
    const post = await agent.post('/profile').type('form').send({ ...validStudent, _csrf: await t.csrf(agent, '/') });
    expect(post.status).toBe(403);
  });

  it('treats a user disabled after login as logged out on the next request', async () => {
    const agent = await t.signIn('student:dora');
    expect((await agent.get('/profile')).status).toBe(200);
    await t.deps.knex('users').where({ username: 'dora' }).update({ disabledAt: new Date() });
    const res = await agent.get('/profile');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login?next=%2Fprofile');
    // Enabling the account again does not revive the session.
    await t.deps.knex('users').where({ username: 'dora' }).update({ disabledAt: null });
    expect((await agent.get('/profile')).status).toBe(303);
  });
});
