// A group session's page in a real browser: a student takes a seat through the modal,
// and the page then says they have one (link to the booking) instead of offering the
// button again; a student with another session at that time is told so. Photographed
// at 390 and 1280 px.
import { describe, expect, it } from 'vitest';
import { mentorWithSkill } from '../helpers/marketplace.ts';
import { journeyBrowser, shoot, startServer } from './harness.ts';
import { logIn } from './marketplace-steps.ts';

const { baseUrl, t } = await startServer();
// Three days ahead, on the hour: open for seats whatever today is.
const startsAt = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 3 * 86_400_000);
const group = { mode: 'group' as const, durations: [60], startsAt, capacity: 6 };
const { skillId } = await mentorWithSkill(t, 'mentor:gaia', { skill: { ...group, title: 'Live SQL window functions workshop' } });
const other = await mentorWithSkill(t, 'mentor:gael', { skill: { ...group, title: 'Regex clinic' } });
await t.user('student:gina');
await t.user('student:gus');
const browser = journeyBrowser(() => ({ baseURL: baseUrl, locale: 'en-US', timezoneId: 'Europe/Paris', viewport: { width: 1280, height: 900 } }));

type Page = Awaited<ReturnType<typeof browser.open>>['page'];

/** The skill page's Reserve a seat button, then the modal's Reserve my seat. */
async function takeSeat(page: Page, id: string) {
  await page.goto(`/skills/${id}`);
  await page.getByRole('link', { name: 'Reserve a seat' }).click();
  const modal = page.locator('#booking-modal');
  await expect.poll(() => modal.evaluate((d) => (d as HTMLDialogElement).open)).toBe(true);
  await modal.getByRole('button', { name: 'Reserve my seat' }).click();
  await page.waitForURL(/\/bookings\/[0-9a-f-]+$/);
  return page.url().split('/').pop()!;
}

describe('a group session page', () => {
  it('offers a seat, then says the student has one, with a link to the booking', async () => {
    const { page, problems } = await browser.open();
    await logIn(page, 'gina');
    await page.goto(`/skills/${skillId}`);
    await shoot(page, 'offer', 'group-seat');
    const bookingId = await takeSeat(page, skillId);

    await page.goto(`/skills/${skillId}`);
    const seat = page.locator('#skill-seat');
    await expect.poll(() => seat.textContent()).toContain('You have a seat in this session.');
    expect(await page.getByRole('link', { name: 'Reserve a seat' }).count()).toBe(0);
    await shoot(page, 'seated', 'group-seat');
    await seat.getByRole('link', { name: 'See my booking' }).click();
    await page.waitForURL(`**/bookings/${bookingId}`);
    expect(problems.csp).toEqual([]);
    expect(problems.errors).toEqual([]);
  });

  it('tells a student busy at that time, with a link to their bookings', async () => {
    const { page, problems } = await browser.open();
    await logIn(page, 'gus');
    await takeSeat(page, other.skillId);
    await page.goto(`/skills/${skillId}`);
    await expect.poll(() => page.locator('#skill-seat').textContent()).toContain('You already have a session then');
    expect(await page.getByRole('link', { name: 'Reserve a seat' }).count()).toBe(0);
    await shoot(page, 'busy', 'group-seat');
    expect(problems.csp).toEqual([]);
    expect(problems.errors).toEqual([]);
  });
});
