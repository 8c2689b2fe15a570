// Micro-benchmark of the slot engine: a busy Paris mentor, a 28-day window that crosses the
// spring-forward change, 500 busy intervals, 60-minute slots.
//
//   node --import tsx bench/slot-engine.ts
//
// Prints a small table and writes bench/results/slot-engine.json. A bigger bench runner can
// import runSlotEngineBench() instead (nothing runs on import).
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DateTime } from 'luxon';
import { freeSlots, type Interval, type SlotQuery, type WeeklyRule } from '../src/slots/engine.ts';
import { seededRandom } from '../src/lib/seeded-random.ts';

export interface SlotEngineBenchResult {
  name: 'slot-engine';
  zone: string;
  windowDays: number;
  durationMinutes: number;
  busyIntervals: number;
  slotsPerCall: number;
  warmupRuns: number;
  runs: number;
  firstCallMs: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  minMs: number;
  maxMs: number;
  /** 1-minute load average when the run ended: other work on the machine skews the tail. */
  loadAverage: number;
}

const ZONE = 'Europe/Paris';
const WINDOW_DAYS = 28;
const BUSY_COUNT = 500;
const WARMUP_RUNS = 200;
const RUNS = 1000;
const RESULTS_DIR = new URL('./results/', import.meta.url);


export function buildSlotEngineBenchQuery(): SlotQuery {
  const rules: WeeklyRule[] = [];
  for (let weekday = 1; weekday <= 6; weekday++) {
    rules.push({ weekday, start: '08:00', end: '12:00', active: true }, { weekday, start: '13:00', end: '19:00', active: true });
  }
  // Monday 16 March 2026, 07:45 in Paris: the window crosses the 29 March change.
  const now = DateTime.fromISO('2026-03-16T07:45', { zone: ZONE });
  const random = seededRandom(20260316);
  const busy: Interval[] = [];
  for (let i = 0; i < BUSY_COUNT; i++) {
    // Any day of the window, starting on a quarter hour between 07:00 and 21:45 local
    // (bookings, holds, and a few odd-length calendar blocks).
    const day = Math.floor(random() * WINDOW_DAYS);
    const quarter = 28 + Math.floor(random() * 60);
    const start = now.startOf('day').plus({ days: day }).set({ hour: Math.floor(quarter / 4), minute: (quarter % 4) * 15 });
    const minutes = [30, 30, 60, 45][Math.floor(random() * 4)]!;
    busy.push({ start: start.toJSDate(), end: start.plus({ minutes }).toJSDate() });
  }
  // Unsorted, as it comes from the database plus the holds.
  for (let i = busy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [busy[i], busy[j]] = [busy[j]!, busy[i]!];
  }
  return {
    mentorZone: ZONE,
    rules,
    overrides: [
      { date: '2026-03-20', kind: 'blocked' },
      { date: '2026-03-22', kind: 'extra', start: '10:00', end: '12:00' },
      { date: '2026-04-01', kind: 'blocked', start: '13:00', end: '15:00' },
    ],
    busy,
    bufferMinutes: 15,
    minNoticeMinutes: 720,
    windowDays: WINDOW_DAYS,
    now: now.toJSDate(),
    durationMinutes: 60,
  };
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

/** Runs the benchmark, writes bench/results/slot-engine.json and returns the numbers. */
export async function runSlotEngineBench(): Promise<SlotEngineBenchResult> {
  const q = buildSlotEngineBenchQuery();
  let slotsPerCall = 0;

  let t0 = performance.now();
  slotsPerCall = freeSlots(q).length;
  const firstCallMs = performance.now() - t0;

  for (let i = 1; i < WARMUP_RUNS; i++) slotsPerCall = freeSlots(q).length;

  const times = new Array<number>(RUNS);
  for (let i = 0; i < RUNS; i++) {
    t0 = performance.now();
    const slots = freeSlots(q);
    times[i] = performance.now() - t0;
    if (slots.length !== slotsPerCall) throw new Error('freeSlots is not deterministic');
  }
  const sorted = [...times].sort((a, b) => a - b);
  const result: SlotEngineBenchResult = {
    name: 'slot-engine',
    zone: ZONE,
    windowDays: WINDOW_DAYS,
    durationMinutes: q.durationMinutes,
    busyIntervals: q.busy.length,
    slotsPerCall,
    warmupRuns: WARMUP_RUNS,
    runs: RUNS,
    firstCallMs: round(firstCallMs),
    meanMs: round(times.reduce((sum, t) => sum + t, 0) / RUNS),
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    p99Ms: round(percentile(sorted, 99)),
    minMs: round(sorted[0]!),
    maxMs: round(sorted[sorted.length - 1]!),
    loadAverage: round(loadavg()[0] ?? 0),
  };
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(new URL('slot-engine.json', RESULTS_DIR), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

function printTable(r: SlotEngineBenchResult): void {
  const cell = (value: number) => value.toFixed(3).padStart(8);
  console.log(
    `freeSlots: ${r.zone}, ${r.windowDays}-day window, ${r.durationMinutes}-minute slots, ${r.busyIntervals} busy intervals → ${r.slotsPerCall} slots`,
  );
  console.log(`${r.runs} runs after ${r.warmupRuns} warm-up runs (first call ${r.firstCallMs.toFixed(3)} ms, load average ${r.loadAverage})`);
  console.log(`${'mean'.padStart(8)}${'p50'.padStart(8)}${'p95'.padStart(8)}${'p99'.padStart(8)}${'max'.padStart(8)}  (ms)`);
  console.log(`${cell(r.meanMs)}${cell(r.p50Ms)}${cell(r.p95Ms)}${cell(r.p99Ms)}${cell(r.maxMs)}`);
  console.log(`→ ${fileURLToPath(new URL('slot-engine.json', RESULTS_DIR))}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printTable(await runSlotEngineBench());
}
