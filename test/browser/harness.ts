// Browser journeys: the real app on a random local port, driven by a real Chromium
// through playwright-core. Screenshots land in screenshots/ (git-ignored); axe-core
// checks every visited page; a collector records CSP violations and page errors; every
// page a context opens is checked for horizontal overflow and clipped controls at 390
// and 1280 px (layout-check.ts; LAYOUT_CHECK=0 turns it off), and a test fails with what its pages showed.
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createLayoutWatcher, formatLayoutReports, LAYOUT_WIDTHS } from './layout-check.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SCREENSHOT_DIR = path.join(ROOT, 'screenshots');
const SYSTEM_CHROMIUM = '/usr/bin/chromium';

const BASE_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface RunningServer {
  baseUrl: string;
  t: TestApp;
}

/** The app exactly as the HTTP tests build it, listening on 127.0.0.1 at a free port. */
export async function startServer(options: Parameters<typeof createTestApp>[0] = {}): Promise<RunningServer> {
  // APP_URL is this server's own address: the payment provider sends the browser back to it.
  const free = await freePort();
  const t = await createTestApp({ ...options, env: { APP_URL: `http://127.0.0.1:${free}`, ...options.env } });
  const server = await new Promise<ReturnType<TestApp['app']['listen']>>((resolve, reject) => {
    const s = t.app.listen(free, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  // Registered after createTestApp's own hook, so (hooks run in reverse) the
  // server stops before the pool and the database go away.
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}`, t };
}

/** A port nobody listens on right now (the server takes it a moment later). */
async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Chromium from the system when present, else the one bundled by @sparticuz/chromium. */
export async function launchBrowser(): Promise<Browser> {
  let executablePath: string;
  let args = [...BASE_ARGS];
  if (fs.existsSync(SYSTEM_CHROMIUM)) {
    executablePath = SYSTEM_CHROMIUM;
  } else {
    try {
      const sparticuz = (await import('@sparticuz/chromium')).default;
      executablePath = await sparticuz.executablePath();
      args = [...new Set([...sparticuz.args, ...BASE_ARGS])];
    } catch (error) {
      throw new Error(`No Chromium for the browser journeys: ${SYSTEM_CHROMIUM} is missing and @sparticuz/chromium failed (${String(error)}). Install chromium (apt-get install chromium) or the devDependencies.`, { cause: error });
    }
  }
  if (!executablePath || !fs.existsSync(executablePath)) {
    throw new Error(`No Chromium for the browser journeys: executable "${executablePath}" does not exist.`);
  }
  return chromium.launch({ executablePath, args, headless: true });
}

const scriptless = new WeakSet<BrowserContext>();

// One watcher per journey file (each file imports this module afresh). On unless
// LAYOUT_CHECK=0; the twins measure only, and also save a screenshot of every page they
// check with LAYOUT_SHOTS=1 (to look at them all; that doubles the check's cost).
const LAYOUT_ON = process.env.LAYOUT_CHECK !== '0';
const layout = createLayoutWatcher({
  screenshotDir: SCREENSHOT_DIR,
  screenshots: process.env.LAYOUT_SHOTS === '1',
  label: () => path.basename(expect.getState().testPath ?? 'journey').replace(/\.(journey\.)?test\.ts$/, ''),
});
afterEach(async () => {
  const reports = await layout.settle();
  expect(reports.length, `layout problems (${reports.length} page/width pairs):\n${formatLayoutReports(reports)}`).toBe(0);
});
afterAll(async () => {
  await layout.close();
  if (process.env.LAYOUT_STATS) console.log(`layout checks: ${JSON.stringify(layout.stats())}`);
});

/**
 * A browser context that remembers whether JavaScript is off: axe needs timers, which
 * never fire in such a page, so checkA11y then analyses a scripted twin of it.
 */
export async function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  if (options.javaScriptEnabled === false) scriptless.add(context);
  if (LAYOUT_ON) await layout.attach(context, options.javaScriptEnabled !== false);
  return context;
}

/**
 * One Chromium for a journey file, launched before its tests and closed after them
 * with every context it opened. `open` gives a fresh context and page with the file's
 * defaults (base URL, locale, zone, viewport), the problems collector attached.
 */
export function journeyBrowser(defaults: () => BrowserContextOptions) {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
  });
  return {
    async open(options: BrowserContextOptions = {}): Promise<{ page: Page; problems: PageProblems }> {
      if (!browser) throw new Error('journeyBrowser: open() before the browser started');
      const context = await newContext(browser, { ...defaults(), ...options });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      return { page, problems: collectProblems(page) };
    },
  };
}

/**
 * The page's current HTML, scripts removed, served at the same address in a context
 * with JavaScript on: the same markup and styles, rendered at the same size.
 */
async function scriptedTwin(page: Page): Promise<{ twin: Page; close(): Promise<void> }> {
  const browser = page.context().browser();
  if (!browser) throw new Error('checkA11y: the page has no browser');
  const html = (await page.content()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '');
  const context = await browser.newContext({ viewport: page.viewportSize(), locale: 'en-US' });
  const twin = await context.newPage();
  const url = page.url();
  await twin.route((u) => u.href === url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
  await twin.goto(url, { waitUntil: 'load' });
  return { twin, close: () => context.close() };
}

/** Full-page screenshots at phone (390 px) and desktop (1280 px) widths, in `screenshots/` or a folder of it. */
export async function shoot(page: Page, name: string, folder = ''): Promise<void> {
  const dir = path.join(SCREENSHOT_DIR, folder);
  fs.mkdirSync(dir, { recursive: true });
  const before = page.viewportSize();
  for (const width of LAYOUT_WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    if (LAYOUT_ON) await layout.measureHere(page, width);
    await page.screenshot({ path: path.join(dir, `${name}-${width}.png`), fullPage: true, animations: 'disabled' });
  }
  if (before) await page.setViewportSize(before);
}

/** One screenshot at the page's own size, for states a resize would end (Ag Grid closes its popups on resize). */
export async function shootAsIs(page: Page, name: string, folder = ''): Promise<void> {
  const dir = path.join(SCREENSHOT_DIR, folder);
  fs.mkdirSync(dir, { recursive: true });
  const width = page.viewportSize()?.width ?? 0;
  await page.screenshot({ path: path.join(dir, `${name}-${width}.png`), animations: 'disabled' });
}

export interface A11yViolation {
  id: string;
  impact: string | null | undefined;
  help: string;
  helpUrl: string;
  targets: string[];
}

/** axe-core violations of impact serious or critical (WCAG 2.x A and AA rules and best practices). */
export async function a11yViolations(page: Page): Promise<A11yViolation[]> {
  if (scriptless.has(page.context())) {
    const { twin, close } = await scriptedTwin(page);
    try {
      return await a11yViolations(twin);
    } finally {
      await close();
    }
  }
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, targets: v.nodes.map((n) => n.target.join(' ')) }));
}

export function formatViolations(url: string, violations: A11yViolation[]): string {
  return `${violations.length} serious/critical accessibility violation(s) on ${url}:\n` + violations
    .map((v) => `  - [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n      ${v.targets.join('\n      ')}`)
    .join('\n');
}

/**
 * Asserts the page has no serious or critical violations at each of `widths` (by
 * default the phone and desktop widths of the screenshots, since some controls only
 * lose their name or contrast at one of them), listing each one in the message;
 * `soft` records the failure and lets the journey go on (vitest expect.soft).
 */
export async function checkA11y(page: Page, options: { soft?: boolean; widths?: number[] } = {}): Promise<A11yViolation[]> {
  const before = page.viewportSize();
  const found: A11yViolation[] = [];
  try {
    for (const width of options.widths ?? [390, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      const violations = await a11yViolations(page);
      const assert = options.soft ? expect.soft : expect;
      assert(violations.length, formatViolations(`${page.url()} at ${width} px`, violations)).toBe(0);
      found.push(...violations);
    }
  } finally {
    if (before) await page.setViewportSize(before);
  }
  return found;
}

export interface PageProblems {
  csp: string[];
  errors: string[];
}

/** Records CSP violations (reported on the console) and uncaught page errors. */
export function collectProblems(page: Page, into: PageProblems = { csp: [], errors: [] }): PageProblems {
  page.on('console', (message) => {
    const text = message.text();
    if (/Content Security Policy/i.test(text)) into.csp.push(`${page.url()}: ${text}`);
  });
  page.on('pageerror', (error) => into.errors.push(`${page.url()}: ${error.message}`));
  return into;
}

// --- A real PNG, built from scratch (signature, IHDR, IDAT, IEND). -------------------

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A size×size RGB PNG with a diagonal two-colour gradient. */
export function makePng(size = 64): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: truecolour
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3); // filter byte 0, then RGB
    for (let x = 0; x < size; x++) {
      const k = (x + y) / (2 * size);
      row[1 + x * 3] = Math.round(30 + 200 * k);
      row[2 + x * 3] = Math.round(90 + 60 * (1 - k));
      row[3 + x * 3] = Math.round(200 - 120 * k);
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
