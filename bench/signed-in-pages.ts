// Signed-in pages against the read floor (issue 14: "dashboard HTML, booking page,
// notifications ÷ read floor ≥ 0.25"). The module measures; bench/run.ts decides when,
// on which database and at which size. Each scenario is one signed-in user's cookie on
// every connection: what one busy user costs, session read and header query included.
//
// Run alone (a throw-away cluster, the base seed plus BENCH_SIGNED_IN_BOOKINGS bookings):
//   node --import tsx bench/signed-in-pages.ts
import { runLoad, type LoadResult } from './load.ts';

export const SIGNED_IN_TARGET = 0.25;

export interface SignedInScenario {
  name: string;
  /** Who is signed in: the bench's busiest mentor or one of its students. */
  who: 'mentor' | 'student';
  path: string;
}

/** The pages of the target: both dashboards, a one-on-one skill's booking page, the notifications. */
export function signedInScenarios(skillId: string): SignedInScenario[] {
  return [
    { name: 'dashboard (mentor)', who: 'mentor', path: '/dashboard' },
    { name: 'dashboard (student)', who: 'student', path: '/dashboard' },
    { name: 'booking page (student)', who: 'student', path: `/skills/${skillId}/book` },
    { name: 'notifications (mentor)', who: 'mentor', path: '/notifications' },
  ];
}

export interface SignedInRow {
  scenario: string;
  path: string;
  who: SignedInScenario['who'];
  load: LoadResult;
  ratioToFloor: number;
  pass: boolean;
}

export interface SignedInPagesResult {
  target: number;
  /** The floor measured in the same run, right before the pages. */
  floor: LoadResult;
  rows: SignedInRow[];
  /** Every page at or above the target. */
  pass: boolean;
}

export interface SignedInPagesOptions {
  appUrl: string;
  floorUrl: string;
  /** Cookie headers of a signed-in mentor and student (bench/sign-in.ts). */
  cookies: Record<SignedInScenario['who'], string>;
  /** A published one-on-one skill of another mentor, for the booking page. */
  skillId: string;
  connections: number;
  seconds: number;
  warmupSeconds?: number;
}

export async function measureSignedInPages(options: SignedInPagesOptions): Promise<SignedInPagesResult> {
  const { connections, seconds, warmupSeconds = 0 } = options;
  const floorSpec = { url: options.floorUrl, expected: [200] };
  if (warmupSeconds > 0) await runLoad({ ...floorSpec, connections, seconds: warmupSeconds });
  const floor = await runLoad({ ...floorSpec, connections, seconds });
  const rows: SignedInRow[] = [];
  for (const s of signedInScenarios(options.skillId)) {
    const headers = { cookie: options.cookies[s.who], 'accept-language': 'fr' };
    // The cookie goes in `requests`: LoadSpec.headers did not reach the server in a check
    // on this machine (every request came back 303 to /login, as an anonymous one).
    const spec = { url: options.appUrl + s.path, requests: [{ method: 'GET' as const, path: s.path, headers }], expected: [200] };
    const probe = await fetch(spec.url, { headers, redirect: 'manual' });
    await probe.arrayBuffer();
    if (probe.status !== 200) throw new Error(`${s.name}: GET ${s.path} answered ${probe.status} ${probe.headers.get('location') ?? ''} (is the cookie signed in?)`);
    if (warmupSeconds > 0) await runLoad({ ...spec, connections, seconds: warmupSeconds });
    const load = await runLoad({ ...spec, connections, seconds });
    // A redirect to /login or an error page would be fast and wrong: it does not count.
    const ok = load.unexpected === 0;
    const ratioToFloor = ok && floor.reqPerSec ? load.reqPerSec / floor.reqPerSec : 0;
    rows.push({ scenario: s.name, path: s.path, who: s.who, load, ratioToFloor, pass: ok && ratioToFloor >= SIGNED_IN_TARGET });
  }
  return { target: SIGNED_IN_TARGET, floor, rows, pass: rows.every((r) => r.pass) };
}

async function main(): Promise<void> {
  const crypto = await import('node:crypto');
  const path = await import('node:path');
  const pg = (await import('pg')).default;
  const { createApp } = await import('../src/app.ts');
  const { createDeps } = await import('../src/composition.ts');
  const { loadConfig } = await import('../src/config.ts');
  const { createPasswords } = await import('../src/lib/passwords.ts');
  const { createViews } = await import('../src/lib/render.ts');
  const { startBenchDatabase } = await import('./cluster.ts');
  const { listen, startFloor } = await import('./floor.ts');
  const { signIn } = await import('./sign-in.ts');
  const { mentorUsername, PASSWORD, seedBase, seedBookings, studentUsername, BUSY_MENTOR } = await import('./seed-large.ts');

  const db = await startBenchDatabase('signed_in');
  const stops: (() => Promise<void>)[] = [db.stop];
  try {
    const config = loadConfig({
      NODE_ENV: 'test', LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: '0', APP_URL: 'http://127.0.0.1:3000', DATABASE_URL: db.url,
      DATA_DIR: db.dir, UPLOAD_DIR: path.join(db.dir, 'uploads'), SESSION_SECRET: crypto.randomBytes(32).toString('hex'),
      CSRF_SECRET: crypto.randomBytes(32).toString('hex'), ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1', SEED_DEMO: 'false',
      RUN_WORKER: 'false', TRUST_PROXY: 'false',
    });
    const pool = new pg.Pool({ connectionString: db.url, max: 4 });
    stops.unshift(() => pool.end());
    await seedBase(pool, await createPasswords(config.argon2).hash(PASSWORD));
    await seedBookings(pool, Number(process.env.BENCH_SIGNED_IN_BOOKINGS ?? 10_000));
    const deps = createDeps(config, db.url);
    stops.unshift(() => deps.close());
    const app = createApp(deps);
    app.locals.views = createViews(true); // production's template cache, as bench/run.ts measures
    const server = await listen(app);
    stops.unshift(server.close);
    const floor = await startFloor(db.url);
    stops.unshift(floor.close);
    const { rows } = await pool.query<{ id: string }>(
      `select s.id from skills s join users u on u.id = s.mentor_id
        where s.status = 'published' and s.mode = 'one_on_one' and u.username <> $1 order by s.created_at limit 1`, [mentorUsername(BUSY_MENTOR)]);
    const cookies = {
      mentor: (await signIn(server.url, mentorUsername(BUSY_MENTOR), PASSWORD)).cookie,
      student: (await signIn(server.url, studentUsername(1), PASSWORD)).cookie,
    };
    const result = await measureSignedInPages({
      appUrl: server.url, floorUrl: floor.url, cookies, skillId: rows[0]!.id,
      connections: Number(process.env.BENCH_CONNECTIONS ?? 50), seconds: Number(process.env.BENCH_SECONDS ?? 5), warmupSeconds: Number(process.env.BENCH_WARMUP_SECONDS ?? 1),
    });
    console.log(`floor ${result.floor.reqPerSec.toFixed(0)} req/s`);
    for (const r of result.rows) {
      console.log(`${r.scenario.padEnd(24)} ${r.load.reqPerSec.toFixed(0).padStart(6)} req/s  p50 ${r.load.p50Ms} ms  p99 ${r.load.p99Ms} ms  ×${r.ratioToFloor.toFixed(3)}  ${r.pass ? 'PASS' : 'FAIL'}  ${JSON.stringify(r.load.statusCounts)}`);
    }
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
