// Rescheduling through a real browser: a student changes the time of a booking from
// its page (JavaScript on, then off), and a mentor on a phone proposes another time
// that the student accepts (without JavaScript). Every page is photographed at 390
// and 1280 px and checked by axe.
//
// Time: the server runs on the real clock. The mentors are open every afternoon with
// no notice, so the picker always has free times; bookings start on the second day.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { mentorWithSkill, type MentorFixture } from '../helpers/marketplace.ts';
import { checkA11y, shoot, journeyBrowser, startServer, type PageProblems } from './harness.ts';
import { EVERY_DAY_AFTERNOON, logIn, slotStart } from './marketplace-steps.ts';

const { baseUrl, t } = await startServer();
const SHOTS = 'reschedule';
const zone = 'Europe/Paris';
const browser = journeyBrowser(() => ({ baseURL: baseUrl, locale: 'en-US', timezoneId: zone }));

/** Screenshots at both widths (screenshots/<journey>/) and an axe pass. */
async function visit(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('load');
  await shoot(page, name, SHOTS);
  await checkA11y(page, { soft: true });
}

/** A booking on the second day that has free time, made over the service (the booking flow has its own journey). */
async function bookingWith(m: MentorFixture, student: string): Promise<string> {
  const user = await t.user(student, { timezone: zone });
  const free = await t.deps.services.slots.freeSlotsFor({ id: m.mentorId, timezone: zone }, { durationMinutes: 60 });
  const firstDay = free[0]!.start.toDateString();
  const start = free.find((s) => s.start.toDateString() !== firstDay)!.start;
  const b = await t.deps.services.bookings.request(user.id, m.skillId, { start, durationMinutes: 60, subject: 'Review my borrow checker errors' });
  return b.id;
}

const later = (page: Page) => page.locator('#slots .slot-day').nth(3).locator('button.slot').first();

function expectClean(problems: PageProblems): void {
  expect(problems.csp, problems.csp.join('\n')).toEqual([]);
  expect(problems.errors, problems.errors.join('\n')).toEqual([]);
}

describe('rescheduling', () => {
  for (const js of [true, false]) {
    it(`the student changes the time of a booking (JavaScript ${js ? 'on' : 'off'})`, async () => {
      const suffix = js ? 'js' : 'nojs';
      const m = await mentorWithSkill(t, `mentor:instant${suffix}`, { rules: EVERY_DAY_AFTERNOON, settings: { minNoticeMinutes: 0, windowDays: 14, requiresApproval: false }, skill: { title: 'Ownership and lifetimes', durations: [60] } });
      const id = await bookingWith(m, `student:mover${suffix}`);
      const { page, problems } = await browser.open({ javaScriptEnabled: js });
      await logIn(page, `mover${suffix}`, `/bookings/${id}`);
      await visit(page, `booking-with-change-link-${suffix}`);
      await page.getByRole('link', { name: 'Change the time' }).click();
      await expect.poll(() => page.url()).toContain(`/bookings/${id}/reschedule`);
      await visit(page, `reschedule-picker-student-${suffix}`);
      const slot = later(page);
      const start = await slotStart(slot);
      await slot.click();
      await expect.poll(() => page.locator('.alert--success').textContent()).toContain('moved to its new time');
      await visit(page, `booking-moved-${suffix}`);
      const row = await t.deps.knex('bookings').where({ id }).first();
      expect(row.startsAt.toISOString()).toBe(new Date(start).toISOString());
      expect(await page.locator('.timeline').textContent()).toContain('Moved from');
      if (js) expectClean(problems);
    }, 90_000);
  }

  it('the mentor proposes another time on a phone, the student accepts it without JavaScript', async () => {
    const m = await mentorWithSkill(t, 'mentor:proposer', { rules: EVERY_DAY_AFTERNOON, settings: { minNoticeMinutes: 0, windowDays: 14 }, skill: { title: 'Async Rust', durations: [60] } });
    const id = await bookingWith(m, 'student:answerer');
    await t.deps.services.bookings.confirm(m.mentorId, id, {});

    const mentor = await browser.open();
    await logIn(mentor.page, 'proposer', `/bookings/${id}`);
    // The mentor answers from a phone (signed in first: the small header folds the log-out button away).
    await mentor.page.setViewportSize({ width: 390, height: 844 });
    await mentor.page.getByRole('link', { name: 'Propose another time' }).click();
    await expect.poll(() => mentor.page.url()).toContain('/reschedule');
    await visit(mentor.page, 'reschedule-picker-mentor');
    const slot = later(mentor.page);
    const start = await slotStart(slot);
    await slot.click();
    await expect.poll(() => mentor.page.locator('#reschedule-proposal').textContent()).toContain('Waiting for');
    await visit(mentor.page, 'booking-proposal-waiting-mentor');
    expectClean(mentor.problems);

    const student = await browser.open({ javaScriptEnabled: false });
    await logIn(student.page, 'answerer', `/bookings/${id}`);
    expect(await student.page.locator('#reschedule-proposal').textContent()).toContain('The mentor proposes another time');
    await visit(student.page, 'booking-proposal-student');
    await student.page.getByRole('button', { name: 'Accept the new time' }).click();
    await expect.poll(() => student.page.locator('.alert--success').textContent()).toContain('moved to the new time');
    await visit(student.page, 'booking-proposal-accepted');
    const row = await t.deps.knex('bookings').where({ id }).first();
    expect(row).toMatchObject({ status: 'confirmed', rescheduleCount: 1 });
    expect(row.startsAt.toISOString()).toBe(new Date(start).toISOString());
  }, 90_000);
});
