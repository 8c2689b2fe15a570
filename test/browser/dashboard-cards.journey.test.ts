// The bookings dashboards on a phone (390 px, in French): one card per booking instead
// of the grid, fed by the same /api/bookings, the same filters, selection, bulk bar and
// decision dialog; more cards as the list scrolls; the views swap when the width
// crosses 700 px without losing the filter or the selection. At 1280 px the grids'
// last columns (the bookings' Actions, the admin users' "Désactiver") are never
// clipped, in French and in English.
//
// Data: inserted straight into the database, one booking a day for the mentor (more
// than one block of cards), the server on the real clock.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkA11y, journeyBrowser, shoot, startServer, type PageProblems } from './harness.ts';
import { bookingRow, decisionDialog, dialogOpen, gridRow } from './dashboard-steps.ts';
import { PASSWORD } from '../helpers/app.ts';
import { mentorWithSkill } from '../helpers/marketplace.ts';

const { baseUrl, t } = await startServer();
const browser = journeyBrowser(() => ({ baseURL: baseUrl, locale: 'fr-FR', timezoneId: 'Europe/Paris', viewport: { width: 390, height: 900 } }));

const FOLDER = 'dashboard-cards';
/** Polls wait this long: on two shared cores an answer plus a reload can take seconds. */
const WAIT = { timeout: 15_000 };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SKILL = 'Atelier cartes';
const STUDENTS = { cardines: 'Inès Moreau', cardtheo: 'Théo Blanc', cardmila: 'Mila Fontaine' } as const;
type Student = keyof typeof STUDENTS;

interface Seeded { id: string; student: Student; status: string; days: number }
let seeded: Seeded[] = [];

const at = (days: number, hour: number) => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), hour) + days * DAY);
};

beforeAll(async () => {
  const mentor = await mentorWithSkill(t, 'mentor:cardcarla', { skill: { title: SKILL, durations: [60] } });
  await t.deps.knex('users').where({ id: mentor.mentorId }).update({ locale: 'fr', displayName: 'Carla Cartes' });
  const ids = {} as Record<Student, string>;
  for (const key of Object.keys(STUDENTS) as Student[]) ids[key] = (await t.user(`student:${key}`, { displayName: STUDENTS[key], locale: 'fr' })).id;
  const keys = Object.keys(STUDENTS) as Student[];
  // 18 requests (days 2–19), 4 confirmed sessions (days 20–23), 4 past: 26 bookings,
  // more than the 20 cards of a block.
  const plan: [days: number, status: string][] = [
    ...Array.from({ length: 18 }, (_, i) => [2 + i, 'pending'] as [number, string]),
    ...Array.from({ length: 4 }, (_, i) => [20 + i, 'confirmed'] as [number, string]),
    [-2, 'completed'], [-4, 'completed'], [-6, 'cancelled'], [-8, 'cancelled'],
  ];
  seeded = [];
  for (const [i, [days, status]] of plan.entries()) {
    const student = keys[i % keys.length]!;
    const startsAt = at(days, 8 + (i % 8));
    const [row] = await t.deps.knex('bookings').insert({
      skillId: mentor.skillId, mentorId: mentor.mentorId, studentId: ids[student], kind: 'one_on_one',
      startsAt, endsAt: new Date(startsAt.getTime() + HOUR), durationMinutes: 60, status, subject: `Question ${i + 1} sur les cartes`,
      priceCents: 4500, meetingUrl: status === 'confirmed' ? `https://meet.example.com/cards-${i}` : null,
      expiresAt: status === 'pending' ? startsAt : null,
      cancelReason: status === 'cancelled' ? 'Autre chose' : null, cancelledBy: status === 'cancelled' ? 'student' : null,
    }).returning('id');
    seeded.push({ id: (row as { id: string }).id, student, status, days });
  }
});

/** The login form by field names: the journey runs in French, the shared helper reads English labels. */
async function logInAs(page: Page, identifier: string, password = PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.locator('input[name="identifier"]').fill(identifier);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('form[action="/login"] button[type="submit"]').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  await page.waitForLoadState('load');
}

async function openDashboard(page: Page): Promise<void> {
  await page.goto('/dashboard');
  await page.waitForLoadState('load');
}

const cards = (page: Page) => page.locator('#bookings-grid .booking-card');
const card = (page: Page, id: string) => page.locator(`#bookings-grid .booking-card[data-id="${id}"]`);
const cardIds = (page: Page) => cards(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-id') ?? ''));
const sorted = (ids: string[]) => [...ids].sort();
const where = (pred: (b: Seeded) => boolean) => seeded.filter(pred).map((b) => b.id);

async function expectCardIds(page: Page, ids: string[], message?: string): Promise<void> {
  await expect.poll(async () => sorted(await cardIds(page)), { ...WAIT, message }).toEqual(sorted(ids));
}

async function expectNoSidewaysScroll(page: Page, when: string): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth, `no horizontal overflow (${when})`).toBeLessThanOrEqual(innerWidth);
}

function expectNoProblems(problems: PageProblems): void {
  expect(problems.csp, 'CSP violations').toEqual([]);
  expect(problems.errors, 'uncaught page errors').toEqual([]);
}

/** The element's box lies inside the container's (1 px of rounding allowed). */
async function insideOf(page: Page, inner: string, outer: string): Promise<{ inner: DOMRect[]; outer: DOMRect; ok: boolean }> {
  return page.evaluate(([i, o]) => {
    const box = document.querySelector(o!)!.getBoundingClientRect();
    const boxes = [...document.querySelectorAll(i!)].map((e) => e.getBoundingClientRect());
    return { inner: boxes, outer: box, ok: boxes.length > 0 && boxes.every((b) => b.left >= box.left - 1 && b.right <= box.right + 1) };
  }, [inner, outer]);
}

/** Every action of every loaded row ends inside its Actions cell and the grid's viewport. */
async function actionsUnclipped(page: Page, gridId: string): Promise<{ clipped: string[]; cells: number }> {
  return page.evaluate((id) => {
    const wrapper = document.querySelector(`#${id} .ag-root-wrapper`)!.getBoundingClientRect();
    const cells = [...document.querySelectorAll(`#${id} .ag-row:not(.ag-row-loading) .ag-cell[col-id="actions"]`)];
    const clipped: string[] = [];
    for (const cell of cells) {
      const c = cell.getBoundingClientRect();
      for (const a of cell.querySelectorAll('a, button')) {
        const r = a.getBoundingClientRect();
        if (r.right > c.right + 1 || r.right > wrapper.right + 1 || r.left < c.left - 1) clipped.push(`${a.textContent}: ${Math.round(r.right)} > ${Math.round(Math.min(c.right, wrapper.right))}`);
      }
    }
    return { clipped, cells: cells.length };
  }, gridId);
}

/**
 * Columns cut off: a header cell that does not end before the pinned Actions column or
 * the grid's edge, and a body that scrolls sideways (a column hidden past the edge).
 */
async function clippedColumns(page: Page, gridId: string): Promise<string[]> {
  return page.evaluate((id) => {
    const root = document.getElementById(id)!;
    const wrapper = root.querySelector('.ag-root-wrapper')!.getBoundingClientRect();
    const pinned = root.querySelector('.ag-header-cell[col-id="actions"]')!.getBoundingClientRect();
    const out: string[] = [];
    for (const cell of root.querySelectorAll('.ag-header-cell[col-id]')) {
      const colId = cell.getAttribute('col-id')!;
      const r = cell.getBoundingClientRect();
      if (r.width === 0) continue;
      const limit = colId === 'actions' ? wrapper.right : pinned.left;
      if (r.left < wrapper.left - 1 || r.right > limit + 1) out.push(`${colId}: ${Math.round(r.left)}–${Math.round(r.right)} past ${Math.round(limit)}`);
    }
    const scroll = root.querySelector('.ag-body-horizontal-scroll-viewport');
    if (scroll && scroll.scrollWidth > scroll.clientWidth + 1) out.push(`the body scrolls sideways by ${scroll.scrollWidth - scroll.clientWidth} px`);
    return out;
  }, gridId);
}

describe('bookings dashboards as cards on a phone', { timeout: 180_000 }, () => {
  it('A: a mentor filters, scrolls for more, accepts two requests at once and one from its card (390 px, French)', async () => {
    const { page, problems } = await browser.open();
    const fetched: string[] = [];
    page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
    await logInAs(page, 'cardcarla');
    await openDashboard(page);

    // --- Cards, not the grid (nor the plain table). ---------------------------------
    await expect.poll(() => cards(page).count(), WAIT).toBe(20);
    expect(await page.locator('#bookings-grid .ag-root-wrapper').count(), 'no grid built on a phone').toBe(0);
    expect(fetched.filter((p) => /ag-grid|bookings-grid/.test(p)), 'a phone never downloads Ag Grid').toEqual([]);
    expect(await page.locator('#bookings-table').isHidden(), 'the fallback table is hidden').toBe(true);
    const latest = seeded.find((b) => b.days === 23)!;
    const first = card(page, latest.id);
    expect((await first.locator('.booking-card__title').textContent())?.trim()).toBe(STUDENTS[latest.student]);
    expect(await first.locator('.booking-card__skill').textContent()).toBe(SKILL);
    expect(await first.locator('.booking-card__subject').textContent()).toMatch(/^Question \d+ sur les cartes$/);
    expect(await first.locator('.status').textContent()).toBe('Confirmée');
    expect(await first.locator('.booking-card__facts').textContent()).toContain('60 min');
    expect(await first.locator('.booking-card__facts').textContent()).toMatch(/45\s?€/);
    expect(await first.getByRole('link', { name: 'Rejoindre' }).getAttribute('href')).toMatch(/^https:\/\/meet\.example\.com\/cards-/);
    expect(await first.getByRole('button', { name: 'Annuler' }).count(), 'a mentor may cancel a confirmed session').toBe(1);
    expect(await first.getByRole('link', { name: 'Ouvrir' }).getAttribute('href')).toBe(`/bookings/${latest.id}`);
    expect(await first.locator('input[type="checkbox"]').count(), 'only requests are selectable').toBe(0);
    const request = card(page, seeded.find((b) => b.days === 10)!.id);
    expect(await request.getByRole('button', { name: 'Accepter' }).count()).toBe(1);
    expect(await request.getByRole('button', { name: 'Refuser' }).count()).toBe(1);
    expect(await request.locator('input[type="checkbox"]').count()).toBe(1);
    await expectNoSidewaysScroll(page, 'first cards');
    await shoot(page, 'a-01-mentor-cards', FOLDER);
    await checkA11y(page, { soft: true, widths: [390] });

    // --- Infinite loading: scrolling to the end brings the rest. --------------------
    const more = page.locator('#bookings-grid .booking-cards__more');
    expect(await more.evaluate((b) => b.tagName), 'a real button as fallback').toBe('BUTTON');
    await page.evaluate(() => window.scrollTo(0, document.scrollingElement!.scrollHeight));
    await expectCardIds(page, seeded.map((b) => b.id), 'every booking once scrolled to the end');
    await expect.poll(() => more.isHidden(), { ...WAIT, message: 'nothing more to load' }).toBe(true);
    expect(await page.locator('#bookings-grid .booking-cards__count').textContent()).toContain('26');
    await expectNoSidewaysScroll(page, 'all cards');

    // --- Quick filter. ----------------------------------------------------------------
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.locator('#grid-quick').pressSequentially('ines', { delay: 20 });
    await expectCardIds(page, where((b) => b.student === 'cardines'), 'the quick filter keeps Inès');
    expect(new Set(await cards(page).locator('.booking-card__title').allTextContents())).toEqual(new Set([STUDENTS.cardines]));
    await page.locator('#grid-quick').fill('');
    await expect.poll(() => cards(page).count(), WAIT).toBeGreaterThanOrEqual(20);

    // --- A status toggle: pending only. ---------------------------------------------
    const pendingBox = page.locator('[data-status-filter][value="pending"]');
    await pendingBox.check();
    await expectCardIds(page, where((b) => b.status === 'pending'), 'only the requests');
    expect(new Set(await cards(page).locator('.status').allTextContents())).toEqual(new Set(['En attente']));
    await shoot(page, 'a-02-pending-cards', FOLDER);

    // --- Two cards selected, accepted from the bulk bar through the dialog. ---------
    const [one, two] = where((b) => b.status === 'pending' && b.days >= 5 && b.student !== 'cardtheo') as [string, string];
    const three = where((b) => b.status === 'pending' && b.student === 'cardtheo').at(-1)!;
    const bulk = page.locator('#grid-bulk');
    expect(await bulk.isHidden()).toBe(true);
    await card(page, one).locator('input[type="checkbox"]').check();
    await card(page, two).locator('input[type="checkbox"]').check();
    await expect.poll(() => bulk.isVisible(), WAIT).toBe(true);
    expect(await page.locator('#grid-bulk-count').textContent()).toMatch(/^2\b/);
    await expectNoSidewaysScroll(page, 'bulk bar');
    await shoot(page, 'a-03-two-selected', FOLDER);
    await bulk.locator('[data-bulk="approve"]').click();
    await expect.poll(() => dialogOpen(page), WAIT).toBe(true);
    expect(await decisionDialog(page).locator('#decision-title').textContent()).toMatch(/\b2\b/);
    await shoot(page, 'a-04-bulk-dialog', FOLDER);
    await decisionDialog(page).getByRole('button', { name: 'Confirmer' }).click();
    await expect.poll(() => page.locator('#grid-results li.is-ok').count(), WAIT).toBe(2);
    expect(await dialogOpen(page)).toBe(false);
    for (const id of [one, two]) expect((await bookingRow(t, id)).status).toBe('confirmed');
    await expectCardIds(page, where((b) => b.status === 'pending' && b.id !== one && b.id !== two), 'accepted requests leave the pending view');
    await expect.poll(() => bulk.isHidden(), { ...WAIT, message: 'the selection is cleared' }).toBe(true);

    // --- The width crosses 700 px: the grid takes over with the same filter and selection, and back.
    await card(page, three).locator('input[type="checkbox"]').check();
    await page.locator('#grid-quick').fill('théo');
    const theoPending = where((b) => b.status === 'pending' && b.student === 'cardtheo' && b.id !== one && b.id !== two);
    await expectCardIds(page, theoPending);
    await page.setViewportSize({ width: 1280, height: 900 });
    await expect.poll(() => page.locator('#bookings-grid .ag-root-wrapper').isVisible(), WAIT).toBe(true);
    expect(await page.locator('#bookings-grid .booking-cards').isHidden(), 'the cards step aside').toBe(true);
    await expect.poll(() => page.locator('#bookings-grid .ag-row[row-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('row-id')).sort()), { ...WAIT, message: 'the same filter in the grid' }).toEqual(sorted(theoPending));
    const selectedInGrid = await page.locator('#bookings-grid .ag-row-selected').evaluateAll((rows) => rows.map((r) => r.getAttribute('row-id')));
    expect(selectedInGrid, 'the card selected on the phone is selected in the grid').toEqual([three]);
    expect(await page.locator('#grid-bulk-count').textContent()).toMatch(/^1\b/);
    await shoot(page, 'a-05-grid-after-resize', FOLDER);
    await page.setViewportSize({ width: 390, height: 900 });
    await expect.poll(() => page.locator('#bookings-grid .booking-cards').isVisible(), WAIT).toBe(true);
    expect(await page.locator('#bookings-grid .grid-mount').isHidden()).toBe(true);
    expect(await card(page, three).locator('input[type="checkbox"]').isChecked(), 'still selected after the round trip').toBe(true);
    await card(page, three).locator('input[type="checkbox"]').uncheck();
    await expect.poll(() => bulk.isHidden(), WAIT).toBe(true);
    await page.locator('#grid-quick').fill('');

    // --- One request accepted from its own card. ------------------------------------
    await expectCardIds(page, where((b) => b.status === 'pending' && b.id !== one && b.id !== two));
    await card(page, three).getByRole('button', { name: 'Accepter' }).click();
    await expect.poll(() => dialogOpen(page), WAIT).toBe(true);
    expect(await decisionDialog(page).locator('#decision-title').textContent()).toMatch(/\b1\b/);
    await decisionDialog(page).getByRole('button', { name: 'Confirmer' }).click();
    await expect.poll(() => card(page, three).count(), { ...WAIT, message: 'accepted: out of the pending view' }).toBe(0);
    expect((await bookingRow(t, three)).status).toBe('confirmed');
    await pendingBox.uncheck();
    await expect.poll(() => card(page, three).locator('.status').textContent(), WAIT).toBe('Confirmée');
    expect(await card(page, three).getByRole('link', { name: 'Rejoindre' }).count(), 'a room once accepted').toBe(1);
    await expectNoSidewaysScroll(page, 'after the answers');
    await shoot(page, 'a-06-after-answers', FOLDER);
    expectNoProblems(problems);
  });

  it('B: a student gets cards too, and cancels a session from one (390 px, French)', async () => {
    const { page, problems } = await browser.open();
    await logInAs(page, 'cardmila');
    await openDashboard(page);
    const mine = where((b) => b.student === 'cardmila');
    await expectCardIds(page, mine, 'only Mila\'s bookings');
    expect(await page.locator('#bookings-grid .ag-root-wrapper').count()).toBe(0);
    expect(await cards(page).locator('input[type="checkbox"]').count(), 'no selection for a student').toBe(0);
    expect(await page.locator('#grid-bulk').count()).toBe(0);
    const names = new Set(await cards(page).locator('.booking-card__title').allTextContents());
    expect(names, 'a student sees the mentor').toEqual(new Set(['Carla Cartes']));
    await expectNoSidewaysScroll(page, 'student cards');
    await shoot(page, 'b-01-student-cards', FOLDER);

    const session = (await t.deps.knex('bookings').whereIn('id', mine).where({ status: 'confirmed' }).orderBy('startsAt', 'desc').first('id')) as { id: string };
    await card(page, session.id).getByRole('button', { name: 'Annuler' }).click();
    await expect.poll(() => dialogOpen(page), WAIT).toBe(true);
    await decisionDialog(page).locator('#d-reason').fill('Un empêchement');
    await decisionDialog(page).getByRole('button', { name: 'Confirmer' }).click();
    await expect.poll(() => card(page, session.id).locator('.status').textContent(), WAIT).toBe('Annulée');
    expect(await bookingRow(t, session.id)).toMatchObject({ status: 'cancelled', cancelledBy: 'student' });
    expect(await card(page, session.id).getByRole('link', { name: 'Rejoindre' }).count()).toBe(0);
    await expectNoSidewaysScroll(page, 'student after cancel');
    expectNoProblems(problems);
  });

  it('C: without JavaScript the dashboard stays usable at 390 px', async () => {
    const { page, problems } = await browser.open({ javaScriptEnabled: false });
    await logInAs(page, 'cardcarla');
    await openDashboard(page);
    // The server's cards (the same ones the script takes over), not the wide table.
    expect(await cards(page).count()).toBe(20);
    expect(await page.locator('#bookings-table').isHidden()).toBe(true);
    await expectNoSidewaysScroll(page, 'server cards');
    // Each booking is one card whose Accept form, Decline and Open are on screen, and pages are links.
    const requestId = await page.locator('#bookings-grid .booking-card:has(form[method="post"])').first().getAttribute('data-id');
    const request = `#bookings-grid .booking-card[data-id="${requestId}"]`;
    expect(await page.locator(request).locator('form[method="post"]').getByRole('button', { name: 'Accepter' }).count()).toBe(1);
    expect(await page.locator(request).locator('form[method="get"]').getByRole('button', { name: 'Refuser' }).count()).toBe(1);
    expect(await insideOf(page, `${request} .booking-card__actions .btn`, request)).toMatchObject({ ok: true });
    const open = await insideOf(page, '#bookings-grid .booking-card [data-action="open"]', '#bookings-grid .booking-cards__list');
    expect(open.ok, 'every "Ouvrir" link inside the list').toBe(true);
    expect(await page.locator('#bookings-grid .booking-cards .pagination a[rel="next"]').getAttribute('href')).toBe('/dashboard?page=2');
    await shoot(page, 'c-01-nojs', FOLDER);
    await checkA11y(page, { soft: true, widths: [390] });
    expectNoProblems(problems);
  });

  it('D: at 1280 px the last columns of the bookings grid and the users grid are fully visible, in French and English', async () => {
    for (const locale of ['fr-FR', 'en-US']) {
      const lang = locale.slice(0, 2);
      const { page, problems } = await browser.open({ locale, viewport: { width: 1280, height: 900 } });
      await logInAs(page, 'admin@leboncours.test', 'admin-password-123');
      // The admin's dashboard has the most columns; the mentor's has selection boxes.
      await openDashboard(page);
      await expect.poll(() => page.locator('#bookings-grid .ag-row[row-id]').count(), WAIT).toBeGreaterThan(0);
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
      expect((await insideOf(page, '#bookings-grid .ag-header-cell[col-id="actions"]', '#bookings-grid .ag-root-wrapper')).ok, `${lang}: the Actions header is inside the grid`).toBe(true);
      await expect.poll(async () => (await actionsUnclipped(page, 'bookings-grid')).cells, WAIT).toBeGreaterThan(0);
      expect((await actionsUnclipped(page, 'bookings-grid')).clipped, `${lang}: no action clipped in the bookings grid`).toEqual([]);
      expect(await clippedColumns(page, 'bookings-grid'), `${lang}: no column of the admin's bookings grid clipped`).toEqual([]);
      await shoot(page, `d-admin-dashboard-${lang}`, FOLDER);

      await page.goto('/admin/users');
      await expect.poll(() => page.locator('#users-grid .ag-row[row-id]').count(), WAIT).toBeGreaterThan(0);
      const header = '#users-grid .ag-header-cell[col-id="actions"]';
      expect((await insideOf(page, header, '#users-grid .ag-root-wrapper')).ok, `${lang}: the users grid's last header is inside`).toBe(true);
      expect((await actionsUnclipped(page, 'users-grid')).clipped, `${lang}: no "disable" button clipped`).toEqual([]);
      expect(await clippedColumns(page, 'users-grid'), `${lang}: no column of the users grid clipped`).toEqual([]);
      expect(await page.locator(`${header} .ag-header-cell-text`).evaluate((e) => e.scrollWidth <= e.clientWidth), `${lang}: the header label is whole`).toBe(true);
      await shoot(page, `d-admin-users-${lang}`, FOLDER);
      expectNoProblems(problems);
    }

    // The mentor's grid, in French (the "Ouvrir" of every row).
    const { page } = await browser.open({ viewport: { width: 1280, height: 900 } });
    await logInAs(page, 'cardcarla');
    await openDashboard(page);
    await expect.poll(async () => (await actionsUnclipped(page, 'bookings-grid')).cells, WAIT).toBeGreaterThan(0);
    expect((await insideOf(page, '#bookings-grid .ag-header-cell[col-id="actions"]', '#bookings-grid .ag-root-wrapper')).ok).toBe(true);
    expect((await actionsUnclipped(page, 'bookings-grid')).clipped, 'fr mentor: no action clipped').toEqual([]);
    expect(await clippedColumns(page, 'bookings-grid'), 'fr mentor: no column clipped').toEqual([]);
    const someRow = seeded.find((b) => b.status === 'confirmed')!.id;
    expect(await gridRow(page, someRow).getByRole('link', { name: 'Ouvrir' }).isVisible()).toBe(true);
    await shoot(page, 'd-mentor-grid-fr', FOLDER);
  });
});
