// Small steps shared by the marketplace journeys: signing in through the real login
// form, reading the slot buttons of the booking picker, and a second student who
// holds a slot over plain HTTP (supertest) while the browser is looking at it.
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { PASSWORD, type TestApp } from '../helpers/app.ts';

/** The header every page shares. */
export const header = (page: Page): Locator => page.locator('header.site-header');

/** Signs in through /login (works with JavaScript on or off); lands on `next` or "/". */
export async function logIn(page: Page, username: string, next?: string): Promise<void> {
  await page.goto(next ? `/login?next=${encodeURIComponent(next)}` : '/login');
  await page.getByLabel('Email or username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect.poll(() => header(page).getByRole('button', { name: 'Log out' }).count(), { timeout: 10_000 }).toBe(1);
  await page.waitForLoadState('load');
}

/** Mentor hours wide enough that a 7-day picker always shows free slots, whatever today is. */
export const EVERY_DAY_AFTERNOON = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '14:00', end: '18:00' }));

/** The slot buttons of the picker currently shown (in the modal or on the page). */
export const slotButtons = (scope: Page | Locator): Locator => scope.locator('#slots button.slot');

/**
 * A slot well clear of "now": the first one of the second day that has any. The first
 * slot of today may start within minutes, and a journey that outlives its start would
 * see the request turn undecidable; the second day's slots are hours away.
 */
export const slotClearOfNow = (scope: Page | Locator): Locator => scope.locator('#slots .slot-day').nth(1).locator('button.slot').first();

/** The instant a slot button stands for (its own `start` value, posted when it is clicked). */
export async function slotStart(button: Locator): Promise<string> {
  const value = (await button.getAttribute('value')) ?? '';
  expect(value).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
  return value;
}

/** "14:30" as the app prints a time (en-GB, short) in `timeZone`. */
export function timeIn(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeStyle: 'short', timeZone }).format(new Date(iso));
}

/** Another student, signed in over HTTP, holds a slot (the no-JS form post of step 1). */
export async function holdOverHttp(t: TestApp, fixture: string, skillId: string, start: string, duration: number): Promise<void> {
  const agent = await t.signIn(fixture);
  const csrf = await t.csrf(agent, `/skills/${skillId}`);
  const res = await agent.post(`/skills/${skillId}/holds`).type('form').send({ _csrf: csrf, start, duration: String(duration) });
  expect(res.status, `hold by ${fixture}: ${res.text.slice(0, 200)}`).toBe(303);
  expect(res.headers.location).toContain(`/skills/${skillId}/book/details`);
}

/** The unread count in the header bell ('' when there is none). */
export async function bellCount(page: Page): Promise<string> {
  const count = page.locator('#bell .bell__count');
  return (await count.count()) ? ((await count.textContent()) ?? '').trim() : '';
}
