// Password-reset answer time for an email with an account and one without (issue 8:
// 16 ms vs 7 ms medians let anyone tell which emails have accounts). 50 requests each
// way, interleaved, against one app on a throwaway cluster; prints the medians.
// Run: node --import tsx bench/reset-timing.ts
import crypto from 'node:crypto';
import path from 'node:path';
import { createApp } from '../src/app.ts';
import { createDeps } from '../src/composition.ts';
import { loadConfig } from '../src/config.ts';
import { createViews } from '../src/lib/render.ts';
import { startBenchDatabase } from './cluster.ts';
import { listen } from './floor.ts';

const ROUNDS = 50;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2;
};

const db = await startBenchDatabase('reset-timing');
try {
  const config = loadConfig({
    NODE_ENV: 'test', LOG_LEVEL: 'silent', HOST: '127.0.0.1', APP_URL: 'http://127.0.0.1:3000', DATABASE_URL: db.url,
    DATA_DIR: db.dir, UPLOAD_DIR: path.join(db.dir, 'uploads'), SESSION_SECRET: crypto.randomBytes(32).toString('hex'),
    CSRF_SECRET: crypto.randomBytes(32).toString('hex'), SIGNING_SECRET: crypto.randomBytes(32).toString('hex'),
    SEED_DEMO: 'false', RUN_WORKER: 'false',
    // Every request from its own address: the reset form allows 10 per hour per address.
    TRUST_PROXY: 'true',
  });
  // Mail goes to the outbox table (no SMTP_URL), as in the measurement.
  const deps = createDeps(config, db.url);
  await deps.knex('users').insert({
    role: 'student', username: 'known', email: 'known@example.test', displayName: 'Known', passwordHash: 'x', locale: 'en', timezone: 'Europe/Paris',
  });
  const app = createApp(deps);
  app.locals.views = createViews(true); // production template caching
  const server = await listen(app);

  let ip = 0;
  async function timeReset(email: string): Promise<number> {
    const from = `10.77.${Math.floor(++ip / 250)}.${(ip % 250) + 1}`;
    const page = await fetch(`${server.url}/password-resets/new`, { headers: { 'X-Forwarded-For': from } });
    const token = /id="csrf-token" data-token="([^"]+)"/.exec(await page.text())![1]!;
    const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const started = performance.now();
    const res = await fetch(`${server.url}/password-resets`, {
      method: 'POST', headers: { 'X-Forwarded-For': from, Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: token, email }),
    });
    await res.text();
    const ms = performance.now() - started;
    if (res.status !== 200) throw new Error(`status ${res.status}`);
    return ms;
  }

  for (let i = 0; i < 10; i++) await timeReset(i % 2 ? 'known@example.test' : 'warmup@example.test'); // JIT, pools, template cache
  const known: number[] = [];
  const unknown: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    known.push(await timeReset('known@example.test'));
    unknown.push(await timeReset(`nobody${i}@example.test`));
  }
  console.log(`POST /password-resets, ${ROUNDS} requests each way: median known ${median(known).toFixed(1)} ms, unknown ${median(unknown).toFixed(1)} ms`);
  await server.close();
  await deps.close();
} finally {
  await db.stop();
}
