// The speed targets, each judged PASS/FAIL from what this run measured. A target whose
// measure did not run (skipped by a setting, or failed) is N/A, never a PASS.
import type { AdminGridTarget } from './admin-grid.ts';
import type { GridTarget } from './grid.ts';
import type { ScenarioRow, ScenarioGroup } from './report.ts';

export type Verdict = 'PASS' | 'FAIL' | 'N/A';

export interface TargetLine {
  measure: string;
  value: string;
  target: string;
  verdict: Verdict;
  /** How it was measured or why it is N/A. */
  detail?: string;
}

export const verdictOf = (ok: boolean | undefined): Verdict => (ok === undefined ? 'N/A' : ok ? 'PASS' : 'FAIL');

/** The floor a group is compared to, and the least ratio it must reach. */
const RATIO_TARGETS: Partial<Record<ScenarioGroup, { floor: string; min: number }>> = {
  anonymous: { floor: 'read floor', min: 0.5 },
  'signed-in': { floor: 'read floor', min: 0.25 },
  booking: { floor: 'write floor', min: 0.5 },
};

/** One line per scenario and phase: req/s ÷ its floor's req/s in the same phase. */
export function ratioTargets(rows: ScenarioRow[]): TargetLine[] {
  const out: TargetLine[] = [];
  for (const row of rows) {
    const rule = RATIO_TARGETS[row.group];
    if (!rule) continue;
    const clean = row.load.unexpected === 0;
    out.push({
      measure: `${row.scenario} ÷ ${rule.floor} (${row.bookings.toLocaleString('en-US')} bookings)`,
      value: `${row.ratioToFloor.toFixed(3)} (${row.load.reqPerSec.toFixed(0)} req/s)`,
      target: `≥ ${rule.min}`,
      verdict: row.ratioToFloor > 0 ? verdictOf(row.ratioToFloor >= rule.min && clean) : 'N/A',
      detail: clean ? undefined : `unexpected responses: ${row.notes}`,
    });
  }
  return out;
}

export interface MaxTarget {
  measure: string;
  /** undefined: not measured in this run. */
  value: number | undefined;
  max: number;
  unit: string;
  /** `<` (strict, the default) or `≤`. */
  inclusive?: boolean;
  detail?: string;
}

/** "value < max" (or ≤) targets: latencies, sizes, counts. */
export function maxTarget(t: MaxTarget): TargetLine {
  const ok = t.value === undefined ? undefined : t.inclusive ? t.value <= t.max : t.value < t.max;
  return {
    measure: t.measure,
    value: t.value === undefined ? '–' : `${round(t.value)} ${t.unit}`,
    target: `${t.inclusive ? '≤' : '<'} ${t.max} ${t.unit}`,
    verdict: verdictOf(ok),
    detail: t.detail,
  };
}

/** "value ≥ min" targets (a Lighthouse score). */
export function minTarget(t: Omit<MaxTarget, 'max' | 'inclusive'> & { min: number }): TargetLine {
  return {
    measure: t.measure,
    value: t.value === undefined ? '–' : `${round(t.value)}${t.unit ? ` ${t.unit}` : ''}`,
    target: `≥ ${t.min}${t.unit ? ` ${t.unit}` : ''}`,
    verdict: verdictOf(t.value === undefined ? undefined : t.value >= t.min),
    detail: t.detail,
  };
}

function round(v: number): string {
  if (Math.abs(v) >= 100) return v.toFixed(0);
  if (Math.abs(v) >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

const HEADERS = ['', 'measure', 'value', 'target', 'detail'];
const cells = (t: TargetLine) => [t.verdict, t.measure, t.value, t.target, t.detail ?? ''];

export function targetsConsoleTable(lines: TargetLine[]): string {
  const data = [HEADERS, ...lines.map(cells)];
  const widths = HEADERS.map((_, c) => Math.max(...data.map((row) => row[c]!.length)));
  const line = (row: string[]) => row.map((v, c) => (c === row.length - 1 ? v : v.padEnd(widths[c]!))).join('  ').trimEnd();
  const pass = lines.filter((l) => l.verdict === 'PASS').length;
  const fail = lines.filter((l) => l.verdict === 'FAIL').length;
  return [line(HEADERS), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map((l) => line(cells(l))), '', `${pass} PASS, ${fail} FAIL, ${lines.length - pass - fail} N/A`].join('\n');
}

export function targetsMarkdownTable(lines: TargetLine[]): string {
  const esc = (v: string) => v.replace(/\|/g, '\\|');
  return [
    '| verdict | measure | value | target | detail |',
    '| --- | --- | ---: | ---: | --- |',
    ...lines.map((l) => `| ${cells(l).map(esc).join(' | ')} |`),
  ].join('\n');
}

/** The grid section's own targets (bench/grid.ts) as lines of the one table. */
export function gridTargetLines(targets: GridTarget[]): TargetLine[] {
  return targets.map((t) => ({
    measure: `grid: ${t.label}, ${t.connections} connection${t.connections > 1 ? 's' : ''}, handler p95 at ${t.large.toLocaleString('en-US')}`,
    value: `${round(t.p95LargeMs)} ms`,
    target: '< 50 ms',
    verdict: t.complete ? verdictOf(t.under50) : 'N/A',
    detail: `p95 ${t.large.toLocaleString('en-US')} ÷ p95 ${t.small.toLocaleString('en-US')} = ${t.ratio.toFixed(2)} (${t.ratioOk ? '≤' : '>'} 2); client p95 ${round(t.clientP95LargeMs)} ms` +
      (t.complete ? '' : '; needs sizes 10,000 and 1,000,000'),
  }));
}

/** The admin grid's targets (bench/admin-grid.ts): name sorts and counts, first block at 1M. */
export function adminGridTargetLines(targets: AdminGridTarget[]): TargetLine[] {
  return targets.map((t) => ({
    measure: `admin grid: ${t.label}, ${t.connections} connection${t.connections > 1 ? 's' : ''}, p95 at ${t.size.toLocaleString('en-US')}`,
    value: `${round(t.p95Ms)} ms`,
    target: `< ${t.targetMs} ms`,
    verdict: t.complete ? verdictOf(t.pass) : 'N/A',
    detail: [t.estimated ? 'total estimated (the page says "about")' : '', t.legacyP95Ms !== undefined ? `before: ${round(t.legacyP95Ms)} ms (old query shape, same run)` : '', t.complete ? '' : 'needs 1,000,000 bookings']
      .filter(Boolean).join('; ') || undefined,
  }));
}
