// What a page weighs on the wire for a first visit: a real Chromium (playwright-core)
// with an empty cache loads it at a given width and every response it received is
// counted, so scripts that load scripts (the dashboard's Ag Grid, fetched by
// bookings-board.js on a wide screen only) and the JSON they fetch are in the sum, and
// media queries decide as in a browser. Bytes are the encoded bodies as received
// (after brotli/gzip), headers not included.
import { chromium, type Browser } from 'playwright-core';

export type ResourceKind = 'html' | 'css' | 'js' | 'other';

export interface PageWeightFile {
  url: string;
  kind: ResourceKind;
  status: number;
  /** Content-Encoding as sent ('identity' when none). */
  encoding: string;
  bytes: number;
}

export interface PageWeight {
  url: string;
  width: number;
  html: number;
  css: number;
  js: number;
  /** JSON, pictures, fonts. */
  other: number;
  total: number;
  /** HTML + CSS + JS: what the weight targets count. */
  code: number;
  files: PageWeightFile[];
}

export interface PageWeightOptions {
  /** A Cookie header (e.g. bench/sign-in.ts's), for signed-in pages. */
  cookie?: string;
  /** Viewport width in CSS pixels; 1280 by default. */
  width?: number;
  /** One browser for several measures; launched (and closed) here otherwise. */
  browser?: Browser;
  executablePath?: string;
  /** How long nothing must be asked before the page counts as loaded (Ag Grid takes a while to run before it fetches). */
  quietMs?: number;
}

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchChromium(executablePath = '/usr/bin/chromium'): Promise<Browser> {
  return chromium.launch({ executablePath, args: ARGS, headless: true });
}

function kindOf(resourceType: string): ResourceKind {
  if (resourceType === 'document') return 'html';
  if (resourceType === 'stylesheet') return 'css';
  if (resourceType === 'script') return 'js';
  return 'other';
}

function cookiesFor(header: string, url: string) {
  return header.split(';').map((pair) => pair.trim()).filter(Boolean).map((pair) => {
    const eq = pair.indexOf('=');
    return { name: pair.slice(0, eq), value: pair.slice(eq + 1), url };
  });
}

export async function measurePageWeight(url: string, options: PageWeightOptions = {}): Promise<PageWeight> {
  const width = options.width ?? 1280;
  const browser = options.browser ?? await launchChromium(options.executablePath);
  // A new context is a new profile: empty HTTP cache, nothing preloaded.
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  try {
    if (options.cookie) await context.addCookies(cookiesFor(options.cookie, new URL(url).origin));
    const page = await context.newPage();
    const pending: Promise<PageWeightFile | undefined>[] = [];
    let inFlight = 0;
    page.on('request', () => { inFlight += 1; });
    page.on('requestfailed', () => { inFlight -= 1; });
    page.on('requestfinished', (request) => {
      inFlight -= 1;
      pending.push((async () => {
        const response = await request.response();
        if (!response) return undefined;
        const sizes = await request.sizes();
        return {
          url: request.url(), kind: kindOf(request.resourceType()), status: response.status(),
          encoding: (await response.allHeaders())['content-encoding'] ?? 'identity', bytes: sizes.responseBodySize,
        };
      })());
    });
    await page.goto(url, { waitUntil: 'networkidle' });
    // Scripts load scripts that then fetch data: done when nothing new was asked for quietMs.
    for (let seen = -1; seen !== pending.length || inFlight > 0;) {
      seen = pending.length;
      await page.waitForTimeout(options.quietMs ?? 1500);
    }
    const files = (await Promise.all(pending)).filter((f): f is PageWeightFile => f !== undefined);
    const sum = (kind?: ResourceKind) => files.filter((f) => !kind || f.kind === kind).reduce((n, f) => n + f.bytes, 0);
    const [html, css, js, other] = [sum('html'), sum('css'), sum('js'), sum('other')];
    return { url, width, html, css, js, other, total: html + css + js + other, code: html + css + js, files };
  } finally {
    await context.close();
    if (!options.browser) await browser.close();
  }
}
