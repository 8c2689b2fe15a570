import crypto from 'node:crypto';
import type supertest from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { introVideoUrl, newStorageKey } from '../lib/storage.ts';
import { createTestApp } from '../../test/helpers/app.ts';

const START = new Date('2026-11-22T10:00:00Z');
const clock = new FixedClock(START);
const t = await createTestApp({ overrides: { clock } });
const { knex, storage } = t.deps;
afterEach(() => clock.set(START));

const VIDEO = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));

type Agent = supertest.Agent;

/** GET with the body kept as bytes whatever the type. */
function fetchBytes(agent: Agent, url: string, headers: Record<string, string> = {}) {
  return agent.get(url).set(headers).responseType('blob');
}

const signInAdmin = () => t.signInAdmin();

async function insertCourse(slug: string, published: boolean) {
  const [course] = await knex('courses').insert({ slug, title: `Course ${slug}`, published }).returning('*');
  const [module] = await knex('courseModules').insert({ courseId: course.id, title: 'Module 1', position: 1 }).returning('*');
  let position = 0;
  const lesson = async (freePreview: boolean, withVideo = true) => {
    const videoKey = withVideo ? newStorageKey('lessons', 'mp4') : null;
    if (videoKey) await storage.put(videoKey, VIDEO);
    const [row] = await knex('lessons').insert({ moduleId: module.id, title: `Lesson ${++position}`, freePreview, videoKey, position }).returning('*');
    return row as { id: string; videoKey: string | null };
  };
  const resource = async (title: string, ext: string, lessonId: string | null = null) => {
    const fileKey = newStorageKey('resources', ext);
    await storage.put(fileKey, Buffer.from(`contents of ${title}`));
    const [row] = await knex('courseResources')
      .insert({ courseId: course.id, lessonId, title, kind: 'other', fileKey, contentType: 'application/octet-stream', sizeBytes: 20 })
      .returning('*');
    return row as { id: string; fileKey: string };
  };
  return { id: course.id as string, lesson, resource };
}

// A published course with free and paid lessons, and an unpublished one.
const course = await insertCourse('docker-in-practice', true);
const preview = await course.lesson(true);
const paid = await course.lesson(false);
const paidNoVideo = await course.lesson(false, false);
const previewNoVideo = await course.lesson(true, false);
const courseSheet = await course.resource('Fiche de révision', 'pdf');
const previewArchive = await course.resource('Code : chapitre 1', 'zip', preview.id);
const paidSlides = await course.resource('Slides', 'pptx', paid.id);
const draft = await insertCourse('draft-course', false);
const draftPreview = await draft.lesson(true);
const draftSheet = await draft.resource('Brouillon', 'pdf');

const enrolledFree = await t.user('student:emma');
const enrolledPaid = await t.user('student:paul');
const educator = await t.user('mentor:edouard');
await knex('enrollments').insert([
  { courseId: course.id, userId: enrolledFree.id, source: 'free' },
  { courseId: course.id, userId: enrolledPaid.id, source: 'payment' },
  { courseId: draft.id, userId: enrolledFree.id, source: 'admin' },
]);
await knex('courseEducators').insert([{ courseId: course.id, mentorId: educator.id }, { courseId: draft.id, mentorId: educator.id }]);

const secureUrl = (agent: Agent, lessonId: string) => agent.get(`/api/v1/videos/${lessonId}/secure-url`);

describe('GET /files/* (local storage)', () => {
  const key = newStorageKey('lessons', 'mp4');
  const signed = () => storage.url(key, { expiresInSeconds: 300 });
  it('serves the whole file with its type, the remaining lifetime and Accept-Ranges', async () => {
    await storage.put(key, VIDEO);
    const url = await signed();
    expect(url).toMatch(/^\/files\/lessons\/[0-9a-f-]{36}\.mp4\?exp=\d+&sig=[0-9a-f]{64}$/);
    const res = await fetchBytes(t.agent(), url);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(VIDEO);
    expect(res.headers).toMatchObject({
      'content-type': 'video/mp4', 'content-length': '1000', 'accept-ranges': 'bytes',
      'cache-control': 'private, max-age=300', 'x-content-type-options': 'nosniff',
    });
    expect(res.headers['content-disposition']).toBeUndefined();
    clock.advance(100_000);
    expect((await t.agent().get(url)).headers['cache-control']).toBe('private, max-age=200');
    const head = await t.agent().head(url);
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe('1000');
  });

  it('answers byte ranges with 206 and the exact bytes, 416 when unsatisfiable', async () => {
    const url = await signed();
    const range = (value: string) => fetchBytes(t.agent(), url, { Range: value });
    const cases: [string, number, number][] = [['bytes=0-99', 0, 99], ['bytes=100-', 100, 999], ['bytes=-50', 950, 999], ['bytes=990-5000', 990, 999], ['bytes=-5000', 0, 999], ['bytes=7-7', 7, 7]];
    for (const [header, start, end] of cases) {
      const res = await range(header);
      expect(res.status, header).toBe(206);
      expect(res.body, header).toEqual(VIDEO.subarray(start, end + 1));
      expect(res.headers['content-range'], header).toBe(`bytes ${start}-${end}/1000`);
      expect(res.headers['content-length'], header).toBe(String(end - start + 1));
      expect(res.headers['content-type'], header).toBe('video/mp4');
    }
    for (const header of ['bytes=1000-', 'bytes=5000-6000', 'bytes=50-10', 'bytes=-0', 'bytes=abc', 'bytes=-']) {
      const res = await range(header);
      expect(res.status, header).toBe(416);
      expect(res.headers['content-range'], header).toBe('bytes */1000');
    }
    // No Range, another unit, or several ranges: the whole file.
    for (const headers of [{}, { Range: 'items=0-5' }, { Range: 'bytes=0-1,5-6' }] as Record<string, string>[]) {
      const res = await fetchBytes(t.agent(), url, headers);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(VIDEO);
    }
  });

  it('refuses a tampered or expired URL with 403', async () => {
    const other = newStorageKey('lessons', 'mp4');
    await storage.put(other, VIDEO);
    const url = await signed();
    const u = new URL(url, 'http://x');
    const q = Object.fromEntries(u.searchParams) as { exp: string; sig: string };
    const tampered = [
      `/files/${other}${u.search}`,
      `${u.pathname}?exp=${Number(q.exp) + 3600}&sig=${q.sig}`,
      `${u.pathname}?exp=${q.exp}&sig=${q.sig.slice(0, -2)}${q.sig.endsWith('00') ? '11' : '00'}`,
      `${url}&dl=video.mp4`,
      `${u.pathname}?exp=${q.exp}`,
      u.pathname,
    ];
    for (const bad of tampered) expect((await t.agent().get(bad)).status, bad).toBe(403);
    const named = new URL(await storage.url(key, { expiresInSeconds: 300, downloadName: 'Lesson' }), 'http://x');
    named.searchParams.set('dl', 'Other.mp4');
    expect((await t.agent().get(`${named.pathname}${named.search}`)).status).toBe(403);
    expect((await t.agent().get(`${u.pathname}?exp=${q.exp}`).set('Accept', 'application/json')).body.error.code).toBe('forbidden');

    clock.advance(300_000);
    expect((await t.agent().get(url)).status).toBe(200);
    clock.advance(1_000);
    expect((await t.agent().get(url)).status).toBe(403);
  });

  it('names downloads and types documents by extension', async () => {
    const pdf = newStorageKey('resources', 'pdf');
    await storage.put(pdf, Buffer.from('%PDF-1.7'));
    const res = await t.agent().get(await storage.url(pdf, { expiresInSeconds: 300, downloadName: 'Fiche : révisions' }));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe('attachment; filename="Fiche - revisions.pdf"');
    const pptx = newStorageKey('resources', 'pptx');
    await storage.put(pptx, Buffer.from('PK'));
    expect((await t.agent().get(await storage.url(pptx, { expiresInSeconds: 60 }))).headers['content-type'])
      .toBe('application/vnd.openxmlformats-officedocument.presentationml.presentation');
    const html = newStorageKey('resources', 'html');
    await storage.put(html, Buffer.from('<script>alert(1)</script>'));
    expect((await t.agent().get(await storage.url(html, { expiresInSeconds: 60 }))).headers['content-type']).toBe('application/octet-stream');
  });

  it('never leaves the storage root, and 404s a signed key that has no file', async () => {
    const missing = await storage.url(newStorageKey('lessons', 'mp4'), { expiresInSeconds: 60 });
    expect((await t.agent().get(missing)).status).toBe(404);
    const query = new URL(await signed(), 'http://x').search;
    for (const path of ['/files/..%2F..%2Fpackage.json', '/files/lessons/%2e%2e/%2e%2e/package.json', '/files/LESSONS/x.mp4', '/files/lessons']) {
      expect((await t.agent().get(`${path}${query}`)).status, path).toBe(404);
    }
  });
});

describe('GET /api/v1/videos/:lessonId/secure-url', () => {
  it('gives anyone a free preview of a published course, valid five minutes', async () => {
    const anonymous = t.agent();
    const res = await secureUrl(anonymous, preview.id);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.expiresAt).toBe('2026-11-22T10:05:00.000Z');
    expect(res.body.url).toMatch(new RegExp(`^/files/${preview.videoKey}\\?exp=${START.getTime() / 1000 + 300}&sig=`));
    const video = await fetchBytes(anonymous, res.body.url, { Range: 'bytes=0-99' });
    expect(video.status).toBe(206);
    expect(video.body).toEqual(VIDEO.subarray(0, 100));
    clock.advance(301_000);
    expect((await anonymous.get(res.body.url)).status).toBe(403);
  });

  it('asks anonymous visitors to sign in for other lessons, in JSON', async () => {
    const res = await secureUrl(t.agent(), paid.id);
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text).code).toBe('unauthorized');
  });

  it('forbids students who are not enrolled and mentors who do not teach the course', async () => {
    for (const fixture of ['student:nora', 'mentor:other']) {
      const agent = await t.signIn(fixture);
      const res = await secureUrl(agent, paid.id);
      expect(res.status, fixture).toBe(403);
      expect(JSON.parse(res.text).code).toBe('forbidden');
      expect((await secureUrl(agent, preview.id)).status, fixture).toBe(200);
    }
  });

  it('lets enrolled students (free or paid), educators and the admin watch', async () => {
    for (const agent of [await t.signIn('student:emma'), await t.signIn('student:paul'), await t.signIn('mentor:edouard'), await signInAdmin()]) {
      const res = await secureUrl(agent, paid.id);
      expect(res.status).toBe(200);
      const video = await fetchBytes(agent, res.body.url);
      expect(video.status).toBe(200);
      expect(video.body).toEqual(VIDEO);
    }
  });

  it('hides unpublished courses from everyone but the admin, even their students and educators', async () => {
    for (const agent of [t.agent(), await t.signIn('student:emma'), await t.signIn('mentor:edouard')]) {
      const res = await secureUrl(agent, draftPreview.id);
      expect(res.status).toBe(404);
      expect(JSON.parse(res.text).code).toBe('not_found');
    }
    expect((await secureUrl(await signInAdmin(), draftPreview.id)).status).toBe(200);
  });

  it('404s a lesson without a video and an unknown lesson, 422s a malformed id', async () => {
    const emma = await t.signIn('student:emma');
    for (const id of [paidNoVideo.id, previewNoVideo.id, crypto.randomUUID()]) {
      const res = await secureUrl(emma, id);
      expect(res.status, id).toBe(404);
      expect(JSON.parse(res.text).code).toBe('not_found');
    }
    // The API checks the path's shape before looking: a malformed id is invalid input.
    expect(JSON.parse((await secureUrl(emma, 'not-a-uuid')).text).code).toBe('validation_failed');
  });
});

describe('GET /courses/resources/:id/download', () => {
  const download = (agent: Agent, id: string) => agent.get(`/courses/resources/${id}/download`);

  it('redirects enrolled students to a 5-minute URL named after the resource', async () => {
    const emma = await t.signIn('student:emma');
    const res = await download(emma, courseSheet.id);
    expect(res.status).toBe(302);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.location).toBe(`/files/${courseSheet.fileKey}?exp=${START.getTime() / 1000 + 300}&sig=${/sig=([0-9a-f]{64})/.exec(res.headers.location!)?.[1]}&dl=Fiche%20de%20revision.pdf`);
    const file = await emma.get(res.headers.location!);
    expect(file.status).toBe(200);
    expect(file.headers['content-disposition']).toBe('attachment; filename="Fiche de revision.pdf"');
    expect(file.headers['content-type']).toBe('application/pdf');
    expect((await download(emma, paidSlides.id)).status).toBe(302);
    clock.advance(301_000);
    expect((await emma.get(res.headers.location!)).status).toBe(403);
  });

  it('opens the resources of a free preview lesson to everyone', async () => {
    const anonymous = t.agent();
    const res = await download(anonymous, previewArchive.id);
    expect(res.status).toBe(302);
    const file = await anonymous.get(res.headers.location!).responseType('blob');
    expect(file.status).toBe(200);
    expect(file.headers['content-disposition']).toBe('attachment; filename="Code - chapitre 1.zip"');
    expect(file.body.toString()).toBe('contents of Code : chapitre 1');
  });

  it('sends anonymous visitors to the login page, and refuses students who are not enrolled', async () => {
    for (const id of [courseSheet.id, paidSlides.id]) {
      const res = await download(t.agent(), id);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(`/courses/resources/${id}/download`)}`);
    }
    const nora = await t.signIn('student:nora');
    for (const id of [courseSheet.id, paidSlides.id]) {
      const res = await download(nora, id);
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(/text\/html/);
    }
  });

  it('hides resources of unpublished courses and unknown ids behind a 404 page, except for the admin', async () => {
    const emma = await t.signIn('student:emma');
    for (const id of [draftSheet.id, crypto.randomUUID(), 'nope']) {
      const res = await download(emma, id);
      expect(res.status, id).toBe(404);
      expect(res.headers['content-type']).toMatch(/text\/html/);
    }
    const admin = await signInAdmin();
    const res = await download(admin, draftSheet.id);
    expect(res.status).toBe(302);
    expect((await admin.get(res.headers.location!)).headers['content-disposition']).toBe('attachment; filename="Brouillon.pdf"');
  });
});

describe('course pictures and intro videos', () => {
  it('serves course images publicly from the courses/ folder, and nothing else there', async () => {
    const image = newStorageKey('courses', 'jpg');
    const bytes = crypto.randomBytes(64);
    await storage.put(image, bytes);
    const res = await fetchBytes(t.agent(), `/media/${image}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(bytes);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const intro = newStorageKey('courses', 'mp4');
    await storage.put(intro, VIDEO);
    expect((await t.agent().get(`/media/${intro}`)).status).toBe(404);
    expect((await t.agent().get(`/media/${newStorageKey('courses', 'png')}`)).status).toBe(404);

    // The intro video plays for everyone through a URL valid one hour.
    const url = await introVideoUrl(storage, intro);
    expect((await fetchBytes(t.agent(), url)).body).toEqual(VIDEO);
    clock.advance(3600_000);
    expect((await t.agent().get(url)).status).toBe(200);
    clock.advance(1_000);
    expect((await t.agent().get(url)).status).toBe(403);
  });
});
