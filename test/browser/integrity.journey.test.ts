// Booking integrity as people see it: a student's own sessions show as busy slots in
// the picker ("you already have a session then"); a mentor withdrawing a group session
// with booked seats is asked for a reason (422 beside the field when empty); publishing
// a group session over the mentor's own time says why it failed; the group step of a
// session at a time the student is taken says so. Photographed at two
// widths and checked by axe. The server runs on the real clock; every time used is
// days away from now, in Paris for everyone.
import path from 'node:path';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { mentorWithSkill } from '../helpers/marketplace.ts';
import { checkA11y, SCREENSHOT_DIR, shoot, startServer, journeyBrowser } from './harness.ts';
import { EVERY_DAY_AFTERNOON, logIn, slotButtons } from './marketplace-steps.ts';

const { baseUrl, t } = await startServer();
const ZONE = 'Europe/Paris';
const at = (days: number, time: string) => DateTime.now().setZone(ZONE).plus({ days }).set({ hour: Number(time.slice(0, 2)), minute: Number(time.slice(3)), second: 0, millisecond: 0 }).toJSDate();

const browser = journeyBrowser(() => ({ baseURL: baseUrl, locale: 'en-US', timezoneId: ZONE, viewport: { width: 1280, height: 900 } }));

const openPage = () => browser.open();

/** A confirmed one-on-one of `studentId` with another mentor, straight into the database. */
async function sessionElsewhere(mentor: { mentorId: string; skillId: string }, studentId: string, startsAt: Date, minutes: number) {
  await t.deps.knex('bookings').insert({
    skillId: mentor.skillId, mentorId: mentor.mentorId, studentId, kind: 'one_on_one', startsAt, endsAt: new Date(startsAt.getTime() + minutes * 60_000),
    durationMinutes: minutes, status: 'confirmed', subject: 'Lifetimes', priceCents: 4000,
  });
}

async function takeSeat(fixture: string, skillId: string) {
  const agent = await t.signIn(fixture);
  const token = await t.csrf(agent, '/');
  const res = await agent.post(`/skills/${skillId}/bookings`).type('form').send({ _csrf: token });
  expect(res.status, res.text.slice(0, 200)).toBe(303);
}

describe('integrity, as seen in the browser', { timeout: 60_000 }, () => {
  it("marks the student's busy slots, asks a reason to withdraw seats, and says why publishing failed", async () => {
    const settings = { minNoticeMinutes: 0, windowDays: 14 };
    const tutor = await mentorWithSkill(t, 'mentor:ines', { rules: EVERY_DAY_AFTERNOON, settings, skill: { title: 'Ownership and borrowing in Rust', durations: [60] } });
    const elsewhere = await mentorWithSkill(t, 'mentor:otto', { rules: EVERY_DAY_AFTERNOON, settings });
    const student = await t.user('student:paul', { timezone: ZONE });
    await sessionElsewhere(elsewhere, student.id, at(2, '15:00'), 60);
    await sessionElsewhere(elsewhere, student.id, at(3, '17:00'), 30);

    // (a) The picker: the student's own sessions are busy slots, not buttons.
    const { page, problems } = await openPage();
    await logIn(page, 'paul');
    await page.goto(`/skills/${tutor.skillId}`);
    await page.getByRole('link', { name: 'Book', exact: true }).click();
    const flow = page.locator('dialog#booking-modal #booking-flow');
    await expect.poll(() => slotButtons(flow).count()).toBeGreaterThan(0);
    // 14:30, 15:00 and 15:30 meet 15:00–16:00; 16:30 and 17:00 meet 17:00–17:30.
    const busy = flow.locator('.slot--busy');
    expect(await busy.count()).toBe(5);
    expect(await busy.first().innerText()).toContain('you already have a session then');
    // At phone width a busy slot keeps its grid cell, as tall as the free slot beside it.
    await page.setViewportSize({ width: 390, height: 900 });
    await busy.first().scrollIntoViewIfNeeded();
    const [busyBox, besideBox] = await Promise.all([busy.first().boundingBox(), flow.locator('li:has(.slot--busy)').first().locator('xpath=preceding-sibling::li[1]').locator('.slot').boundingBox()]);
    expect(busyBox && besideBox && { width: Math.round(busyBox.width), height: Math.round(busyBox.height), y: busyBox.y })
      .toEqual(besideBox && { width: Math.round(besideBox.width), height: Math.round(besideBox.height), y: besideBox.y });
    // The modal scrolls inside itself: a full-page shot shows its top only, so the busy day gets its own.
    await busy.first().locator('xpath=ancestor::section[1]').screenshot({ path: path.join(SCREENSHOT_DIR, 'integrity-slots-busy-day-390.png'), animations: 'disabled' });
    await shoot(page, 'integrity-slots-busy');
    await checkA11y(page, { soft: true });

    // (b) The withdrawal page of a group session with three seats, then its 422.
    const group = await mentorWithSkill(t, 'mentor:gaia', {
      payable: true, // the draft published below is paid: only the clash may refuse it
      skill: { title: 'Live code review: async Rust in production', mode: 'group', durations: [90], startsAt: at(5, '18:00'), capacity: 8 },
    });
    for (const s of ['lea', 'marc', 'nina']) await takeSeat(`student:${s}`, group.skillId);
    const mentor = await openPage();
    await logIn(mentor.page, 'gaia');
    await mentor.page.goto(`/skills/${group.skillId}/cancellation`);
    expect(await mentor.page.getByText('3 students have a seat.').count()).toBe(1);
    await shoot(mentor.page, 'integrity-withdraw');
    await checkA11y(mentor.page, { soft: true });
    await mentor.page.getByRole('button', { name: 'Withdraw and cancel 3 seats' }).click();
    await expect.poll(() => mentor.page.locator('#w-reason-error').count()).toBe(1);
    expect(await t.deps.knex('bookings').where({ skillId: group.skillId, status: 'confirmed' })).toHaveLength(3);
    await shoot(mentor.page, 'integrity-withdraw-422');
    await checkA11y(mentor.page, { soft: true });

    // (c) A draft at the same time as the published session cannot be published.
    const [draft] = await t.deps.knex('skills').insert({
      mentorId: group.mentorId, title: 'Async Rust, second group', description: 'The same evening, by mistake.', category: 'programming',
      priceCents: 1500, durations: [60], mode: 'group', status: 'draft', startsAt: at(5, '18:30'), capacity: 6,
    }).returning('id');
    await mentor.page.goto(`/skills/${(draft as { id: string }).id}`);
    await mentor.page.getByRole('button', { name: 'Publish' }).click();
    await expect.poll(() => mentor.page.getByText('You already have a session at that time').count()).toBe(1);
    // The skill page itself is checked by axe in the marketplace journeys.
    await shoot(mentor.page, 'integrity-publish-clash');

    // The session's page tells the student whose evening is taken, instead of a seat button
    // (the group step says the same when reached directly: src/bookings/group-step.test.ts).
    await sessionElsewhere(elsewhere, student.id, at(5, '19:00'), 60);
    await page.goto(`/skills/${group.skillId}`);
    await expect.poll(() => page.locator('#skill-seat').getByText('You already have a session then').count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Reserve a seat' }).count()).toBe(0);
    await shoot(page, 'integrity-group-busy');
    await checkA11y(page, { soft: true });

    expect(problems).toEqual({ csp: [], errors: [] });
    expect(mentor.problems).toEqual({ csp: [], errors: [] });
  });
});
