// The anonymous page micro-cache (src/lib/page-cache.ts), measured: each anonymous page
// under load from an app with the cache off and from one with it on, over the same
// database, against the read floor of the same run. For bench/run.ts to call
// (measurePageCache) or on its own over a throw-away cluster of 10,000 bookings:
//   node --import tsx bench/page-cache.ts      (BENCH_SECONDS, BENCH_WARMUP_SECONDS, BENCH_CONNECTIONS)
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createApp } from '../src/app.ts';
import { createDeps } from '../src/composition.ts';
import { loadConfig } from '../src/config.ts';
import { createPasswords } from '../src/lib/passwords.ts';
import { createViews } from '../src/lib/render.ts';
import { startBenchDatabase } from './cluster.ts';
import { listen, startFloor } from './floor.ts';
import { runLoad, type LoadResult } from './load.ts';
import { BUSY_MENTOR, busyMentorId, mentorUsername, PASSWORD, seedBase, seedBookings } from './seed-large.ts';

export interface PageScenario {
  name: string;
  path: string;
  headers?: Record<string, string>;
}

export interface PageCacheRow {
  scenario: string;
  path: string;
  off: LoadResult;
  on: LoadResult;
  /** Share of the cached run's requests answered from memory. */
  hitRate: number;
  ratioOff: number;
  ratioOn: number;
}

export interface PageCacheBenchResult {
  ttlSeconds: number;
  connections: number;
  seconds: number;
  floor: LoadResult;
  rows: PageCacheRow[];
  /** The target of issue 14: every anonymous page ÷ read floor ≥ 0.5 with the cache on. */
  target: number;
  pass: boolean;
}

const HTMX_PARTIAL = { 'hx-request': 'true', 'hx-request-type': 'partial' };

/** Landing, search, skill page, slot fragment, mentor page and course catalogue of the busy mentor's first skill. */
export async function pageScenarios(pool: pg.Pool, searchWord: string): Promise<PageScenario[]> {
  const mentor = await busyMentorId(pool);
  const { rows } = await pool.query<{ id: string }>(
    "select id from skills where mentor_id = $1 and mode = 'one_on_one' and status = 'published' order by created_at limit 1", [mentor]);
  const skill = rows[0]?.id;
  if (!skill) throw new Error('the busy mentor has no published one-on-one skill');
  return [
    { name: 'landing', path: '/' },
    { name: 'search', path: `/?q=${encodeURIComponent(searchWord)}` },
    { name: 'skill page', path: `/skills/${skill}` },
    { name: 'slot fragment', path: `/skills/${skill}/book?duration=60`, headers: HTMX_PARTIAL },
    { name: 'mentor page', path: `/mentors/${mentorUsername(BUSY_MENTOR)}` },
    { name: 'course catalogue', path: '/courses' },
  ];
}

export async function measurePageCache(options: {
  databaseUrl: string;
  /** The environment the app runs with (bench/run.ts's); PAGE_CACHE_SECONDS is set here. */
  env: Record<string, string>;
  scenarios: PageScenario[];
  seconds: number;
  warmupSeconds: number;
  connections: number;
  ttlSeconds?: number;
}): Promise<PageCacheBenchResult> {
  const ttlSeconds = options.ttlSeconds ?? 3;
  const start = async (cacheSeconds: number) => {
    const deps = createDeps(loadConfig({ ...options.env, PAGE_CACHE_SECONDS: String(cacheSeconds) }), options.databaseUrl);
    const app = createApp(deps);
    app.locals.views = createViews(true); // the production path: templates compiled once
    await deps.pageCacheReady;
    const server = await listen(app, () => deps.close());
    return { deps, server };
  };
  const [off, on] = [await start(0), await start(ttlSeconds)];
  const floorServer = await startFloor(options.databaseUrl);
  const load = async (url: string, headers?: Record<string, string>) => {
    const { pathname, search } = new URL(url);
    const requests = headers ? [{ method: 'GET' as const, path: pathname + search, headers: { 'accept-language': 'fr', ...headers } }] : undefined;
    const spec = { url, expected: [200], connections: options.connections, requests };
    if (options.warmupSeconds > 0) await runLoad({ ...spec, seconds: options.warmupSeconds });
    return runLoad({ ...spec, seconds: options.seconds });
  };
  try {
    const floor = await load(`${floorServer.url}/`);
    const rows: PageCacheRow[] = [];
    for (const s of options.scenarios) {
      const uncached = await load(`${off.server.url}${s.path}`, s.headers);
      const before = on.deps.pageCache.stats();
      const cached = await load(`${on.server.url}${s.path}`, s.headers);
      const after = on.deps.pageCache.stats();
      const lookups = after.hits - before.hits + (after.misses - before.misses);
      rows.push({
        scenario: s.name, path: s.path, off: uncached, on: cached,
        // Warm-up requests count too: the share is of everything the cached app served in both runs.
        hitRate: lookups ? (after.hits - before.hits) / lookups : 0,
        ratioOff: uncached.reqPerSec / floor.reqPerSec,
        ratioOn: cached.reqPerSec / floor.reqPerSec,
      });
    }
    const target = 0.5;
    return { ttlSeconds, connections: options.connections, seconds: options.seconds, floor, rows, target, pass: rows.every((r) => r.ratioOn >= target && r.on.unexpected === 0) };
  } finally {
    await Promise.allSettled([off.server.close(), on.server.close(), floorServer.close()]);
  }
}

export function pageCacheTable(result: PageCacheBenchResult): string {
  const f = (n: number) => n.toFixed(0).padStart(6);
  const lines = [
    `floor ${f(result.floor.reqPerSec)} req/s (p50 ${result.floor.p50Ms} ms) · ${result.connections} connections · ${result.seconds} s · TTL ${result.ttlSeconds} s`,
    '| page | cache off req/s | ÷ floor | cache on req/s | ÷ floor | p50 on | hits | target ≥ 0.5 |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...result.rows.map((r) => `| ${r.scenario} | ${f(r.off.reqPerSec)} | ${r.ratioOff.toFixed(3)} | ${f(r.on.reqPerSec)} | ${r.ratioOn.toFixed(3)} | ${r.on.p50Ms} ms | ${(r.hitRate * 100).toFixed(1)} % | ${r.ratioOn >= result.target && r.on.unexpected === 0 ? 'PASS' : 'FAIL'} |`),
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
  const db = await startBenchDatabase('bench-page-cache');
  const pool = new pg.Pool({ connectionString: db.url, max: 4 });
  try {
    const env = {
      NODE_ENV: 'test', LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: '0', APP_URL: 'http://127.0.0.1:3000',
      DATABASE_URL: db.url, DATA_DIR: db.dir, UPLOAD_DIR: path.join(db.dir, 'uploads'),
      SESSION_SECRET: crypto.randomBytes(32).toString('hex'), CSRF_SECRET: crypto.randomBytes(32).toString('hex'),
      ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1', SEED_DEMO: 'false', RUN_WORKER: 'false',
    };
    await seedBase(pool, await createPasswords({ memoryCost: 1024, timeCost: 1, parallelism: 1 }).hash(PASSWORD));
    await seedBookings(pool, num('BENCH_MAX_BOOKINGS', 10_000));
    const result = await measurePageCache({
      databaseUrl: db.url, env, scenarios: await pageScenarios(pool, process.env.BENCH_SEARCH_WORD || 'guitare'),
      seconds: num('BENCH_SECONDS', 5), warmupSeconds: num('BENCH_WARMUP_SECONDS', 1), connections: num('BENCH_CONNECTIONS', 50),
    });
    const table = pageCacheTable(result);
    console.log(`${table}\nload average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    const out = fileURLToPath(new URL('./results/page-cache.json', import.meta.url));
    fs.writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), loadAverage: os.loadavg(), ...result }, null, 2));
  } finally {
    await pool.end();
    await db.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().then(() => process.exit(0), (error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
