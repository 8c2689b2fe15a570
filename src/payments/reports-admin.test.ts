import { describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';
import { payAndReturn } from '../../test/helpers/payments.ts';

// Sunday 22 November 2026, 10:00 UTC; the sessions start Monday 08:00 UTC for an hour.
const START = new Date('2026-11-22T10:00:00Z');
const clock = new FixedClock(START);
const t = await createTestApp({ overrides: { clock } });
const MONDAY_9 = '2026-11-23T08:00:00.000Z';
const SESSION_END = new Date('2026-11-23T09:00:00Z');
const HOUR = 3_600_000;

type Agent = Awaited<ReturnType<typeof t.signIn>>;

/** Moves the clock, then signs in again (a day later the old session has timed out). */
async function later(at: Date, student: string) {
  clock.set(at);
  return t.signIn(student);
}

/** A paid session confirmed at once (instant mentor) and captured. */
async function paidSession(fixture: string, student: string) {
  clock.set(START);
  const m = await mentorWithSkill(t, fixture, { payable: true, skill: { priceCents: 4000, durations: [60] }, settings: { requiresApproval: false } });
  const agent = await t.signIn(student);
  const token = await t.csrf(agent, '/');
  const started = await agent.post(`/skills/${m.skillId}/bookings`).type('form').send({ _csrf: token, start: MONDAY_9, duration: '60', subject: 'Help with lifetimes' });
  expect(started.status).toBe(303);
  const back = await payAndReturn(t, agent, started.headers.location!);
  const bookingId = back.headers.location!.split('/').pop()!;
  await t.runJobs();
  const payment = await t.deps.knex('payments').where({ bookingId }).first();
  expect(payment.status).toBe('captured');
  return { ...m, agent, bookingId, payment, student };
}

async function report(agent: Agent, bookingId: string, note = 'Nobody joined the room') {
  const token = await t.csrf(agent, '/');
  return agent.post(`/bookings/${bookingId}/report`).type('form').send({ _csrf: token, note });
}

async function adminPost(admin: Agent, path: string, form: Record<string, string>) {
  const token = await t.csrf(admin, '/admin');
  return admin.post(path).type('form').send({ _csrf: token, ...form });
}

describe('a no-show report', () => {
  it('is accepted within 48 h of the end, tells the mentor, and only once', async () => {
    const { bookingId, mentorId, student } = await paidSession('mentor:absent', 'student:s-absent');
    const agent = await later(new Date(SESSION_END.getTime() + HOUR), student);
    const box = await agent.get(`/bookings/${bookingId}/report`);
    expect(box.text).toContain('Send the report');
    const res = await report(agent, bookingId);
    expect(res.status).toBe(303);
    expect(await t.deps.knex('bookingReports').where({ bookingId })).toHaveLength(1);
    const notice = await t.deps.knex('notifications').where({ userId: mentorId, kind: 'booking.reported' }).first();
    expect(notice).toMatchObject({ bookingId });
    await t.runJobs();
    expect(t.mails.some((m) => m.subject === 'A student reports you did not come to a session')).toBe(true);

    const again = await report(agent, bookingId);
    expect(again.status).toBe(422);
    expect(again.text).toContain('You have already reported this session.');
    expect(await t.deps.knex('bookingReports').where({ bookingId })).toHaveLength(1);
  });

  it('is refused before the end and after 48 h, with a clear message', async () => {
    const { bookingId, student } = await paidSession('mentor:late-report', 'student:s-late-report');
    const early = await report(await later(new Date(SESSION_END.getTime() - HOUR), student), bookingId);
    expect(early.status).toBe(422);
    expect(early.text).toContain('The session has not ended yet');
    const late = await report(await later(new Date(SESSION_END.getTime() + 48 * HOUR + 60_000), student), bookingId);
    expect(late.status).toBe(422);
    expect(late.text).toContain('up to 48 hours after the end');
    expect(await t.deps.knex('bookingReports').where({ bookingId })).toHaveLength(0);
    // The mentor cannot report their own session: it does not exist for them as a student's.
    const mentor = await t.signIn('mentor:late-report');
    expect((await report(mentor, bookingId)).status).toBe(404);
  });
});

describe('the admin payments grid', () => {
  it('lists every payment for an admin, open reports first; others are refused', async () => {
    const quiet = await paidSession('mentor:grid-a', 'student:s-grid-a');
    const reported = await paidSession('mentor:grid-b', 'student:s-grid-b');
    expect((await report(await later(new Date(SESSION_END.getTime() + HOUR), reported.student), reported.bookingId)).status).toBe(303);
    const admin = await t.signInAdmin();
    const page = await admin.get('/admin/payments');
    expect(page.status).toBe(200);
    expect(page.text).toContain('S-grid-a Test');
    const firstRow = page.text.indexOf('/admin/payments/');
    expect(page.text.slice(firstRow, firstRow + 80)).toContain(reported.payment.id);
    expect(page.text.indexOf(reported.payment.id)).toBeLessThan(page.text.indexOf(quiet.payment.id));
    const filtered = await admin.get('/admin/payments?q=grid-a&status=captured&sort=amount&dir=asc');
    expect(filtered.text).toContain(quiet.payment.id);
    expect(filtered.text).not.toContain(reported.payment.id);
    expect((await admin.get('/admin/payments?sort=nope')).status).toBe(422);

    expect((await (await t.signIn(quiet.student)).get('/admin/payments')).status).toBe(403);
    expect((await (await t.signIn('mentor:grid-a')).get(`/admin/payments/${quiet.payment.id}`)).status).toBe(403);
  });

  it('refunds part of a payment through the provider, and never more than what is left', async () => {
    const { payment } = await paidSession('mentor:partial', 'student:s-partial');
    const admin = await t.signInAdmin();
    const path = `/admin/payments/${payment.id}/refunds`;
    const noReason = await adminPost(admin, path, { amount: '12,50', reason: '' });
    expect(noReason.status).toBe(422);
    expect(noReason.text).toContain('Give a reason');
    const ok = await adminPost(admin, path, { amount: '12,50', reason: 'Goodwill gesture' });
    expect(ok.status).toBe(303);
    const refund = await t.deps.knex('refunds').where({ paymentId: payment.id }).first();
    expect(refund).toMatchObject({ amount: 1250, status: 'pending', reason: 'Goodwill gesture', createdBy: null });
    await t.runJobs();
    expect(await t.deps.knex('refunds').where({ id: refund.id }).first()).toMatchObject({ status: 'succeeded' });
    expect(await t.deps.knex('payments').where({ id: payment.id }).first()).toMatchObject({ status: 'partially_refunded', amountRefunded: 1250 });
    expect((await t.deps.payments.retrievePaymentIntent(payment.providerPaymentId)).amountRefunded).toBe(1250);

    const over = await adminPost(admin, path, { amount: '27.51', reason: 'Too much' });
    expect(over.status).toBe(422);
    expect(over.text).toContain('more than what is left to refund');
    const garbage = await adminPost(admin, path, { amount: '-3', reason: 'Negative' });
    expect(garbage.status).toBe(422);
    expect(await t.deps.knex('refunds').where({ paymentId: payment.id })).toHaveLength(1);
  });

  it('settles a report: refunded gives back everything left, dismissed nothing', async () => {
    const refunded = await paidSession('mentor:settle-a', 'student:s-settle-a');
    const dismissed = await paidSession('mentor:settle-b', 'student:s-settle-b');
    for (const s of [refunded, dismissed]) expect((await report(await later(new Date(SESSION_END.getTime() + HOUR), s.student), s.bookingId)).status).toBe(303);
    const admin = await t.signInAdmin();
    for (const [s, outcome] of [[refunded, 'refunded'], [dismissed, 'dismissed']] as const) {
      const r = await t.deps.knex('bookingReports').where({ bookingId: s.bookingId }).first();
      expect((await adminPost(admin, `/admin/payments/${s.payment.id}/reports/${r.id}/resolution`, { outcome })).status).toBe(303);
      expect((await t.deps.knex('bookingReports').where({ id: r.id }).first()).status).toBe(outcome);
    }
    await t.runJobs();
    expect(await t.deps.knex('payments').where({ id: refunded.payment.id }).first()).toMatchObject({ status: 'refunded', amountRefunded: 4000 });
    expect(await t.deps.knex('payments').where({ id: dismissed.payment.id }).first()).toMatchObject({ status: 'captured', amountRefunded: 0 });
  });

  it('refunds the unused credits of a package pro rata, rounded down, and closes it', async () => {
    clock.set(START);
    // 33.33 € for 30 min, 3 sessions at −10 %: round(3 × 3333 × 0.9) = 8999 cents.
    const m = await mentorWithSkill(t, 'mentor:prorata', { payable: true, skill: { priceCents: 3333, durations: [30] } });
    const pack = (await t.deps.knex('sessionPackages').insert({ mentorId: m.mentorId, skillId: m.skillId, sessions: 3, durationMinutes: 30, discountPercent: 10 }).returning('*'))[0];
    const agent = await t.signIn('student:s-prorata');
    const token = await t.csrf(agent, `/skills/${m.skillId}`);
    const started = await agent.post(`/packages/${pack.id}/purchases`).type('form').send({ _csrf: token });
    await payAndReturn(t, agent, started.headers.location!);
    const purchase = await t.deps.knex('packagePurchases').where({ packageId: pack.id }).first();
    expect(purchase.amount).toBe(8999);
    await t.deps.knex('packagePurchases').where({ id: purchase.id }).update({ creditsUsed: 1 });

    const admin = await t.signInAdmin();
    const path = `/admin/payments/${purchase.paymentId}/package-purchases/${purchase.id}/refund`;
    expect((await admin.get(`/admin/payments/${purchase.paymentId}`)).text).toContain('€59.99');
    expect((await adminPost(admin, path, { reason: 'Moving abroad' })).status).toBe(303);
    // 8999 × 2 / 3 = 5999.33 → 5999.
    expect(await t.deps.knex('refunds').where({ paymentId: purchase.paymentId }).first()).toMatchObject({ amount: 5999 });
    expect((await t.deps.knex('packagePurchases').where({ id: purchase.id }).first()).refundedAt).not.toBeNull();
    expect((await adminPost(admin, path, { reason: 'Again' })).status).toBe(422);
    await t.runJobs();
    expect(await t.deps.knex('payments').where({ id: purchase.paymentId }).first()).toMatchObject({ status: 'partially_refunded', amountRefunded: 5999 });
    expect(await t.deps.services.packages.creditsLeft(purchase.studentId, m.skillId, 30)).toBe(0);
  });
});
