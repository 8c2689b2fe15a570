// A mentor takes a day off that holds three bookings: the confirmation step lists them,
// refuses "cancel" without a reason beside the field, then cancels them with one; the
// availability page says how many. The same step without JavaScript keeps them.
// Bookings are inserted straight into the database; the server runs on the real clock.
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { mentorWithSkill } from '../helpers/marketplace.ts';
import { checkA11y, shoot, startServer, journeyBrowser } from './harness.ts';
import { logIn } from './marketplace-steps.ts';

const { baseUrl, t } = await startServer();
const ZONE = 'Europe/Paris';
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '09:00', end: '17:00' }));

const browser = journeyBrowser(() => ({ baseURL: baseUrl, locale: 'en-US', timezoneId: ZONE, viewport: { width: 1280, height: 900 } }));

const openPage = (javaScriptEnabled = true) => browser.open({ javaScriptEnabled });

/** A mentor open every day, with one-hour bookings on `date` at the given local hours. */
async function mentorWithBookings(fixture: string, date: string, hours: [student: string, hour: number][]): Promise<string[]> {
  const { mentorId, skillId } = await mentorWithSkill(t, fixture, { rules: EVERY_DAY, skill: { title: 'Async Rust, step by step', durations: [60] } });
  const ids: string[] = [];
  for (const [student, hour] of hours) {
    const studentId = (await t.user(`student:${student}`, { displayName: student.replace(/^\w/, (c) => c.toUpperCase()) + ' Martin-Delacroix' })).id;
    const startsAt = DateTime.fromISO(`${date}T${String(hour).padStart(2, '0')}:00`, { zone: ZONE }).toJSDate();
    const [row] = await t.deps.knex('bookings').insert({
      skillId, mentorId, studentId, kind: 'one_on_one', startsAt, endsAt: new Date(startsAt.getTime() + 3_600_000), durationMinutes: 60,
      status: hour < 12 ? 'confirmed' : 'pending', subject: 'Tokio', priceCents: 4000, expiresAt: hour < 12 ? null : startsAt,
    }).returning('id');
    ids.push((row as { id: string }).id);
  }
  return ids;
}

const statuses = (ids: string[]) => t.deps.knex('bookings').whereIn('id', ids).orderBy('startsAt').pluck('status');

async function askForTimeOff(page: Page, date: string): Promise<void> {
  await page.goto('/availability');
  await page.getByLabel('Time off (leave the times empty for the whole day)').check();
  await page.getByLabel('Date', { exact: true }).fill(date);
  await page.getByRole('button', { name: 'Add the exception' }).click();
  await expect.poll(() => page.getByRole('heading', { name: 'Bookings fall in this time' }).count()).toBe(1);
}

describe('a day off over live bookings', () => {
  it('lists them, needs a reason to cancel, cancels them and says so', async () => {
    const date = DateTime.now().setZone(ZONE).plus({ days: 3 }).toISODate()!;
    const ids = await mentorWithBookings('mentor:iris', date, [['anna', 9], ['bruno', 11], ['chloe', 14]]);
    const { page, problems } = await openPage();
    await logIn(page, 'iris');
    await askForTimeOff(page, date);
    const affected = page.getByRole('region', { name: '3 bookings are affected' }).getByRole('listitem');
    await expect.poll(() => affected.count()).toBe(3);
    expect(await affected.first().innerText()).toContain('Anna Martin-Delacroix');
    expect(await page.getByLabel('Keep these bookings').isChecked()).toBe(true);
    await shoot(page, 'availability-blocking-step');
    await checkA11y(page, { soft: true });

    await page.getByLabel('Cancel them').check();
    await page.getByRole('button', { name: 'Apply the change' }).click();
    await expect.poll(() => page.locator('#blocking-reason-error').count()).toBe(1);
    expect(await page.getByLabel('Cancel them').isChecked()).toBe(true);
    await shoot(page, 'availability-blocking-no-reason');
    expect(await statuses(ids)).toEqual(['confirmed', 'confirmed', 'pending']);

    await page.getByLabel('Reason for the students').fill('A family emergency: I am sorry, please book another day.');
    await page.getByRole('button', { name: 'Apply the change' }).click();
    await expect.poll(() => page.getByText('3 bookings were cancelled; their students have been told.').count()).toBe(1);
    expect(new URL(page.url()).pathname).toBe('/availability');
    // The agreed sessions are cancelled, the pending request declined, with the reason.
    expect(await statuses(ids)).toEqual(['cancelled', 'cancelled', 'rejected']);
    await shoot(page, 'availability-blocking-done');
    expect(problems).toEqual({ csp: [], errors: [] });
  });

  it('works without JavaScript: keep is the default', async () => {
    const date = DateTime.now().setZone(ZONE).plus({ days: 4 }).toISODate()!;
    const ids = await mentorWithBookings('mentor:jules', date, [['dora', 10]]);
    const { page } = await openPage(false);
    await logIn(page, 'jules');
    await askForTimeOff(page, date);
    await page.getByRole('button', { name: 'Apply the change' }).click();
    await expect.poll(() => page.getByText('1 booking in this time was kept: it still takes place.').count()).toBe(1);
    expect(await statuses(ids)).toEqual(['confirmed']);
  });
});
