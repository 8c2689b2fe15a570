// A lesson's length comes from its video file (real tiny files, test/fixtures), is
// shown as m:ss everywhere, and a video whose length cannot be read is refused.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type supertest from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalStorage } from '../lib/storage.ts';
import { createTestApp } from '../../test/helpers/app.ts';

const uploadRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'lbc-lesson-video-test-'));
const t = await createTestApp({ overrides: { storage: createLocalStorage(uploadRoot) } });
afterAll(() => fs.promises.rm(uploadRoot, { recursive: true, force: true }));

const fixture = (name: string) => fs.readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url));
const MP4_2S = fixture('tiny-2s.mp4');
const MP4_SILENT_3S = fixture('tiny-silent-3s.mp4');
const WEBM_65S = fixture('tiny-65s.webm');
/** What file-type reads as MP4 (an ftyp box) but with no movie inside: no length to read. */
const MP4_HEADER_ONLY = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.from([0, 0, 2, 0]), Buffer.from('isomiso2'), Buffer.alloc(256)]);
/** An EBML header whose DocType is "webm", and nothing after it. */
const WEBM_HEADER_ONLY = Buffer.concat([Buffer.from('1a45dfa39f4286810142f7810142f2810442f381084282847765626d4287810442858102', 'hex'), Buffer.alloc(256)]);

type Agent = supertest.Agent;
const fieldError = (html: string, field: string) => new RegExp(`<p class="field__error" id="f-${field}-error">([^<]*)</p>`).exec(html)?.[1];
const lesson = (id: string) => t.deps.knex('lessons').where({ id }).first();

async function post(agent: Agent, url: string, fields: Record<string, string> = {}) {
  const token = await t.csrf(agent, '/admin/courses');
  return agent.post(url).type('form').send({ _csrf: token, ...fields });
}

/** A draft course with one module and the named lessons, made through the admin forms. */
async function courseWithLessons(admin: Agent, slug: string, titles: string[]) {
  const created = await post(admin, '/admin/courses', { title: `Course ${slug}`, slug, level: 'beginner', price: '0' });
  expect(created.status, created.text.slice(0, 300)).toBe(303);
  const id = String(created.headers.location).split('/')[3]!;
  const mod = await post(admin, `/admin/courses/${id}/modules`, { title: 'Module' });
  const moduleId = String(mod.headers.location).split('#module-')[1]!;
  const lessons: string[] = [];
  for (const title of titles) {
    const res = await post(admin, `/admin/courses/${id}/modules/${moduleId}/lessons`, { title, duration: '3:30' });
    expect(res.status).toBe(303);
    lessons.push(String(res.headers.location).split('#lesson-')[1]!);
  }
  return { id, slug, lessons };
}

async function uploadVideo(admin: Agent, courseId: string, lessonId: string, body: Buffer, name: string, headers: Record<string, string> = {}) {
  const token = await t.csrf(admin, `/admin/courses/${courseId}/lessons/${lessonId}/edit`);
  return admin.post(`/admin/courses/${courseId}/lessons/${lessonId}/video?_csrf=${encodeURIComponent(token)}`).set(headers)
    .field('_csrf', token).attach('video', body, { filename: name, contentType: 'application/octet-stream' });
}

describe('lesson durations read from the video', () => {
  it('stores the length of MP4 (with or without sound) and WebM files, whatever was typed', async () => {
    const admin = await t.signInAdmin();
    const { id, lessons: [a, b, c] } = await courseWithLessons(admin, 'dur-read', ['Sound', 'Silent', 'Long']);
    // The typed "3:30" of the add-lesson form is no longer read.
    expect((await lesson(a!)).durationSeconds).toBe(0);

    expect((await uploadVideo(admin, id, a!, MP4_2S, 'a.mp4')).status).toBe(303);
    expect((await uploadVideo(admin, id, b!, MP4_SILENT_3S, 'b.mp4')).status).toBe(303);
    expect((await uploadVideo(admin, id, c!, WEBM_65S, 'c.webm')).status).toBe(303);
    expect((await lesson(a!)).durationSeconds).toBe(2);
    expect((await lesson(b!)).durationSeconds).toBe(3);
    expect((await lesson(c!)).durationSeconds).toBe(65);

    // Nor is a duration sent with the lesson form.
    expect((await post(admin, `/admin/courses/${id}/lessons/${c}`, { title: 'Long', duration: '3:30' })).status).toBe(303);
    expect((await lesson(c!)).durationSeconds).toBe(65);

    const form = await admin.get(`/admin/courses/${id}/lessons/${c}/edit`);
    expect(form.text).not.toContain('name="duration"');
    expect(form.text).toContain('Length, read from the video: 1:05');
    const curriculum = await admin.get(`/admin/courses/${id}/curriculum`);
    expect(curriculum.text).not.toContain('name="duration"');
    expect(curriculum.text).toMatch(/0:02\s*· video/);
    expect(curriculum.text).toMatch(/1:05\s*· video/);

    // The course page: each lesson and the total (2 + 3 + 65 s) as players show lengths.
    await t.deps.knex('courses').where({ id }).update({ published: true });
    const page = await t.agent().get('/courses/dur-read');
    expect(page.status).toBe(200);
    expect(page.text).toContain('3 lessons · 1:10');
    expect(page.text).toMatch(/<span class="muted small">0:02<\/span>/);
    expect(page.text).toMatch(/<span class="muted small">1:05<\/span>/);
    expect(page.text).not.toMatch(/\bminutes?\b/);

    // Removing the video removes its length.
    expect((await post(admin, `/admin/courses/${id}/lessons/${a}/video/deletion`)).status).toBe(303);
    expect(await lesson(a!)).toMatchObject({ videoKey: null, durationSeconds: 0 });
  });

  it('refuses a video whose length cannot be read, beside the field, and stores nothing', async () => {
    const admin = await t.signInAdmin();
    const { id, lessons: [l] } = await courseWithLessons(admin, 'dur-unreadable', ['Broken']);
    expect((await uploadVideo(admin, id, l!, MP4_2S, 'ok.mp4')).status).toBe(303);
    const before = await lesson(l!);
    const stored = () => fs.readdirSync(path.join(uploadRoot, 'videos'));
    const files = stored();

    for (const [body, name] of [[MP4_HEADER_ONLY, 'header.mp4'], [WEBM_HEADER_ONLY, 'header.webm'], [MP4_2S.subarray(0, 600), 'cut.mp4']] as const) {
      const res = await uploadVideo(admin, id, l!, body, name);
      expect(res.status, name).toBe(422);
      expect(fieldError(res.text, 'video'), name).toMatch(/^The length of this video cannot be read/);
      expect(res.text).toContain('value="Broken"'); // the lesson page, filled in
    }
    expect(await lesson(l!)).toMatchObject({ videoKey: before.videoKey, durationSeconds: 2 });
    expect(stored()).toEqual(files);

    // In French too, and as JSON for a client that asks for it.
    const fr = await uploadVideo(admin, id, l!, MP4_HEADER_ONLY, 'x.mp4', { 'Accept-Language': 'fr' });
    expect(fieldError(fr.text, 'video')).toMatch(/^La durée de cette vidéo est illisible/);
    const json = await uploadVideo(admin, id, l!, MP4_HEADER_ONLY, 'x.mp4', { Accept: 'application/json' });
    expect(json.status).toBe(422);
    expect(json.body.error.fields.video).toMatch(/^The length of this video cannot be read/);
  });

  it('marks a lesson without a video text-only, and a video makes it a video lesson again', async () => {
    const admin = await t.signInAdmin();
    const { id, lessons: [l] } = await courseWithLessons(admin, 'dur-text', ['Reading']);
    expect((await post(admin, `/admin/courses/${id}/lessons/${l}`, { title: 'Reading', textOnly: 'on' })).status).toBe(303);
    expect(await lesson(l!)).toMatchObject({ textOnly: true, durationSeconds: 0 });
    expect((await admin.get(`/admin/courses/${id}/curriculum`)).text).toContain('text only');

    expect((await uploadVideo(admin, id, l!, MP4_2S, 'v.mp4')).status).toBe(303);
    expect(await lesson(l!)).toMatchObject({ textOnly: false, durationSeconds: 2 });
    // With a video attached the mark is not offered, and not taken if sent.
    expect((await admin.get(`/admin/courses/${id}/lessons/${l}/edit`)).text).not.toContain('name="textOnly"');
    expect((await post(admin, `/admin/courses/${id}/lessons/${l}`, { title: 'Reading', textOnly: 'on' })).status).toBe(303);
    expect((await lesson(l!)).textOnly).toBe(false);
  });
});
