// Lighthouse 12 (12.2.3, the last that runs on Node 20) in its default configuration:
// mobile form factor, simulated 4G throttling, the performance category only.
//
// Signed-in pages: a Cookie header through Lighthouse's `extraHeaders` is not enough,
// because Chromium drops it as soon as the page sets a cookie of its own (every page
// re-issues the CSRF cookie), so the dashboard's fetch of /api/bookings went out
// without the session and got a 401. Instead the cookies go into the jar of a Chromium
// launched here (playwright-core, a persistent profile so that Lighthouse's new tab
// shares it), and the Lighthouse CLI drives that browser through its debugging port.
// The CLI runs in a child process so the audit never shares the bench's event loop.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { freePort } from './floor.ts';

export interface LighthouseResult {
  url: string;
  /** 0–100, the performance category. */
  score: number;
  lcpMs: number;
  tbtMs: number;
  cls: number;
  fcpMs: number;
  speedIndexMs: number;
  /** Bytes transferred by the page load, as Lighthouse counts them (uncompressed unless the server compresses). */
  transferBytes: number;
  /** Every request of the load, so a report can say what a page pulled in. */
  requests: { url: string; status: number; transferBytes: number }[];
  /** Each run's figures when `runs` > 1 (the result above is the median one). */
  samples: { score: number; lcpMs: number; tbtMs: number; cls: number; fcpMs: number }[];
}

export interface LighthouseOptions {
  /** A Cookie header (the signed-in session, see bench/sign-in.ts). */
  cookie?: string;
  chromePath?: string;
  /** One audit takes ~15–25 s on these 2 cores. */
  timeoutMs?: number;
  /** Also writes the whole report (JSON) there, to read what blocks render. */
  reportPath?: string;
  /**
   * Audits this many times and answers the run of median score (Lighthouse's own advice):
   * TBT is the main thread's time × 4, so on shared cores one run swings by ±20 points.
   */
  runs?: number;
}

const BIN = fileURLToPath(new URL('../node_modules/.bin/lighthouse', import.meta.url));
const CHROME_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface Lhr {
  finalDisplayedUrl: string;
  runtimeError?: { code: string; message: string };
  categories: { performance: { score: number | null } };
  audits: Record<string, { numericValue?: number; details?: { items?: unknown[] } } | undefined>;
}

function cookiesOf(header: string, url: string) {
  return header.split(';').map((pair) => pair.trim()).filter(Boolean).map((pair) => {
    const eq = pair.indexOf('=');
    return { name: pair.slice(0, eq), value: pair.slice(eq + 1), url: new URL(url).origin };
  });
}

function lighthouseCli(args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(BIN, args, { maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs }, (error, out, err) =>
      error ? reject(new Error(`lighthouse: ${error.message}\n${err}`)) : resolve(out));
  });
}

/**
 * Audits one URL (`runs` times, the median run by score); rejects when Lighthouse cannot
 * load the page (its runtimeError). A lost trace (NO_NAVSTART, seen under load) is retried once.
 */
export async function runLighthouse(url: string, options: LighthouseOptions = {}): Promise<LighthouseResult> {
  const results: LighthouseResult[] = [];
  for (let i = 0; i < Math.max(1, options.runs ?? 1); i++) {
    try {
      results.push(await auditOnce(url, options));
    } catch (error) {
      if (!/NO_NAVSTART/.test(String(error))) throw error;
      results.push(await auditOnce(url, options));
    }
  }
  const samples = results.map(({ score, lcpMs, tbtMs, cls, fcpMs }) => ({ score, lcpMs, tbtMs, cls, fcpMs }));
  const median = [...results].sort((a, b) => a.score - b.score)[Math.floor((results.length - 1) / 2)]!;
  return { ...median, samples };
}

async function auditOnce(url: string, options: LighthouseOptions): Promise<LighthouseResult> {
  const port = await freePort();
  const profile = await mkdtemp(path.join(os.tmpdir(), 'lbc-lighthouse-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: options.chromePath ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROME_ARGS, `--remote-debugging-port=${port}`],
  });
  let stdout: string;
  try {
    if (options.cookie) await context.addCookies(cookiesOf(options.cookie, url));
    stdout = await lighthouseCli(
      [url, `--port=${port}`, '--output=json', '--output-path=stdout', '--only-categories=performance', '--quiet'],
      options.timeoutMs ?? 120_000,
    );
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
  if (options.reportPath) await writeFile(options.reportPath, stdout);
  const lhr = JSON.parse(stdout) as Lhr;
  if (lhr.runtimeError) throw new Error(`lighthouse ${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  const value = (id: string) => lhr.audits[id]?.numericValue ?? NaN;
  const requests = (lhr.audits['network-requests']?.details?.items ?? []) as { url: string; statusCode: number; transferSize: number }[];
  return {
    url: lhr.finalDisplayedUrl,
    score: Math.round((lhr.categories.performance.score ?? 0) * 100),
    lcpMs: Math.round(value('largest-contentful-paint')),
    tbtMs: Math.round(value('total-blocking-time')),
    cls: Math.round(value('cumulative-layout-shift') * 1000) / 1000,
    fcpMs: Math.round(value('first-contentful-paint')),
    speedIndexMs: Math.round(value('speed-index')),
    transferBytes: Math.round(value('total-byte-weight')),
    requests: requests.map((r) => ({ url: r.url, status: r.statusCode, transferBytes: r.transferSize })),
    samples: [],
  };
}
