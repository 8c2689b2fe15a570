// The journey harness checks itself: axe and the problem collector must see what
// they are there to see, or a green journey would prove nothing.
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { a11yViolations, collectProblems, launchBrowser, makePng, newContext, SCREENSHOT_DIR, startServer } from './harness.ts';
import { createLayoutWatcher, formatLayoutReports, measureLayout } from './layout-check.ts';

const { baseUrl } = await startServer();
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe('browser harness', { timeout: 60_000 }, () => {
  it('reports a CSP violation and a page error', async () => {
    const context = await newContext(browser, { baseURL: baseUrl, locale: 'en-US' });
    const page = await context.newPage();
    const problems = collectProblems(page);
    await page.goto('/login');
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__ran = true';
      document.body.append(s);
      setTimeout(() => { throw new Error('boom'); }, 0);
    });
    await expect.poll(() => problems.csp.length + problems.errors.length).toBe(2);
    expect(problems.csp[0]).toMatch(/script-src/);
    expect(problems.errors[0]).toContain('boom');
    expect(await page.evaluate(() => (window as unknown as { __ran?: boolean }).__ran)).toBeUndefined();
    await context.close();
  });

  it('finds serious accessibility violations, with JavaScript on and off', async () => {
    for (const javaScriptEnabled of [true, false]) {
      const context = await newContext(browser, { baseURL: baseUrl, locale: 'en-US', javaScriptEnabled });
      const page = await context.newPage();
      await page.route('**/login', async (route) => {
        const res = await route.fetch();
        await route.fulfill({ response: res, body: (await res.text()).replace('<h1>', '<img src="/img/favicon.svg"><h1>') });
      });
      await page.goto('/login');
      const violations = await a11yViolations(page);
      expect(violations.map((v) => v.id)).toContain('image-alt');
      expect(violations.find((v) => v.id === 'image-alt')?.targets).toHaveLength(1);
      await context.close();
    }
  });

  // A page with each fault the layout check is for: a banner wider than a phone, a
  // button cut by an overflow:hidden card, one past the right edge, and decoys that
  // must not count (a visually-hidden link, a vertical scrolling list, a collapsed panel).
  const BAD_LAYOUT = `<!doctype html><html lang="en"><head><title>probe</title><style>
    body { margin: 0; font: 16px sans-serif; }
    .card { width: 150px; overflow: hidden; white-space: nowrap; }
    .wide { width: 1000px; height: 20px; background: #ccc; }
    .edge { position: relative; left: 350px; width: 200px; }
    .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
    .list { height: 40px; overflow-y: auto; }
    .collapsed { max-height: 0; overflow: hidden; }
  </style></head><body>
    <a class="sr" href="#main">Skip</a>
    <div class="card"><button id="cut" style="width: 240px">A long call to action</button></div>
    <div class="list"><a href="/a">one</a><br><a href="/b">two</a><br><a href="/c">three</a></div>
    <div class="collapsed"><button>Hidden in a closed panel</button></div>
    <details><summary>Menu</summary><a href="/far" style="position: relative; left: 500px">In a closed disclosure</a></details>
    <button class="edge" id="past-edge">Off screen</button>
    <div class="wide" data-wide></div>
  </body></html>`;

  it('finds overflow and clipped controls in a page, naming element and container', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 900 } });
    const page = await context.newPage();
    await page.setContent(BAD_LAYOUT);
    const { scrollWidth, findings } = await page.evaluate(measureLayout);
    expect(scrollWidth).toBeGreaterThan(390);
    const clipped = findings.filter((f) => f.kind === 'clipped').map((f) => `${f.element} by ${f.container}`);
    expect(clipped).toEqual([
      'button#cut «A long call to action» by div.card',
      'button#past-edge «Off screen» by viewport',
    ]);
    expect(findings.filter((f) => f.kind === 'overflow').map((f) => f.element)).toContain('div.wide');
    await page.setViewportSize({ width: 1280, height: 900 });
    expect((await page.evaluate(measureLayout)).findings.map((f) => f.element)).toEqual(['button#cut «A long call to action»']);
    await context.close();
  });

  it('checks each page a watched context loads, once, at both widths, with JavaScript on and off', async () => {
    for (const javaScriptEnabled of [true, false]) {
      const watcher = createLayoutWatcher({ screenshotDir: path.join(SCREENSHOT_DIR, 'harness-self-test'), screenshots: true, label: () => `probe-js-${javaScriptEnabled}` });
      const context = await browser.newContext({ baseURL: baseUrl, javaScriptEnabled });
      await watcher.attach(context, javaScriptEnabled);
      await context.route('**/layout-probe*', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: BAD_LAYOUT }));
      const page = await context.newPage();
      // A page reaches the watcher a moment after goto resolves (a binding call, or the
      // response body without JavaScript); navigating on at once can drop it, as it may in a
      // journey (that page is then checked the next time). So each page this test counts is
      // waited for before the next goto; each check loads a twin tab and shoots it at two
      // widths: seconds, not the poll's default one.
      const handled = () => watcher.stats().checkedPages + watcher.stats().skippedPages;
      await page.goto('/layout-probe?x=1');
      await expect.poll(handled, { timeout: 20_000 }).toBe(1);
      await page.goto('/layout-probe?x=2'); // the same page: not checked again
      await page.goto('/login');
      await expect.poll(handled, { timeout: 20_000 }).toBe(2);
      const reports = await watcher.settle();
      expect(reports.map((r) => `${new URL(r.url).pathname} ${r.width}`)).toEqual(['/layout-probe 390', '/layout-probe 1280']);
      expect(formatLayoutReports(reports)).toMatch(/clipped: button#cut «A long call to action» \[x 0, y \d+, 240×\d+\] by div\.card \[x 0, y \d+, 150×\d+\]/);
      expect(watcher.stats().checkedPages).toBe(2);
      await context.close();
      await watcher.close();
    }
  });

  it('builds a PNG that a browser decodes', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const png = makePng(8);
    const width = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      return img.naturalWidth;
    }, png.toString('base64'));
    expect(width).toBe(8);
    await context.close();
  });
});
