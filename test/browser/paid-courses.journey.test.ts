// Paid courses and the subscription through a real browser, JavaScript on: a student
// buys a course on the simulated provider's page and lands enrolled; subscribes to the
// monthly plan, sees an included course open, then cancels in the billing portal and
// sees until when access lasts. Screenshots of each page at 390 and 1280 px.
import net from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.ts';
import { paidCourse } from '../helpers/courses.ts';
import { checkA11y, journeyBrowser, shoot, type PageProblems } from './harness.ts';
import { logIn } from './marketplace-steps.ts';

// The provider sends the browser back to APP_URL, so this server listens where APP_URL
// says (a free port chosen first), unlike startServer's random port.
const port = await new Promise<number>((resolve) => {
  const probe = net.createServer().listen(0, '127.0.0.1', () => {
    const { port: free } = probe.address() as net.AddressInfo;
    probe.close(() => resolve(free));
  });
});
const baseUrl = `http://127.0.0.1:${port}`;
const t = await createTestApp({ env: { APP_URL: baseUrl } });
const server = t.app.listen(port, '127.0.0.1');
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
const browser = journeyBrowser(() => ({ baseURL: baseUrl, locale: 'en-US', timezoneId: 'Europe/Paris', viewport: { width: 1280, height: 900 } }));

const bought = await paidCourse(t, 'journey-bought', { priceCents: 4900 });
const included = await paidCourse(t, 'journey-included', { priceCents: 9900, included: true });
await t.user('student:jess');

const openPage = (): Promise<{ page: Page; problems: PageProblems }> => browser.open();

async function payWithTestCard(page: Page, button: RegExp) {
  await page.waitForURL(/\/simulated-provider\/checkout\//);
  await page.getByLabel('Card number').fill('4242 4242 4242 4242');
  await page.getByLabel('Expiry (MM/YY)').fill('12/30');
  await page.getByLabel('Security code').fill('123');
  await page.getByRole('button', { name: button }).click();
}

describe('paid courses and the subscription', () => {
  it('buys a course, subscribes, watches an included course, cancels in the portal', { timeout: 120_000 }, async () => {
    const { page, problems } = await openPage();
    await logIn(page, 'jess', `/courses/${bought.slug}`);
    await page.goto(`/courses/${bought.slug}`);
    await shoot(page, 'course-buy');
    await checkA11y(page, { soft: true });
    await page.getByRole('button', { name: 'Buy the course — €49' }).click();
    await payWithTestCard(page, /Pay €49/);
    await page.waitForURL(new RegExp(`/courses/${bought.slug}$`));
    await expect.poll(() => page.getByText('You are enrolled in this course.').count()).toBe(1);

    await page.goto(`/courses/${included.slug}`);
    await expect.poll(() => page.getByRole('link', { name: 'Subscribe to watch' }).count()).toBe(1);
    await shoot(page, 'course-included-not-subscribed');
    await page.getByRole('link', { name: 'Subscribe to watch' }).click();
    await page.waitForURL(/\/subscription$/);
    await shoot(page, 'subscription-plans');
    await checkA11y(page, { soft: true });
    await page.getByRole('button', { name: 'Subscribe monthly' }).click();
    await payWithTestCard(page, /^Subscribe$/);
    await page.waitForURL(/\/subscription$/);
    await t.runJobs();
    await page.reload();
    await expect.poll(() => page.getByText('Renews on').count()).toBe(1);
    await shoot(page, 'subscription-active');

    await page.goto(`/courses/${included.slug}`);
    await expect.poll(() => page.getByText('Included in your subscription.').count()).toBe(1);
    await shoot(page, 'course-included-subscribed');

    await page.goto('/subscription');
    await page.getByRole('button', { name: 'Manage my subscription' }).click();
    await page.waitForURL(/\/simulated-provider\/portal\//);
    await page.getByRole('button', { name: 'Cancel at the end of the period' }).click();
    await expect.poll(() => page.getByText('Your subscription ends at the end of the period.').count()).toBe(1);
    await page.getByRole('link', { name: 'Back to Leboncours' }).click();
    await page.waitForURL(/\/subscription$/);
    await t.runJobs();
    await page.reload();
    await expect.poll(() => page.getByText(/you keep access to the included courses until/).count()).toBe(1);
    await shoot(page, 'subscription-cancelled');
    expect(problems.csp, 'CSP violations').toEqual([]);
    expect(problems.errors, 'uncaught page errors').toEqual([]);
  });

});
