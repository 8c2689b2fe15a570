// Steps for the dashboard journeys: bookings inserted straight into the database (a
// mentor with a queue of requests from three students), and readers for the Ag Grid
// rows, the plain fallback table and the decision dialog.
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { TestApp } from '../helpers/app.ts';
import { mentorWithSkill, type MentorFixture } from '../helpers/marketplace.ts';

export type StudentKey = 'nora' | 'omar' | 'lina';
export const STUDENT_NAMES: Record<StudentKey, string> = { nora: 'Nora Petit', omar: 'Omar Haddad', lina: 'Lina Roux' };

export interface SeededBooking {
  key: string;
  id: string;
  student: StudentKey;
  status: string;
  startsAt: Date;
}

export interface DashboardData {
  mentor: MentorFixture;
  skillTitle: string;
  bookings: Record<string, SeededBooking>;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Whole UTC hours, `days` from today at `hour`: one booking a day keeps the mentor's bookings apart. */
function at(days: number, hour: number): Date {
  const today = new Date();
  return new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate(), hour) + days * DAY);
}

/**
 * Mentor Maya ("Grid clinic") with eight pending requests from Nora, Omar and Lina
 * (days 2–9 ahead), two confirmed sessions (days 10–11) and two past ones.
 */
export async function seedDashboard(t: TestApp): Promise<DashboardData> {
  const skillTitle = 'Grid clinic';
  const mentor = await mentorWithSkill(t, 'mentor:maya', { skill: { title: skillTitle, durations: [60] } });
  const students = {} as Record<StudentKey, string>;
  for (const key of Object.keys(STUDENT_NAMES) as StudentKey[]) {
    students[key] = (await t.user(`student:${key}`, { displayName: STUDENT_NAMES[key], timezone: 'Europe/Paris' })).id;
  }
  const plan: [key: string, student: StudentKey, days: number, status: string, meetingUrl?: string][] = [
    ['p1', 'nora', 2, 'pending'], ['p2', 'omar', 3, 'pending'], ['p3', 'lina', 4, 'pending'], ['p4', 'nora', 5, 'pending'],
    ['p5', 'omar', 6, 'pending'], ['p6', 'lina', 7, 'pending'], ['p7', 'nora', 8, 'pending'], ['p8', 'omar', 9, 'pending'],
    ['c1', 'lina', 10, 'confirmed', 'https://meet.example.com/lina'], ['c2', 'nora', 11, 'confirmed', 'https://meet.example.com/nora'],
    ['x1', 'omar', -3, 'completed', 'https://meet.example.com/omar'], ['x2', 'nora', -6, 'cancelled'],
  ];
  const bookings: Record<string, SeededBooking> = {};
  for (const [i, [key, student, days, status, meetingUrl]] of plan.entries()) {
    const startsAt = at(days, 8 + (i % 8));
    const [row] = await t.deps.knex('bookings').insert({
      skillId: mentor.skillId, mentorId: mentor.mentorId, studentId: students[student], kind: 'one_on_one',
      startsAt, endsAt: new Date(startsAt.getTime() + HOUR), durationMinutes: 60, status, subject: `Grid question ${key}`,
      priceCents: 4500, meetingUrl: meetingUrl ?? null, expiresAt: status === 'pending' ? startsAt : null,
      cancelReason: status === 'cancelled' ? 'Changed my plans' : null, cancelledBy: status === 'cancelled' ? 'student' : null,
    }).returning('id');
    bookings[key] = { key, id: (row as { id: string }).id, student, status, startsAt };
  }
  return { mentor, skillTitle, bookings };
}

export interface BookingRow {
  status: string;
  meetingUrl: string | null;
  rejectReason: string | null;
  cancelReason: string | null;
  cancelledBy: string | null;
}

export async function bookingRow(t: TestApp, id: string): Promise<BookingRow> {
  return t.deps.knex('bookings').where({ id }).first('status', 'meetingUrl', 'rejectReason', 'cancelReason', 'cancelledBy') as Promise<BookingRow>;
}

// --- The Ag Grid -------------------------------------------------------------------

export interface GridLine {
  id: string;
  student: string;
  mentor: string;
  skill: string;
  status: string;
}

/**
 * The grid's body rows. Ag Grid 36 renders one element per row (`.ag-row`, inside
 * `.ag-grid-scrolling-rows`, pinned cells within it), its `row-id` the booking id
 * (getRowId); header rows are `.ag-header-row`.
 */
export const gridRows = (page: Page): Locator => page.locator('#bookings-grid .ag-row');
export const gridRow = (page: Page, id: string): Locator => page.locator(`#bookings-grid .ag-row[row-id="${id}"]`);

/** The loaded rows as the grid shows them, top to bottom (loading placeholders left out). */
export async function gridLines(page: Page): Promise<GridLine[]> {
  return gridRows(page).evaluateAll((rows) => rows
    .filter((r) => r.getAttribute('row-id') && !r.classList.contains('ag-row-loading'))
    .sort((a, b) => Number(a.getAttribute('row-index')) - Number(b.getAttribute('row-index')))
    .map((r) => {
      const cell = (col: string) => (r.querySelector(`[col-id="${col}"]`)?.textContent ?? '').trim();
      return { id: r.getAttribute('row-id') ?? '', student: cell('studentName'), mentor: cell('mentorName'), skill: cell('skillTitle'), status: cell('status') };
    }));
}

/** Waits until the grid shows exactly `ids` (in any order), then returns its lines. */
export async function expectGridIds(page: Page, ids: string[], message?: string): Promise<GridLine[]> {
  await expect.poll(async () => (await gridLines(page)).map((l) => l.id).sort(), { timeout: 10_000, message }).toEqual([...ids].sort());
  return gridLines(page);
}

/** Scrolls the grid to its last column (a phone shows the first two or three only). */
export async function scrollGridToEnd(page: Page): Promise<void> {
  await page.locator('#bookings-grid .ag-body-horizontal-scroll-viewport').evaluate((el) => { el.scrollLeft = el.scrollWidth; });
}

export const statusCell = (page: Page, id: string): Locator => gridRow(page, id).locator('[col-id="status"]');

/** The decision dialog (approve / decline / cancel). */
export const decisionDialog = (page: Page): Locator => page.locator('dialog#decision-dialog');
export const dialogOpen = (page: Page): Promise<boolean> => decisionDialog(page).evaluate((d: HTMLDialogElement) => d.open);

// --- The plain table (JavaScript off) ------------------------------------------------

/** Rows of the server-rendered table: the booking id (from its "Open" link) and the status word. */
export async function tableLines(page: Page): Promise<{ id: string; cells: string[]; status: string }[]> {
  return page.locator('#bookings-table tbody tr').evaluateAll((rows) => rows
    .filter((r) => r.querySelector('a.grid-link'))
    .map((r) => ({
      id: (r.querySelector('a.grid-link')?.getAttribute('href') ?? '').replace('/bookings/', ''),
      cells: [...r.querySelectorAll('td')].map((td) => (td.textContent ?? '').replace(/\s+/g, ' ').trim()),
      status: (r.querySelector('.status')?.textContent ?? '').trim(),
    })));
}
