// The S3 storage against s3rver, a local S3 server started here (no network, no mocks).
// s3rver checks the expiry and the access key of presigned V4 URLs, but not the
// signature bytes themselves (its V4 verification is unimplemented).
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { ConfigError, loadConfig, type S3Config } from '../config.ts';
import { createS3Storage, isS3Storage, s3MediaOrigin, S3_MAX_EXPIRY_SECONDS } from './s3-storage.ts';
import { isLocalStorage, newStorageKey } from './storage.ts';

interface S3rverInstance {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;
// s3rver ships no types; it is a CommonJS dev dependency used only here.
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;

const BUCKET = 'leboncours-test';
const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'leboncours-s3rver-'));
const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: BUCKET }] });
const { port } = await server.run();
const endpoint = `http://127.0.0.1:${port}`;
const s3Env = { S3_BUCKET: BUCKET, S3_ENDPOINT: endpoint, S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER', S3_REGION: 'us-east-1', S3_FORCE_PATH_STYLE: 'true' };
const config: S3Config = { bucket: BUCKET, region: 'us-east-1', endpoint, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, forcePathStyle: true };

// The app over the same bucket, storage chosen by the composition from S3_BUCKET.
const t = await createTestApp({ env: s3Env });

afterAll(async () => {
  await server.close();
  fs.rmSync(directory, { recursive: true, force: true });
});

const storage = createS3Storage(config);
afterAll(() => storage.client.destroy());

describe('S3 storage (s3rver)', () => {
  it('puts, gets and deletes objects', async () => {
    const key = newStorageKey('resources', 'pdf');
    await storage.put(key, Buffer.from('%PDF-1.7 hello'));
    const file = await storage.get(key);
    expect(file?.size).toBe(14);
    expect(await text(file!.stream)).toBe('%PDF-1.7 hello');
    await storage.delete(key);
    expect(await storage.get(key)).toBeUndefined();
    await storage.delete(key); // twice is fine, as on disk
    expect(await storage.get(newStorageKey('resources', 'pdf'))).toBeUndefined();
    expect(await storage.get('../outside.pdf')).toBeUndefined();
    await expect(storage.put('../outside.pdf', Buffer.from('x'))).rejects.toThrow(/unsafe/);
  });

  it('presigns GetObject URLs that serve the file, as an attachment when named', async () => {
    const key = newStorageKey('resources', 'pdf');
    await storage.put(key, Buffer.from('the notes'));
    const url = new URL(await storage.url(key, { expiresInSeconds: 300, downloadName: 'Fiche : révisions', contentType: 'application/pdf' }));
    expect(`${url.origin}${url.pathname}`).toBe(`${endpoint}/${BUCKET}/${key}`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(url.searchParams.get('response-content-disposition')).toBe('attachment; filename="Fiche - revisions.pdf"');
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('the notes');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="Fiche - revisions.pdf"');
    expect(res.headers.get('content-type')).toBe('application/pdf');

    // Plain (no name): the type stored at upload, from the extension.
    const video = newStorageKey('lessons', 'mp4');
    await storage.put(video, Buffer.from('mp4 bytes'));
    const plain = await fetch(await storage.url(video, { expiresInSeconds: 300 }));
    expect(plain.headers.get('content-type')).toBe('video/mp4');
    expect(plain.headers.get('content-disposition')).toBeNull();
  });

  it('refuses expired URLs and unknown access keys', async () => {
    const key = newStorageKey('lessons', 'mp4');
    await storage.put(key, Buffer.from('video'));
    const url = new URL(await storage.url(key, { expiresInSeconds: 1 }));
    expect(url.searchParams.get('X-Amz-Expires')).toBe('1');
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const expired = await fetch(url);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toMatch(/Request has expired/);

    const fresh = new URL(await storage.url(key, { expiresInSeconds: 300 }));
    // Moving the signing date back an hour makes it expired too.
    const backdated = new Date(Date.now() - 3600_000).toISOString().replace(/[-:]|\.\d{3}/g, '');
    const moved = new URL(fresh);
    moved.searchParams.set('X-Amz-Date', backdated);
    expect((await fetch(moved)).status).toBe(403);
    const forged = new URL(fresh);
    forged.searchParams.set('X-Amz-Credential', String(fresh.searchParams.get('X-Amz-Credential')).replace('S3RVER', 'FORGED'));
    const refused = await fetch(forged);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toMatch(/InvalidAccessKeyId/);
    expect((await fetch(fresh)).status).toBe(200);

    await expect(storage.url(key, { expiresInSeconds: S3_MAX_EXPIRY_SECONDS + 1 })).rejects.toThrow(/expiry/);
  });
});

describe('composition and configuration', () => {
  it('picks S3 when S3_BUCKET is set: lesson videos and downloads come from the bucket', async () => {
    expect(isS3Storage(t.deps.storage)).toBe(true);
    expect(isLocalStorage(t.deps.storage)).toBe(false);
    const { knex } = t.deps;
    const videoKey = newStorageKey('lessons', 'mp4');
    const fileKey = newStorageKey('resources', 'zip');
    await t.deps.storage.put(videoKey, Buffer.from('free preview video'));
    await t.deps.storage.put(fileKey, Buffer.from('source code'));
    const [course] = await knex('courses').insert({ slug: 's3-course', title: 'S3 course', published: true }).returning('id');
    const [module] = await knex('courseModules').insert({ courseId: course.id, title: 'One', position: 1 }).returning('id');
    const [lesson] = await knex('lessons').insert({ moduleId: module.id, title: 'Intro', position: 1, freePreview: true, videoKey }).returning('id');
    const [resource] = await knex('courseResources')
      .insert({ courseId: course.id, lessonId: lesson.id, title: 'Code source', kind: 'source', fileKey, contentType: 'application/zip', sizeBytes: 11 })
      .returning('id');

    const res = await t.agent().get(`/api/v1/videos/${lesson.id}/secure-url`);
    expect(res.status).toBe(200);
    expect(res.body.url.startsWith(`${endpoint}/${BUCKET}/${videoKey}?`)).toBe(true);
    expect(new URL(res.body.url).searchParams.get('X-Amz-Expires')).toBe('300');
    expect(Date.parse(res.body.expiresAt) - Date.now()).toBeGreaterThan(295_000);
    expect(await (await fetch(res.body.url)).text()).toBe('free preview video');

    const download = await t.agent().get(`/courses/resources/${resource.id}/download`);
    expect(download.status).toBe(302);
    const file = await fetch(download.headers.location!);
    expect(await file.text()).toBe('source code');
    expect(file.headers.get('content-disposition')).toBe('attachment; filename="Code source.zip"');
    expect(file.headers.get('content-type')).toBe('application/zip');

    // Course pictures are proxied from the bucket; /files does not exist with S3.
    const image = newStorageKey('courses', 'png');
    await t.deps.storage.put(image, crypto.randomBytes(32));
    const picture = await t.agent().get(`/media/${image}`);
    expect(picture.status).toBe(200);
    expect(picture.headers['content-type']).toBe('image/png');
    expect((await t.agent().get(`/files/${videoKey}?exp=1&sig=${'0'.repeat(64)}`)).status).toBe(404);
  });

  it('reads the S3 settings, with local disk when S3_BUCKET is unset', () => {
    expect(loadConfig({}).s3).toBeUndefined();
    expect(loadConfig({ S3_BUCKET: 'media-bucket' }).s3).toEqual({ bucket: 'media-bucket', region: 'us-east-1', endpoint: undefined, credentials: undefined, forcePathStyle: false });
    expect(loadConfig({ ...s3Env, S3_ENDPOINT: `${endpoint}/` }).s3).toEqual(config);
    const bad = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      throw new Error('loadConfig did not throw');
    };
    expect(bad({ S3_BUCKET: 'media', S3_ACCESS_KEY_ID: 'AKIA' })).toMatch(/S3_SECRET_ACCESS_KEY: is required when the other S3 key is set/);
    expect(bad({ S3_BUCKET: 'Not_A_Bucket' })).toMatch(/S3_BUCKET/);
    expect(bad({ S3_ENDPOINT: 'not a url' })).toMatch(/S3_ENDPOINT/);
    expect(bad({ S3_FORCE_PATH_STYLE: 'perhaps' })).toMatch(/S3_FORCE_PATH_STYLE/);
  });

  it('needs SIGNING_SECRET in production, and has a development default', () => {
    const production = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32), CSRF_SECRET: 'y'.repeat(32), APP_URL: 'https://leboncours.example', PAYMENTS_SIMULATED: 'true' };
    expect(() => loadConfig(production)).toThrow(/SIGNING_SECRET: is required in production/);
    expect(loadConfig({ ...production, SIGNING_SECRET: 'z'.repeat(32) }).signingSecret).toBe('z'.repeat(32));
    expect(() => loadConfig({ SIGNING_SECRET: 'short' })).toThrow(/SIGNING_SECRET/);
    const dev = loadConfig({});
    expect(dev.signingSecret.length).toBeGreaterThanOrEqual(32);
    expect(dev.signingSecret).not.toBe(dev.sessionSecret);
  });

  it('names the origin browsers load presigned media from, for the CSP', () => {
    expect(s3MediaOrigin(config)).toBe(endpoint);
    expect(s3MediaOrigin({ ...config, endpoint: 'https://minio.example:9000', forcePathStyle: false })).toBe(`https://${BUCKET}.minio.example:9000`);
    expect(s3MediaOrigin({ ...config, endpoint: undefined, forcePathStyle: false, region: 'eu-west-3' })).toBe(`https://${BUCKET}.s3.eu-west-3.amazonaws.com`);
  });
});
