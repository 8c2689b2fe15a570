// The results table (console and markdown) and bench/results/latest.{json,md}.
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { LoadResult } from './load.ts';
import type { Explained } from './explain.ts';
import { GRID_LEGEND, gridMarkdownTable, scopeLines, type GridReport } from './grid.ts';
import type { SlotEngineBenchResult } from './slot-engine.ts';
import { targetsMarkdownTable, type TargetLine } from './targets.ts';
import type { BrowserMeasures } from './browser-targets.ts';
import type { Memory, StartUpResult } from './start-up.ts';

export const RESULTS_DIR = new URL('./results/', import.meta.url);

/** What a scenario is compared to: the floors themselves, or a target's floor (bench/targets.ts). */
export type ScenarioGroup = 'floor' | 'write-floor' | 'anonymous' | 'signed-in' | 'booking';

export interface ScenarioRow {
  scenario: string;
  group: ScenarioGroup;
  path: string;
  bookings: number;
  load: LoadResult;
  /** 1-minute load average of the machine when the run ended (it is shared). */
  loadAverage: number;
  /** req/s divided by its floor's req/s measured in the same phase (the read floor, or the write floor for bookings). */
  ratioToFloor: number;
  notes: string;
}

export interface BenchReport {
  meta: Record<string, unknown>;
  seed: Record<string, unknown>;
  rows: ScenarioRow[];
  slotEngine: SlotEngineBenchResult | undefined;
  /** Page weights and Lighthouse audits (bench/browser-targets.ts). */
  browser: BrowserMeasures | undefined;
  /** The compiled build's memory after the load scenarios. */
  memory: Memory | undefined;
  startUp: StartUpResult | undefined;
  explain: Explained[];
  findings: string[];
  /** GET /api/bookings at every size (bench/grid.ts). */
  grid: GridReport | undefined;
  /** Every target of the speed issue, PASS/FAIL/N/A. */
  targets: TargetLine[];
}

const HEADERS = ['scenario', 'bookings', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', '× floor', 'load avg', 'notes'];

function cells(r: ScenarioRow): string[] {
  return [
    r.scenario,
    r.bookings.toLocaleString('en-US'),
    r.load.reqPerSec.toFixed(0),
    String(r.load.p50Ms),
    String(r.load.p99Ms),
    String(r.load.non2xx),
    r.ratioToFloor.toFixed(3),
    r.loadAverage.toFixed(1),
    r.notes,
  ];
}

export const LEGEND =
  'req/s = responses per second over the measured run; non-2xx as autocannon counts it (for the booking scenario the 303 ' +
  'redirects are the successes, see notes); × floor = req/s ÷ the mean req/s of the read floor runs of the same phase ' +
  '(for the booking scenario: ÷ the write floor of the same phase); ' +
  'load avg = the machine\'s 1-minute load average at the end of the run (the machine is shared: compare ratios, not absolutes).';

export function consoleTable(rows: ScenarioRow[]): string {
  const data = [HEADERS, ...rows.map(cells)];
  const widths = HEADERS.map((_, c) => Math.max(...data.map((row) => row[c]!.length)));
  const line = (row: string[]) => row.map((v, c) => (c === 0 || c === row.length - 1 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join('  ');
  return [line(HEADERS), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map((r) => line(cells(r)))].join('\n');
}

export function markdownTable(rows: ScenarioRow[]): string {
  const right = new Set([1, 2, 3, 4, 5, 6, 7]);
  return [
    `| ${HEADERS.join(' | ')} |`,
    `| ${HEADERS.map((_, c) => (right.has(c) ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((r) => `| ${cells(r).join(' | ')} |`),
  ].join('\n');
}

function markdown(report: BenchReport): string {
  const m = report.meta;
  const lines = [
    '# Leboncours bench',
    '',
    `${String(m.finishedAt)} · ${String(m.cpus)} × ${String(m.cpuModel)} · Node ${String(m.node)} · total ${String(m.totalSeconds)} s`,
    '',
    `- App mode: ${String(m.appMode)}`,
    `- PostgreSQL: ${String(m.postgres)}`,
    `- Load: ${String(m.load)}`,
    '',
    '## Targets',
    '',
    targetsMarkdownTable(report.targets),
    '',
    '## Scenarios',
    '',
    report.rows.length ? markdownTable(report.rows) : `_Page and booking scenarios skipped (${String(m.skipped ?? 'BENCH_GRID_ONLY=1')})._`,
    '',
    LEGEND,
    '',
    ...gridMarkdown(report.grid),
    '## Seed',
    '',
    '```json',
    JSON.stringify(report.seed, null, 2),
    '```',
  ];
  if (report.slotEngine) {
    const s = report.slotEngine;
    lines.push('', '## Slot engine (bench/slot-engine.ts)', '',
      `${s.busyIntervals} busy intervals, ${s.windowDays}-day window, ${s.durationMinutes}-minute slots → ${s.slotsPerCall} slots per call; ` +
      `mean ${s.meanMs} ms, p50 ${s.p50Ms} ms, p95 ${s.p95Ms} ms, p99 ${s.p99Ms} ms, max ${s.maxMs} ms (${s.runs} runs).`);
  }
  if (report.findings.length) lines.push('', '## Findings', '', ...report.findings.map((f) => `- ${f}`));
  for (const e of report.explain) {
    lines.push('', `## EXPLAIN: ${e.title}`, '', '```sql', e.sql, '```', '', '```', e.plan, '```');
  }
  return `${lines.join('\n')}\n`;
}

function gridMarkdown(grid: GridReport | undefined): string[] {
  if (!grid) return [];
  const lines = [
    '## Grid: GET /api/bookings (bench/grid.ts)',
    '',
    grid.method,
    '',
    '### Targets',
    '',
    '```',
    ...grid.targets.map((t) => t.line),
    '```',
    '',
    gridMarkdownTable(grid.measures),
    '',
    GRID_LEGEND,
    '',
    '### Who is measured',
    '',
    ...scopeLines(grid.scopes).map((l) => `- ${l}`),
    '',
    '### Plans (one line each; full text below for the largest size)',
    '',
    ...grid.planSummaries.map((l) => `- ${l}`),
    ...(grid.findings.length ? ['', '### Findings', '', ...grid.findings.map((f) => `- ${f}`)] : []),
  ];
  for (const e of grid.explain) {
    lines.push('', `#### EXPLAIN: ${e.title}`, '', '```sql', e.sql, '```', '', '```', e.plan, '```');
  }
  lines.push('');
  return lines;
}

export async function writeReport(report: BenchReport): Promise<{ json: string; md: string }> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const json = new URL('latest.json', RESULTS_DIR);
  const md = new URL('latest.md', RESULTS_DIR);
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(md, markdown(report));
  return { json: fileURLToPath(json), md: fileURLToPath(md) };
}
