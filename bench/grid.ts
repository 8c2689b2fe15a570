// The grid section: GET /api/bookings (Ag Grid's Infinite Row Model, src/dashboards/)
// at every data size, against the dashboard issue's target:
//
//   with 1,000,000 bookings, a mentor's page of 100 rows sorted by date with a status
//   filter answers in under 50 ms p95 server time, and the p95 at 1M is at most twice
//   the p95 at 10k.
//
// Every size is a database of its own in the bench's cluster (a "site": the 10,000 and
// 100,000 ones seeded by the same deterministic SQL as the main database, the largest
// size being the main database itself), each served by its own instance of the app in
// this process. The runs are interleaved: for R rounds, every variant and connection
// count is measured on every size in turn (the order of the sizes rotating), and the
// samples of the rounds are pooled. The machine is shared: a ratio between sizes
// measured minutes apart would compare the neighbours' load, not the queries.
//
// Two clocks per request:
// - client: a closed-loop keep-alive client in a worker thread (grid-client.ts), at low
//   concurrency (1 and 10 connections) so that latency ≈ server time;
// - handler: process.hrtime in this process, from the moment the app's request listener
//   is called (headers parsed) to the response's 'finish' (the last byte handed to the
//   socket). Each app is served by an http.Server through a wrapper that only times
//   requests tagged with the measured run; the other scenarios' server is untouched.
//
// After them, the admin's grid (bench/admin-grid.ts: name sorts and the first-block
// count, in process since the bench's app has no admin account); its PASS/FAIL lines
// join the findings and its report is returned as `admin`.
//
// Before the runs, one request per variant and size is sent with knex's queries
// captured: that gives the rows and lastRow of the answer, the statements sent, and the
// real SQL that is then run under EXPLAIN (ANALYZE, BUFFERS).
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Knex } from 'knex';
import type pg from 'pg';
import { adminGridLines, measureAdminGrid, type AdminGridReport } from './admin-grid.ts';
import { captureQueries, explain, type CapturedQuery, type Explained } from './explain.ts';
import type { ClientJob, ClientResult } from './grid-client.ts';

// ---------------------------------------------------------------------------
// Clocks

export interface HandlerTimer {
  /** The app's request listener, wrapped. */
  handler: RequestListener;
  /** Records requests whose x-bench-run header is `run`, until stop(). */
  start(run: string): void;
  stop(): { samplesMs: number[]; statusCounts: Record<string, number> };
}

export function handlerTimer(app: RequestListener): HandlerTimer {
  let active: string | undefined;
  let samples: number[] = [];
  let statuses: Record<string, number> = {};
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    if (active !== undefined && req.headers['x-bench-run'] === active) {
      const t0 = process.hrtime.bigint();
      const into = samples;
      const codes = statuses;
      res.once('finish', () => {
        into.push(Number(process.hrtime.bigint() - t0) / 1e6);
        codes[res.statusCode] = (codes[res.statusCode] ?? 0) + 1;
      });
    }
    app(req, res);
  };
  return {
    handler,
    start(run) {
      active = run;
      samples = [];
      statuses = {};
    },
    stop() {
      active = undefined;
      return { samplesMs: samples, statusCounts: statuses };
    },
  };
}

export interface GridClient {
  run(job: ClientJob): Promise<ClientResult>;
  close(): Promise<void>;
}

/** The client in a worker thread, one job at a time; tsx's loader is registered there first (workers do not inherit it). */
export function startGridClient(): GridClient {
  const api = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./grid-client.ts', import.meta.url).href;
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  const worker = new Worker(code, { eval: true, workerData: { gridClient: true } });
  let nextId = 0;
  const pending = new Map<number, { resolve: (r: ClientResult) => void; reject: (e: Error) => void }>();
  const failAll = (error: Error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  worker.on('message', (message: { id: number; result?: ClientResult; error?: string }) => {
    const p = pending.get(message.id);
    pending.delete(message.id);
    if (message.result) p?.resolve(message.result);
    else p?.reject(new Error(`grid client: ${message.error}`));
  });
  worker.on('error', failAll);
  worker.on('exit', (exitCode) => failAll(new Error(`grid client exited (code ${exitCode})`)));
  return {
    run(job) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, job });
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}

export interface LatencyStats {
  n: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles of every sample (no histogram, no rounding). */
export function latencyStats(samplesMs: number[]): LatencyStats {
  const s = Float64Array.from(samplesMs).sort();
  const at = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]! : NaN);
  const round = (v: number) => Math.round(v * 1000) / 1000;
  const mean = s.length ? s.reduce((a, b) => a + b, 0) / s.length : NaN;
  return { n: s.length, mean: round(mean), p50: round(at(50)), p95: round(at(95)), p99: round(at(99)), max: round(s.at(-1) ?? NaN) };
}

// ---------------------------------------------------------------------------
// What is measured

export type GridWho = 'mentor' | 'student';

export interface GridVariant {
  id: string;
  who: GridWho;
  label: string;
  path: string;
  /** Part of the issue's target (a mentor's page sorted by date with a status filter). */
  target: boolean;
}

const BY_DATE = JSON.stringify([{ colId: 'startsAt', sort: 'desc' }]);
const page = (extra: Record<string, string>) => `/api/bookings?${new URLSearchParams({ startRow: '0', endRow: '100', ...extra }).toString()}`;

export const GRID_VARIANTS: GridVariant[] = [
  { id: 'mentor-pending', who: 'mentor', label: 'mentor, by date, status=pending', path: page({ sortModel: BY_DATE, status: 'pending' }), target: true },
  // Pending requests exist only in the ~4 weeks ahead: a short block, so the app sends no
  // count. A status of the mentor's history fills the block and needs the count.
  { id: 'mentor-completed', who: 'mentor', label: 'mentor, by date, status=completed', path: page({ sortModel: BY_DATE, status: 'completed' }), target: true },
  { id: 'mentor-all', who: 'mentor', label: 'mentor, by date, all statuses', path: page({ sortModel: BY_DATE }), target: false },
  // The student's grid as it first loads: no sortModel, upcoming first then past.
  { id: 'student-default', who: 'student', label: 'student, default order', path: page({}), target: false },
];

export interface GridScope {
  size: number;
  bookings: number;
  mentor: { id: string; bookings: number; share: number; byStatus: Record<string, number> };
  student: { id: string; bookings: number };
}

export interface GridProbe {
  status: number;
  rows: number;
  lastRow: number;
  /** Statements sent through knex (the session store uses its own pool, not counted). */
  statements: number;
  rowsQuery?: CapturedQuery;
  countQuery?: CapturedQuery;
}

export interface GridMeasure {
  size: number;
  bookings: number;
  rounds: number;
  /** The handler's p95 of each round alone: how much the machine moved. */
  handlerP95ByRound: number[];
  variant: string;
  label: string;
  path: string;
  connections: number;
  rows: number;
  lastRow: number;
  countSent: boolean;
  statements: number;
  reqPerSec: number;
  client: LatencyStats;
  handler: LatencyStats;
  statusCounts: Record<string, number>;
  errors: number;
  /** EXPLAIN ANALYZE execution time of the captured queries at this size (fastest of 3, warm cache). */
  sqlMs: { rows?: number; count?: number };
  loadAverage: number;
}

export interface GridTarget {
  variant: string;
  label: string;
  connections: number;
  small: number;
  large: number;
  p95SmallMs: number;
  p95LargeMs: number;
  clientP95LargeMs: number;
  ratio: number;
  under50: boolean;
  ratioOk: boolean;
  /** Both sizes of the target were measured (10,000 and 1,000,000). */
  complete: boolean;
  pass: boolean;
  line: string;
}

export interface GridReport {
  sizes: number[];
  connections: number[];
  rounds: number;
  seconds: number;
  warmupSeconds: number;
  method: string;
  scopes: GridScope[];
  measures: GridMeasure[];
  targets: GridTarget[];
  /** EXPLAIN (ANALYZE, BUFFERS) at the largest size, with the suggested variants. */
  explain: Explained[];
  /** One line per plan, at every size. */
  planSummaries: string[];
  findings: string[];
}

export const GRID_TARGET_MS = 50;
export const GRID_TARGET_RATIO = 2;
export const GRID_TARGET_SIZES = { small: 10_000, large: 1_000_000 };

// ---------------------------------------------------------------------------
// Running it

/** One size: its database and the app instance that serves it. */
export interface GridSite {
  size: number;
  /** The app's knex (queries are captured there). */
  knex: Knex;
  /** For EXPLAIN and counts. */
  pool: pg.Pool;
  timer: HandlerTimer;
  url: string;
  cookies: Record<GridWho, string>;
}

export interface GridContext {
  sites: GridSite[];
  ids: Record<GridWho, string>;
  client: GridClient;
  connections: number[];
  rounds: number;
  seconds: number;
  /** Before the first round of each size, variant and connection count only. */
  warmupSeconds: number;
  log: (message: string) => void;
}

const HEADERS = { 'accept-language': 'fr', accept: 'application/json' };

/** The machine is shared: of 3 EXPLAIN ANALYZE runs, the fastest (and its plan) is kept. */
async function explainBest(pool: pg.Pool | pg.PoolClient, title: string, query: CapturedQuery, runs = 3): Promise<Explained> {
  let best: Explained | undefined;
  for (let i = 0; i < runs; i++) {
    const e = await explain(pool, title, query);
    if (!best || (e.executionMs ?? Infinity) < (best.executionMs ?? Infinity)) best = e;
  }
  return best!;
}

/** One request with knex's queries captured. */
export async function probe(site: GridSite, variant: GridVariant): Promise<GridProbe> {
  let status = 0;
  let body: { rows?: unknown[]; lastRow?: number } = {};
  const queries = await captureQueries(site.knex, async () => {
    const res = await fetch(`${site.url}${variant.path}`, { headers: { ...HEADERS, cookie: site.cookies[variant.who] }, redirect: 'manual' });
    status = res.status;
    const text = await res.text();
    if (status === 200) body = JSON.parse(text) as typeof body;
  });
  if (status !== 200) throw new Error(`grid probe ${variant.label} at ${site.size}: GET ${variant.path} answered ${status}`);
  const onBookings = queries.filter((q) => /from "bookings"/.test(q.sql));
  return {
    status,
    rows: body.rows?.length ?? 0,
    lastRow: body.lastRow ?? NaN,
    statements: queries.length,
    rowsQuery: onBookings.find((q) => !/count\(/i.test(q.sql)),
    countQuery: onBookings.find((q) => /count\(/i.test(q.sql)),
  };
}

export async function gridScope(site: GridSite, ids: Record<GridWho, string>): Promise<GridScope> {
  const { pool, size } = site;
  const total = Number((await pool.query<{ n: string }>('select count(*) as n from bookings')).rows[0]!.n);
  const { rows } = await pool.query<{ status: string; n: string }>('select status, count(*) as n from bookings where mentor_id = $1 group by status order by status', [ids.mentor]);
  const byStatus = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  const mentor = Object.values(byStatus).reduce((a, b) => a + b, 0);
  const student = Number((await pool.query<{ n: string }>('select count(*) as n from bookings where student_id = $1', [ids.student])).rows[0]!.n);
  return {
    size,
    bookings: total,
    mentor: { id: ids.mentor, bookings: mentor, share: total ? mentor / total : 0, byStatus },
    student: { id: ids.student, bookings: student },
  };
}

interface Cell {
  site: GridSite;
  variant: GridVariant;
  connections: number;
  probe: GridProbe;
  bookings: number;
  sqlMs: GridMeasure['sqlMs'];
  client: number[];
  handler: number[];
  perRoundP95: number[];
  seconds: number;
  statusCounts: Record<string, number>;
  errors: number;
  load: number[];
}

/**
 * Every variant at every connection count on every site, interleaved over the rounds.
 * Read-only. The EXPLAIN output of the largest size is returned.
 */
export async function measureGrid(ctx: GridContext): Promise<{ measures: GridMeasure[]; explained: Explained[]; planSummaries: string[]; findings: string[]; admin: AdminGridReport }> {
  const explained: Explained[] = [];
  const planSummaries: string[] = [];
  const findings: string[] = [];
  const largest = Math.max(...ctx.sites.map((s) => s.size));
  const cells: Cell[] = [];
  for (const site of ctx.sites) {
    const bookings = Number((await site.pool.query<{ n: string }>('select count(*) as n from bookings')).rows[0]!.n);
    const where = `${bookings.toLocaleString('en-US')} bookings`;
    for (const variant of GRID_VARIANTS) {
      const p = await probe(site, variant);
      const sqlMs: GridMeasure['sqlMs'] = {};
      if (p.rowsQuery) {
        const e = await explainBest(site.pool, `grid rows: ${variant.label} (${where})`, p.rowsQuery);
        sqlMs.rows = e.executionMs;
        planSummaries.push(planSummary(e));
        if (site.size === largest) {
          explained.push(e);
          if (/Seq Scan/.test(e.plan)) {
            const suggested = await explainSuggestions(site.pool, `grid rows: ${variant.label} (${where})`, p.rowsQuery);
            explained.push(...suggested);
            planSummaries.push(...suggested.map(planSummary));
            const seq = [...new Set([...e.plan.matchAll(/Seq Scan on (\w+)(?: \w+)?\s+\(cost=[^)]*\) \(actual time=\S+ rows=([\d.]+)/g)].map((m) => `${m[1]} (${Math.round(Number(m[2]))} rows)`))];
            findings.push(
              `${variant.label} at ${where}: the rows query as sent takes ${e.executionMs ?? '?'} ms, reading all of ${seq.join(' and ')} ` +
                `(Seq Scan into a hash join) for ${p.rows} rows; ` +
                suggested.map((x) => `${x.title.replace(/^.*\) /, '')}: ${x.executionMs ?? '?'} ms`).join('; ') + '.',
            );
          }
        }
      }
      if (p.countQuery) {
        const e = await explainBest(site.pool, `grid count: ${variant.label} (${where})`, p.countQuery);
        sqlMs.count = e.executionMs;
        planSummaries.push(planSummary(e));
        if (site.size === largest) explained.push(e);
      }
      for (const connections of ctx.connections) {
        cells.push({
          site, variant, connections, probe: p, bookings, sqlMs,
          client: [], handler: [], perRoundP95: [], seconds: 0, statusCounts: {}, errors: 0, load: [],
        });
      }
    }
  }

  const started = performance.now();
  for (let round = 0; round < ctx.rounds; round++) {
    for (const variant of GRID_VARIANTS) {
      for (const connections of ctx.connections) {
        const row = cells.filter((c) => c.variant === variant && c.connections === connections);
        // The sizes take turns at going first.
        const order = row.map((_, i) => row[(i + round) % row.length]!);
        for (const cell of order) {
          const run = `${variant.id}-${cell.site.size}-c${connections}-r${round}`;
          cell.site.timer.start(run);
          let client: ClientResult;
          let server: ReturnType<HandlerTimer['stop']>;
          try {
            client = await ctx.client.run({
              url: `${cell.site.url}${variant.path}`,
              run,
              headers: { ...HEADERS, cookie: cell.site.cookies[variant.who] },
              connections,
              warmupSeconds: round === 0 ? ctx.warmupSeconds : 0,
              seconds: ctx.seconds,
            });
          } finally {
            server = cell.site.timer.stop();
          }
          cell.client.push(...client.latenciesMs);
          cell.handler.push(...server.samplesMs);
          cell.perRoundP95.push(latencyStats(server.samplesMs).p95);
          cell.seconds += client.seconds;
          cell.errors += client.errors;
          for (const [code, n] of Object.entries(client.statusCounts)) cell.statusCounts[code] = (cell.statusCounts[code] ?? 0) + n;
          cell.load.push(os.loadavg()[0] ?? 0);
          if (server.samplesMs.length !== client.latenciesMs.length) {
            ctx.log(`  grid ${run}: handler samples ${server.samplesMs.length} ≠ client requests ${client.latenciesMs.length}`);
          }
        }
      }
    }
    ctx.log(`grid round ${round + 1}/${ctx.rounds} done (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }

  const measures = cells.map((c): GridMeasure => {
    const requests = c.client.length;
    return {
      size: c.site.size,
      bookings: c.bookings,
      rounds: ctx.rounds,
      handlerP95ByRound: c.perRoundP95,
      variant: c.variant.id,
      label: c.variant.label,
      path: c.variant.path,
      connections: c.connections,
      rows: c.probe.rows,
      lastRow: c.probe.lastRow,
      countSent: Boolean(c.probe.countQuery),
      statements: c.probe.statements,
      reqPerSec: Math.round((requests / (c.seconds || 1)) * 10) / 10,
      client: latencyStats(c.client),
      handler: latencyStats(c.handler),
      statusCounts: c.statusCounts,
      errors: c.errors,
      sqlMs: c.sqlMs,
      loadAverage: Math.round((c.load.reduce((a, b) => a + b, 0) / (c.load.length || 1)) * 10) / 10,
    };
  });
  measures.sort((a, b) => a.size - b.size || GRID_VARIANTS.findIndex((v) => v.id === a.variant) - GRID_VARIANTS.findIndex((v) => v.id === b.variant) || a.connections - b.connections);
  for (const m of measures) {
    const unexpected = m.client.n - (m.statusCounts['200'] ?? 0) + m.errors;
    ctx.log(
      `grid ${m.size.toLocaleString('en-US').padStart(9)} ${m.label.padEnd(34)} c=${String(m.connections).padEnd(2)} ${m.reqPerSec.toFixed(0).padStart(5)} req/s  ` +
        `client p50/p95/p99 ${ms(m.client.p50)}/${ms(m.client.p95)}/${ms(m.client.p99)} ms  ` +
        `handler ${ms(m.handler.p50)}/${ms(m.handler.p95)}/${ms(m.handler.p99)} ms (p95 by round ${m.handlerP95ByRound.map(ms).join(', ')})` +
        `${unexpected ? `  UNEXPECTED ×${unexpected} ${JSON.stringify(m.statusCounts)}` : ''}`,
    );
  }
  // The admin's grid (bench/admin-grid.ts): its target lines go with the findings until
  // the report has a table for them (run.ts prints the findings).
  const admin = await measureAdminGrid({
    sites: ctx.sites.map((s) => ({ size: s.size, knex: s.knex, pool: s.pool })),
    connections: ctx.connections, rounds: ctx.rounds, seconds: ctx.seconds, warmupSeconds: ctx.warmupSeconds, log: ctx.log,
  });
  for (const line of adminGridLines(admin.measures)) ctx.log(line);
  explained.push(...admin.explain);
  planSummaries.push(...admin.explain.map(planSummary));
  findings.push(...admin.targets.map((t) => t.line));
  return { measures, explained, planSummaries, findings, admin };
}

/**
 * A rows query whose plan reads a whole table, explained two other ways (read-only):
 * - under random_page_cost = 1.1 (the usual setting when the data is cached or on SSD;
 *   the default 4 prices each index probe as a disk seek, so a small table is hashed whole);
 * - as a deferred join: the block of bookings first (scope, filters, order, limit), then
 *   the names and titles of those rows only.
 */
async function explainSuggestions(pool: pg.Pool, title: string, query: CapturedQuery): Promise<Explained[]> {
  const out: Explained[] = [];
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query('set local random_page_cost = 1.1');
    out.push(await explainBest(client, `${title} with random_page_cost = 1.1 (suggested setting)`, query));
  } finally {
    await client.query('rollback').catch(() => undefined);
    client.release();
  }
  const deferred = deferredJoin(query);
  if (deferred) out.push(await explainBest(pool, `${title} as a deferred join (suggested query shape)`, deferred));
  return out;
}

/** `select … from bookings <joins> where W order by O limit L` → the same with the joins above `(… where W order by O limit L)`. */
export function deferredJoin(query: CapturedQuery): CapturedQuery | undefined {
  const m = /^select (.+?) from "bookings" (.+?) where (.+) order by (.+) limit (\$\d+)$/s.exec(query.sql);
  if (!m) return undefined;
  const [, columns, joins, where, order, limit] = m;
  // Filters on the joined tables (names, titles) need the joins first.
  if (/"(student|mentor|skills)"\.|\b(student|mentor|skills)\./.test(where!)) return undefined;
  return {
    sql: `select ${columns} from (select "bookings".* from "bookings" where ${where} order by ${order} limit ${limit}) as "bookings" ${joins} order by ${order}`,
    bindings: query.bindings,
  };
}

// ---------------------------------------------------------------------------
// Verdicts and tables

/** The issue's two targets, for each target variant and connection count, on the handler's p95. */
export function evaluateTargets(measures: GridMeasure[], sizes: number[]): GridTarget[] {
  const small = Math.min(...sizes);
  const large = Math.max(...sizes);
  const complete = small === GRID_TARGET_SIZES.small && large === GRID_TARGET_SIZES.large;
  const out: GridTarget[] = [];
  for (const variant of GRID_VARIANTS.filter((v) => v.target)) {
    for (const connections of [...new Set(measures.map((m) => m.connections))]) {
      const at = (size: number) => measures.find((m) => m.variant === variant.id && m.connections === connections && m.size === size);
      const a = at(small);
      const b = at(large);
      if (!a || !b) continue;
      const clean = (m: GridMeasure) => m.errors === 0 && Object.keys(m.statusCounts).every((c) => c === '200');
      const ratio = Math.round((b.handler.p95 / a.handler.p95) * 100) / 100;
      const under50 = b.handler.p95 < GRID_TARGET_MS && clean(b);
      const ratioOk = ratio <= GRID_TARGET_RATIO && clean(a) && clean(b);
      const pass = complete && under50 && ratioOk;
      const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
      const sizeName = (n: number) => n.toLocaleString('en-US');
      const line =
        `${complete ? verdict(pass) : 'N/A '}  ${variant.label}, ${connections} connection${connections > 1 ? 's' : ''}: ` +
        `handler p95 at ${sizeName(large)} = ${ms(b.handler.p95)} ms (< ${GRID_TARGET_MS} ms: ${verdict(under50)}); ` +
        `p95 ${sizeName(large)} / p95 ${sizeName(small)} = ${ms(b.handler.p95)} / ${ms(a.handler.p95)} = ${ratio.toFixed(2)} ` +
        `(≤ ${GRID_TARGET_RATIO}: ${verdict(ratioOk)}); client p95 ${ms(b.client.p95)} ms` +
        (complete ? '' : ` [sizes ${sizeName(small)}–${sizeName(large)}: the target needs 10,000 and 1,000,000]`);
      out.push({
        variant: variant.id, label: variant.label, connections, small, large,
        p95SmallMs: a.handler.p95, p95LargeMs: b.handler.p95, clientP95LargeMs: b.client.p95,
        ratio, under50, ratioOk, complete, pass, line,
      });
    }
  }
  return out;
}

/** 0.412, 3.21, 48.7, 512: enough digits to compare, no more. */
export function ms(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '–';
  if (v < 1) return v.toFixed(3);
  if (v < 10) return v.toFixed(2);
  if (v < 100) return v.toFixed(1);
  return v.toFixed(0);
}

const GRID_HEADERS = ['bookings', 'variant', 'conns', 'rows / lastRow', 'req/s', 'client p50 / p95 / p99 ms', 'handler p50 / p95 / p99 ms', 'p95 ÷ smallest', 'SQL ms rows + count', 'load avg'];

function gridCells(m: GridMeasure, all: GridMeasure[]): string[] {
  const smallest = Math.min(...all.map((x) => x.size));
  const base = all.find((x) => x.variant === m.variant && x.connections === m.connections && x.size === smallest);
  const non200 = Object.entries(m.statusCounts).filter(([c]) => c !== '200').map(([c, n]) => `${c}×${n}`);
  return [
    m.bookings.toLocaleString('en-US'),
    m.label,
    String(m.connections),
    `${m.rows} / ${m.lastRow}`,
    m.reqPerSec.toFixed(0) + (non200.length || m.errors ? ` (${[...non200, m.errors ? `errors×${m.errors}` : ''].filter(Boolean).join(', ')})` : ''),
    `${ms(m.client.p50)} / ${ms(m.client.p95)} / ${ms(m.client.p99)}`,
    `${ms(m.handler.p50)} / ${ms(m.handler.p95)} / ${ms(m.handler.p99)}`,
    base && base !== m ? (m.handler.p95 / base.handler.p95).toFixed(2) : '1',
    `${ms(m.sqlMs.rows)}${m.countSent ? ` + ${ms(m.sqlMs.count)}` : ' (no count)'}`,
    m.loadAverage.toFixed(1),
  ];
}

export function gridConsoleTable(measures: GridMeasure[]): string {
  const data = [GRID_HEADERS, ...measures.map((m) => gridCells(m, measures))];
  const widths = GRID_HEADERS.map((_, c) => Math.max(...data.map((row) => row[c]!.length)));
  const left = new Set([1]);
  const line = (row: string[]) => row.map((v, c) => (left.has(c) ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join('  ');
  return [line(GRID_HEADERS), widths.map((w) => '-'.repeat(w)).join('  '), ...measures.map((m) => line(gridCells(m, measures)))].join('\n');
}

export function gridMarkdownTable(measures: GridMeasure[]): string {
  return [
    `| ${GRID_HEADERS.join(' | ')} |`,
    `| ${GRID_HEADERS.map((_, c) => (c === 1 ? '---' : '---:')).join(' | ')} |`,
    ...measures.map((m) => `| ${gridCells(m, measures).join(' | ')} |`),
  ].join('\n');
}

export function scopeLines(scopes: GridScope[]): string[] {
  return scopes.map((s) => {
    const statuses = Object.entries(s.mentor.byStatus).map(([k, n]) => `${k} ${n}`).join(', ');
    return (
      `${s.bookings.toLocaleString('en-US')} bookings: busy mentor ${s.mentor.bookings.toLocaleString('en-US')} ` +
      `(${(s.mentor.share * 100).toFixed(2)} %; ${statuses}); student ${s.student.bookings}`
    );
  });
}

export const GRID_LEGEND =
  'Each size is its own database and app instance; the runs of the sizes are interleaved over the rounds and their ' +
  'samples pooled. rows / lastRow = the answer to one probe request (a short block carries its own total: no count query); ' +
  'client = latency seen by the closed-loop client (worker thread, keep-alive, every sample, nearest-rank percentiles); ' +
  'handler = process.hrtime in the server process from the request listener to the response\'s \'finish\' (parsing, ' +
  'session, user, queries, JSON); load avg = mean 1-minute load average after each run; p95 ÷ smallest = handler p95 over the handler p95 of the same variant and connections ' +
  'at the smallest size; SQL ms = EXPLAIN ANALYZE execution time of the captured rows and count queries (fastest of 3, warm cache).';

/** The scan nodes, sort method, first buffers line and execution time of a plan, on one line. */
export function planSummary(e: Explained): string {
  const nodes = [...e.plan.matchAll(/((?:Parallel )?(?:Index Only Scan|Index Scan|Bitmap Heap Scan|Bitmap Index Scan|Seq Scan)(?: Backward)?)(?: using (\S+))? on (\S+)/g)]
    .map((m) => `${m[1]}${m[2] ? ` using ${m[2]}` : ''} on ${m[3]}`);
  const sorts = [...e.plan.matchAll(/Sort Method: ([^\n]+)/g)].map((m) => `Sort: ${m[1]!.trim()}`);
  const heap = [...e.plan.matchAll(/Heap Fetches: (\d+)/g)].map((m) => `heap fetches ${m[1]}`);
  const buffers = /Buffers: ([^\n]+)/.exec(e.plan)?.[1]?.trim();
  return `${e.title}: ${[...new Set(nodes)].join('; ')}${sorts.length ? `; ${sorts.join('; ')}` : ''}${heap.length ? `; ${heap.join(', ')}` : ''}` +
    `${buffers ? `; buffers ${buffers}` : ''}; execution ${e.executionMs ?? '?'} ms`;
}
