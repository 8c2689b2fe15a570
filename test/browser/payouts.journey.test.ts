// A mentor's money pages as people see them: setting up payouts through the simulated
// provider's onboarding form and back, the cancellation policy refused beside its
// fields, and the earnings table (stacked on a phone). Photographed at two widths and
// checked by axe, with JavaScript off. The ledger rows of the earnings page are written straight to the
// database: how they come to be is proven by src/payments/*.test.ts.
import { describe, expect, it } from 'vitest';
import { mentorWithSkill } from '../helpers/marketplace.ts';
import { checkA11y, shoot, startServer, journeyBrowser } from './harness.ts';
import { logIn } from './marketplace-steps.ts';

const { baseUrl, t } = await startServer();
const browser = journeyBrowser(() => ({ baseURL: baseUrl, locale: 'en-US', timezoneId: 'Europe/Paris', viewport: { width: 1280, height: 900 } }));

async function paidSession(m: { mentorId: string; skillId: string }, student: string, daysAgo: number, status: string, refunded = 0) {
  const s = await t.user(student);
  const startsAt = new Date(Date.now() - daysAgo * 86_400_000);
  const [b] = await t.deps.knex('bookings').insert({
    skillId: m.skillId, mentorId: m.mentorId, studentId: s.id, kind: 'one_on_one', startsAt, endsAt: new Date(startsAt.getTime() + 3_600_000),
    durationMinutes: 60, status: 'completed', subject: 'Lifetimes', priceCents: 4000,
  }).returning('id');
  const [p] = await t.deps.knex('payments').insert({
    provider: 'simulated', purpose: 'booking', payerId: s.id, mentorId: m.mentorId, bookingId: b.id, amount: 4000, feeAmount: 600, currency: 'EUR', status, capturedAt: startsAt,
  }).returning('id');
  if (refunded) await t.deps.knex('refunds').insert({ paymentId: p.id, amount: refunded, reason: 'student_cancelled', status: 'succeeded' });
  return p.id as string;
}

describe('payouts and earnings, in the browser', { timeout: 60_000 }, () => {
  it('onboards, refuses a bad policy beside its fields, and shows earnings that read at 390 px', async () => {
    const m = await mentorWithSkill(t, 'mentor:jpayout', { skill: { title: 'Rust async clinic', priceCents: 4000, durations: [60] } });
    // JavaScript off: every step is a plain form and link. The provider sends people to
    // APP_URL, which in tests is another port than this server's: form-action 'self'
    // would stop that redirect here (in the app APP_URL is its own origin), so this one
    // context does not apply the CSP, and APP_URL is answered by this server.
    const { page } = await browser.open({ javaScriptEnabled: false, bypassCSP: true });
    await page.context().route('http://localhost:3999/**', (route) => route.fulfill({ status: 303, headers: { location: route.request().url().replace('http://localhost:3999', baseUrl) } }));
    await logIn(page, 'jpayout', '/payouts');
    await expect.poll(() => page.getByText('Not connected').count()).toBe(1);
    await shoot(page, 'payouts-none');
    await checkA11y(page);

    await page.getByRole('button', { name: 'Set up payouts' }).click();
    await page.waitForURL(/simulated-provider\/onboarding/);
    await page.getByLabel('Name on the account').fill('J Payout');
    await page.getByLabel('IBAN').fill('FR76 3000 6000 0112 3456 7890 189');
    await shoot(page, 'payouts-simulated-onboarding');
    await page.getByRole('button', { name: 'Save and go back' }).click();
    await page.waitForURL(/\/payouts$/);
    await expect.poll(() => page.getByText('Ready to receive money').count()).toBe(1);

    await page.getByLabel(/Free cancellation until/).fill('721');
    await page.getByLabel(/Refund after that/).fill('12.5');
    await page.getByRole('button', { name: 'Save the policy' }).click();
    await expect.poll(() => page.getByText('Enter a whole number of hours from 0 to 720.').count()).toBe(1);
    expect(await page.getByText('Enter a whole percentage from 0 to 100.').count()).toBe(1);
    await shoot(page, 'payouts-ready-policy-errors');
    await checkA11y(page);

    await paidSession(m, 'student:jpay-a', 3, 'captured');
    await paidSession(m, 'student:jpay-b', 2, 'partially_refunded', 2000);
    await paidSession(m, 'student:jpay-c', 1, 'refunded', 4000);
    await page.goto('/earnings');
    await expect.poll(() => page.locator('#earnings-rows tbody tr').count()).toBe(3);
    await shoot(page, 'earnings');
    await checkA11y(page);
  });
});
