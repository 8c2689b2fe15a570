// Reminders through a real browser: the profile's reminders form (too many offsets
// refused beside the field, then saved; with and without JavaScript) and the
// dashboard's "session starting" prompt with its Join button, at 390 and 1280 px.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, SCREENSHOT_DIR, startServer } from './harness.ts';
import { logIn } from './marketplace-steps.ts';
import { mentorWithSkill } from '../helpers/marketplace.ts';

const SHOTS = path.join(SCREENSHOT_DIR, 'reminders');
const { baseUrl, t } = await startServer();
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  const { skillId, mentorId } = await mentorWithSkill(t, 'mentor:rosa');
  const student = await t.user('student:remi');
  const startsAt = new Date(Date.now() + 5 * 60_000);
  await t.deps.knex('bookings').insert({
    skillId, mentorId, studentId: student.id, kind: 'one_on_one', startsAt, endsAt: new Date(startsAt.getTime() + 3_600_000),
    durationMinutes: 60, status: 'confirmed', subject: 'Borrow checker', priceCents: 0, currency: 'EUR', meetingUrl: 'https://meet.example.com/soon',
  });
  fs.mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
});

async function open(javaScriptEnabled: boolean): Promise<Page> {
  const context = await newContext(browser, { baseURL: baseUrl, locale: 'en-US', timezoneId: 'Europe/Paris', javaScriptEnabled });
  contexts.push(context);
  return context.newPage();
}

async function shots(page: Page, name: string) {
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true, animations: 'disabled' });
  }
}

describe('reminders journey', () => {
  it('the dashboard prompt with its Join button, with and without JavaScript, both sides', { timeout: 120_000 }, async () => {
    for (const js of [true, false]) {
      for (const who of ['remi', 'rosa']) {
        const page = await open(js);
        await logIn(page, who, '/dashboard');
        const prompt = page.locator('#starting-soon');
        await expect.poll(() => prompt.textContent()).toMatch(/Your session with .+ starts in \d+ min/);
        expect(await prompt.getByRole('link', { name: 'Join' }).getAttribute('href')).toBe('https://meet.example.com/soon');
        await page.setViewportSize({ width: 390, height: 900 });
        const box = await prompt.getByRole('link', { name: 'Join' }).boundingBox();
        expect(box && box.x + box.width).toBeLessThanOrEqual(390);
        if (js) await shots(page, `dashboard-${who}`);
      }
    }
  });

  it('the profile form: too many offsets refused beside the field, then saved (htmx, and without JS)', { timeout: 120_000 }, async () => {
    for (const js of [true, false]) {
      const page = await open(js);
      await logIn(page, 'remi', '/profile');
      const form = page.locator('#reminders');
      for (const label of ['15 minutes before', '3 hours before', '48 hours before']) await form.getByLabel(label).check();
      await form.getByRole('button', { name: 'Save reminders' }).click();
      await expect.poll(() => page.locator('#r-offsets-error').textContent()).toBe('Choose at most 3 reminders.');
      await shots(page, `profile-reminders-error-${js ? 'js' : 'nojs'}`);
      const again = page.locator('#reminders');
      await again.getByLabel('24 hours before').uncheck();
      await again.getByLabel('48 hours before').uncheck();
      await again.getByLabel('By mail').uncheck();
      await again.getByRole('button', { name: 'Save reminders' }).click();
      await expect.poll(() => page.getByText('Your reminder settings are saved.').count()).toBeGreaterThan(0);
      if (js) await shots(page, 'profile-reminders-saved');
      const prefs = await t.deps.services.reminders.preferences((await t.user('student:remi')).id);
      expect(prefs).toEqual({ offsetsMinutes: [180, 60, 15], byMail: false, inApp: true });
      // Back to the defaults for the next pass.
      await t.deps.knex('reminderPreferences').del();
    }
  });
});
