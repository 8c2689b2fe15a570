// A weekly series seen through a real browser: a student picks a slot, chooses
// "every week" for 4 weeks, sees one week taken by another student, books the three
// free ones; the mentor, on a phone, accepts the whole series at once. The same
// booking with JavaScript off through plain pages. Every page is photographed at
// 390 and 1280 px (under /work/shots/i11-series/) and checked by axe.
//
// Time: the real clock, mentors open every day 14:00–18:00 Paris with no notice and a
// 30-day window, so the second day of the picker and three weeks later are bookable.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mentorWithSkill, type MentorFixture } from '../helpers/marketplace.ts';
import { checkA11y, shoot, collectProblems, launchBrowser, newContext, startServer, type PageProblems } from './harness.ts';
import { EVERY_DAY_AFTERNOON, logIn, slotStart } from './marketplace-steps.ts';

const { baseUrl, t } = await startServer();
const SHOTS = 'series';
const STUDENT_ZONE = 'America/Montreal';
const WEEK = 7 * 86_400_000;

let browser: Browser;
const contexts: BrowserContext[] = [];
let skill: MentorFixture;

beforeAll(async () => {
  [browser, skill] = await Promise.all([
    launchBrowser(),
    mentorWithSkill(t, 'mentor:wendy', { rules: EVERY_DAY_AFTERNOON, settings: { minNoticeMinutes: 0, windowDays: 30 }, skill: { title: 'Weekly Rust mentoring', durations: [60] } }),
  ]);
  for (const s of ['wes', 'nora', 'rival']) await t.user(`student:${s}`, { timezone: STUDENT_ZONE });
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
});

async function openPage(options: { javaScriptEnabled?: boolean } = {}): Promise<{ page: Page; problems: PageProblems }> {
  const context = await newContext(browser, { baseURL: baseUrl, locale: 'en-US', timezoneId: STUDENT_ZONE, javaScriptEnabled: options.javaScriptEnabled ?? true, viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return { page, problems: collectProblems(page) };
}

/** Screenshots at both widths (screenshots/<journey>/) and an axe pass. */
async function visit(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('load');
  await shoot(page, name, SHOTS);
  await checkA11y(page, { soft: true });
}

/** From the picker to the series preview: returns the first lesson's start. */
async function toPreview(page: Page, dayIndex: number, beforePick?: (start: string) => Promise<void>): Promise<string> {
  await page.goto(`/skills/${skill.skillId}/book`);
  const slot = page.locator('#slots .slot-day').nth(dayIndex).locator('button.slot').first();
  const start = await slotStart(slot);
  await beforePick?.(start);
  await slot.click();
  const entry = page.getByRole('link', { name: 'Book every week instead' });
  await entry.waitFor();
  await visit(page, `series-flow-details-${dayIndex}`);
  await entry.click();
  await expect.poll(() => page.locator('#series-flow').count(), { timeout: 15_000 }).toBe(1);
  await visit(page, `series-form-${dayIndex}`);
  await page.getByLabel('Number of weeks').selectOption('4');
  await page.getByLabel('Subject').fill('Ownership, one week at a time');
  await page.getByRole('button', { name: 'Check the weeks' }).click();
  await expect.poll(() => page.locator('#series-weeks li').count(), { timeout: 15_000 }).toBe(4);
  return start;
}

describe('weekly series journey', () => {
  it('books a 4-week series with one busy week; the mentor accepts it all on a phone', async () => {
    const { page, problems } = await openPage();
    await logIn(page, 'wes');
    const start = await toPreview(page, 1, async (first) => {
      // Another student already has the third week.
      const rival = await t.user('student:rival');
      await t.deps.services.bookings.request(rival.id, skill.skillId, { start: new Date(new Date(first).getTime() + 2 * WEEK), durationMinutes: 60, subject: 'Rival session' });
    });
    const weeks = page.locator('#series-weeks li');
    expect(await weeks.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.free))).toEqual(['yes', 'yes', 'no', 'yes']);
    await expect.poll(() => weeks.nth(2).textContent(), { timeout: 15_000 }).toContain('the mentor already has a session then');
    expect(await page.locator('.summary__when').textContent()).toContain('America/Montreal time');
    await visit(page, 'series-preview');

    await page.getByRole('button', { name: 'Book the 3 free weeks' }).click();
    await expect.poll(() => page.locator('#booking-series').count(), { timeout: 15_000 }).toBe(1);
    expect(await page.locator('#booking-series li').count()).toBe(3);
    await visit(page, 'series-booking-student');

    const mentor = await openPage();
    await logIn(mentor.page, 'wendy');
    // The mentor answers on a phone (the header folds its menu at this width, so log in first).
    await mentor.page.setViewportSize({ width: 390, height: 844 });
    const first = await t.deps.knex('bookings').where({ studentId: (await t.user('student:wes')).id, startsAt: new Date(start) }).first();
    await mentor.page.goto(`/bookings/${first.id}`);
    await visit(mentor.page, 'series-booking-mentor');
    await mentor.page.getByRole('button', { name: 'Accept all 3 waiting weeks' }).click();
    await expect.poll(() => mentor.page.locator('#booking-series .status--confirmed').count(), { timeout: 15_000 }).toBe(3);
    await visit(mentor.page, 'series-booking-mentor-accepted');
    await mentor.page.goto('/availability');
    expect(await mentor.page.getByLabel('Window for weekly series (days)').inputValue()).toBe('90');
    await visit(mentor.page, 'series-availability-settings');
    expect(problems.csp).toEqual([]);
    expect(problems.errors).toEqual([]);
    expect(mentor.problems.csp).toEqual([]);
  }, 120_000);

  it('works the same with JavaScript off', async () => {
    const { page } = await openPage({ javaScriptEnabled: false });
    await logIn(page, 'nora');
    await toPreview(page, 2);
    expect(await page.locator('#series-weeks li[data-free="yes"]').count()).toBe(4);
    await visit(page, 'series-preview-nojs');
    await page.getByRole('button', { name: 'Book the 4 free weeks' }).click();
    await expect.poll(() => page.locator('#booking-series li').count(), { timeout: 15_000 }).toBe(4);
    expect(await page.locator('.alert').first().textContent()).toContain('Your weekly lessons are requested');
    await visit(page, 'series-booking-nojs');
  }, 120_000);
});
