// A message exchange on the booking page through a real browser: the student writes
// with JavaScript on (htmx swaps the thread in place), the mentor replies on a phone
// with JavaScript off (the form posts and comes back to #conversation), and a refused
// message without JavaScript shows its reason beside the field. Pages are photographed
// at 390 and 1280 px and checked by axe.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mentorWithSkill } from '../helpers/marketplace.ts';
import { checkA11y, collectProblems, launchBrowser, newContext, shoot, startServer, type PageProblems } from './harness.ts';
import { EVERY_DAY_AFTERNOON, logIn } from './marketplace-steps.ts';

const { baseUrl, t } = await startServer();
let browser: Browser;
const contexts: BrowserContext[] = [];
let bookingId = '';

beforeAll(async () => {
  browser = await launchBrowser();
  const { skillId } = await mentorWithSkill(t, 'mentor:marta', { rules: EVERY_DAY_AFTERNOON, settings: { minNoticeMinutes: 0, windowDays: 14 }, skill: { title: 'SQL window functions', durations: [60] } });
  const student = await t.signIn('student:theo', { timezone: 'America/Montreal' });
  const token = await t.csrf(student, '/');
  // Tomorrow 15:00 in Paris (14:00 UTC in winter), inside the mentor's afternoons.
  const start = new Date(Date.now() + 86_400_000);
  start.setUTCHours(14, 0, 0, 0);
  const res = await student.post(`/skills/${skillId}/bookings`).type('form')
    .send({ _csrf: token, start: start.toISOString(), duration: '60', subject: 'Running totals', message: 'I am stuck on ROWS BETWEEN.' });
  expect(res.status).toBe(303);
  bookingId = res.headers.location!.split('/').pop()!;
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
});

async function openPage(javaScriptEnabled: boolean, width = 1280): Promise<{ page: Page; problems: PageProblems }> {
  const context = await newContext(browser, { baseURL: baseUrl, locale: 'en-US', javaScriptEnabled, viewport: { width, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return { page, problems: collectProblems(page) };
}

async function visit(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('load');
  await shoot(page, `conversation-${name}`);
  await checkA11y(page, { soft: true });
}

const thread = (page: Page) => page.locator('#conversation-thread');

describe('messages on the booking page', () => {
  it('the student writes with htmx; the thread is swapped in place', async () => {
    const { page, problems } = await openPage(true);
    await logIn(page, 'theo', `/bookings/${bookingId}`);
    await expect.poll(() => thread(page).textContent()).toContain('I am stuck on ROWS BETWEEN.');
    await page.getByLabel('Your message').fill('Here is my query: https://example.com/q/42\nSee you tomorrow!');
    const before = page.url();
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => thread(page).locator('li').count()).toBe(2);
    expect(page.url()).toBe(before);
    await expect.poll(() => page.getByLabel('Your message').inputValue()).toBe('');
    const link = thread(page).getByRole('link', { name: 'https://example.com/q/42' });
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer nofollow ugc');
    expect(await link.getAttribute('target')).toBe('_blank');
    await visit(page, 'student-js');
    expect(problems.csp).toEqual([]);
    expect(problems.errors).toEqual([]);
  }, 60_000);

  it('the mentor replies on a phone without JavaScript, and a refused message keeps its reason beside the field', async () => {
    const { page } = await openPage(false);
    await logIn(page, 'marta', `/bookings/${bookingId}`);
    await page.setViewportSize({ width: 390, height: 900 });
    expect(await thread(page).textContent()).toContain('See you tomorrow!');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('#message-body-error').textContent()).toContain('Write a message');
    await visit(page, 'mentor-nojs-refused');
    await page.getByLabel('Your message').fill('Great, bring the dataset.');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.waitForURL(`**/bookings/${bookingId}#conversation`);
    expect(await thread(page).textContent()).toContain('Great, bring the dataset.');
    await visit(page, 'mentor-nojs');
  }, 90_000);
});
