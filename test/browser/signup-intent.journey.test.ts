// Booking intent across sign-up in a real browser: an anonymous visitor picks a slot,
// is asked to log in, follows "Sign up", creates an account and lands back in the flow
// at step 2, where one button holds that slot. At 390 and 1280 px, with JavaScript on and off.
import { describe, expect, it } from 'vitest';
import { mentorWithSkill } from '../helpers/marketplace.ts';
import { checkA11y, journeyBrowser, shoot, startServer } from './harness.ts';
import { EVERY_DAY_AFTERNOON } from './marketplace-steps.ts';

const { baseUrl, t } = await startServer();
const { skillId, mentorId } = await mentorWithSkill(t, 'mentor:ines', { rules: EVERY_DAY_AFTERNOON, settings: { minNoticeMinutes: 0, windowDays: 14 }, skill: { title: 'Regex without tears', durations: [30, 60] } });
const browser = journeyBrowser(() => ({ baseURL: baseUrl, locale: 'en-US', timezoneId: 'Europe/Paris' }));

const runs = [
  { name: 'js-390', width: 390, javaScriptEnabled: true },
  { name: 'js-1280', width: 1280, javaScriptEnabled: true },
  { name: 'nojs-1280', width: 1280, javaScriptEnabled: false },
];

describe('booking intent survives sign-up', { timeout: 120_000 }, () => {
  it.each(runs)('$name: pick a slot logged out → log in → Sign up → back at step 2, the slot held by its button', async ({ name, width, javaScriptEnabled }) => {
    const { page, problems } = await browser.open({ javaScriptEnabled, viewport: { width, height: 900 } });
    await page.goto(`/skills/${skillId}/book`);
    // The second day's first slot: hours clear of now, whatever time the journey runs.
    const slot = page.locator('#slots .slot-day').nth(1).locator('a.slot').first();
    const picked = (await slot.getAttribute('aria-label'))!;
    await shoot(page, `${name}-1-picker`, 'signup-intent');
    await slot.click();

    await page.waitForURL(/\/login\?next=/);
    await expect.poll(() => page.getByRole('heading', { name: 'Log in' }).count()).toBe(1);
    await shoot(page, `${name}-2-login`, 'signup-intent');
    await page.locator('.form-footer').getByRole('link', { name: 'Sign up' }).click();

    await page.waitForURL(/\/register\?next=/);
    await expect.poll(() => page.getByRole('heading', { name: 'Create your account' }).count()).toBe(1);
    const username = `intent${name.replace(/\W/g, '')}`;
    await page.getByLabel('Full name').fill('Intent Student');
    await page.getByLabel('Email').fill(`${username}@example.test`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill('a long enough password');
    await shoot(page, `${name}-3-register`, 'signup-intent');
    await page.getByRole('button', { name: 'Create my account' }).click();

    await page.waitForURL(new RegExp(`/skills/${skillId}/book/details\\?`));
    // Landing by a link holds nothing: the slot is offered, and held by its button (a POST).
    const student = await t.deps.knex('users').where({ username }).first();
    expect(await t.deps.knex('slotHolds').where({ mentorId, studentId: student.id })).toHaveLength(0);
    expect(await page.locator('.summary__when').textContent()).toContain(picked.split(' ').pop()!);
    await shoot(page, `${name}-4-keep`, 'signup-intent');
    await page.getByRole('button', { name: 'Keep this slot' }).click();
    await expect.poll(() => page.getByLabel('Subject').count()).toBe(1);
    await expect.poll(() => page.locator('.steps__item.is-current').textContent()).toContain('2');
    expect(await page.locator('.summary__when').textContent()).toContain(picked.split(' ').pop()!);
    expect(await page.getByText('We keep this slot for you until').count()).toBe(1);
    expect(await page.getByLabel('Subject').count()).toBe(1);
    await shoot(page, `${name}-5-step2`, 'signup-intent');
    await checkA11y(page, { soft: true });

    expect(await t.deps.knex('slotHolds').where({ mentorId, studentId: student.id })).toHaveLength(1);
    expect(problems.csp).toEqual([]);
    expect(problems.errors).toEqual([]);
  });
});
