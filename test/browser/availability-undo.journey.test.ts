// A mentor removes a weekly range by mistake and takes it back with the toast's Undo,
// with JavaScript on (boosted form) and off (plain POST), screenshots at 390 and 1280 px.
import { describe, expect, it } from 'vitest';
import { mentorWithSkill } from '../helpers/marketplace.ts';
import { journeyBrowser, shoot, startServer } from './harness.ts';
import { logIn } from './marketplace-steps.ts';

const { baseUrl, t } = await startServer();
const browser = journeyBrowser(() => ({ baseURL: baseUrl, locale: 'en-US', timezoneId: 'Europe/Paris' }));

const runs = [
  { name: 'js-1280', width: 1280, javaScriptEnabled: true },
  { name: 'nojs-1280', width: 1280, javaScriptEnabled: false },
];

describe('undo a removed range', { timeout: 120_000 }, () => {
  it.each(runs)('$name: remove Tuesday 09:00–12:00, Undo puts it back', async ({ name, width, javaScriptEnabled }) => {
    const fixture = `undo${name.replace(/\W/g, '')}`;
    const { mentorId } = await mentorWithSkill(t, `mentor:${fixture}`, { rules: [{ weekday: 2, start: '09:00', end: '12:00' }] });
    const { page, problems } = await browser.open({ javaScriptEnabled, viewport: { width, height: 900 } });
    await logIn(page, fixture, '/availability');
    await page.getByRole('button', { name: 'Remove Tuesday 09:00' }).click();
    await expect.poll(() => page.locator('.undo-toast').count()).toBe(1);
    expect(await t.deps.knex('availabilityRules').where({ mentorId })).toHaveLength(0);
    await shoot(page, `${name}-1-toast`, 'availability-undo');
    await page.locator('.undo-toast').getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => page.getByText('The range is back.').count()).toBe(1);
    await shoot(page, `${name}-2-back`, 'availability-undo');
    expect(await t.deps.knex('availabilityRules').where({ mentorId }).select('weekday', 'startTime', 'endTime')).toEqual([{ weekday: 2, startTime: '09:00:00', endTime: '12:00:00' }]);
    expect(page.url()).toMatch(/\/availability$/);
    expect(problems.csp).toEqual([]);
    expect(problems.errors).toEqual([]);
  });
});
