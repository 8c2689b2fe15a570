// The booking issue seen through a real browser: a student finds a skill by live
// search, books it in the htmx modal (three steps), the mentor is told by the bell,
// approves with a meeting link and edits the weekly hours; the same booking with
// JavaScript off through plain pages; and a lost race for a slot (409) inside the
// modal. Every visited page is photographed at two widths and checked by axe.
//
// Time: the server runs on the real clock and the browser on real time. The mentors
// are open every day 14:00–18:00 Paris with no notice, so the 7-day picker always
// has free slots whatever the date; the students live in America/Montreal, so the
// times they see differ from the mentor's.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mentorWithSkill, type MentorFixture } from '../helpers/marketplace.ts';
import { checkA11y, collectProblems, launchBrowser, newContext, shoot, startServer, type PageProblems } from './harness.ts';
import { bellCount, EVERY_DAY_AFTERNOON, holdOverHttp, logIn, slotButtons, slotClearOfNow, slotStart, timeIn } from './marketplace-steps.ts';

const { baseUrl, t } = await startServer();

const STUDENT_ZONE = 'America/Montreal';
const MEETING = 'https://meet.example.com/journey';

let browser: Browser;
const contexts: BrowserContext[] = [];
let tokio: MentorFixture; // journey A (alice)
let windev: MentorFixture; // journey B (bruno)
let postgres: MentorFixture; // journey C (chloe)

beforeAll(async () => {
  const settings = { minNoticeMinutes: 0, windowDays: 14 };
  [browser, tokio, windev, postgres] = await Promise.all([
    launchBrowser(),
    mentorWithSkill(t, 'mentor:alice', { rules: EVERY_DAY_AFTERNOON, settings, payable: true, skill: { title: 'Async Rust with Tokio', priceCents: 4000, durations: [30, 60] } }),
    mentorWithSkill(t, 'mentor:bruno', { rules: EVERY_DAY_AFTERNOON, settings, payable: true, skill: { title: 'HFSQL reports in WinDev', priceCents: 3500, durations: [60] } }),
    mentorWithSkill(t, 'mentor:chloe', { rules: EVERY_DAY_AFTERNOON, settings, skill: { title: 'PostgreSQL indexing clinic', priceCents: 0, durations: [30] } }),
  ]);
  for (const s of ['sam', 'carl', 'dana', 'eli']) await t.user(`student:${s}`, { timezone: STUDENT_ZONE });
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
});

async function openPage(options: { javaScriptEnabled?: boolean } = {}): Promise<{ page: Page; problems: PageProblems }> {
  const context = await newContext(browser, {
    baseURL: baseUrl, locale: 'en-US', timezoneId: STUDENT_ZONE, javaScriptEnabled: options.javaScriptEnabled ?? true,
  });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return { page, problems: collectProblems(page) };
}

/** Screenshots at both widths, then axe (soft, so one run reports every page). */
async function visit(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('load');
  await shoot(page, name);
  await checkA11y(page, { soft: true });
}

/** Fills the simulated checkout's card form and submits it. */
async function payWithCard(page: Page, card: string): Promise<void> {
  await page.getByLabel('Card number').fill(card);
  await page.getByLabel('Expiry (MM/YY)').fill('12/30');
  await page.getByLabel('Security code').fill('123');
  await page.getByRole('button', { name: /^(Authorize|Pay) / }).click();
  await page.waitForLoadState('load');
}

function expectNoProblems(problems: PageProblems): void {
  expect(problems.csp, 'CSP violations').toEqual([]);
  expect(problems.errors, 'uncaught page errors').toEqual([]);
}

const BOOKING_URL = /\/bookings\/[0-9a-f-]{36}$/;
const modal = (page: Page) => page.locator('dialog#booking-modal');
const flow = (page: Page) => page.locator('#booking-flow');
const currentStep = (page: Page) => flow(page).locator('.steps__item[aria-current="step"]');
const status = (page: Page) => page.locator('#booking-detail .page-head .status');

describe('booking journeys', { timeout: 120_000 }, () => {
  it('A: a student finds a skill by live search and books it in the modal; the mentor approves (JavaScript on)', async () => {
    const { page, problems } = await openPage();

    // --- The student signs in and searches from the landing page. ------------------
    await logIn(page, 'sam');
    expect(new URL(page.url()).pathname).toBe('/');
    const results = page.locator('#results');
    await expect.poll(() => results.locator('.skill-card').count()).toBe(3);
    await visit(page, 'bk-a-01-landing');

    await page.evaluate(() => { (window as unknown as { journeyMarker: number }).journeyMarker = 42; });
    await page.locator('#q').pressSequentially('toki', { delay: 40 });
    await expect.poll(() => results.locator('.skill-card').count(), { timeout: 5_000 }).toBe(1);
    expect(await results.locator('.skill-card__title').textContent()).toContain('Async Rust with Tokio');
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('toki');
    // The results section replaces itself (no nested live regions), and the pushed
    // URL carries only the fields that were filled.
    expect(await page.locator('[id="results"]').count()).toBe(1);
    expect(new URL(page.url()).search).toBe('?q=toki&sort=relevance');
    // The same document: a page load would have dropped the marker.
    expect(await page.evaluate(() => (window as unknown as { journeyMarker?: number }).journeyMarker)).toBe(42);
    await visit(page, 'bk-a-02-search-results');

    // --- The skill page, then the modal. --------------------------------------------
    await results.getByRole('link', { name: 'Async Rust with Tokio' }).click();
    await page.waitForURL(`**/skills/${tokio.skillId}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Async Rust with Tokio');
    await visit(page, 'bk-a-03-skill');

    await page.getByRole('link', { name: 'Book', exact: true }).click();
    await expect.poll(() => modal(page).evaluate((d: HTMLDialogElement) => d.open)).toBe(true);
    await expect.poll(() => currentStep(page).textContent()).toContain('Slot');
    expect(new URL(page.url()).pathname, 'the modal does not navigate').toBe(`/skills/${tokio.skillId}`);
    expect(await flow(page).textContent()).toContain(`Times in ${STUDENT_ZONE.replace('_', ' ')}.`);

    // A duration chip swaps the picker in place.
    await flow(page).getByRole('link', { name: /^60 min/ }).click();
    await expect.poll(() => flow(page).locator('.chip[aria-current="true"]').textContent()).toMatch(/60 min/);
    await expect.poll(() => slotButtons(modal(page)).count()).toBeGreaterThan(0);
    expect(await slotButtons(modal(page)).first().evaluate((b) => (b.closest('form')?.querySelector('input[name="duration"]') as HTMLInputElement).value)).toBe('60');
    await visit(page, 'bk-a-04-modal-step1');

    // The button reads the student's time, not the mentor's.
    const slot = slotClearOfNow(modal(page));
    const start = await slotStart(slot);
    expect((await slot.textContent())?.trim()).toBe(timeIn(start, STUDENT_ZONE));
    expect(timeIn(start, STUDENT_ZONE)).not.toBe(timeIn(start, 'Europe/Paris'));
    await slot.click();
    await expect.poll(() => currentStep(page).textContent()).toContain('Details');
    expect(await flow(page).textContent()).toContain('We keep this slot for you until');
    expect(await flow(page).locator('.summary__when').textContent()).toContain(timeIn(start, STUDENT_ZONE));
    await visit(page, 'bk-a-05-modal-step2');

    await modal(page).getByLabel('Subject').fill('Review my first Tokio service');
    await modal(page).getByLabel('Message to the mentor').fill('I have read the async book twice.');
    await modal(page).getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => currentStep(page).textContent()).toContain('Confirm');
    const summary = flow(page).locator('dl.summary');
    expect(await summary.textContent()).toContain('Review my first Tokio service');
    expect(await summary.textContent()).toContain('Alice Test');
    expect(await summary.textContent()).toContain(`(${STUDENT_ZONE})`);
    await visit(page, 'bk-a-06-modal-step3');

    expect(await flow(page).textContent()).toContain('You are charged only if the mentor accepts.');
    await modal(page).getByRole('button', { name: 'Pay and send the request' }).click();

    // --- The payment page (the simulated provider's): a declined card, then a good one.
    await page.waitForURL('**/simulated-provider/checkout/**');
    await visit(page, 'bk-a-07-checkout');
    await payWithCard(page, '4000 0000 0000 0002');
    expect(await page.locator('#p-card-error').textContent()).toBe('Your card was declined.');
    await visit(page, 'bk-a-07-checkout-declined');
    expect(await t.deps.knex('bookings').where({ skillId: tokio.skillId }).first(), 'a declined card books nothing').toBeUndefined();
    await payWithCard(page, '4242 4242 4242 4242');
    await page.waitForURL(BOOKING_URL);
    const bookingPath = new URL(page.url()).pathname;
    await expect.poll(() => status(page).textContent()).toContain('Pending');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Review my first Tokio service');
    expect(await page.locator('main').textContent()).toContain('Payment authorized and request sent. You are charged only if the mentor accepts.');
    expect(await bellCount(page), 'nothing for the student yet').toBe('');
    await visit(page, 'bk-a-07-booking-pending');

    // --- The mentor, in a browser of their own, is told by the bell. ----------------
    const mentor = await openPage();
    await logIn(mentor.page, 'alice');
    await expect.poll(() => bellCount(mentor.page)).toBe('1');
    expect(await mentor.page.locator('#bell').getAttribute('aria-label')).toBe('Notifications: 1 unread');
    await mentor.page.locator('#bell').click();
    await mentor.page.waitForURL('**/notifications');
    const note = mentor.page.locator('.notification').first();
    expect(await note.textContent()).toContain('Sam Test asks for "Async Rust with Tokio"');
    expect(await note.getAttribute('class')).toContain('notification--unread');
    await visit(mentor.page, 'bk-a-08-mentor-notifications');

    await note.getByRole('button', { name: 'Open' }).click();
    await mentor.page.waitForURL(`**${bookingPath}`);
    await expect.poll(() => status(mentor.page).textContent()).toContain('Pending');
    expect(await bellCount(mentor.page), 'opening the notification marks it read').toBe('');
    await visit(mentor.page, 'bk-a-09-mentor-booking-pending');

    await mentor.page.getByLabel('Meeting link (optional)').fill(MEETING);
    await mentor.page.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => status(mentor.page).textContent()).toContain('Confirmed');
    expect(await mentor.page.locator('main').textContent()).toContain('The booking is confirmed; the student has been told.');
    expect(await mentor.page.locator('.meeting__url').textContent()).toBe(MEETING);
    await visit(mentor.page, 'bk-a-10-mentor-booking-confirmed');
    await t.runJobs();
    expect(await t.deps.knex('payments').where({ bookingId: bookingPath.split('/').pop() }).first(), 'accepting captures the payment').toMatchObject({ status: 'captured', amount: 8000 });

    // --- The mentor's weekly hours: add a range through the editor. -----------------
    await mentor.page.goto('/availability');
    await visit(mentor.page, 'bk-a-11-availability');
    const saturday = mentor.page.locator('.week__day').filter({ has: mentor.page.getByRole('heading', { name: 'Saturday' }) });
    expect(await saturday.locator('.range__time').allTextContents()).toEqual(['14:00–18:00']);
    const addHours = mentor.page.locator('form').filter({ has: mentor.page.getByRole('heading', { name: 'Add weekly hours' }) });
    await addHours.getByLabel('Day', { exact: true }).selectOption({ label: 'Saturday' });
    await addHours.getByLabel('From', { exact: true }).selectOption('09:00');
    await addHours.getByLabel('To', { exact: true }).selectOption('11:30');
    await addHours.getByRole('button', { name: 'Add these hours' }).click();
    await expect.poll(() => saturday.locator('.range__time').allTextContents()).toEqual(['09:00–11:30', '14:00–18:00']);
    expect(new URL(mentor.page.url()).pathname).toBe('/availability');
    await visit(mentor.page, 'bk-a-12-availability-added');

    // --- Back to the student: confirmed, with the link, and told. -------------------
    await page.reload();
    await expect.poll(() => status(page).textContent()).toContain('Confirmed');
    expect(await page.locator('.meeting__url').textContent()).toBe(MEETING);
    expect(await page.getByRole('link', { name: 'Join the video room' }).getAttribute('href')).toBe(MEETING);
    expect(await bellCount(page)).toBe('1');
    const bell = await page.request.get('/notifications/bell', { headers: { 'HX-Request': 'true', 'HX-Request-Type': 'partial' } });
    expect(bell.status()).toBe(200);
    expect(await bell.text()).toMatch(/class="bell__count">1</);
    await visit(page, 'bk-a-13-booking-confirmed');

    await page.locator('#bell').click();
    await page.waitForURL('**/notifications');
    expect(await page.locator('.notification').first().textContent()).toContain('Your session "Async Rust with Tokio" with Alice Test');
    expect(await page.locator('.notification').first().textContent()).toContain('is confirmed');
    await visit(page, 'bk-a-14-student-notifications');

    expectNoProblems(problems);
    expectNoProblems(mentor.problems);
  });

  it('B: the same booking through plain pages and form posts (JavaScript off)', async () => {
    const { page, problems } = await openPage({ javaScriptEnabled: false });
    await logIn(page, 'carl');

    await page.goto(`/skills/${windev.skillId}`);
    const book = page.getByRole('link', { name: 'Book', exact: true });
    expect(await book.getAttribute('href')).toBe(`/skills/${windev.skillId}/book`);
    await book.click();
    await page.waitForURL(`**/skills/${windev.skillId}/book`);
    expect(await page.locator('.steps__item[aria-current="step"]').textContent()).toContain('Slot');
    expect(await page.locator('#booking-flow').textContent()).toContain(`Times in ${STUDENT_ZONE}.`);
    await visit(page, 'bk-b-01-nojs-picker');

    const slot = slotClearOfNow(page);
    const start = await slotStart(slot);
    await slot.click();
    await page.waitForURL(`**/skills/${windev.skillId}/book/details?**`);
    expect(new URL(page.url()).searchParams.get('start')).toBe(start);
    expect(await page.locator('#booking-flow').textContent()).toContain('We keep this slot for you until');
    await visit(page, 'bk-b-02-nojs-details');

    // An empty subject comes back beside the field, the slot kept.
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('#b-subject').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#booking-flow input[name="start"]').inputValue()).toBe(start);

    await page.getByLabel('Subject').fill('Grouped reports with subtotals');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`**/skills/${windev.skillId}/book/summary`);
    expect(await page.locator('dl.summary').textContent()).toContain('Grouped reports with subtotals');
    expect(await page.locator('dl.summary').textContent()).toContain(timeIn(start, STUDENT_ZONE));
    await visit(page, 'bk-b-03-nojs-summary');

    await page.getByRole('button', { name: 'Pay and send the request' }).click();
    await page.waitForURL('**/simulated-provider/checkout/**');
    await visit(page, 'bk-b-04-nojs-checkout');
    await payWithCard(page, '4242 4242 4242 4242');
    await page.waitForURL(BOOKING_URL);
    expect(await status(page).textContent()).toContain('Pending');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Grouped reports with subtotals');
    await visit(page, 'bk-b-05-nojs-booking-pending');

    // The mentor declines: the hold on the card is released.
    const bookingId = new URL(page.url()).pathname.split('/').pop()!;
    const mentor = await openPage({ javaScriptEnabled: false });
    await logIn(mentor.page, 'bruno');
    await mentor.page.goto(`/bookings/${bookingId}`);
    await mentor.page.locator('#r-reason').fill('I am away that week, sorry.');
    await mentor.page.getByRole('button', { name: 'Decline' }).click();
    await expect.poll(() => status(mentor.page).textContent()).toContain('Declined');
    await t.runJobs();
    expect(await t.deps.knex('payments').where({ bookingId }).first(), 'declining releases the authorization').toMatchObject({ status: 'released' });
    expectNoProblems(mentor.problems);

    expectNoProblems(problems);
  });

  it('C: a slot taken by someone else meanwhile comes back as a 409 with fresh slots, in the modal', async () => {
    const { page, problems } = await openPage();
    await logIn(page, 'dana', `/skills/${postgres.skillId}`);
    await page.waitForURL(`**/skills/${postgres.skillId}`);

    await page.getByRole('link', { name: 'Book', exact: true }).click();
    await expect.poll(() => modal(page).evaluate((d: HTMLDialogElement) => d.open)).toBe(true);
    await expect.poll(() => slotButtons(modal(page)).count()).toBeGreaterThan(1);
    const slot = slotClearOfNow(modal(page));
    const start = await slotStart(slot);

    // Eli holds the very slot Dana is looking at.
    await holdOverHttp(t, 'student:eli', postgres.skillId, start, 30);

    const answer = page.waitForResponse((r) => r.url().endsWith(`/skills/${postgres.skillId}/holds`) && r.request().method() === 'POST');
    await slot.click();
    expect((await answer).status()).toBe(409);
    const alert = flow(page).getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('Someone just took this slot');
    expect(await modal(page).evaluate((d: HTMLDialogElement) => d.open), 'still in the modal').toBe(true);
    expect(new URL(page.url()).pathname).toBe(`/skills/${postgres.skillId}`);
    expect(await currentStep(page).textContent()).toContain('Slot');
    expect(await modal(page).locator(`#slots [name="start"][value="${start}"]`).count(), 'the taken slot is gone').toBe(0);
    expect(await slotButtons(modal(page)).count()).toBeGreaterThan(0);
    await visit(page, 'bk-c-01-modal-conflict');

    // Another slot still works.
    await slotClearOfNow(modal(page)).click();
    await expect.poll(() => currentStep(page).textContent()).toContain('Details');

    expectNoProblems(problems);
  });
});
