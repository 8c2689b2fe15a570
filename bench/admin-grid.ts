// The admin's bookings grid at every data size, against issue 14's targets:
//
//   admin grid at 1,000,000 bookings: sorted by student or mentor name, the first block
//   answers in < 50 ms p95; its row count in < 20 ms p95 (an estimate when an exact
//   count is expensive, and the page says so).
//
// The admin is the shadow account of ADMIN_EMAIL, which the bench's app is not given,
// so this runs the grid's own code in process (src/dashboards/grid-block.ts: the rows
// query, the rows' mapping, the count or estimate) rather than through HTTP: the time
// is SQL, the pool and the mapping, without the session, the user and the JSON. A
// closed loop of `connections` concurrent callers for `seconds`, every latency kept.
//
// For the before/after in one run, the query shapes this replaces are timed too, a few
// times at one connection: the order by the joined users' names and the exact count.
import os from 'node:os';
import type { Knex } from 'knex';
import type pg from 'pg';
import { gridBlock, gridTotal } from '../src/dashboards/grid-block.ts';
import { parseGridRequest, type GridActor, type GridRequest } from '../src/dashboards/grid-query.ts';
import { captureQueries, explain, type CapturedQuery, type Explained } from './explain.ts';

/** The shadow admin's id (it has no users row). */
const ADMIN: GridActor = { id: '00000000-0000-0000-0000-000000000000', role: 'admin' };

export const ADMIN_BLOCK_TARGET_MS = 50;
export const ADMIN_COUNT_TARGET_MS = 20;
export const ADMIN_TARGET_SIZE = 1_000_000;

export interface AdminGridVariant {
  id: string;
  label: string;
  /** What Ag Grid sends for the first block. */
  query: Record<string, string>;
  /** `block`: gridBlock (rows, and the total when the block is full); `count`: gridTotal alone. */
  kind: 'block' | 'count';
  targetMs: number;
  /** The SQL this replaces, timed for the before/after (one connection). */
  legacy?: string;
}

const LEGACY_SELECT = `select bookings.id, bookings.starts_at, skills.title, student.display_name, mentor.display_name
  from bookings join skills on skills.id = bookings.skill_id
  join users student on student.id = bookings.student_id join users mentor on mentor.id = bookings.mentor_id`;
const first = (extra: Record<string, string>) => ({ startRow: '0', endRow: '100', ...extra });
const sortBy = (colId: string, sort: 'asc' | 'desc') => JSON.stringify([{ colId, sort }]);

export const ADMIN_GRID_VARIANTS: AdminGridVariant[] = [
  {
    id: 'admin-by-student', label: 'admin, by student name, first block', kind: 'block', targetMs: ADMIN_BLOCK_TARGET_MS,
    query: first({ sortModel: sortBy('studentName', 'asc') }),
    legacy: `${LEGACY_SELECT} order by student.display_name asc, bookings.id asc limit 100`,
  },
  {
    id: 'admin-by-mentor', label: 'admin, by mentor name desc, first block', kind: 'block', targetMs: ADMIN_BLOCK_TARGET_MS,
    query: first({ sortModel: sortBy('mentorName', 'desc') }),
    legacy: `${LEGACY_SELECT} order by mentor.display_name desc, bookings.id desc limit 100`,
  },
  {
    id: 'admin-by-student-pending', label: 'admin, by student name, status=pending', kind: 'block', targetMs: ADMIN_BLOCK_TARGET_MS,
    query: first({ sortModel: sortBy('studentName', 'asc'), status: 'pending' }),
  },
  {
    id: 'admin-count', label: 'admin, first-block row count', kind: 'count', targetMs: ADMIN_COUNT_TARGET_MS,
    query: first({}), legacy: 'select count(*) from bookings',
  },
  {
    id: 'admin-count-confirmed', label: 'admin, row count, status=confirmed', kind: 'count', targetMs: ADMIN_COUNT_TARGET_MS,
    query: first({ status: 'confirmed' }), legacy: `select count(*) from bookings where status = 'confirmed'`,
  },
];

export interface AdminGridSite {
  size: number;
  knex: Knex;
  pool: pg.Pool;
}

export interface AdminLatency {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface AdminGridMeasure {
  size: number;
  bookings: number;
  variant: string;
  label: string;
  connections: number;
  /** Rows of the first block (block variants). */
  rows: number;
  /** What the answer says of the total: the exact count, or the estimate. */
  total: number;
  estimated: boolean;
  latency: AdminLatency;
  /** p95 of each round alone. */
  p95ByRound: number[];
  /** The replaced query shape at one connection (a few runs), when the variant has one. */
  legacyMs?: AdminLatency;
  loadAverage: number;
}

export interface AdminGridTarget {
  variant: string;
  label: string;
  connections: number;
  size: number;
  p95Ms: number;
  targetMs: number;
  legacyP95Ms?: number;
  estimated: boolean;
  /** Measured at 1,000,000 bookings (the target's size). */
  complete: boolean;
  pass: boolean;
  line: string;
}

export interface AdminGridReport {
  measures: AdminGridMeasure[];
  targets: AdminGridTarget[];
  /** EXPLAIN (ANALYZE, BUFFERS) of the statements of each variant at the largest size. */
  explain: Explained[];
}

export interface AdminGridContext {
  sites: AdminGridSite[];
  connections: number[];
  rounds: number;
  seconds: number;
  warmupSeconds: number;
  /** Runs of each replaced query shape (at ~0.7 s each at a million rows: keep it small). */
  legacyRuns?: number;
  log: (message: string) => void;
}

function stats(samples: number[]): AdminLatency {
  const s = Float64Array.from(samples).sort();
  const at = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]! : NaN);
  const r = (v: number) => Math.round(v * 1000) / 1000;
  return { n: s.length, p50: r(at(50)), p95: r(at(95)), p99: r(at(99)), max: r(s.at(-1) ?? NaN) };
}

const request = (v: AdminGridVariant): GridRequest => parseGridRequest(v.query, 'admin', { timeZone: 'Europe/Paris' });

async function once(knex: Knex, v: AdminGridVariant): Promise<{ rows: number; total: number; estimated: boolean }> {
  const grid = request(v);
  if (v.kind === 'count') {
    const t = await gridTotal(knex, ADMIN, grid);
    return { rows: 0, total: t.count, estimated: t.estimated };
  }
  const b = await gridBlock(knex, ADMIN, grid, new Date());
  return { rows: b.rows.length, total: b.estimatedRowCount ?? b.lastRow, estimated: b.estimatedRowCount !== undefined };
}

/** `connections` callers in a closed loop for `seconds`; every latency kept. */
async function closedLoop(knex: Knex, v: AdminGridVariant, connections: number, seconds: number): Promise<number[]> {
  const samples: number[] = [];
  const end = performance.now() + seconds * 1000;
  await Promise.all(Array.from({ length: connections }, async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      await once(knex, v);
      samples.push(performance.now() - t0);
    }
  }));
  return samples;
}

async function timeLegacy(pool: pg.Pool, sql: string, runs: number): Promise<AdminLatency> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await pool.query(sql);
    samples.push(performance.now() - t0);
  }
  return stats(samples);
}

/** Every admin variant at every size and connection count, interleaved over the rounds (read-only). */
export async function measureAdminGrid(ctx: AdminGridContext): Promise<AdminGridReport> {
  const largest = Math.max(...ctx.sites.map((s) => s.size));
  const explained: Explained[] = [];
  interface Cell { site: AdminGridSite; variant: AdminGridVariant; connections: number; samples: number[]; perRound: number[]; load: number[] }
  const cells: Cell[] = [];
  const facts = new Map<string, { bookings: number; rows: number; total: number; estimated: boolean; legacy?: AdminLatency }>();
  for (const site of ctx.sites) {
    const bookings = Number((await site.pool.query<{ n: string }>('select count(*) as n from bookings')).rows[0]!.n);
    for (const v of ADMIN_GRID_VARIANTS) {
      let answer = { rows: 0, total: 0, estimated: false };
      const queries: CapturedQuery[] = await captureQueries(site.knex, async () => {
        answer = await once(site.knex, v);
      });
      if (site.size === largest) {
        for (const q of queries.filter((x) => /from "bookings"/.test(x.sql) && !/^explain/.test(x.sql))) {
          explained.push(await explain(site.pool, `${v.label} (${bookings.toLocaleString('en-US')} bookings)`, q));
        }
      }
      const legacy = v.legacy ? await timeLegacy(site.pool, v.legacy, ctx.legacyRuns ?? 3) : undefined;
      facts.set(`${site.size}:${v.id}`, { bookings, ...answer, legacy });
      for (const connections of ctx.connections) cells.push({ site, variant: v, connections, samples: [], perRound: [], load: [] });
    }
  }
  for (let round = 0; round < ctx.rounds; round++) {
    for (const v of ADMIN_GRID_VARIANTS) {
      for (const connections of ctx.connections) {
        const row = cells.filter((c) => c.variant === v && c.connections === connections);
        for (const cell of row.map((_, i) => row[(i + round) % row.length]!)) {
          if (round === 0 && ctx.warmupSeconds > 0) await closedLoop(cell.site.knex, v, connections, ctx.warmupSeconds);
          const samples = await closedLoop(cell.site.knex, v, connections, ctx.seconds);
          cell.samples.push(...samples);
          cell.perRound.push(stats(samples).p95);
          cell.load.push(os.loadavg()[0] ?? 0);
        }
      }
    }
    ctx.log(`admin grid round ${round + 1}/${ctx.rounds} done`);
  }
  const measures = cells.map((c): AdminGridMeasure => {
    const f = facts.get(`${c.site.size}:${c.variant.id}`)!;
    return {
      size: c.site.size, bookings: f.bookings, variant: c.variant.id, label: c.variant.label, connections: c.connections,
      rows: f.rows, total: f.total, estimated: f.estimated, latency: stats(c.samples), p95ByRound: c.perRound,
      ...(f.legacy ? { legacyMs: f.legacy } : {}),
      loadAverage: Math.round((c.load.reduce((a, b) => a + b, 0) / (c.load.length || 1)) * 10) / 10,
    };
  });
  measures.sort((a, b) => a.size - b.size || ADMIN_GRID_VARIANTS.findIndex((v) => v.id === a.variant) - ADMIN_GRID_VARIANTS.findIndex((v) => v.id === b.variant) || a.connections - b.connections);
  return { measures, targets: evaluateAdminTargets(measures), explain: explained };
}

const fmt = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '–' : v < 10 ? v.toFixed(2) : v.toFixed(1));

/** PASS/FAIL per variant and connection count at 1,000,000 bookings (N/A when the run stopped short of it). */
export function evaluateAdminTargets(measures: AdminGridMeasure[]): AdminGridTarget[] {
  const largest = Math.max(...measures.map((m) => m.size));
  return measures.filter((m) => m.size === largest).map((m) => {
    const v = ADMIN_GRID_VARIANTS.find((x) => x.id === m.variant)!;
    const complete = m.size === ADMIN_TARGET_SIZE;
    const pass = complete && m.latency.p95 < v.targetMs;
    const line =
      `${complete ? (pass ? 'PASS' : 'FAIL') : 'N/A '}  ${m.label}, ${m.connections} connection${m.connections > 1 ? 's' : ''}: ` +
      `p95 at ${m.size.toLocaleString('en-US')} = ${fmt(m.latency.p95)} ms (< ${v.targetMs} ms)` +
      `${m.legacyMs ? `; before (query shape replaced, 1 connection) p95 ${fmt(m.legacyMs.p95)} ms` : ''}` +
      `; total ${m.estimated ? '≈ ' : ''}${m.total.toLocaleString('en-US')}${m.estimated ? ' (estimate)' : ''}` +
      (complete ? '' : ` [the target needs ${ADMIN_TARGET_SIZE.toLocaleString('en-US')} bookings]`);
    return {
      variant: m.variant, label: m.label, connections: m.connections, size: m.size, p95Ms: m.latency.p95, targetMs: v.targetMs,
      ...(m.legacyMs ? { legacyP95Ms: m.legacyMs.p95 } : {}), estimated: m.estimated, complete, pass, line,
    };
  });
}

export function adminGridLines(measures: AdminGridMeasure[]): string[] {
  return measures.map((m) =>
    `admin grid ${m.bookings.toLocaleString('en-US').padStart(9)} ${m.label.padEnd(40)} c=${String(m.connections).padEnd(2)} ` +
    `p50/p95/p99 ${fmt(m.latency.p50)}/${fmt(m.latency.p95)}/${fmt(m.latency.p99)} ms (n=${m.latency.n}, p95 by round ${m.p95ByRound.map(fmt).join(', ')})` +
    `${m.legacyMs ? `  before ${fmt(m.legacyMs.p50)}/${fmt(m.legacyMs.p95)} ms` : ''}` +
    `  rows ${m.rows}, total ${m.estimated ? '≈' : ''}${m.total}  load ${m.loadAverage}`,
  );
}
