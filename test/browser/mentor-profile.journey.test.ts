// The mentor page to booking path in a real browser: a visitor from New York sees New
// York times on the first visit (JS on), opens the modal from a skill's Book button,
// changes the zone of the slots (from the short list and from all zones), picks one; with JavaScript off, a next-slot chip of
// the profile leads to step 2 as plain pages. Pages photographed at 390 and 1280 px.
import { describe, expect, it } from 'vitest';
import { mentorWithSkill } from '../helpers/marketplace.ts';
import { journeyBrowser, shoot, startServer } from './harness.ts';
import { EVERY_DAY_AFTERNOON, logIn } from './marketplace-steps.ts';

const { baseUrl, t } = await startServer();
const settings = { minNoticeMinutes: 0, windowDays: 14 };
const { skillId } = await mentorWithSkill(t, 'mentor:pia', { rules: EVERY_DAY_AFTERNOON, settings, skill: { title: 'PostgreSQL indexing clinic', priceCents: 2500, durations: [30, 60] } });
await t.user('student:nyla', { timezone: 'America/New_York' });
await t.user('student:offline', { timezone: 'Europe/Paris' });
const browser = journeyBrowser(() => ({ baseURL: baseUrl, locale: 'en-US', timezoneId: 'America/New_York', viewport: { width: 1280, height: 900 } }));

// Paris 14:00–18:00 is 08:00–12:00 in New York (either side of DST).
const NEW_YORK_TIME = /\b(0[89]|1[01]):[03]0\b/;
const PARIS_TIME = /\b1[4-7]:[03]0\b/;

describe('mentor profile to booking', () => {
  it('shows New York times on the first visit, opens the modal from Book, changes the zone, picks a slot', async () => {
    const { page, problems } = await browser.open();
    await page.goto('/mentors/pia');
    const slots = page.locator('#mentor-slots');
    await expect.poll(() => slots.getAttribute('hx-get')).toBeNull();
    await expect.poll(() => slots.textContent()).toMatch(/America\/New York/);
    expect(await slots.locator('.slot-chip').first().textContent()).toMatch(NEW_YORK_TIME);
    await expect.poll(() => page.locator('#mentor-skill-cards').textContent()).toContain('from €25');
    await shoot(page, 'profile-mentor-ny');

    await logIn(page, 'nyla', '/mentors/pia');
    await page.locator('.skill-card__book').first().click();
    const modal = page.locator('#booking-modal');
    await expect.poll(() => modal.evaluate((d) => (d as HTMLDialogElement).open)).toBe(true);
    await expect.poll(() => modal.locator('.chip.is-active').textContent()).toContain('30 min · €25');
    expect(await modal.locator('#slots button.slot').first().textContent()).toMatch(NEW_YORK_TIME);
    await shoot(page, 'profile-modal-ny');
    // The short list: the shown zone (the profile's, New York), the mentor's, UTC, then "All time zones…".
    const zoneSelect = modal.locator('#zone-select');
    expect(await zoneSelect.locator('option').allTextContents()).toEqual(['America/New York (your zone)', 'Europe/Paris (the mentor’s zone)', 'UTC', 'All time zones…']);
    await zoneSelect.selectOption('Europe/Paris');
    await expect.poll(() => modal.locator('.week-nav').textContent()).toContain('Europe/Paris');
    expect(await modal.locator('#slots button.slot').first().textContent()).toMatch(PARIS_TIME);
    await shoot(page, 'profile-modal-paris');
    // Every zone, asked for while Paris is on show: Paris stays, selected, and so do its times.
    await zoneSelect.selectOption('all');
    await expect.poll(() => zoneSelect.locator('option').count()).toBeGreaterThan(300);
    expect(await zoneSelect.inputValue()).toBe('Europe/Paris');
    expect(await modal.locator('.week-nav').textContent()).toContain('Europe/Paris');
    await shoot(page, 'profile-modal-all-zones');
    await modal.locator('#slots button.slot').first().click();
    await expect.poll(() => modal.locator('#b-subject').count()).toBe(1);
    expect(await modal.locator('.summary__when').textContent()).toMatch(PARIS_TIME);
    expect(problems.csp).toEqual([]);
    expect(problems.errors).toEqual([]);
  });

  it('works without JavaScript: a chip of the profile holds the slot and leads to the summary at the same price; the zone param works', async () => {
    const { page } = await browser.open({ javaScriptEnabled: false, timezoneId: 'Europe/Paris' });
    await logIn(page, 'offline', '/mentors/pia');
    await page.goto('/mentors/pia');
    const chip = page.locator('#mentor-slots .slot-chip').first();
    expect(await chip.textContent()).toMatch(PARIS_TIME);
    await shoot(page, 'profile-mentor-nojs');
    await chip.click();
    await page.waitForURL(/\/book\/details/);
    expect(page.url()).toContain(`/skills/${skillId}/book/details`);
    await page.getByLabel('Subject').fill('Index-only scans');
    await page.getByRole('button', { name: 'Continue' }).click();
    // The summary tells the same price as the card ("from €25": €25 for 30 minutes).
    await expect.poll(() => page.locator('dl.summary').textContent()).toContain('€25');
    expect(await page.locator('dl.summary').textContent()).toContain('Index-only scans');
    await shoot(page, 'summary-nojs');
    await page.goto(`/skills/${skillId}/book?duration=60`);
    await page.locator('#zone-select').selectOption('all');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await expect.poll(() => page.locator('#zone-select option').count()).toBeGreaterThan(300);
    await page.locator('#zone-select').selectOption('America/New_York');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.waitForURL(/tz=America%2FNew_York/);
    expect(await page.locator('#slots .slot').first().textContent()).toMatch(NEW_YORK_TIME);
    await shoot(page, 'book-page-nojs-ny');
  });
});
