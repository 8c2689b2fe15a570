// The journey harness checks itself: axe and the problem collector must see what
// they are there to see, or a green journey would prove nothing.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { a11yViolations, collectProblems, launchBrowser, makePng, newContext, startServer } from './harness.ts';

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
