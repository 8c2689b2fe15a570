// The header on a phone: a menu button (a <details> disclosure) reveals every link of
// the desktop header for the role, with JavaScript on and off, by keyboard too, and
// logs out; at 1280 px the header stays the desktop one. Also <html lang> after a
// boosted language switch.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { journeyBrowser, shoot, startServer, type PageProblems } from './harness.ts';
import { header, logIn } from './marketplace-steps.ts';

const { baseUrl, t } = await startServer();
await t.user('mentor:menu.mentor');

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const browser = journeyBrowser(() => ({ baseURL: baseUrl, locale: 'en-US', viewport: DESKTOP }));

const MENTOR_LINKS = ['Courses', 'Dashboard', /^Notifications/, 'My skills', 'Availability', 'Earnings', 'Payouts', 'Insights', 'My profile'];

function expectNoProblems(problems: PageProblems): void {
  expect(problems.csp, 'CSP violations').toEqual([]);
  expect(problems.errors, 'uncaught page errors').toEqual([]);
}

const menu = (page: Page) => page.getByRole('navigation', { name: 'Site menu' });
const toggle = (page: Page) => header(page).locator('summary', { hasText: 'Menu' });

async function expectMenuLinks(page: Page): Promise<void> {
  for (const name of MENTOR_LINKS) {
    expect(await menu(page).getByRole('link', { name }).isVisible(), String(name)).toBe(true);
  }
  expect(await menu(page).getByRole('button', { name: 'Log out' }).isVisible()).toBe(true);
}

describe('header menu on a phone', { timeout: 120_000 }, () => {
  for (const javaScriptEnabled of [true, false]) {
    it(`opens, lists every link, is keyboard reachable and logs out (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const { page, problems } = await browser.open({ javaScriptEnabled });
      await logIn(page, 'menu.mentor', '/courses');
      await page.setViewportSize(PHONE);
      // The desktop links are hidden on a phone; only the bell and the menu button remain.
      expect(await header(page).getByRole('link', { name: 'My skills' }).count()).toBe(0);
      expect(await toggle(page).isVisible()).toBe(true);
      expect(await menu(page).isVisible()).toBe(false);
      const suffix = javaScriptEnabled ? 'js' : 'nojs';
      await shoot(page, `closed-${suffix}`, 'header-menu');

      await toggle(page).click();
      await expectMenuLinks(page);
      await shoot(page, `open-${suffix}`, 'header-menu');
      await page.setViewportSize(PHONE);

      // Keyboard: Tab from the button walks through every entry, each with a visible focus.
      await toggle(page).focus();
      const reached: string[] = [];
      for (let i = 0; i < MENTOR_LINKS.length + 1; i++) {
        await page.keyboard.press('Tab');
        reached.push(await page.evaluate(() => {
          const el = document.activeElement as HTMLElement | null;
          const inMenu = !!el?.closest('.site-menu__panel');
          const outline = el ? getComputedStyle(el).outlineStyle : 'none';
          return `${inMenu ? '' : 'OUT:'}${outline === 'none' ? 'NOFOCUS:' : ''}${el?.textContent?.trim() ?? ''}`;
        }));
      }
      expect(reached).toEqual(['Courses', 'Dashboard', 'Notifications', 'My skills', 'Availability', 'Earnings', 'Payouts', 'Insights', 'My profile', 'Log out']);

      if (javaScriptEnabled) {
        await page.keyboard.press('Escape');
        expect(await menu(page).isVisible()).toBe(false);
        expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('SUMMARY');
        await page.keyboard.press('Enter');
        expect(await menu(page).isVisible()).toBe(true);
      }

      // A link from the menu navigates (boosted with JS), then log out from the menu.
      await menu(page).getByRole('link', { name: 'Availability' }).click();
      await page.waitForURL('**/availability');
      await toggle(page).click();
      await menu(page).getByRole('button', { name: 'Log out' }).click();
      await expect.poll(() => page.evaluate(() => !!document.querySelector('.site-menu a[href="/login"]'))).toBe(true);
      await toggle(page).click();
      expect(await menu(page).getByRole('link', { name: 'Log in' }).isVisible()).toBe(true);
      expectNoProblems(problems);
    });
  }

  it('at 1280 px the header is the desktop one, no menu button', async () => {
    const { page, problems } = await browser.open();
    await logIn(page, 'menu.mentor', '/courses');
    expect(await toggle(page).isVisible()).toBe(false);
    for (const name of ['Courses', 'Dashboard', 'My skills', 'Availability', 'Earnings', 'Payouts']) {
      expect(await header(page).getByRole('link', { name, exact: true }).isVisible(), name).toBe(true);
    }
    expect(await header(page).getByRole('button', { name: 'Log out' }).isVisible()).toBe(true);
    await shoot(page, 'desktop', 'header-menu');
    expectNoProblems(problems);
  });

  it('<html lang> follows a language switch made through boosted navigation', async () => {
    const { page, problems } = await browser.open();
    await page.goto('/courses');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.getByRole('button', { name: 'Français' }).click();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('fr');
    await page.locator('nav.site-nav a[href="/login"]').click();
    await page.waitForURL('**/login');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
    expect(await page.title()).toBe('Connexion · Leboncours');
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    expectNoProblems(problems);
  });
});
