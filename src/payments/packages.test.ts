import { describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';
import { payAndReturn } from '../../test/helpers/payments.ts';

// Sunday 22 November 2026, 10:00 UTC: Monday 09:00 Paris is 22 h later (inside the
// default 24 h free-cancellation window), Tuesday 09:00 Paris is 46 h later (outside).
const clock = new FixedClock(new Date('2026-11-22T10:00:00Z'));
const t = await createTestApp({ overrides: { clock } });
const MONDAY_9 = '2026-11-23T08:00:00.000Z';
const TUESDAY_9 = '2026-11-24T08:00:00.000Z';

type Agent = Awaited<ReturnType<typeof t.signIn>>;

async function offerPack(mentor: Agent, skillId: string, form: Record<string, string>) {
  const token = await t.csrf(mentor, `/skills/${skillId}/packages`);
  return mentor.post(`/skills/${skillId}/packages`).type('form').send({ _csrf: token, ...form });
}

/** A mentor selling a pack, a student who bought it: the purchase row. */
async function boughtPack(fixture: string, student: string, options: { priceCents?: number; durations?: number[]; sessions?: number; duration?: number; discount?: number; settings?: Record<string, unknown> } = {}) {
  const m = await mentorWithSkill(t, fixture, { payable: true, skill: { priceCents: options.priceCents ?? 4000, durations: options.durations ?? [60] }, ...(options.settings ? { settings: options.settings } : {}) });
  const mentor = await t.signIn(fixture);
  const created = await offerPack(mentor, m.skillId, { sessions: String(options.sessions ?? 5), durationMinutes: String(options.duration ?? 60), discountPercent: String(options.discount ?? 10) });
  expect(created.status).toBe(303);
  const pack = await t.deps.knex('sessionPackages').where({ skillId: m.skillId }).first();
  const agent = await t.signIn(student);
  const token = await t.csrf(agent, `/skills/${m.skillId}`);
  const started = await agent.post(`/packages/${pack.id}/purchases`).type('form').send({ _csrf: token });
  expect(started.status).toBe(303);
  const back = await payAndReturn(t, agent, started.headers.location!);
  expect(back.status).toBe(303);
  expect(back.headers.location).toBe('/packages');
  const purchase = await t.deps.knex('packagePurchases').where({ packageId: pack.id }).first();
  return { ...m, mentor, agent, pack, purchase };
}

function bookingForm(token: string, start: string, duration = '60', extra: Record<string, string> = {}) {
  return { _csrf: token, start, duration, subject: 'Help with lifetimes', ...extra };
}

async function useCredit(agent: Agent, skillId: string, start: string, duration = '60') {
  const token = await t.csrf(agent, '/');
  return agent.post(`/skills/${skillId}/bookings`).type('form').send(bookingForm(token, start, duration, { useCredit: '1' }));
}

async function cancel(agent: Agent, bookingId: string) {
  const token = await t.csrf(agent, '/');
  const res = await agent.post(`/bookings/${bookingId}/cancellation`).type('form').send({ _csrf: token, reason: 'Something came up' });
  expect(res.status).toBe(303);
}

const creditsUsed = async (id: string) => (await t.deps.knex('packagePurchases').where({ id }).first()).creditsUsed as number;

describe('offering a package', () => {
  it('prices the pack server-side from the session price and shows it on the skill page', async () => {
    // 24 € for 30 min → 48 € for 60 min; 5 × 48 € at −10 % = 216 € instead of 240 €.
    const m = await mentorWithSkill(t, 'mentor:pricer', { payable: true, skill: { priceCents: 2400, durations: [30, 60] } });
    const mentor = await t.signIn('mentor:pricer');
    expect((await offerPack(mentor, m.skillId, { sessions: '5', durationMinutes: '60', discountPercent: '10', price: '1' })).status).toBe(303);
    const page = await (await t.signIn('student:s-pricer')).get(`/skills/${m.skillId}`);
    expect(page.text).toContain('5 sessions of 60 min');
    expect(page.text).toContain('€216');
    expect(page.text).toContain('instead of €240');
    const offers = await t.deps.services.packages.offers(m.skillId);
    expect(offers[0]).toMatchObject({ price: 21600, fullPrice: 24000 });
  });

  it('refuses out-of-range input beside the fields and writes nothing', async () => {
    const m = await mentorWithSkill(t, 'mentor:badpack', { payable: true, skill: { priceCents: 4000, durations: [60] } });
    const mentor = await t.signIn('mentor:badpack');
    const res = await offerPack(mentor, m.skillId, { sessions: '1', durationMinutes: '90', discountPercent: '60' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Between 2 and 20 sessions.');
    expect(res.text).toContain('A whole percentage between 0 and 50.');
    const wrongLength = await offerPack(mentor, m.skillId, { sessions: '3', durationMinutes: '90', discountPercent: '5' });
    expect(wrongLength.status).toBe(422);
    expect(wrongLength.text).toContain('This skill does not offer that duration.');
    expect(await t.deps.knex('sessionPackages').where({ skillId: m.skillId })).toHaveLength(0);
    // Someone else's skill does not exist for this mentor.
    const other = await t.signIn('mentor:badpack2');
    expect((await offerPack(other, m.skillId, { sessions: '3', durationMinutes: '60' })).status).toBe(404);
  });
});

describe('buying and using a package', () => {
  it('a paid pack becomes a purchase with its credits, linked to a captured payment', async () => {
    const { purchase, pack, mentorId, agent } = await boughtPack('mentor:seller', 'student:s-buyer');
    expect(purchase).toMatchObject({ creditsTotal: 5, creditsUsed: 0, amount: 18000, durationMinutes: 60, mentorId, refundedAt: null });
    expect(purchase.expiresAt.getTime() - clock.now().getTime()).toBe(t.deps.config.payments.packageValidityDays * 86_400_000);
    const payment = await t.deps.knex('payments').where({ id: purchase.paymentId }).first();
    expect(payment).toMatchObject({ purpose: 'package', status: 'captured', amount: 18000, feeAmount: 2700, packagePurchaseId: purchase.id, mentorId });
    expect(pack.id).toBe(purchase.packageId);
    const mine = await agent.get('/packages');
    expect(mine.text).toContain('5 of 5 credits left');
  });

  it('books with a credit: no checkout, one credit used, the booking linked to the purchase', async () => {
    const { agent, skillId, purchase } = await boughtPack('mentor:credit', 'student:s-credit');
    const token = await t.csrf(agent, '/');
    const summary = await agent.post(`/skills/${skillId}/book/summary`).type('form').send(bookingForm(token, TUESDAY_9));
    expect(summary.text).toContain('Use a credit (5 left)');
    const checkoutsBefore = (await t.deps.knex('checkouts').where({ userId: purchase.studentId })).length;
    const res = await useCredit(agent, skillId, TUESDAY_9);
    expect(res.status).toBe(303);
    const booking = await t.deps.knex('bookings').where({ skillId }).first();
    expect(res.headers.location).toBe(`/bookings/${booking.id}`);
    expect(booking).toMatchObject({ packagePurchaseId: purchase.id, status: 'pending' });
    expect(await t.deps.knex('checkouts').where({ userId: purchase.studentId })).toHaveLength(checkoutsBefore);
    expect(await creditsUsed(purchase.id)).toBe(1);
  });

  it('an early cancellation or a rejection gives the credit back; a late one at 0 % does not', async () => {
    const { agent, mentor, skillId, purchase } = await boughtPack('mentor:giveback', 'student:s-giveback');
    expect((await useCredit(agent, skillId, TUESDAY_9)).status).toBe(303);
    const early = await t.deps.knex('bookings').where({ skillId, startsAt: new Date(TUESDAY_9) }).first();
    await cancel(agent, early.id);
    expect(await creditsUsed(purchase.id)).toBe(0);

    expect((await useCredit(agent, skillId, TUESDAY_9)).status).toBe(303);
    const rejected = await t.deps.knex('bookings').where({ skillId, status: 'pending' }).first();
    const token = await t.csrf(mentor, '/');
    expect((await mentor.post(`/bookings/${rejected.id}/rejection`).type('form').send({ _csrf: token, reason: 'Not available' })).status).toBe(303);
    expect(await creditsUsed(purchase.id)).toBe(0);

    expect((await useCredit(agent, skillId, MONDAY_9)).status).toBe(303);
    const late = await t.deps.knex('bookings').where({ skillId, startsAt: new Date(MONDAY_9) }).first();
    await cancel(agent, late.id);
    expect(await creditsUsed(purchase.id)).toBe(1);
  });

  it('an expired pack offers no credit and cannot be used', async () => {
    const { agent, skillId, purchase } = await boughtPack('mentor:expired', 'student:s-expired');
    await t.deps.knex('packagePurchases').where({ id: purchase.id }).update({ expiresAt: new Date(clock.now().getTime() - 1000) });
    const token = await t.csrf(agent, '/');
    const summary = await agent.post(`/skills/${skillId}/book/summary`).type('form').send(bookingForm(token, TUESDAY_9));
    expect(summary.text).not.toContain('Use a credit');
    const res = await useCredit(agent, skillId, TUESDAY_9);
    expect(res.status).toBe(422);
    expect(res.text).toContain('No credit left for this session');
    expect(await t.deps.knex('bookings').where({ skillId })).toHaveLength(0);
    expect(await creditsUsed(purchase.id)).toBe(0);
    expect((await agent.get('/packages')).text).toContain('Expired');
  });

  it('100 parallel uses of the last credit make exactly one booking', async () => {
    const { agent, skillId, purchase } = await boughtPack('mentor:race', 'student:s-race', {
      durations: [30], duration: 30, sessions: 2, priceCents: 2000, settings: { windowDays: 28, minNoticeMinutes: 60, requiresApproval: true },
    });
    await t.deps.knex('packagePurchases').where({ id: purchase.id }).update({ creditsUsed: 1 });
    // 100 different free slots (09:00–17:00 Paris, weekdays): only the credit can refuse them.
    const weekdays = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-30', '2026-12-01'];
    const starts = weekdays.flatMap((day) => Array.from({ length: 16 }, (_, i) => new Date(Date.parse(`${day}T08:00:00Z`) + i * 30 * 60_000).toISOString())).slice(0, 100);
    const token = await t.csrf(agent, '/');
    const results = await Promise.all(starts.map((start) => agent.post(`/skills/${skillId}/bookings`).type('form').send(bookingForm(token, start, '30', { useCredit: '1' }))));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 303)).toHaveLength(1);
    expect(statuses.filter((s) => s === 422)).toHaveLength(99);
    expect(await t.deps.knex('bookings').where({ skillId })).toHaveLength(1);
    expect(await creditsUsed(purchase.id)).toBe(2);
  });
});
