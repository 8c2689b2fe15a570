// The foundation issue seen through a real browser: registration, profile, avatar,
// public page, log out and in (JavaScript on), the same with JavaScript off, and the
// shadow admin. Every visited page is photographed at two widths and checked by axe.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { checkA11y, makePng, shoot, startServer, type PageProblems, journeyBrowser } from './harness.ts';

const { baseUrl } = await startServer();

const browser = journeyBrowser(() => ({ baseURL: baseUrl, locale: 'en-US' }));

const openPage = (options: { javaScriptEnabled?: boolean } = {}) => browser.open(options);

/** Screenshots at both widths, then axe (soft, so one run reports every page). */
async function visit(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('load');
  await shoot(page, name);
  await checkA11y(page, { soft: true });
}

function expectNoProblems(problems: PageProblems): void {
  expect(problems.csp, 'CSP violations').toEqual([]);
  expect(problems.errors, 'uncaught page errors').toEqual([]);
}

const header = (page: Page) => page.locator('header.site-header');

describe('foundation journeys', { timeout: 120_000 }, () => {
  it('A: a mentor registers, completes the profile, uploads a photo, is public, logs out and in (JavaScript on)', async () => {
    const { page, problems } = await openPage();
    const username = 'awa.ndiaye';
    const password = 'a long enough password';

    await page.goto('/register?role=mentor');
    await expect.poll(() => page.getByRole('radio', { name: /Teach/ }).isChecked()).toBe(true);
    await visit(page, 'a-01-register');

    await page.getByLabel('Full name').fill('Awa Ndiaye');
    await page.getByLabel('Email').fill('awa@example.test');
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Create my account' }).click();

    await page.waitForURL('**/profile');
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Welcome to Leboncours!');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Your profile');
    await visit(page, 'a-02-profile-welcome');

    await page.getByLabel('Headline').fill('Senior WinDev engineer — databases and reports');
    await page.getByLabel('Bio').fill('Fifteen years of WinDev and WebDev in banks and logistics. I teach HFSQL, reports and clean architecture.');
    await page.getByLabel('Hourly rate').fill('45');
    await page.getByRole('checkbox', { name: 'French' }).check();
    await page.getByRole('checkbox', { name: 'English' }).check();
    await page.getByLabel('Country').selectOption({ label: 'Senegal' });
    await page.getByRole('button', { name: 'Save my profile' }).click();

    await expect.poll(() => page.getByRole('status').textContent()).toContain('Your profile has been saved.');
    expect(await page.getByLabel('Headline').inputValue()).toBe('Senior WinDev engineer — databases and reports');
    expect(await page.getByLabel('Bio').inputValue()).toContain('Fifteen years of WinDev');
    expect(await page.getByLabel('Hourly rate').inputValue()).toMatch(/^45(\.00?)?$/);
    expect(await page.getByRole('checkbox', { name: 'French' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'English' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Spanish' }).isChecked()).toBe(false);
    expect(await page.getByLabel('Country').inputValue()).toBe('SN');
    await visit(page, 'a-03-profile-saved');

    await page.locator('#f-avatar').setInputFiles({ name: 'avatar.png', mimeType: 'image/png', buffer: makePng(64) });
    await page.getByRole('button', { name: 'Upload the photo' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Your photo has been updated.');
    const avatar = page.locator('main img[src^="/media/avatars/"]');
    await avatar.first().waitFor();
    const src = await avatar.first().getAttribute('src');
    expect(src).toMatch(/^\/media\/avatars\/[0-9a-f-]+-64x64\.webp$/); // re-encoded, never enlarged
    // With srcset, naturalWidth is in CSS px (the 64 px file shown for sizes="112px"): loaded is what matters.
    expect(await avatar.first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    const image = await page.request.get(src!);
    expect(image.status()).toBe(200);
    expect(image.headers()['content-type']).toBe('image/webp');
    await visit(page, 'a-04-profile-avatar');

    await page.goto(`/mentors/${username}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Awa Ndiaye');
    const main = page.locator('main');
    expect(await main.textContent()).toContain('Senior WinDev engineer — databases and reports');
    // The declared hourly rate is not a price anyone can book: the public page shows skill prices only.
    expect(await main.textContent()).not.toMatch(/€\s?45(\.00)?|45(\.00)?\s?€/);
    expect(await main.textContent()).toContain('Senegal');
    expect(await page.locator(`main img[src="${src}"]`).count()).toBe(1);
    await visit(page, 'a-05-public-profile');

    await header(page).getByRole('button', { name: 'Log out' }).click();
    await expect.poll(() => header(page).getByRole('link', { name: 'Log in' }).count()).toBe(1);
    expect(await header(page).getByRole('link', { name: 'My profile' }).count()).toBe(0);
    await visit(page, 'a-06-logged-out');

    await page.goto('/login');
    await visit(page, 'a-07-login');
    await page.getByLabel('Email or username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => header(page).getByRole('link', { name: 'My profile' }).count()).toBe(1);
    await visit(page, 'a-08-logged-in');

    expectNoProblems(problems);
  });

  it('B: a student registers with plain form posts and sees errors beside the fields (JavaScript off)', async () => {
    const { page, problems } = await openPage({ javaScriptEnabled: false });

    await page.goto('/register');
    expect(await page.getByRole('radio', { name: /Learn/ }).isChecked()).toBe(true);
    await visit(page, 'b-01-register');

    await page.getByLabel('Full name').fill('Lina Diallo');
    await page.getByLabel('Email').fill('lina@example.test');
    await page.getByLabel('Username').fill('lina');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create my account' }).click();
    await page.waitForLoadState('load');

    expect(new URL(page.url()).pathname).toBe('/register');
    const error = page.locator('#f-password-error');
    expect(await error.textContent()).toContain('Use at least 10 characters.');
    expect(await page.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Password').getAttribute('aria-describedby')).toContain('f-password-error');
    expect(await page.getByLabel('Password').inputValue()).toBe(''); // never echoed
    expect(await page.getByLabel('Email').inputValue()).toBe('lina@example.test');
    await visit(page, 'b-02-register-errors');

    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Create my account' }).click();
    await page.waitForURL('**/profile');
    expect(await page.getByRole('status').textContent()).toContain('Welcome to Leboncours!');
    expect(await header(page).getByRole('link', { name: 'My profile' }).count()).toBe(1);
    await visit(page, 'b-03-profile');

    await page.getByLabel('City').fill('Dakar');
    await page.getByRole('button', { name: 'Save my profile' }).click();
    await page.waitForURL('**/profile');
    expect(await page.getByRole('status').textContent()).toContain('Your profile has been saved.');
    expect(await page.getByLabel('City').inputValue()).toBe('Dakar');

    expectNoProblems(problems);
  });

  it('C: the shadow admin logs in from the environment', async () => {
    const { page, problems } = await openPage();

    await page.goto('/');
    await visit(page, 'c-01-home');
    await page.goto('/login');
    await page.getByLabel('Email or username').fill('admin@leboncours.test');
    await page.getByLabel('Password').fill('admin-password-123');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => header(page).getByRole('link', { name: 'Admin' }).count()).toBe(1);
    expect(await header(page).getByRole('button', { name: 'Log out' }).count()).toBe(1);
    await visit(page, 'c-02-admin');

    expectNoProblems(problems);
  });
});
