// Static files under hashed URLs (pre-compressed, cached for a year) and the dynamic
// compression of pages and JSON, as a browser or a cache sees them through HTTP.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { asset, assetsOf } from '../../test/helpers/assets.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';

const t = await createTestApp();
const IMMUTABLE = 'public, max-age=31536000, immutable';
const { skillId } = await mentorWithSkill(t, 'mentor:assetmentor', { skill: { title: 'Asset clinic' } });
await assetsOf(t).warm(['/js/app.js', '/css/app.css']);

/** The bytes as they travel (supertest would decode them). */
const server = t.app.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
afterAll(() => new Promise((resolve) => server.close(resolve)));
function raw(path: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

/** Every /css, /js, /vendor or /assets URL a page points at (scripts, style sheets, preloads, the grid's list). */
function assetUrls(html: string): string[] {
  const attrs = [...html.matchAll(/(?:src|href)="(\/(?:css|js|vendor|assets)\/[^"]+)"/g)].map((m) => m[1]!);
  const inConfig = [...html.matchAll(/&quot;(\/(?:css|js|vendor|assets)\/[^&]+)&quot;/g)].map((m) => m[1]!);
  return [...new Set([...attrs, ...inConfig])];
}

describe('hashed static files', () => {
  const url = asset(t, '/js/app.js');

  it('are named by their content and keep their folder', () => {
    expect(url).toMatch(/^\/assets\/js\/app\.[0-9a-f]{12}\.js$/);
    expect(asset(t, '/vendor/ag-grid/ag-grid-community.min.noStyle.js')).toMatch(/^\/assets\/vendor\/ag-grid\/ag-grid-community\.min\.noStyle\.[0-9a-f]{12}\.js$/);
    expect(asset(t, '/img/favicon.svg')).toBe('/img/favicon.svg');
  });

  it('are sent as brotli, gzip or plain as the client asks, with a year of immutable cache', async () => {
    const plain = await raw(url, {});
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const br = await raw(url, { 'Accept-Encoding': 'gzip, deflate, br' });
    const gz = await raw(url, { 'Accept-Encoding': 'gzip' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(gz.headers['content-encoding']).toBe('gzip');
    for (const res of [plain, br, gz]) {
      expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(res.headers['cache-control']).toBe(IMMUTABLE);
      expect(res.headers.vary).toBe('Accept-Encoding');
      expect(Number(res.headers['content-length'])).toBe(res.body.length);
    }
    expect(zlib.brotliDecompressSync(br.body)).toEqual(plain.body);
    expect(zlib.gunzipSync(gz.body)).toEqual(plain.body);
    expect(br.body.length).toBeLessThan(gz.body.length);
    // Minified: smaller than the file in public/, and still the same program.
    expect(plain.body.toString()).toContain('lbcCsrfToken');
    expect(plain.body.length).toBeLessThan(fs.statSync(new URL('../../public/js/app.js', import.meta.url)).size * 0.7);
    const css = await raw(asset(t, '/css/app.css'), { 'Accept-Encoding': 'br' });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['content-encoding']).toBe('br');
  });

  it('answer HEAD with the headers only and a revalidation with 304', async () => {
    const get = await t.agent().get(url).set('Accept-Encoding', 'br');
    const head = await t.agent().head(url).set('Accept-Encoding', 'br');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
    expect(head.headers['content-encoding']).toBe('br');
    expect(head.text ?? '').toBe('');
    const etag = get.headers.etag!;
    const again = await t.agent().get(url).set('Accept-Encoding', 'br').set('If-None-Match', etag);
    expect(again.status).toBe(304);
    // The plain bytes have their own tag: a cache never answers a plain request with brotli.
    expect((await t.agent().get(url).set('Accept-Encoding', 'identity').set('If-None-Match', etag)).status).toBe(200);
  });

  it('keep their old URLs, with a short cache, and 404 under an unknown hash', async () => {
    const old = await t.agent().get('/js/app.js').set('Accept-Encoding', 'gzip');
    expect(old.status).toBe(200);
    expect(old.headers['cache-control']).toBe('public, max-age=0');
    expect(old.headers['content-encoding']).toBe('gzip');
    expect(old.text).toContain('lbcCsrfToken');
    expect((await t.agent().get('/assets/js/app.000000000000.js')).status).toBe(404);
  });
});

describe('pages', () => {
  it('point only at hashed files that resolve, the booking page without the grid', async () => {
    const mentor = await t.signIn('mentor:assetmentor');
    const pages = [(await t.agent().get(`/skills/${skillId}/book`)).text, (await mentor.get('/dashboard')).text];
    const booking = assetUrls(pages[0]!);
    expect(booking.length).toBeGreaterThanOrEqual(4);
    expect(booking.join(' ')).not.toMatch(/ag-grid|bookings-/);
    for (const url of [...booking, ...assetUrls(pages[1]!)]) {
      expect(url, url).toMatch(/^\/assets\/.+\.[0-9a-f]{12}\.(?:js|css)$/);
      const res = await t.agent().head(url);
      expect(res.status, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe(IMMUTABLE);
    }
    // The wide view's scripts, which the board loads itself, are hashed too.
    expect(assetUrls(pages[1]!).join(' ')).toMatch(/\/assets\/vendor\/ag-grid\/ag-grid-community\.min\.noStyle\.[0-9a-f]{12}\.js/);
  });

  it('are compressed, brotli first, and small JSON is not', async () => {
    const br = await raw(`/skills/${skillId}/book`, { 'Accept-Encoding': 'gzip, br' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/Accept-Encoding/);
    expect(zlib.brotliDecompressSync(br.body).toString()).toContain('Asset clinic');
    const gz = await raw(`/skills/${skillId}/book`, { 'Accept-Encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    const fragment = await raw(`/skills/${skillId}/book`, { 'Accept-Encoding': 'br', 'HX-Request': 'true', 'HX-Request-Type': 'partial' });
    expect(fragment.status).toBe(200);
    expect(zlib.brotliDecompressSync(fragment.body).toString()).not.toContain('<html');
    const health = await raw('/healthz', { 'Accept-Encoding': 'br, gzip' });
    expect(health.body.length).toBeLessThan(1024);
    expect(health.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(health.body.toString())).toBeTruthy();
  });

  it('keep HEAD and 304 of compressed JSON', async () => {
    const path = '/api/v1/openapi.json';
    const get = await raw(path, { 'Accept-Encoding': 'br' });
    expect(get.headers['content-encoding']).toBe('br');
    expect(get.headers['content-length']).toBeUndefined();
    const head = await t.agent().head(path).set('Accept-Encoding', 'br');
    expect(head.status).toBe(200);
    expect(head.headers['content-encoding']).toBeUndefined();
    const again = await raw(path, { 'Accept-Encoding': 'br', 'If-None-Match': get.headers.etag! });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });
});
