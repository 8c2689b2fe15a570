// Insights at scale (issue 15: "every chart answers from rollups in under 100 ms at 1M
// bookings"). On a database of bookings (the bench's largest): their status history and
// reviews, and page visits spread over the year, are added; the first rollup (the backfill of
// all of it) is timed, then a busy minute's and an idle one; then each report the pages ask
// for — the busiest mentor's and the platform's, over 7, 30, 90 and 366 days — with every
// statement timed, since each chart is one of them. bench/run.ts runs it on its 1,000,000
// database; alone, on a throw-away cluster of BENCH_MAX_BOOKINGS (default 1,000,000):
//   node --import tsx bench/insights.ts
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';
import pg from 'pg';
import { createKnex } from '../src/db/knex.ts';
import { systemClock } from '../src/lib/clock.ts';
import type { InsightScope } from '../src/insights/model.ts';
import { insightsService, type InsightsService } from '../src/insights/service.ts';
import { startBenchDatabase } from './cluster.ts';
import { explain, type Explained } from './explain.ts';
import { busyMentorId, seedBase, seedBookings } from './seed-large.ts';
import { maxTarget, targetsConsoleTable, type TargetLine } from './targets.ts';

export const CHART_TARGET_MS = 100;
const RANGES = [7, 30, 90, 366] as const;
const ZONE = 'Europe/Paris';

export interface ReportTiming {
  scope: 'mentor' | 'platform';
  days: number;
  statements: number;
  /** The whole report (every chart of the page). */
  totalP50Ms: number;
  totalP95Ms: number;
  /** The slowest statement of the report, by p95 over the runs. */
  slowestP95Ms: number;
  slowestSql: string;
}

export interface InsightsBenchResult {
  bookings: number;
  events: number;
  eventsSeedMs: number;
  backfillMs: number;
  hourlyRows: number;
  incremental: { touchedBookings: number; newEvents: number; ms: number };
  runs: number;
  reports: ReportTiming[];
  explained: Explained[];
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

/** Visits over the last year on the skills' pages and their booking modals; visitors are random hashes. */
async function seedEvents(pool: pg.Pool, count: number, hours: number): Promise<void> {
  await pool.query(
    `with s as (
       select s.id, u.username, row_number() over (order by s.id) - 1 as n
         from skills s join users u on u.id = s.mentor_id where s.status = 'published'
     ), k(i, kind) as (
       select i, (array['skill_view','skill_view','skill_view','skill_view','skill_view','modal_opened','modal_opened','details_reached','summary_reached','mentor_view'])[i + 1]
         from generate_series(0, 9) i
     )
     insert into insight_events (occurred_at, kind, skill_id, mentor_username, visitor)
     select now() - make_interval(secs => random() * $2 * 3600), k.kind,
            case when k.kind = 'mentor_view' then null else s.id end,
            case when k.kind = 'mentor_view' then s.username end,
            decode(md5(g::text || random()::text), 'hex')
       from generate_series(1, $1::int) g
       join s on s.n = (g::bigint * 7919) % (select count(*) from s)
       join k on k.i = g % 10`,
    [count, hours],
  );
}

/** The status history and reviews the seed does not write (bench/seed-large.ts inserts bookings only). */
export async function seedBookingHistory(pool: pg.Pool): Promise<void> {
  // What the transitions would have written: the request, an acceptance, a cancellation, and
  // a review for a third of the held sessions. Triggers off, as in seedBookings: the backfill
  // is what counts these, not the dirty queue.
  const client = await pool.connect();
  try {
    await fill(client);
  } finally {
    client.release();
  }
  for (const table of ['booking_events', 'mentor_reviews']) await pool.query(`vacuum analyze ${table}`);
}

async function fill(pool: pg.PoolClient): Promise<void> {
  await pool.query(`set session_replication_role = replica`);
  await pool.query(`
    insert into booking_events (booking_id, status, actor_role, created_at)
    select id, 'pending', 'student', created_at from bookings
    union all select id, 'confirmed', 'mentor', created_at + interval '2 hours' from bookings where status in ('confirmed', 'completed', 'no_show') or (status = 'cancelled' and md5(id::text) < '8')
    union all select id, 'cancelled', cancelled_by, starts_at - make_interval(hours => (abs(hashtext(id::text)) % 96)) from bookings where status = 'cancelled'`);
  await pool.query(`
    insert into mentor_reviews (booking_id, mentor_id, student_id, rating, body, created_at, updated_at)
    select id, mentor_id, student_id, 1 + abs(hashtext(id::text)) % 5, 'Une séance claire et utile.', ends_at + interval '1 day', ends_at + interval '1 day'
    from bookings where status = 'completed' and md5(id::text) < '5'`);
  await pool.query(`set session_replication_role = origin`);
}

function today(zone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

function minusDays(iso: string, days: number): string {
  const d = new Date(`${iso}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

async function timeReport(insights: InsightsService, knex: Knex, scope: InsightScope, days: number, runs: number): Promise<{ timing: ReportTiming; slowest: { sql: string; bindings: unknown[] } }> {
  const to = today(ZONE);
  const range = { from: minusDays(to, days - 1), to, timeZone: ZONE };
  const totals: number[] = [];
  const perStatement = new Map<number, { sql: string; bindings: unknown[]; times: number[] }>();
  for (let run = 0; run < runs + 1; run++) {
    const started = new Map<string, bigint>();
    let index = 0;
    const order = new Map<string, number>();
    const onQuery = (q: { __knexQueryUid: string; sql: string; bindings?: unknown[] }) => {
      started.set(q.__knexQueryUid, process.hrtime.bigint());
      const i = index++;
      order.set(q.__knexQueryUid, i);
      if (!perStatement.has(i)) perStatement.set(i, { sql: q.sql, bindings: q.bindings ?? [], times: [] });
    };
    const onResponse = (_r: unknown, q: { __knexQueryUid: string }) => {
      const t0 = started.get(q.__knexQueryUid);
      const i = order.get(q.__knexQueryUid);
      if (t0 !== undefined && i !== undefined && run > 0) perStatement.get(i)!.times.push(ms(t0));
    };
    knex.on('query', onQuery).on('query-response', onResponse);
    const t0 = process.hrtime.bigint();
    try {
      await insights.report(scope, range);
    } finally {
      knex.removeListener('query', onQuery).removeListener('query-response', onResponse);
    }
    // The first run warms the caches and is not counted.
    if (run > 0) totals.push(ms(t0));
  }
  totals.sort((a, b) => a - b);
  const statements = [...perStatement.values()].map((s) => ({ ...s, p95: quantile([...s.times].sort((a, b) => a - b), 0.95) }));
  const slowest = statements.reduce((a, b) => (b.p95 > a.p95 ? b : a), statements[0] ?? { sql: '', bindings: [], times: [], p95: 0 });
  return {
    timing: {
      scope: scope.kind, days, statements: statements.length,
      totalP50Ms: quantile(totals, 0.5), totalP95Ms: quantile(totals, 0.95),
      slowestP95Ms: slowest.p95, slowestSql: slowest.sql.slice(0, 160),
    },
    slowest,
  };
}

export interface InsightsBenchOptions {
  knex: Knex;
  insights: InsightsService;
  pool: pg.Pool;
  mentorId: string;
  events: number;
  runs: number;
  log: (m: string) => void;
}

export async function measureInsights(options: InsightsBenchOptions): Promise<InsightsBenchResult> {
  const { knex, insights, pool, log } = options;
  const bookings = Number((await pool.query<{ n: string }>('select count(*) as n from bookings')).rows[0]!.n);
  let t0 = process.hrtime.bigint();
  await seedBookingHistory(pool);
  await seedEvents(pool, options.events, 365 * 24);
  await pool.query('vacuum analyze insight_events');
  const eventsSeedMs = ms(t0);
  log(`insights: booking history, reviews and ${options.events.toLocaleString('en-US')} page visits seeded in ${(eventsSeedMs / 1000).toFixed(1)} s; first rollup (backfill of ${bookings.toLocaleString('en-US')} bookings)`);
  t0 = process.hrtime.bigint();
  await insights.rollup();
  const backfillMs = ms(t0);
  for (const table of ['insight_hourly', 'insight_daily_visitors', 'insight_top_daily', 'insight_top_weekly', 'insight_top_monthly', 'insight_top_quarterly']) await pool.query(`vacuum analyze ${table}`);
  const hourlyRows = Number((await pool.query<{ n: string }>('select count(*) as n from insight_hourly')).rows[0]!.n);
  log(`insights: backfill ${(backfillMs / 1000).toFixed(1)} s → ${hourlyRows.toLocaleString('en-US')} hourly rows`);

  // A busy minute: 1,000 sessions marked completed, 10,000 new visits.
  const touched = await pool.query(`update bookings set status = 'completed', updated_at = now() where id in (select id from bookings where status = 'confirmed' order by id limit 1000)`);
  const newEvents = 10_000;
  await seedEvents(pool, newEvents, 1);
  t0 = process.hrtime.bigint();
  await insights.rollup();
  const incremental = { touchedBookings: touched.rowCount ?? 0, newEvents, ms: ms(t0) };
  log(`insights: a busy minute's rollup (${incremental.touchedBookings} bookings completed, ${newEvents} visits) ${incremental.ms.toFixed(0)} ms`);

  const reports: ReportTiming[] = [];
  const explained: Explained[] = [];
  for (const scope of [{ kind: 'mentor', mentorId: options.mentorId }, { kind: 'platform' }] as InsightScope[]) {
    for (const days of RANGES) {
      const { timing, slowest } = await timeReport(insights, knex, scope, days, options.runs);
      reports.push(timing);
      log(`insights: ${scope.kind} ${days} days: ${timing.statements} statements, report p95 ${timing.totalP95Ms.toFixed(1)} ms, slowest statement p95 ${timing.slowestP95Ms.toFixed(1)} ms`);
      if (days >= 90 && slowest.sql) explained.push(await explain(pool, `insights: slowest statement of the ${scope.kind} report, ${days} days`, slowest));
    }
  }
  return { bookings, events: options.events, eventsSeedMs, backfillMs, hourlyRows, incremental, runs: options.runs, reports, explained };
}

export function insightsTargetLines(result: InsightsBenchResult | undefined): TargetLine[] {
  if (!result) return [maxTarget({ measure: 'insights: slowest chart query at 1M bookings', value: undefined, max: CHART_TARGET_MS, unit: 'ms' })];
  const size = result.bookings.toLocaleString('en-US');
  return result.reports.map((r) => maxTarget({
    measure: `insights: ${r.scope} report, ${r.days} days, slowest chart query p95 (${size} bookings)`,
    value: r.slowestP95Ms,
    max: CHART_TARGET_MS,
    unit: 'ms',
    detail: `${r.statements} statements; whole report p50 ${r.totalP50Ms.toFixed(1)} / p95 ${r.totalP95Ms.toFixed(1)} ms; backfill ${(result.backfillMs / 1000).toFixed(1)} s, incremental ${result.incremental.ms.toFixed(0)} ms`,
  }));
}

/** Alone: a throw-away cluster with BENCH_MAX_BOOKINGS bookings (default 1,000,000). */
async function main(): Promise<void> {
  const target = Number(process.env.BENCH_MAX_BOOKINGS ?? 1_000_000);
  const db = await startBenchDatabase('insights');
  const pool = new pg.Pool({ connectionString: db.url, max: 4 });
  // Stopping the cluster ends the pool's idle connections (57P01): not an error of the bench.
  pool.on('error', () => undefined);
  const knex = createKnex(db.url, 4);
  const started = performance.now();
  const log = (m: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${m}`);
  try {
    await seedBase(pool, 'not-a-hash');
    await seedBookings(pool, target);
    log(`seeded ${target.toLocaleString('en-US')} bookings`);
    const result = await measureInsights({
      knex, insights: insightsService({ knex, clock: systemClock }), pool, mentorId: await busyMentorId(pool),
      events: Number(process.env.BENCH_INSIGHT_EVENTS ?? 1_000_000), runs: Number(process.env.BENCH_INSIGHT_RUNS ?? 10), log,
    });
    for (const e of result.explained) console.log(`\n=== EXPLAIN (ANALYZE, BUFFERS): ${e.title} ===\n${e.sql}\n\n${e.plan}`);
    console.log(`\n${targetsConsoleTable(insightsTargetLines(result))}`);
    const file = fileURLToPath(new URL('./results/insights.json', import.meta.url));
    fs.writeFileSync(file, `${JSON.stringify({ finishedAt: new Date().toISOString(), ...result, targets: insightsTargetLines(result) }, null, 2)}\n`);
    console.log(`→ ${file}`);
  } finally {
    await knex.destroy();
    await pool.end();
    await db.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
