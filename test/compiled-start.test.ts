// `npm start` runs the esbuild output (dist/), not the sources through tsx: every path
// the app resolves (views, public files, vendored htmx, the migrations it checks on
// start) must still be found from there. This starts the real build as a child
// process over a test database and asks it for a page and everything that page loads.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppProcess, type AppProcess } from '../bench/start-up.ts';
import { testEnv } from './helpers/app.ts';
import { createTestDatabase } from './helpers/db.ts';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

describe('npm start (the compiled build)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: AppProcess;

  beforeAll(async () => {
    db = await createTestDatabase();
    // scripts/start.mjs builds dist/ itself when the sources are newer than the last build.
    app = await startAppProcess({ port: await freePort(), env: { ...testEnv(), DATABASE_URL: db.url, VIEWS_CACHE: 'true' } });
  }, 180_000);

  afterAll(async () => {
    const code = await app?.stop();
    await db?.drop();
    expect(code).toBe(0);
  }, 30_000);

  it('serves the landing page with its styles and scripts, and checked the migrations from dist/', async () => {
    const res = await fetch(`${app.url}/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html');
    const assets = [...html.matchAll(/<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="(\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.some((a) => a.includes('htmx'))).toBe(true);
    for (const asset of assets) {
      const file = await fetch(`${app.url}${asset}`);
      await file.arrayBuffer();
      expect(file.status, asset).toBe(200);
    }
  });

  it('renders a page of another feature from the same compiled templates', async () => {
    const res = await fetch(`${app.url}/login`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('name="password"');
  });
});
