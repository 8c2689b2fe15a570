// The bookings grid with the keyboard alone, at 1280 px. A mentor with pending
// requests reaches a row's Actions cell, walks its controls with Tab and Shift+Tab,
// accepts one request with Space and declines another with Enter through the decision
// dialog (which takes the focus, closes on Escape and gives the focus back to the row);
// a French mentor gets Ag Grid's own texts in French (aria labels, "no rows"); axe finds
// nothing serious with a row selected, a column filter open and the dialog open, in
// English and in French (and the admin users grid in French).
//
// Data: inserted straight into the database, three pending requests per mentor, a
// day apart and two days ahead at least; the server runs on the real clock.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PASSWORD } from '../helpers/app.ts';
import { mentorWithSkill } from '../helpers/marketplace.ts';
import { bookingRow, dialogOpen, gridRow } from './dashboard-steps.ts';
import { a11yViolations, formatViolations, journeyBrowser, shoot, shootAsIs, startServer, type PageProblems } from './harness.ts';
import { logIn } from './marketplace-steps.ts';

const { baseUrl, t } = await startServer();
const journeys = journeyBrowser(() => ({ baseURL: baseUrl, locale: 'en-US', timezoneId: 'Europe/Paris', viewport: { width: 1280, height: 900 } }));
const browser = {
  async open(options: Parameters<typeof journeys.open>[0] = {}) {
    const opened = await journeys.open(options);
    opened.page.setDefaultTimeout(30_000);
    return opened;
  },
};
const SHOTS = 'grid-keyboard';
const HOUR = 3_600_000;
/** Generous waits: the shared machine runs several suites at once. */
const WAIT = { timeout: 20_000 };

/** A mentor (created in `locale`) with three pending requests from one student, soonest first. */
async function mentorWithRequests(mentorFixture: string, studentFixture: string, studentName: string, locale: 'en' | 'fr'): Promise<string[]> {
  const mentor = await mentorWithSkill(t, mentorFixture, { skill: { title: 'Keyboard clinic', durations: [60] } });
  await t.deps.knex('users').where({ id: mentor.mentorId }).update({ locale });
  const student = await t.user(studentFixture, { displayName: studentName });
  const today = new Date();
  const ids: string[] = [];
  for (const days of [2, 3, 4]) {
    const startsAt = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate(), 9) + days * 24 * HOUR);
    const [row] = await t.deps.knex('bookings').insert({
      skillId: mentor.skillId, mentorId: mentor.mentorId, studentId: student.id, kind: 'one_on_one', startsAt, endsAt: new Date(startsAt.getTime() + HOUR),
      durationMinutes: 60, status: 'pending', subject: `Keyboard question ${days}`, priceCents: 0, expiresAt: startsAt,
    }).returning('id');
    ids.push((row as { id: string }).id);
  }
  return ids;
}

/** Where the keyboard is: the grid row and column, the control (data-action) or the element id. */
async function focus(page: Page): Promise<{ rowId: string | null; colId: string | null; action: string | null; id: string; inDialog: boolean; tag: string }> {
  return page.evaluate(() => {
    const a = document.activeElement;
    return {
      rowId: a?.closest('.ag-row')?.getAttribute('row-id') ?? null,
      colId: a?.closest('.ag-cell')?.getAttribute('col-id') ?? null,
      action: a?.getAttribute('data-action') ?? null,
      id: a?.id ?? '',
      inDialog: Boolean(a?.closest('dialog#decision-dialog')),
      tag: a?.tagName.toLowerCase() ?? '',
    };
  });
}

/** From the filter form into the grid with Tab, then down to the first row and right to its Actions cell. */
async function tabToFirstActionsCell(page: Page): Promise<string> {
  await page.locator('#grid-export').focus();
  for (let i = 0; i < 6 && !(await page.evaluate(() => Boolean(document.activeElement?.closest('#bookings-grid')))); i++) await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.getAttribute('role')), 'Tab enters the grid on a column header').toBe('columnheader');
  await page.keyboard.press('ArrowDown');
  for (let i = 0; i < 12 && (await focus(page)).colId !== 'actions'; i++) await page.keyboard.press('ArrowRight');
  const here = await focus(page);
  expect(here, 'the Actions cell itself has the focus').toMatchObject({ colId: 'actions', action: null, tag: 'div' });
  return here.rowId!;
}

/** The loaded rows' ids, top to bottom. */
async function rowIdsInOrder(page: Page): Promise<string[]> {
  return page.locator('#bookings-grid .ag-row[row-id]:not(.ag-row-loading)').evaluateAll((rows) => rows
    .sort((a, b) => Number(a.getAttribute('row-index')) - Number(b.getAttribute('row-index')))
    .map((r) => r.getAttribute('row-id') ?? ''));
}

async function openDashboard(page: Page): Promise<void> {
  await page.goto('/dashboard');
  await expect.poll(() => page.locator('#bookings-grid .ag-row[row-id]:not(.ag-row-loading)').count(), WAIT).toBeGreaterThan(0);
}

/** Logs in through the form by its field names (the page may be in either language). */
async function logInAnyLanguage(page: Page, identifier: string, password: string, next = '/dashboard'): Promise<void> {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.locator('input[name="identifier"]').fill(identifier);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('form[action="/login"] button[type="submit"]').click();
  await page.waitForURL((url) => url.pathname === next);
  await page.waitForLoadState('load');
}

/** axe over the page as it is now (no resize: that would close Ag Grid's popups). */
async function expectNoSeriousViolations(page: Page, state: string): Promise<void> {
  const violations = await a11yViolations(page);
  expect(violations.length, `${state}: ${formatViolations(page.url(), violations)}`).toBe(0);
}

/** A row ticked, the Student column's filter open: axe and a screenshot; then the bulk dialog: axe and a screenshot. */
async function checkWidgetsOpen(page: Page, rowId: string, label: string): Promise<void> {
  await gridRow(page, rowId).locator('.ag-selection-checkbox input').check();
  await expect.poll(() => page.locator('#grid-bulk').isVisible(), WAIT).toBe(true);
  await page.locator('#bookings-grid .ag-header-cell[col-id="studentName"] .ag-header-cell-filter-button').click();
  const filter = page.locator('#bookings-grid .ag-popup .ag-filter');
  await expect.poll(() => filter.isVisible(), WAIT).toBe(true);
  await expectNoSeriousViolations(page, `${label}, row selected, filter menu open`);
  // Not shoot(): its resizes close Ag Grid's popup, and the Escape below would then prove nothing.
  await shootAsIs(page, `gk-${label}-filter-open`, SHOTS);
  expect(await page.evaluate(() => Boolean(document.activeElement?.closest('.ag-popup'))), 'the focus is in the filter').toBe(true);
  await page.keyboard.press('Escape');
  await expect.poll(() => filter.count(), WAIT).toBe(0);

  await page.locator('[data-bulk="reject"]').click();
  await expect.poll(() => dialogOpen(page), WAIT).toBe(true);
  await expectNoSeriousViolations(page, `${label}, bulk dialog open`);
  await shoot(page, `gk-${label}-bulk-dialog`, SHOTS);
  await page.keyboard.press('Escape');
  await expect.poll(() => dialogOpen(page), WAIT).toBe(false);
  expect(await page.evaluate(() => document.activeElement?.getAttribute('data-bulk')), 'Escape gives the focus back to the bulk button').toBe('reject');
}

function expectNoProblems(problems: PageProblems): void {
  expect(problems.csp, 'CSP violations').toEqual([]);
  expect(problems.errors, 'uncaught page errors').toEqual([]);
}

describe('the bookings grid by keyboard', { timeout: 180_000 }, () => {
  it('A: Tab walks the Actions cell; Space accepts, Enter declines through the dialog, and the focus comes back to the row', async () => {
    const ids = await mentorWithRequests('mentor:kenji', 'student:ines', 'Ines Moreau', 'en');
    const { page, problems } = await browser.open();
    await logIn(page, 'kenji');
    await openDashboard(page);
    const [first, second, third] = await rowIdsInOrder(page) as [string, string, string];
    expect([first, second, third].sort()).toEqual([...ids].sort());

    expect(await tabToFirstActionsCell(page)).toBe(first);
    // Tab and Shift+Tab walk the cell's own controls, Shift+Tab from the first one back to the cell.
    await page.keyboard.press('Tab');
    expect(await focus(page)).toMatchObject({ rowId: first, colId: 'actions', action: 'approve' });
    await page.keyboard.press('Shift+Tab');
    expect(await focus(page)).toMatchObject({ rowId: first, colId: 'actions', action: null });
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focus(page)).toMatchObject({ rowId: first, action: 'reject' });
    await page.keyboard.press('Tab');
    expect(await focus(page)).toMatchObject({ rowId: first, action: 'open' });
    // Past the last control, the grid's own Tab: the next cell, the next row's first one.
    await page.keyboard.press('Tab');
    expect(await focus(page)).toMatchObject({ rowId: second, colId: 'ag-Grid-SelectionColumn', action: null });
    await page.keyboard.press('Shift+Tab');
    expect(await focus(page)).toMatchObject({ rowId: first, colId: 'actions', action: null });

    // Space on Approve: the dialog opens with the focus on its first field; Enter sends it.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await expect.poll(() => dialogOpen(page), WAIT).toBe(true);
    expect(await focus(page)).toMatchObject({ inDialog: true, id: 'd-meetingUrl' });
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await bookingRow(t, first)).status, WAIT).toBe('confirmed');
    await expect.poll(() => gridRow(page, first).locator('[col-id="status"]').textContent(), WAIT).toContain('Confirmed');
    // Its Approve button is gone with the answer: the focus is on that row's Actions cell.
    await expect.poll(() => focus(page), { ...WAIT, message: 'focus stays on the accepted row' }).toMatchObject({ rowId: first, colId: 'actions', action: null });

    // Enter on Decline: the dialog has the focus (on the reason); Escape closes it and
    // gives the focus back to the same button.
    await page.keyboard.press('ArrowDown');
    expect(await focus(page)).toMatchObject({ rowId: second, colId: 'actions' });
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focus(page)).toMatchObject({ rowId: second, action: 'reject' });
    await page.keyboard.press('Enter');
    await expect.poll(() => dialogOpen(page), WAIT).toBe(true);
    expect(await focus(page)).toMatchObject({ inDialog: true, id: 'd-reason' });
    await page.keyboard.press('Escape');
    await expect.poll(() => dialogOpen(page), WAIT).toBe(false);
    expect(await focus(page)).toMatchObject({ rowId: second, action: 'reject' });
    expect((await bookingRow(t, second)).status, 'Escape sends nothing').toBe('pending');

    await page.keyboard.press('Enter');
    await expect.poll(() => dialogOpen(page), WAIT).toBe(true);
    expect(await focus(page)).toMatchObject({ inDialog: true, id: 'd-reason' });
    await page.keyboard.type('Not free that week');
    await shoot(page, 'gk-en-decline-dialog', SHOTS);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent), 'Tab from the reason reaches Confirm').toBe('Confirm');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await bookingRow(t, second)).status, WAIT).toBe('rejected');
    expect((await bookingRow(t, second)).rejectReason).toBe('Not free that week');
    await expect.poll(() => focus(page), { ...WAIT, message: 'focus back on the declined row' }).toMatchObject({ rowId: second, colId: 'actions' });
    expect(await page.locator('#grid-results .grid-results__summary').textContent()).toBe('1 of 1 done.');

    await checkWidgetsOpen(page, third, 'en');
    expectNoProblems(problems);
  });

  it('B: a French mentor gets Ag Grid in French, and axe passes with the widgets open', async () => {
    await mentorWithRequests('mentor:elodie', 'student:tomas', 'Tomas Girard', 'fr');
    const { page, problems } = await browser.open();
    await logInAnyLanguage(page, 'elodie', PASSWORD);
    await openDashboard(page);
    const [first] = await rowIdsInOrder(page) as [string];
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');

    const checkbox = gridRow(page, first).locator('.ag-selection-checkbox input');
    expect(await checkbox.getAttribute('aria-label')).toBe('Appuyez sur Espace pour cocher ou décocher la ligne (non coché)');
    expect(await page.locator('#bookings-grid').evaluate((grid) => grid.innerHTML), 'no English left in the grid').not.toMatch(/Press |Loading|No Rows|Column /);
    // Ag Grid's own "no rows" overlay, when the quick filter matches nothing.
    await page.locator('#grid-quick').fill('zzzz-nobody');
    await expect.poll(() => page.locator('#bookings-grid .ag-overlay').first().textContent(), WAIT).toContain('Aucune ligne à afficher');
    await shoot(page, 'gk-fr-no-rows', SHOTS);
    await page.locator('#grid-quick').fill('');
    await expect.poll(() => gridRow(page, first).count(), WAIT).toBe(1);

    // The Actions cell by keyboard in French too.
    expect(await tabToFirstActionsCell(page)).toBe(first);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Accepter');

    await checkWidgetsOpen(page, first, 'fr');
    expectNoProblems(problems);
  });

  it('C: the admin users grid is in French on a French page', async () => {
    const { page, problems } = await browser.open({ locale: 'fr-FR' });
    await logInAnyLanguage(page, 'admin@leboncours.test', 'admin-password-123', '/admin/users');
    await expect.poll(() => page.locator('#users-grid .ag-row[row-id]').count(), WAIT).toBeGreaterThan(0);
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await page.locator('#users-quick').fill('zzzz-nobody');
    await expect.poll(() => page.locator('#users-grid .ag-overlay').first().textContent(), WAIT).toContain('Aucune ligne à afficher');
    expectNoProblems(problems);
  });
});
