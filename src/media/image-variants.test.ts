// Uploaded pictures through HTTP, with real images made here by sharp: each upload is
// turned upright, re-encoded to WebP at the ladder's widths (never enlarged), stripped
// of its EXIF, stored through the storage port and shown with srcset. Bombs and
// non-images are refused beside the field, with nothing stored.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type supertest from 'supertest';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { createLocalStorage } from '../lib/storage.ts';

const uploadRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'lbc-image-variants-test-'));
const t = await createTestApp({ overrides: { storage: createLocalStorage(uploadRoot) } });
afterAll(() => fs.promises.rm(uploadRoot, { recursive: true, force: true }));

type Agent = supertest.Agent;
const filesIn = (folder: string) => (fs.existsSync(path.join(uploadRoot, folder)) ? fs.readdirSync(path.join(uploadRoot, folder)).sort() : []);
const fieldError = (html: string, field: string) => new RegExp(`<p class="field__error" id="f-${field}-error">([^<]*)</p>`).exec(html)?.[1];

/**
 * A phone-like JPEG: 1200 × 800 pixels as stored, with EXIF orientation 6 (shown turned
 * a quarter clockwise, so 800 × 1200 upright) and a camera's identifying tags.
 */
async function phoneJpeg(): Promise<Buffer> {
  const jpeg = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#3a6ea5' } })
    .composite([{ input: { create: { width: 600, height: 800, channels: 3, background: '#e8b04a' } }, left: 0, top: 0 }])
    .jpeg({ quality: 90 })
    .withMetadata({ orientation: 6, exif: { IFD0: { Make: 'PhoneCo', Model: 'Pocket 12', Copyright: 'Serial 4242' } } })
    .toBuffer();
  const meta = await sharp(jpeg).metadata();
  // The fixture is what it claims: sideways pixels, an orientation and EXIF to strip.
  expect(meta).toMatchObject({ width: 1200, height: 800, orientation: 6 });
  expect(meta.exif?.includes(Buffer.from('Serial 4242'))).toBe(true);
  return jpeg;
}

/** What /media serves for a key, read back by sharp. */
async function served(key: string) {
  const res = await t.agent().get(`/media/${key}`).buffer(true);
  expect(res.status, key).toBe(200);
  expect(res.headers['content-type']).toBe('image/webp');
  return sharp(res.body as Buffer).metadata();
}

async function expectVariants(keys: string[], sizes: [number, number][]) {
  expect(keys).toHaveLength(sizes.length);
  for (const [i, key] of keys.entries()) {
    const meta = await served(key);
    expect(meta, key).toMatchObject({ format: 'webp', width: sizes[i]![0], height: sizes[i]![1] });
    expect(meta.exif, key).toBeUndefined();
    expect(meta.orientation, key).toBeUndefined();
  }
}

function uploadTo(agent: Agent, url: string, token: string, field: string, body: Buffer, name: string, type = 'image/jpeg') {
  return agent.post(`${url}?_csrf=${encodeURIComponent(token)}`).field('_csrf', token).attach(field, body, { filename: name, contentType: type });
}

const avatarUpload = async (agent: Agent, body: Buffer, name = 'me.jpg', type = 'image/jpeg') => uploadTo(agent, '/profile/avatar', await t.csrf(agent, '/profile'), 'avatar', body, name, type);
const avatarKey = async (username: string) => (await t.deps.knex('users').where({ username }).first('avatarKey')).avatarKey as string | null;

describe('avatars', () => {
  it('stores an upright square WebP at 96, 192 and 384 px without EXIF, and shows them in a srcset', async () => {
    const agent = await t.signIn('mentor:imgv-photographer');
    const res = await avatarUpload(agent, await phoneJpeg());
    expect(res.status).toBe(303);
    const key = (await avatarKey('imgv-photographer'))!;
    const base = key.replace(/-384x384\.webp$/, '');
    expect(key).toMatch(/^avatars\/[0-9a-f-]{36}-384x384\.webp$/);
    await expectVariants([`${base}-96x96.webp`, `${base}-192x192.webp`, key], [[96, 96], [192, 192], [384, 384]]);
    expect(filesIn('avatars')).toEqual([96, 192, 384].map((w) => `${base.slice('avatars/'.length)}-${w}x${w}.webp`).sort());

    const page = await agent.get('/profile');
    expect(page.text).toContain(`<img id="avatar-preview" src="/media/${base}-192x192.webp" srcset="/media/${base}-96x96.webp 96w, /media/${base}-192x192.webp 192w, /media/${key} 384w" sizes="112px" alt="Your current photo" width="112" height="112">`);
    // The header's small avatar picks from the same set.
    expect(page.text).toContain(`sizes="28px" alt="" width="28" height="28">`);
  });

  it('turns phone photos upright: the orange half stored on the left shows on top', async () => {
    const agent = await t.signIn('student:imgv-upright');
    expect((await avatarUpload(agent, await phoneJpeg())).status).toBe(303);
    const key = (await avatarKey('imgv-upright'))!;
    const res = await t.agent().get(`/media/${key}`).buffer(true);
    const { data, info } = await sharp(res.body as Buffer).raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) => [...data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3)];
    // Orientation 6 turns the image a quarter clockwise: stored left becomes shown top.
    const [r1, , b1] = pixel(192, 20);
    const [r2, , b2] = pixel(192, 360);
    expect(r1! > b1!).toBe(true); // orange #e8b04a
    expect(b2! > r2!).toBe(true); // blue #3a6ea5
  });

  it('deletes every width of the old avatar when it is replaced, and on removal', async () => {
    const agent = await t.signIn('student:imgv-swapper');
    expect((await avatarUpload(agent, await phoneJpeg())).status).toBe(303);
    const first = (await avatarKey('imgv-swapper'))!;
    const firstBase = first.slice('avatars/'.length).replace(/-384x384\.webp$/, '');
    expect(filesIn('avatars').filter((f) => f.startsWith(firstBase))).toHaveLength(3);
    const small = await sharp({ create: { width: 150, height: 100, channels: 3, background: '#884422' } }).png().toBuffer();
    expect((await avatarUpload(agent, small, 'small.png', 'image/png')).status).toBe(303);
    const second = (await avatarKey('imgv-swapper'))!;
    // Never enlarged: 100 px square is below the smallest width, so it is the only one.
    expect(second).toMatch(/^avatars\/[0-9a-f-]{36}-100x100\.webp$/);
    expect(filesIn('avatars').filter((f) => f.startsWith(firstBase))).toEqual([]);
    expect((await agent.post('/profile/avatar/deletion').type('form').send({ _csrf: await t.csrf(agent, '/profile') })).status).toBe(303);
    expect(await avatarKey('imgv-swapper')).toBeNull();
    expect(filesIn('avatars').filter((f) => f.startsWith(second.slice('avatars/'.length, -'-100x100.webp'.length)))).toEqual([]);
  });

  it('refuses a decompression bomb beside the field, before decoding it, and stores nothing', async () => {
    // 8000 × 6000 of one colour: 48 megapixels (190 MB decoded) in a few hundred KB.
    const bomb = await sharp({ create: { width: 8000, height: 6000, channels: 3, background: '#ffffff' } }).png({ compressionLevel: 9 }).toBuffer();
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    const agent = await t.signIn('student:imgv-bomber');
    const before = filesIn('avatars');
    const res = await avatarUpload(agent, bomb, 'bomb.png', 'image/png');
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'avatar')).toBe('This image is over 40 megapixels. Choose a smaller one.');
    expect(await avatarKey('imgv-bomber')).toBeNull();
    expect(filesIn('avatars')).toEqual(before);
  });

  it('refuses what is not an image, or a JPEG cut short', async () => {
    const agent = await t.signIn('student:imgv-faker');
    const before = filesIn('avatars');
    const text = await avatarUpload(agent, Buffer.from('GIF89a? no, just text pretending'), 'x.jpg');
    expect(text.status).toBe(422);
    expect(fieldError(text.text, 'avatar')).toBe('This file is not a PNG, JPEG or WebP image.');
    const jpeg = await phoneJpeg();
    const cut = await avatarUpload(agent, jpeg.subarray(0, Math.floor(jpeg.length / 2)), 'cut.jpg');
    expect(cut.status).toBe(422);
    expect(fieldError(cut.text, 'avatar')).toBe('This file is not a PNG, JPEG or WebP image.');
    expect(await avatarKey('imgv-faker')).toBeNull();
    expect(filesIn('avatars')).toEqual(before);
  });
});

describe('skill and course pictures', () => {
  it('keeps a skill picture’s shape at 480 px and its own 800 px width, never 960 or 1440', async () => {
    const mentor = await t.signIn('mentor:imgv-painter');
    const skillToken = await t.csrf(mentor, '/skills/new');
    const created = await mentor.post('/skills').type('form').send({
      _csrf: skillToken, title: 'Watercolour basics', description: 'Paper, water and pigment.', category: 'design', price: '0', mode: 'one_on_one', durations: ['30'],
    });
    expect(created.status, created.text.slice(0, 300)).toBe(303);
    const id = String(created.headers.location).split('/').pop()!;
    const res = await uploadTo(mentor, `/skills/${id}/image`, await t.csrf(mentor, `/skills/${id}/edit`), 'image', await phoneJpeg(), 'p.jpg');
    expect(res.status).toBe(303);
    const key = (await t.deps.knex('skills').where({ id }).first('imageKey')).imageKey as string;
    expect(key).toMatch(/^skills\/[0-9a-f-]{36}-800x1200\.webp$/);
    await expectVariants([key.replace('-800x1200', '-480x720'), key], [[480, 720], [800, 1200]]);
    const edit = await mentor.get(`/skills/${id}/edit`);
    expect(edit.text).toContain(`srcset="/media/${key.replace('-800x1200', '-480x720')} 480w, /media/${key} 800w" sizes="320px"`);
  });

  it('makes a course header at 480, 960 and 1440 px and deletes them all when replaced', async () => {
    const admin = await t.signInAdmin();
    const courseToken = await t.csrf(admin, '/admin/courses/new');
    const created = await admin.post('/admin/courses').type('form').send(new URLSearchParams({
      _csrf: courseToken, title: 'Image variants course', subtitle: '', slug: '', shortDescription: 'Pictures at every width.',
      descriptionHtml: '<p>x</p>', level: 'beginner', prerequisites: '', price: '0', educators: '',
    }).toString());
    expect(created.status, created.text.slice(0, 300)).toBe(303);
    const id = String(created.headers.location).split('/')[3]!;
    const wide = await sharp({ create: { width: 2400, height: 800, channels: 3, background: '#2b5d7d' } }).jpeg().toBuffer();
    const token = await t.csrf(admin, `/admin/courses/${id}/media`);
    expect((await uploadTo(admin, `/admin/courses/${id}/header-image`, token, 'image', wide, 'h.jpg')).status).toBe(303);
    const key = (await t.deps.knex('courses').where({ id }).first('headerKey')).headerKey as string;
    expect(key).toMatch(/^courses\/[0-9a-f-]{36}-1440x480\.webp$/);
    await expectVariants([key.replace('-1440x480', '-480x160'), key.replace('-1440x480', '-960x320'), key], [[480, 160], [960, 320], [1440, 480]]);
    const base = key.slice('courses/'.length, -'-1440x480.webp'.length);
    expect(filesIn('courses').filter((f) => f.startsWith(base))).toHaveLength(3);

    const bomb = await sharp({ create: { width: 8000, height: 6000, channels: 3, background: '#000000' } }).png({ compressionLevel: 9 }).toBuffer();
    const refused = await uploadTo(admin, `/admin/courses/${id}/header-image`, token, 'image', bomb, 'b.png', 'image/png');
    expect(refused.status).toBe(422);
    expect(fieldError(refused.text, 'header')).toBe('This image is over 40 megapixels. Choose a smaller one.');

    expect((await uploadTo(admin, `/admin/courses/${id}/header-image`, token, 'image', wide, 'h2.jpg')).status).toBe(303);
    expect(filesIn('courses').filter((f) => f.startsWith(base))).toEqual([]);
  });
});
