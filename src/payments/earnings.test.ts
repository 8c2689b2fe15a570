import { beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';
import { payAndReturn } from '../../test/helpers/payments.ts';

// Sunday 22 November 2026, 10:00 UTC: Monday 09:00 Paris is 22 h away, Tuesday 46 h, Wednesday 70 h.
const NOW = new Date('2026-11-22T10:00:00Z');
const clock = new FixedClock(NOW);
const t = await createTestApp({ overrides: { clock } });

type Agent = Awaited<ReturnType<typeof t.signIn>>;

async function book(skillId: string, student: string, start: string, extra: { displayName?: string } = {}) {
  const agent = await t.signIn(student, extra);
  const token = await t.csrf(agent, '/');
  const started = await agent.post(`/skills/${skillId}/bookings`).type('form').send({ _csrf: token, start, duration: '60', subject: 'Help with lifetimes' });
  expect(started.status).toBe(303);
  const back = await payAndReturn(t, agent, started.headers.location!);
  expect(back.status).toBe(303);
  return { agent, bookingId: back.headers.location!.split('/').pop()! };
}

async function post(agent: Agent, path: string, body: Record<string, string>) {
  const token = await t.csrf(agent, '/');
  const res = await agent.post(path).type('form').send({ _csrf: token, ...body });
  expect(res.status).toBe(303);
  await t.runJobs();
}

const refundLine = async (agent: Agent, bookingId: string) => /id="refund-now">([^<]*)</.exec((await agent.get(`/bookings/${bookingId}`)).text)?.[1];

let mentorId: string;
let mentor: Agent;
const b: Record<'paidOut' | 'refunded' | 'partial' | 'captured' | 'held', { agent: Agent; bookingId: string }> = {} as never;

beforeAll(async () => {
  const m = await mentorWithSkill(t, 'mentor:earner', { payable: true, skill: { title: 'Rust clinic', priceCents: 4000, durations: [60] } });
  mentorId = m.mentorId;
  mentor = await t.signIn('mentor:earner');
  b.paidOut = await book(m.skillId, 'student:e-paidout', '2026-11-23T08:00:00.000Z');
  b.refunded = await book(m.skillId, 'student:e-refunded', '2026-11-24T08:00:00.000Z');
  b.partial = await book(m.skillId, 'student:e-partial', '2026-11-24T10:00:00.000Z');
  b.captured = await book(m.skillId, 'student:e-captured', '2026-11-25T08:00:00.000Z', { displayName: '=HYPERLINK("http://evil")' });
  b.held = await book(m.skillId, 'student:e-held', '2026-11-25T10:00:00.000Z', { displayName: '-2+3' });
  for (const k of ['paidOut', 'refunded', 'partial', 'captured'] as const) await post(mentor, `/bookings/${b[k].bookingId}/confirmation`, {});
  // Another mentor's money never shows.
  const other = await mentorWithSkill(t, 'mentor:earner2', { payable: true, skill: { title: 'Other clinic', priceCents: 9900, durations: [60] } });
  const o = await book(other.skillId, 'student:e-othersstudent', '2026-11-23T08:00:00.000Z');
  await post(await t.signIn('mentor:earner2'), `/bookings/${o.bookingId}/confirmation`, {});
});

describe('the booking page says what cancelling now refunds, for the viewer', () => {
  it('for each branch of the policy, and for an authorization not captured yet', async () => {
    // 70 h before the start:
    await t.deps.services.policies.update(mentorId, { freeCancelHours: 24, lateRefundPercent: 0 });
    expect(await refundLine(b.captured.agent, b.captured.bookingId)).toBe('Cancelling now refunds everything (€40).');
    await t.deps.services.policies.update(mentorId, { freeCancelHours: 72, lateRefundPercent: 0 });
    expect(await refundLine(b.captured.agent, b.captured.bookingId)).toBe('Cancelling now refunds nothing.');
    await t.deps.services.policies.update(mentorId, { freeCancelHours: 72, lateRefundPercent: 50 });
    expect(await refundLine(b.captured.agent, b.captured.bookingId)).toBe('Cancelling now refunds €20 of €40.');
    // The mentor's own cancellation always refunds in full.
    expect(await refundLine(mentor, b.captured.bookingId)).toBe('Cancelling now refunds the student everything (€40).');
    // Still pending: nothing was charged.
    expect(await refundLine(b.held.agent, b.held.bookingId)).toBe('You have not been charged; cancelling releases the hold on your card.');
    // A free booking has nothing to refund: no sentence.
    const free = await mentorWithSkill(t, 'mentor:earnfree', { skill: { durations: [60] } });
    const student = await t.signIn('student:e-free');
    const token = await t.csrf(student, '/');
    const res = await student.post(`/skills/${free.skillId}/bookings`).type('form').send({ _csrf: token, start: '2026-11-26T08:00:00.000Z', duration: '60', subject: 'Free help' });
    expect(res.status).toBe(303);
    expect(await refundLine(student, res.headers.location!.split('/').pop()!)).toBeUndefined();
  });
});

describe('the earnings page', () => {
  beforeAll(async () => {
    // Paid out: the session took place.
    // (a session idles out over a day: sign in again at each time)
    clock.set(new Date('2026-11-23T09:30:00Z'));
    try {
      await post(await t.signIn('mentor:earner'), `/bookings/${b.paidOut.bookingId}/outcome`, { outcome: 'completed' });
    } finally {
      clock.set(NOW);
    }
    mentor = await t.signIn('mentor:earner');
    await post(mentor, `/bookings/${b.refunded.bookingId}/cancellation`, { reason: 'I am ill' });
    // 48 h before its start, inside a 72 h window: half back.
    await t.deps.services.policies.update(mentorId, { freeCancelHours: 72, lateRefundPercent: 50 });
    await post(b.partial.agent, `/bookings/${b.partial.bookingId}/cancellation`, { reason: 'Change of plans' });
  });

  it('lists each paid session with gross, fee, net and status, and totals the month, only for this mentor', async () => {
    const statuses = await t.deps.knex('payments').where({ mentorId }).orderBy('createdAt').pluck('status');
    expect(statuses).toEqual(['captured', 'refunded', 'partially_refunded', 'captured', 'authorized']);
    const page = await mentor.get('/earnings');
    expect(page.status).toBe(200);
    const rowOf = async (k: keyof typeof b) => {
      const id = (await t.deps.knex('payments').where({ bookingId: b[k].bookingId }).first()).id;
      const match = new RegExp(`<tr data-payment="${id}">([^]*?)</tr>`).exec(page.text);
      return match?.[1]?.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
    };
    expect(await rowOf('paidOut')).toMatch(/E-paidout Test Rust clinic €40 €6 €34 Paid out$/);
    expect(await rowOf('refunded')).toMatch(/E-refunded Test Rust clinic €40 −€40 €0 €0 Refunded$/);
    expect(await rowOf('partial')).toMatch(/E-partial Test Rust clinic €40 −€20 €3 €17 Partially refunded$/);
    expect(await rowOf('captured')).toMatch(/=HYPERLINK\(&quot;http:\/\/evil&quot;\) Rust clinic €40 €6 €34 Captured$/);
    expect(await rowOf('held')).toMatch(/Rust clinic €40 €6 €34 Authorized$/);
    // Money taken in November: 4 × €40, refunds €60, fees €6 + €0 + €3 + €6, net €85 (the hold is not counted).
    const month = /<tr data-month="2026-11">([^]*?)<\/tr>/.exec(page.text)![1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
    expect(month).toBe('November 2026 €160 €15 €60 €85');
    expect(page.text).not.toContain('Other clinic');
    expect(page.text).not.toContain('E-othersstudent');
    expect(page.text).not.toContain('€99');
    expect(page.text).toContain('href="/earnings.csv"');
  });

  it('exports a CSV with a header, decimal amounts and no formulas', async () => {
    const res = await mentor.get('/earnings.csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="earnings-2026-11-22.csv"');
    const lines = res.text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('Date (Europe/Paris),Student,Skill,Gross,Platform fee,Refunded,Net,Currency,Status');
    expect(lines.at(-1)).toBe('');
    const body = lines.slice(1, -1);
    expect(body).toHaveLength(5);
    expect(body).toContain('2026-11-25 11:00,\'-2+3,Rust clinic,40.00,6.00,0.00,34.00,EUR,Authorized');
    expect(body).toContain('2026-11-25 09:00,"\'=HYPERLINK(""http://evil"")",Rust clinic,40.00,6.00,0.00,34.00,EUR,Captured');
    expect(body).toContain('2026-11-24 11:00,E-partial Test,Rust clinic,40.00,3.00,20.00,17.00,EUR,Partially refunded');
    expect(body).toContain('2026-11-24 09:00,E-refunded Test,Rust clinic,40.00,0.00,40.00,0.00,EUR,Refunded');
    expect(body).toContain('2026-11-23 09:00,E-paidout Test,Rust clinic,40.00,6.00,0.00,34.00,EUR,Paid out');
    expect(res.text).not.toContain('Other clinic');
  });

  it('is for mentors only, and empty for a mentor with no paid session', async () => {
    const student = await t.signIn('student:e-paidout');
    expect((await student.get('/earnings')).status).toBe(403);
    expect((await student.get('/earnings.csv')).status).toBe(403);
    const fresh = await t.signIn('mentor:earnnone');
    const page = await fresh.get('/earnings');
    expect(page.status).toBe(200);
    expect(page.text).toContain('No paid sessions yet.');
    expect((await fresh.get('/earnings?page=abc')).status).toBe(422);
  });
});
