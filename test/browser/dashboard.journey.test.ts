// The bookings dashboards through a real browser. A mentor with a queue of requests
// works the Ag Grid: quick filter, status filter, three requests accepted at once from
// the bulk bar, one approved and one declined from their rows (through the decision
// dialog), a sort that survives a reload, and the CSV export; a student then sees the
// answers and cancels a session from the grid; the same table without JavaScript,
// with its filter form and its row Approve form.
//
// Data: inserted straight into the database (test/browser/dashboard-steps.ts), one
// booking a day for the mentor, all in the future except two; the server runs on the
// real clock.
import fs from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkA11y, collectProblems, launchBrowser, newContext, shoot, startServer, type PageProblems } from './harness.ts';
import {
  bookingRow, decisionDialog, dialogOpen, expectGridIds, gridLines, gridRow, scrollGridToEnd, seedDashboard, statusCell, STUDENT_NAMES, tableLines,
  type DashboardData,
} from './dashboard-steps.ts';
import { header, logIn } from './marketplace-steps.ts';

const { baseUrl, t } = await startServer();

const MEETING = 'https://meet.example.com/grid';

let browser: Browser;
const contexts: BrowserContext[] = [];
let data: DashboardData;

beforeAll(async () => {
  [browser, data] = await Promise.all([launchBrowser(), seedDashboard(t)]);
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
});

async function openPage(options: { javaScriptEnabled?: boolean } = {}): Promise<{ page: Page; problems: PageProblems }> {
  const context = await newContext(browser, {
    baseURL: baseUrl, locale: 'en-US', timezoneId: 'Europe/Paris', javaScriptEnabled: options.javaScriptEnabled ?? true,
    viewport: { width: 1280, height: 900 },
  });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return { page, problems: collectProblems(page) };
}

/**
 * Screenshots at both widths, then axe at both (soft, so one run reports every state).
 * Ag Grid's own markup passes the serious/critical rules as it is, so nothing is
 * excluded for the grid; axe only leaves the header labels' contrast "to review" (a
 * pseudo-element behind them) and flags, as minor, the selection column's empty header.
 */
async function visit(page: Page, name: string, a11yWidths?: number[]): Promise<void> {
  await shoot(page, name);
  await checkA11y(page, { soft: true, widths: a11yWidths });
}

/**
 * axe takes several seconds over the grid's DOM; states that only change the rows
 * (filtered, re-sorted) are checked at the desktop width, where every column renders.
 */
const ROWS_ONLY = [1280];

/**
 * A full page load of /dashboard. Reaching it by boosted navigation (the header link,
 * the redirect after login) leaves the plain table: see test D.
 */
async function openDashboard(page: Page): Promise<void> {
  await page.goto('/dashboard');
  await page.waitForLoadState('load');
}

function expectNoProblems(problems: PageProblems): void {
  expect(problems.csp, 'CSP violations').toEqual([]);
  expect(problems.errors, 'uncaught page errors').toEqual([]);
}

const ids = (...keys: string[]) => keys.map((k) => data.bookings[k]!.id);
const idsWhere = (pred: (b: DashboardData['bookings'][string]) => boolean) => Object.values(data.bookings).filter(pred).map((b) => b.id);

// Each visit() at 390 px also swaps the grid for the cards and back: on two shared cores
// journey A alone has needed more than two minutes.
describe('dashboard journeys', { timeout: 300_000 }, () => {
  it('A: a mentor filters, accepts three requests at once, approves and declines in the row, sorts and exports (JavaScript on)', async () => {
    const { page, problems } = await openPage();
    await logIn(page, 'maya');
    await openDashboard(page);

    // --- The grid replaces the plain table. --------------------------------------
    await expect.poll(() => page.locator('#bookings-grid .ag-root-wrapper').count()).toBe(1);
    expect(await page.locator('#bookings-table').isHidden(), 'the fallback table is hidden').toBe(true);
    const all = Object.values(data.bookings).map((b) => b.id);
    const lines = await expectGridIds(page, all, 'every booking of the mentor');
    expect(lines.every((l) => l.skill === data.skillTitle)).toBe(true);
    expect(await page.locator('.stat').first().textContent()).toContain('8');
    // Only the requests still waiting for an answer can be selected.
    const checkbox = (id: string) => gridRow(page, id).locator('.ag-selection-checkbox input');
    for (const id of idsWhere((b) => b.status === 'pending')) expect(await checkbox(id).isEnabled(), `checkbox of ${id}`).toBe(true);
    for (const id of idsWhere((b) => b.status !== 'pending')) expect(await checkbox(id).isVisible(), `checkbox of ${id}`).toBe(false);
    await visit(page, 'db-a-01-mentor-grid');

    // --- Quick filter: one student's rows only, then everything again. -------------
    await page.locator('#grid-quick').pressSequentially('nora', { delay: 30 });
    const nora = await expectGridIds(page, idsWhere((b) => b.student === 'nora'), 'the quick filter keeps Nora\'s rows');
    expect(new Set(nora.map((l) => l.student))).toEqual(new Set([STUDENT_NAMES.nora]));
    await visit(page, 'db-a-02-quick-filter', ROWS_ONLY);
    await page.locator('#grid-quick').fill('');
    await expectGridIds(page, all, 'cleared');

    // --- Status filter: pending only. -----------------------------------------------
    const pendingBox = page.locator('[data-status-filter][value="pending"]');
    await pendingBox.check();
    const pending = await expectGridIds(page, idsWhere((b) => b.status === 'pending'), 'only pending rows');
    expect(new Set(pending.map((l) => l.status))).toEqual(new Set(['Pending']));

    // --- Three requests from three students, accepted from the bulk bar. -----------
    const bulk = page.locator('#grid-bulk');
    expect(await bulk.isHidden()).toBe(true);
    const chosen = ids('p1', 'p2', 'p3');
    for (const id of chosen) await checkbox(id).check();
    await expect.poll(() => bulk.isVisible()).toBe(true);
    // The grid announces a selection after the checkbox shows it: the count follows a moment later.
    await expect.poll(() => page.locator('#grid-bulk-count').textContent()).toBe('3 selected');
    await visit(page, 'db-a-03-bulk-selection');

    await bulk.locator('[data-bulk="approve"]').click();
    await expect.poll(() => dialogOpen(page)).toBe(true);
    expect(await decisionDialog(page).locator('#decision-title').textContent()).toBe('Approve 3 requests');
    expect(await decisionDialog(page).getByLabel('Meeting link (optional)').isVisible()).toBe(true);
    expect(await decisionDialog(page).locator('#d-reason').isVisible(), 'no reason asked to approve').toBe(false);
    await visit(page, 'db-a-04-bulk-dialog');
    await decisionDialog(page).getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => page.locator('#grid-results .grid-results__summary').textContent()).toBe('3 of 3 done.');
    expect(await dialogOpen(page)).toBe(false);
    expect(await page.locator('#grid-results li.is-ok').count()).toBe(3);
    // Under the pending filter the accepted rows are gone…
    await expectGridIds(page, ids('p4', 'p5', 'p6', 'p7', 'p8'), 'accepted rows leave the pending view');
    await expect.poll(() => bulk.isHidden(), { message: 'the selection is cleared' }).toBe(true);
    for (const id of chosen) expect((await bookingRow(t, id)).status).toBe('confirmed');
    await visit(page, 'db-a-05-bulk-done');
    // …and without it they read "Confirmed".
    await pendingBox.uncheck();
    await expectGridIds(page, all);
    for (const id of chosen) expect(await statusCell(page, id).textContent()).toContain('Confirmed');

    // --- One request approved from its row, with a meeting link. -------------------
    const [p4, p7] = ids('p4', 'p7') as [string, string];
    await gridRow(page, p4).getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => dialogOpen(page)).toBe(true);
    expect(await decisionDialog(page).locator('#decision-title').textContent()).toBe('Approve 1 request');
    await decisionDialog(page).getByLabel('Meeting link (optional)').fill(MEETING);
    await decisionDialog(page).getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => page.locator('#grid-results .grid-results__summary').textContent()).toBe('1 of 1 done.');
    await expect.poll(() => statusCell(page, p4).textContent()).toContain('Confirmed');
    expect(await bookingRow(t, p4)).toMatchObject({ status: 'confirmed', meetingUrl: MEETING });
    expect(await gridRow(page, p4).getByRole('link', { name: 'Join' }).getAttribute('href')).toBe(MEETING);

    // --- One declined from its row: a too-short reason is refused in the dialog first.
    await gridRow(page, p7).getByRole('button', { name: 'Decline' }).click();
    await expect.poll(() => dialogOpen(page)).toBe(true);
    expect(await decisionDialog(page).locator('#decision-title').textContent()).toBe('Decline 1 request');
    expect(await decisionDialog(page).locator('#d-meetingUrl').isVisible(), 'no meeting link asked to decline').toBe(false);
    await decisionDialog(page).getByLabel('Reason').fill('No');
    await decisionDialog(page).getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => decisionDialog(page).getByRole('alert').textContent()).toBe('Say in a few words why.');
    expect(await dialogOpen(page), 'still open').toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id), 'focus back on the reason').toBe('d-reason');
    expect((await bookingRow(t, p7)).status, 'nothing sent yet').toBe('pending');
    await visit(page, 'db-a-06-decline-dialog-error');
    await decisionDialog(page).getByLabel('Reason').fill('Not available');
    await decisionDialog(page).getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => statusCell(page, p7).textContent()).toContain('Declined');
    expect(await bookingRow(t, p7)).toMatchObject({ status: 'rejected', rejectReason: 'Not available' });
    expect(await gridRow(page, p7).getByRole('button', { name: 'Approve' }).count(), 'no more decision on it').toBe(0);

    // --- Sort by date: the state survives a reload. ---------------------------------
    const dateHeader = page.locator('#bookings-grid .ag-header-cell[col-id="startsAt"]');
    await dateHeader.locator('.ag-header-cell-label').click();
    await expect.poll(() => dateHeader.getAttribute('aria-sort')).toBe('ascending');
    const ascending = Object.values(data.bookings).sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime()).map((b) => b.id);
    await expect.poll(async () => (await gridLines(page)).map((l) => l.id)).toEqual(ascending);
    await expect.poll(() => new URL(page.url()).searchParams.get('grid')).toBeTruthy();
    const state = JSON.parse(Buffer.from(new URL(page.url()).searchParams.get('grid')!, 'base64').toString('utf8')) as { sort?: { sortModel: unknown[] } };
    expect(state.sort?.sortModel).toMatchObject([{ colId: 'startsAt', sort: 'asc' }]);
    await page.reload();
    await expect.poll(() => page.locator('#bookings-grid .ag-header-cell[col-id="startsAt"]').getAttribute('aria-sort')).toBe('ascending');
    await expect.poll(async () => (await gridLines(page)).map((l) => l.id)).toEqual(ascending);
    await visit(page, 'db-a-07-sorted-after-reload', ROWS_ONLY);

    // --- CSV export of what the grid shows. -----------------------------------------
    const exportLink = page.locator('#grid-export');
    await expect.poll(() => exportLink.getAttribute('href')).toContain('sortModel=');
    const [download] = await Promise.all([page.waitForEvent('download'), exportLink.click()]);
    expect(download.suggestedFilename()).toMatch(/^bookings-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = (await fs.readFile(await download.path())).toString('utf8');
    const csvLines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(csvLines[0]).toContain('Student');
    expect(csvLines).toHaveLength(1 + all.length);
    for (const name of Object.values(STUDENT_NAMES)) expect(csv).toContain(name);
    // In the grid's order (date ascending): the first data line is the oldest session.
    expect(csvLines[1]).toContain(ascending[0]);
    expect(csv).toContain(MEETING);

    expectNoProblems(problems);
  });

  // On a phone (below 700 px) the same rows are cards: dashboard-cards.journey.test.ts.
  it('B: a student sees the answers and cancels a confirmed session from the grid', async () => {
    const { page, problems } = await openPage();
    await logIn(page, 'nora');
    await openDashboard(page);
    await expect.poll(() => page.locator('#bookings-grid .ag-root-wrapper').count()).toBe(1);
    expect(await page.locator('#bookings-table').isHidden()).toBe(true);
    const mine = idsWhere((b) => b.student === 'nora');
    await expectGridIds(page, mine, 'only Nora\'s bookings');
    // No selection checkboxes for a student.
    expect(await page.locator('#bookings-grid .ag-selection-checkbox').count()).toBe(0);
    expect(await page.locator('#grid-bulk').count()).toBe(0);
    await visit(page, 'db-b-01-student-grid');

    const [p1, p4, p7, c2] = ids('p1', 'p4', 'p7', 'c2') as [string, string, string, string];
    // The actions are pinned right; the grid scrolls sideways only if the window is narrow.
    await scrollGridToEnd(page);
    for (const id of [p1, p4, c2]) await expect.poll(() => statusCell(page, id).textContent()).toContain('Confirmed');
    expect(await statusCell(page, p7).textContent()).toContain('Declined');
    expect(await gridRow(page, p4).getByRole('link', { name: 'Join' }).getAttribute('href')).toBe(MEETING);
    expect(await gridRow(page, p1).getByRole('link', { name: 'Join' }).getAttribute('href'), 'a generated room').toMatch(/^https:\/\//);
    expect(await gridRow(page, p7).getByRole('link', { name: 'Join' }).count()).toBe(0);
    expect(await gridRow(page, p7).getByRole('button', { name: 'Cancel' }).count(), 'a declined request cannot be cancelled').toBe(0);

    // Upcoming first, soonest first.
    const lines = await gridLines(page);
    expect(lines.slice(0, 4).map((l) => l.id)).toEqual([p1, p4, p7, c2]);

    // Cancel from the row: the dialog asks for a reason.
    await gridRow(page, p4).getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialogOpen(page)).toBe(true);
    expect(await decisionDialog(page).locator('#decision-title').textContent()).toBe('Cancel this booking');
    await shoot(page, 'db-b-02-student-cancel-dialog');
    await decisionDialog(page).getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => decisionDialog(page).getByRole('alert').textContent()).toBe('Say in a few words why.');
    await decisionDialog(page).getByLabel('Reason').fill('I found another slot');
    await decisionDialog(page).getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(async () => {
      await scrollGridToEnd(page);
      return statusCell(page, p4).allTextContents();
    }).toEqual([expect.stringContaining('Cancelled')]);
    expect(await page.locator('#grid-results .grid-results__summary').textContent()).toBe('1 of 1 done.');
    expect(await bookingRow(t, p4)).toMatchObject({ status: 'cancelled', cancelReason: 'I found another slot', cancelledBy: 'student' });
    expect(await gridRow(page, p4).getByRole('link', { name: 'Join' }).count(), 'no room for a cancelled session').toBe(0);
    await visit(page, 'db-b-03-student-cancelled');

    expectNoProblems(problems);
  });

  it('C: without JavaScript the mentor gets the plain table, its filter form and the row Approve form', async () => {
    const { page, problems } = await openPage({ javaScriptEnabled: false });
    await logIn(page, 'maya', '/dashboard');
    await page.waitForURL('**/dashboard');
    expect(await page.locator('#bookings-table').isVisible()).toBe(true);
    expect(await page.locator('.ag-root-wrapper').count()).toBe(0);
    const all = Object.values(data.bookings).map((b) => b.id);
    const rows = await tableLines(page);
    expect(rows.map((r) => r.id).sort()).toEqual([...all].sort());
    await shoot(page, 'db-c-01-nojs-table');
    await checkA11y(page, { soft: true });

    // Status filter through the form.
    await page.getByRole('checkbox', { name: 'Pending' }).check();
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL('**/dashboard?**');
    expect(new URL(page.url()).searchParams.getAll('status')).toEqual(['pending']);
    expect(await page.getByRole('checkbox', { name: 'Pending' }).isChecked(), 'the box stays ticked').toBe(true);
    const pendingNow = (await t.deps.knex('bookings').where({ mentorId: data.mentor.mentorId, status: 'pending' }).pluck('id')) as string[];
    const pendingRows = await tableLines(page);
    expect(pendingRows.map((r) => r.id).sort()).toEqual([...pendingNow].sort());
    expect(new Set(pendingRows.map((r) => r.status))).toEqual(new Set(['Pending']));
    await shoot(page, 'db-c-02-nojs-pending');
    await checkA11y(page, { soft: true });

    // The row's Approve form.
    const [p5] = ids('p5') as [string];
    expect(pendingNow).toContain(p5);
    await page.locator('#bookings-table tbody tr').filter({ has: page.locator(`a.grid-link[href="/bookings/${p5}"]`) }).getByRole('button', { name: 'Approve' }).click();
    await page.waitForURL(`**/bookings/${p5}`);
    expect(await page.locator('main').textContent()).toContain('The booking is confirmed; the student has been told.');
    expect((await bookingRow(t, p5)).status).toBe('confirmed');
    await page.goto('/dashboard?status=pending');
    expect((await tableLines(page)).map((r) => r.id)).not.toContain(p5);

    expectNoProblems(problems);
  });

  // --- Regressions: the grid after boosted navigation, and the dialog's close handler.

  it('D: reached by boosted navigation (the header link), the page gets the grid', async () => {
    const { page, problems } = await openPage();
    await logIn(page, 'maya');
    // The 1 MB grid library arrives after the small page script, as on any real network.
    await page.route('**/vendor/ag-grid/**', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await route.continue();
    });
    await header(page).getByRole('link', { name: 'Dashboard' }).click();
    await page.waitForURL('**/dashboard');
    await expect.poll(() => page.evaluate(() => typeof (window as unknown as { agGrid?: unknown }).agGrid)).toBe('object');
    await expect.poll(() => page.locator('#bookings-grid .ag-root-wrapper').count(), { timeout: 3_000 }).toBe(1);
    expect(await page.locator('#bookings-table').isHidden()).toBe(true);
    expectNoProblems(problems);
  });

  it('E: closing the decision dialog raises no page error', async () => {
    const { page, problems } = await openPage();
    await logIn(page, 'maya');
    await openDashboard(page);
    const [p8] = ids('p8') as [string];
    await gridRow(page, p8).getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => dialogOpen(page)).toBe(true);
    await decisionDialog(page).getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => dialogOpen(page)).toBe(false);
    await page.waitForTimeout(200);
    expectNoProblems(problems);
  });
});
