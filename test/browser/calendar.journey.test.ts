// Calendars in the browser: a student adds a session from the booking page (.ics,
// Google, Outlook), a mentor confirms on a phone and the invitation shows in the dev
// outbox, and the profile's feed section is created, copied, replaced and turned off,
// with JavaScript and without.
import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { outboxTransport } from '../../src/lib/mailer.ts';
import { parseCalendar } from '../helpers/ical.ts';
import { mentorWithSkill } from '../helpers/marketplace.ts';
import { checkA11y, journeyBrowser, type RunningServer, SCREENSHOT_DIR, startServer } from './harness.ts';
import { logIn } from './marketplace-steps.ts';

const ZONE = 'Europe/Paris';
const SHOTS = path.join(SCREENSHOT_DIR, 'calendar');
const server: RunningServer = await startServer({ overrides: { mailTransport: { send: (mail) => outboxTransport(server.t.deps.knex).send(mail) } } });
const { baseUrl, t } = server;
const browser = journeyBrowser(() => ({ baseURL: baseUrl, locale: 'en-US', timezoneId: ZONE, viewport: { width: 1280, height: 900 } }));

/** Phone and desktop screenshots, kept out of the repository. */
async function shoot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`), fullPage: true, animations: 'disabled' });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** The section alone at both widths, to look at it closely. */
async function shootSection(page: Page, section: Locator, name: string): Promise<void> {
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await section.screenshot({ path: path.join(SHOTS, `${name}-section-${width}.png`), animations: 'disabled' });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** A booking two days ahead at 10:00 Paris, straight into the database. */
async function booking(mentorFixture: string, studentFixture: string, status: 'pending' | 'confirmed'): Promise<string> {
  const { mentorId, skillId } = await mentorWithSkill(t, mentorFixture, { skill: { title: 'Async Rust, step by step', durations: [60] } });
  const studentId = (await t.user(studentFixture, { displayName: 'Chloé Martin-Delacroix' })).id;
  const startsAt = DateTime.now().setZone(ZONE).plus({ days: 2 }).set({ hour: 10, minute: 0, second: 0, millisecond: 0 }).toJSDate();
  const [row] = await t.deps.knex('bookings').insert({
    skillId, mentorId, studentId, kind: 'one_on_one', startsAt, endsAt: new Date(startsAt.getTime() + 3_600_000), durationMinutes: 60,
    status, subject: 'Lifetimes in async code', priceCents: 0, meetingUrl: status === 'confirmed' ? 'https://meet.jit.si/leboncours-journey' : null,
    expiresAt: status === 'pending' ? startsAt : null,
  }).returning('id');
  return (row as { id: string }).id;
}

describe('calendars in the browser', () => {
  it('adds a confirmed session from the booking page: the .ics downloads and parses, Google and Outlook links are there', async () => {
    const id = await booking('mentor:calmentor', 'student:calstudent', 'confirmed');
    const { page, problems } = await browser.open();
    await logIn(page, 'calstudent');
    await page.goto(`/bookings/${id}`);
    const block = page.locator('#add-calendar');
    expect(await block.getByText('Add to calendar').count()).toBe(1);
    expect(await block.getByRole('link', { name: 'Google Calendar' }).getAttribute('href')).toMatch(/^https:\/\/calendar\.google\.com\/calendar\/render\?action=TEMPLATE/);
    expect(await block.getByRole('link', { name: 'Outlook' }).getAttribute('href')).toMatch(/^https:\/\/outlook\.live\.com\/calendar\/0\/action\/compose\?/);
    const [download] = await Promise.all([page.waitForEvent('download'), block.getByRole('link', { name: 'Download .ics' }).click()]);
    const file = fs.readFileSync((await download.path())!, 'utf8');
    const cal = parseCalendar(file);
    expect(cal.method).toBe('REQUEST');
    expect(cal.events[0]).toMatchObject({ uid: `${id}@127.0.0.1`, status: 'CONFIRMED', utc: true });
    // Still on the booking page: the download did not replace it.
    expect(page.url()).toContain(`/bookings/${id}`);
    await shoot(page, 'booking-add-to-calendar');
    await checkA11y(page, { soft: true });
    expect(problems.csp).toEqual([]);
    expect(problems.errors).toEqual([]);
  }, 90_000);

  it('a mentor confirms on a phone; the invitation appears in the dev outbox with a preview and a download', async () => {
    const id = await booking('mentor:phonementor', 'student:phonestudent', 'pending');
    const { page } = await browser.open();
    await logIn(page, 'phonementor');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`/bookings/${id}`);
    await page.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => page.getByRole('link', { name: 'Join the video room' }).count()).toBe(1);
    await t.runJobs();

    await page.goto('/dev/outbox?to=phonestudent@example.test');
    await page.getByRole('link', { name: /Confirmed/ }).first().click();
    await page.waitForURL(/\/dev\/outbox\/\d+$/);
    const list = page.getByRole('list', { name: /Attachments/ });
    expect(await list.getByText('leboncours-session.ics').count()).toBe(1);
    expect(await list.getByText('text/calendar; charset=utf-8; method=REQUEST').count()).toBe(1);
    expect(await list.locator("dd code", { hasText: `${id}@127.0.0.1` }).count()).toBe(1);
    await list.getByText('Raw content').click();
    expect(await list.locator('pre').innerText()).toContain('BEGIN:VCALENDAR');
    const [download] = await Promise.all([page.waitForEvent('download'), list.getByRole('link', { name: 'Download' }).click()]);
    expect(parseCalendar(fs.readFileSync((await download.path())!, 'utf8')).method).toBe('REQUEST');
    await shoot(page, 'outbox-attachment');
    await shootSection(page, list, 'outbox-attachment');
    // No axe run here: it waits forever on the mail's sandboxed iframe, which runs no script.
  }, 90_000);

  it('creates, copies, replaces and turns off the calendar feed from the profile', async () => {
    await booking('mentor:feedjmentor', 'student:feedjstudent', 'confirmed');
    const { page, problems } = await browser.open({ permissions: ['clipboard-read', 'clipboard-write'] });
    await logIn(page, 'feedjstudent');
    await page.goto('/profile');
    const section = page.getByRole('region', { name: 'Calendar subscription' });
    await section.getByRole('button', { name: 'Create my calendar address' }).click();
    await expect.poll(() => page.getByText('Your calendar address is ready.').count()).toBe(1);
    const url = await section.getByLabel(/Address to paste/).inputValue();
    expect(url).toMatch(new RegExp(`^${baseUrl}/calendar/[A-Za-z0-9_-]{44}\\.ics$`));
    expect(await section.getByRole('link', { name: 'Subscribe in my calendar app' }).getAttribute('href')).toBe(url.replace(/^http:/, 'webcal:'));
    await section.getByRole('button', { name: 'Copy' }).click();
    await expect.poll(() => section.getByRole('button', { name: 'Copied' }).count()).toBe(1);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
    const feed = await page.request.get(url);
    expect(parseCalendar(await feed.text()).events).toHaveLength(1);
    await shoot(page, 'profile-calendar-feed');
    await shootSection(page, section, 'profile-calendar-feed');
    await checkA11y(page, { soft: true });

    await section.getByRole('button', { name: 'Get a new address' }).click();
    await expect.poll(() => page.getByText('the old one no longer works').count()).toBe(1);
    expect(await section.getByLabel(/Address to paste/).inputValue()).not.toBe(url);
    expect((await page.request.get(url)).status()).toBe(404);
    expect(problems.csp).toEqual([]);
    expect(problems.errors).toEqual([]);
  }, 90_000);

  it('works without JavaScript: the address is selectable, no dead copy button, the forms post', async () => {
    await t.user('student:feednojs');
    const { page } = await browser.open({ javaScriptEnabled: false });
    await logIn(page, 'feednojs');
    await page.goto('/profile');
    const section = page.getByRole('region', { name: 'Calendar subscription' });
    await shoot(page, 'profile-calendar-feed-empty-nojs');
    await section.getByRole('button', { name: 'Create my calendar address' }).click();
    await page.waitForURL(/\/profile/);
    const url = await section.getByLabel(/Address to paste/).inputValue();
    expect(await section.getByRole('button', { name: 'Copy' }).isVisible()).toBe(false);
    await shoot(page, 'profile-calendar-feed-nojs');
    await shootSection(page, section, 'profile-calendar-feed-nojs');
    await section.getByRole('button', { name: 'Turn off the address' }).click();
    await page.waitForURL(/\/profile/);
    expect(await page.getByText('Calendar address turned off.').count()).toBe(1);
    expect((await page.request.get(url)).status()).toBe(404);
  }, 90_000);
});
