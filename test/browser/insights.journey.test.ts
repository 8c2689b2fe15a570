// The insights pages in Chromium, for a mentor and for the admin, at 390 and 1280 px: the
// uPlot charts are drawn (their canvas has a size) without a CSP violation or a console
// error, the page is axe clean, a phone scrolls no page sideways, and with JavaScript off the
// tables carry the same numbers. The figures come from seeded rows rolled up by the service.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { checkA11y, journeyBrowser, shoot, startServer, type PageProblems } from './harness.ts';
import { header, logIn } from './marketplace-steps.ts';
import { seedInsightsWeek } from '../helpers/insights-scenario.ts';

const { baseUrl, t } = await startServer();
await seedInsightsWeek(t, 'mentor:jinsights', Date.now());
const browser = journeyBrowser(() => ({ baseURL: baseUrl, locale: 'en-US', timezoneId: 'Europe/Paris', viewport: { width: 1280, height: 900 } }));

/** CSP violations as the page itself reports them, and console errors, from the first script on. */
async function watch(page: Page): Promise<string[]> {
  const consoleErrors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return consoleErrors;
}

async function tables(page: Page): Promise<Record<string, string[][]>> {
  return page.evaluate(() => Object.fromEntries([...document.querySelectorAll('table[id^="table-"]')].map((table) => [
    table.id, [...table.querySelectorAll('tr')].map((tr) => [...tr.querySelectorAll('th, td')].map((c) => (c.textContent ?? '').trim())),
  ])));
}

async function expectCharts(page: Page, count: number): Promise<void> {
  await expect.poll(() => page.locator('[data-chart][data-drawn] canvas').count()).toBe(count);
  const sizes = await page.locator('[data-chart] canvas').evaluateAll((canvases) => canvases.map((c) => c.getBoundingClientRect()).map((r) => [r.width, r.height]));
  for (const [w, h] of sizes) {
    expect(w).toBeGreaterThan(150);
    expect(h).toBeGreaterThan(100);
  }
}

async function expectNoSideScroll(page: Page): Promise<void> {
  await page.setViewportSize({ width: 390, height: 900 });
  // The charts follow their box (ResizeObserver): give them a frame to redraw.
  await page.waitForTimeout(200);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const widest = await page.locator('[data-chart] canvas').evaluateAll((canvases) => Math.max(...canvases.map((c) => c.getBoundingClientRect().right)));
  expect(widest).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function expectClean(page: Page, problems: PageProblems, consoleErrors: string[]): Promise<void> {
  expect(problems.csp, 'CSP violations on the console').toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations), 'securitypolicyviolation events').toEqual([]);
  expect(problems.errors, 'uncaught page errors').toEqual([]);
  expect(consoleErrors, 'console errors').toEqual([]);
}

async function adminLogIn(page: Page, next: string): Promise<void> {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Email or username').fill('admin@leboncours.test');
  await page.getByLabel('Password').fill('admin-password-123');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect.poll(() => header(page).getByRole('button', { name: 'Log out' }).count(), { timeout: 10_000 }).toBe(1);
}

describe('insights in the browser', { timeout: 120_000 }, () => {
  it('a mentor sees the charts drawn, no CSP violation, axe clean, and the same tables without JavaScript', async () => {
    const { page, problems } = await browser.open();
    const consoleErrors = await watch(page);
    await logIn(page, 'jinsights', '/insights');
    await page.waitForURL('**/insights');
    await expectCharts(page, 2);
    await expectNoSideScroll(page);
    await shoot(page, 'mentor', 'insights');
    await checkA11y(page);
    // Through the range picker (a boosted GET form): the charts are drawn again.
    await page.locator('#range-period').selectOption('7');
    await page.locator('form.insights-range button[type=submit]').click();
    await page.waitForURL(/period=7/);
    await expectCharts(page, 2);
    await expectClean(page, problems, consoleErrors);
    const scripted = await tables(page);
    expect(Object.keys(scripted).length).toBeGreaterThan(6);

    const off = await browser.open({ javaScriptEnabled: false });
    await logIn(off.page, 'jinsights', '/insights?period=7');
    await off.page.waitForURL(/period=7/);
    expect(await tables(off.page)).toEqual(scripted);
    expect(await off.page.locator('details.insights-chart__data[open]').count()).toBe(2);
    await shoot(off.page, 'mentor-nojs', 'insights');
  });

  it('the admin sees the platform with its extras, charts drawn, axe clean, and the same tables without JavaScript', async () => {
    const { page, problems } = await browser.open();
    const consoleErrors = await watch(page);
    await adminLogIn(page, '/admin/insights');
    await page.waitForURL('**/admin/insights');
    await expectCharts(page, 3);
    await expectNoSideScroll(page);
    await shoot(page, 'admin', 'insights');
    await checkA11y(page);
    await expectClean(page, problems, consoleErrors);
    const scripted = await tables(page);
    expect(scripted['table-mentorsByRequests']).toBeDefined();

    const off = await browser.open({ javaScriptEnabled: false });
    await adminLogIn(off.page, '/admin/insights');
    await off.page.waitForURL('**/admin/insights');
    expect(await tables(off.page)).toEqual(scripted);
  });

  it('the definitions page reads at both widths', async () => {
    const { page } = await browser.open();
    await logIn(page, 'jinsights', '/insights/definitions');
    await page.waitForURL('**/insights/definitions');
    await shoot(page, 'definitions', 'insights');
    await checkA11y(page);
  });
});
