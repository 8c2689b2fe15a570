import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FixedClock } from './clock.ts';
import { safeDownloadName, signFilePath, verifyFileSignature } from './signed-urls.ts';
import { introVideoUrl } from './storage.ts';
import { contentTypeForKey, createLocalStorage, isSafeKey, newStorageKey } from './storage.ts';

const SECRET = 'unit-test-signing-secret-0123456789abcdef';
const KEY = 'lessons/5f1c2b7e-7d0e-4a51-9a3e-2f4c1d9b8a70.mp4';
const START = new Date('2026-11-22T10:00:00Z');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'leboncours-signed-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** The parts of an app-relative signed URL, as the /files route receives them. */
function parse(url: string) {
  const u = new URL(url, 'http://app.test');
  const query = Object.fromEntries(u.searchParams) as Record<string, string>;
  return { key: u.pathname.replace(/^\/files\//, ''), query };
}

describe('signed file URLs', () => {
  it('signs /files/<key>?exp=<unix>&sig=<hex>, valid until exp and refused one second later', async () => {
    const clock = new FixedClock(START);
    const storage = createLocalStorage(root, { signingSecret: SECRET, clock });
    const url = await storage.url(KEY, { expiresInSeconds: 300 });
    const exp = START.getTime() / 1000 + 300;
    expect(url).toMatch(new RegExp(`^/files/${KEY}\\?exp=${exp}&sig=[0-9a-f]{64}$`));
    const { key, query } = parse(url);

    expect(verifyFileSignature(SECRET, key, query, clock.now())).toEqual({ ok: true, exp, dl: undefined, remainingSeconds: 300 });
    clock.advance(299_000);
    expect(verifyFileSignature(SECRET, key, query, clock.now())).toMatchObject({ ok: true, remainingSeconds: 1 });
    clock.advance(1_000);
    expect(verifyFileSignature(SECRET, key, query, clock.now())).toMatchObject({ ok: true, remainingSeconds: 0 });
    clock.advance(1_000);
    expect(verifyFileSignature(SECRET, key, query, clock.now())).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a changed key, expiry, signature, download name, or another secret', async () => {
    const storage = createLocalStorage(root, { signingSecret: SECRET, clock: new FixedClock(START) });
    const { key, query } = parse(await storage.url(KEY, { expiresInSeconds: 300, downloadName: 'Slides' }));
    expect(query.dl).toBe('Slides.mp4');
    const check = (k: string, q: Record<string, unknown>, secret = SECRET) => verifyFileSignature(secret, k, q, START);
    expect(check(key, query).ok).toBe(true);

    const invalid = { ok: false, reason: 'invalid' };
    expect(check(key.replace('lessons/', 'videos/'), query)).toEqual(invalid);
    expect(check(key, { ...query, exp: String(Number(query.exp) + 3600) })).toEqual(invalid);
    const sig = String(query.sig);
    expect(check(key, { ...query, sig: `${sig.slice(0, -1)}${sig.endsWith('0') ? '1' : '0'}` })).toEqual(invalid);
    expect(check(key, { ...query, dl: 'Other.mp4' })).toEqual(invalid);
    expect(check(key, { exp: query.exp, sig: query.sig })).toEqual(invalid); // dl dropped
    expect(check(key, query, `${SECRET}-rotated`)).toEqual(invalid);
    // Malformed or repeated parameters never reach the HMAC comparison.
    expect(check(key, { ...query, sig: sig.toUpperCase() })).toEqual(invalid);
    expect(check(key, { ...query, sig: [sig, sig] })).toEqual(invalid);
    expect(check(key, { ...query, exp: '-1' })).toEqual(invalid);
    expect(check(key, { ...query, dl: 'a"b.mp4' })).toEqual(invalid);
    expect(check(key, {})).toEqual(invalid);
  });

  it('signs the download name into the URL, ASCII-safe with the key extension', () => {
    expect(safeDownloadName('Diapos : réseaux / séance 1', 'resources/x.pdf')).toBe('Diapos - reseaux - seance 1.pdf');
    expect(safeDownloadName('Cœur "Java" ça.pdf', 'resources/x.pdf')).toBe('Coeur - Java - ca.pdf');
    expect(safeDownloadName('../../etc/passwd', 'resources/x.zip')).toBe('etc - passwd.zip');
    expect(safeDownloadName('日本語', 'resources/x.pptx')).toBe('download.pptx');
    expect(safeDownloadName('a\r\nContent-Type: text/html', 'resources/x.odp')).toBe('a - Content-Type - text - html.odp');
    expect(safeDownloadName('x'.repeat(300), 'resources/x.key')).toHaveLength(104);
    const url = signFilePath(SECRET, { key: 'resources/a.pdf', exp: 1, dl: 'My notes.pdf' });
    expect(url).toContain('&dl=My%20notes.pdf');
  });

  it('gives intro videos a URL valid one hour', async () => {
    const clock = new FixedClock(START);
    const storage = createLocalStorage(root, { signingSecret: SECRET, clock });
    const { key, query } = parse(await introVideoUrl(storage, 'courses/0b9f3a4e-1111-4a51-9a3e-2f4c1d9b8a70.mp4'));
    clock.advance(3600_000);
    expect(verifyFileSignature(SECRET, key, query, clock.now()).ok).toBe(true);
    clock.advance(1_000);
    expect(verifyFileSignature(SECRET, key, query, clock.now())).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses to sign without a secret or for an unsafe key', async () => {
    await expect(createLocalStorage(root).url(KEY, { expiresInSeconds: 60 })).rejects.toThrow(/signing secret/);
    const storage = createLocalStorage(root, { signingSecret: SECRET });
    await expect(storage.url('../secret.mp4', { expiresInSeconds: 60 })).rejects.toThrow(/unsafe/);
  });
});

describe('local storage', () => {
  it('keeps keys inside the root and reads byte ranges', async () => {
    for (const bad of ['../x.pdf', '/etc/x.pdf', 'a/../x.pdf', 'A/x.pdf', 'x', 'a//x.pdf', 'a/x.tar.gz']) expect(isSafeKey(bad), bad).toBe(false);
    expect(newStorageKey('resources', 'PDF')).toMatch(/^resources\/[0-9a-f-]{36}\.pdf$/);
    const storage = createLocalStorage(root, { signingSecret: SECRET });
    const key = newStorageKey('resources', 'zip');
    const body = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    await storage.put(key, body);
    expect(await storage.stat(key)).toEqual({ size: 256 });
    const part = await storage.getRange(key, 10, 19);
    const chunks: Buffer[] = [];
    for await (const chunk of part!) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks)).toEqual(body.subarray(10, 20));
    expect(await storage.getRange(key, 250, 256)).toBeUndefined();
    expect(await storage.stat('resources')).toBeUndefined();
    await storage.delete(key);
    expect(await storage.stat(key)).toBeUndefined();
    expect(await storage.get(key)).toBeUndefined();
  });

  it('types files by extension, never trusting anything it does not know', () => {
    expect(contentTypeForKey('a/b.mp4')).toBe('video/mp4');
    expect(contentTypeForKey('a/b.webm')).toBe('video/webm');
    expect(contentTypeForKey('a/b.pdf')).toBe('application/pdf');
    expect(contentTypeForKey('a/b.zip')).toBe('application/zip');
    expect(contentTypeForKey('a/b.jpg')).toBe('image/jpeg');
    expect(contentTypeForKey('a/b.pptx')).toBe('application/vnd.openxmlformats-officedocument.presentationml.presentation');
    expect(contentTypeForKey('a/b.odp')).toBe('application/vnd.oasis.opendocument.presentation');
    expect(contentTypeForKey('a/b.key')).toBe('application/vnd.apple.keynote');
    expect(contentTypeForKey('a/b.html')).toBe('application/octet-stream');
    expect(contentTypeForKey('a/b.svg')).toBe('application/octet-stream');
  });
});
