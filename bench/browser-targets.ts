// The targets a browser measures: what the booking page and the mentor dashboard weigh
// on a first visit (bench/page-weight.ts) and Lighthouse 12 mobile on the dashboard and
// two public pages (bench/lighthouse.ts). Run after the load scenarios, when the app's
// static copies are compressed and nothing else is loading the machine.
import { runLighthouse, type LighthouseResult } from './lighthouse.ts';
import { launchChromium, measurePageWeight, type PageWeight } from './page-weight.ts';
import { maxTarget, minTarget, type TargetLine } from './targets.ts';

export interface BrowserMeasures {
  weights: PageWeight[];
  lighthouse: (LighthouseResult & { page: string })[];
  errors: string[];
}

interface Pages {
  appUrl: string;
  busySkill: string;
  mentorCookie: string;
  /** Audits per page (the median is kept); 0 skips Lighthouse. */
  lighthouseRuns: number;
}

const KB = 1024;

export async function measureBrowserTargets(p: Pages): Promise<BrowserMeasures> {
  const out: BrowserMeasures = { weights: [], lighthouse: [], errors: [] };
  /** A measure that fails is reported as such; the others still run. */
  const attempt = async <T>(what: string, fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await fn();
    } catch (error) {
      out.errors.push(`${what}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      return undefined;
    }
  };
  const browser = await launchChromium();
  try {
    const pages = [
      { what: 'booking page', url: `${p.appUrl}/skills/${p.busySkill}/book`, cookie: undefined, quietMs: 1500 },
      { what: 'dashboard', url: `${p.appUrl}/dashboard`, cookie: p.mentorCookie, quietMs: 2500 },
    ];
    for (const page of pages) {
      for (const width of [390, 1280]) {
        const w = await attempt(`${page.what} at ${width} px`, () => measurePageWeight(page.url, { width, browser, cookie: page.cookie, quietMs: page.quietMs }));
        if (w) out.weights.push(w);
      }
    }
  } finally {
    await browser.close();
  }
  if (p.lighthouseRuns > 0) {
    const audits = [
      { page: 'mentor dashboard', url: `${p.appUrl}/dashboard`, cookie: p.mentorCookie },
      { page: 'landing', url: `${p.appUrl}/` },
      { page: 'skill page', url: `${p.appUrl}/skills/${p.busySkill}` },
    ];
    for (const a of audits) {
      const result = await attempt(`Lighthouse on the ${a.page}`, () => runLighthouse(a.url, { cookie: a.cookie, runs: p.lighthouseRuns }));
      if (result) out.lighthouse.push({ page: a.page, ...result });
    }
  }
  return out;
}

export function browserTargetLines(m: BrowserMeasures, lighthouseRuns: number): TargetLine[] {
  const heaviest = (path: string) => {
    const of = m.weights.filter((w) => new URL(w.url).pathname.endsWith(path));
    return of.length ? of.reduce((a, b) => (b.code > a.code ? b : a)) : undefined;
  };
  const booking = heaviest('/book');
  const dashboard = heaviest('/dashboard');
  const detail = (w: PageWeight | undefined) =>
    w ? `at ${w.width} px: HTML ${kb(w.html)}, CSS ${kb(w.css)}, JS ${kb(w.js)} KB (+ ${kb(w.other)} KB JSON/images); the heavier of 390 and 1280 px` : 'not measured';
  const lines = [
    maxTarget({ measure: 'public booking page, HTML+CSS+JS compressed, cold cache', value: booking && booking.code / KB, max: 40, unit: 'KB', detail: detail(booking) }),
    maxTarget({ measure: 'mentor dashboard, HTML+CSS+JS compressed, cold cache', value: dashboard && dashboard.code / KB, max: 400, unit: 'KB', detail: detail(dashboard) }),
  ];
  const audit = (page: string) => m.lighthouse.find((l) => l.page === page);
  const runs = `median of ${lighthouseRuns} run${lighthouseRuns > 1 ? 's' : ''}`;
  const dash = audit('mentor dashboard');
  lines.push(
    minTarget({ measure: 'Lighthouse 12 mobile, mentor dashboard: performance', value: dash?.score, min: 90, unit: '', detail: dash ? `${runs}; TBT ${Math.round(dash.tbtMs)} ms, CLS ${dash.cls.toFixed(3)}, FCP ${Math.round(dash.fcpMs)} ms` : lighthouseRuns ? 'failed' : 'BENCH_LIGHTHOUSE_RUNS=0' }),
    maxTarget({ measure: 'Lighthouse 12 mobile, mentor dashboard: LCP', value: dash && dash.lcpMs / 1000, max: 2.5, unit: 's' }),
  );
  for (const page of ['landing', 'skill page']) {
    const a = audit(page);
    lines.push(minTarget({ measure: `Lighthouse 12 mobile, ${page}: performance (keep at 100)`, value: a?.score, min: 100, unit: '', detail: a ? `${runs}; LCP ${(a.lcpMs / 1000).toFixed(2)} s, TBT ${Math.round(a.tbtMs)} ms` : undefined }));
  }
  return lines;
}

const kb = (bytes: number) => (bytes / KB).toFixed(1);
