import { describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { paidCourse } from '../../test/helpers/courses.ts';
import { pathOf, payAndReturn, payOnCheckout } from '../../test/helpers/payments.ts';

const clock = new FixedClock(new Date('2026-11-22T10:00:00Z'));
const t = await createTestApp({ overrides: { clock } });
const { knex } = t.deps;

type Agent = Awaited<ReturnType<typeof t.signIn>>;

async function buy(agent: Agent, slug: string) {
  const token = await t.csrf(agent, `/courses/${slug}`);
  return agent.post(`/courses/${slug}/checkout`).type('form').send({ _csrf: token });
}

const enrollmentsOf = (courseId: string) => knex('enrollments').where({ courseId });
const paymentsOf = (courseId: string) => knex('payments').where({ courseId });
const secureUrl = (agent: Agent, lessonId: string) => agent.get(`/api/v1/videos/${lessonId}/secure-url`);

describe('buying a course', () => {
  it('shows "Buy the course" with its price, and "Log in to buy" to visitors', async () => {
    const c = await paidCourse(t, 'buy-page', { priceCents: 4900 });
    const student = await t.signIn('student:s-page');
    const page = await student.get(`/courses/${c.slug}`);
    expect(page.text).toContain('Buy the course — €49');
    expect(page.text).toContain(`action="/courses/${c.slug}/checkout"`);
    expect(page.text).not.toContain('coming soon');
    expect((await t.agent().get(`/courses/${c.slug}`)).text).toContain('Log in to buy');
  });

  it('opens a charged checkout; once paid, the student is enrolled (source payment) and the payment captured', async () => {
    const c = await paidCourse(t, 'buy-me', { priceCents: 4900 });
    const student = await t.signIn('student:s-buyer');
    const user = await t.user('student:s-buyer');
    expect((await secureUrl(student, c.lessonId)).status).toBe(403);
    const started = await buy(student, c.slug);
    expect(started.status).toBe(303);
    expect(started.headers.location).toMatch(/\/simulated-provider\/checkout\/cs_sim_/);
    const checkout = await knex('checkouts').where({ userId: user.id, courseId: c.id }).first();
    expect(checkout).toMatchObject({ purpose: 'course', amount: 4900, feeAmount: 0, captureManually: false, mentorId: null, status: 'open' });
    expect(await enrollmentsOf(c.id)).toHaveLength(0);
    const payPage = await student.get(pathOf(started.headers.location!));
    expect(payPage.text).toContain('Pay €49');

    const back = await payAndReturn(t, student, started.headers.location!);
    expect(back.status).toBe(303);
    expect(back.headers.location).toBe(`/courses/${c.slug}`);
    await t.runJobs(); // the provider's events: they change nothing more
    const enrollments = await enrollmentsOf(c.id);
    expect(enrollments).toHaveLength(1);
    expect(enrollments[0]).toMatchObject({ userId: user.id, source: 'payment' });
    const payments = await paymentsOf(c.id);
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ purpose: 'course', status: 'captured', amount: 4900, payerId: user.id, mentorId: null, checkoutId: checkout.id });
    expect((await t.deps.payments.retrievePaymentIntent(payments[0].providerPaymentId)).status).toBe('succeeded');
    expect((await knex('courses').where({ id: c.id }).first()).studentsCount).toBe(1);
    expect((await student.get(`/courses/${c.slug}`)).text).toContain('You are enrolled in this course.');
    const url = await secureUrl(student, c.lessonId);
    expect(url.status).toBe(200);
    expect(url.body.url).toMatch(/^\/files\/lessons\//);
  });

  it('the webhook alone enrolls when the student never comes back', async () => {
    const c = await paidCourse(t, 'hook-only');
    const student = await t.signIn('student:s-hook');
    const started = await buy(student, c.slug);
    expect((await payOnCheckout(t, student, started.headers.location!)).status).toBe(303);
    expect(await enrollmentsOf(c.id)).toHaveLength(0);
    await t.runJobs();
    expect(await enrollmentsOf(c.id)).toMatchObject([{ source: 'payment' }]);
  });

  it('refuses to sell a course the student already owns, before any checkout', async () => {
    const c = await paidCourse(t, 'owned');
    const user = await t.user('student:s-owner');
    await knex('enrollments').insert({ courseId: c.id, userId: user.id, source: 'admin' });
    const student = await t.signIn('student:s-owner');
    const res = await buy(student, c.slug);
    expect(res.status).toBe(409);
    expect(res.text).toContain('You already own this course.');
    const json = await student.post(`/courses/${c.slug}/checkout`).set('Accept', 'application/json').send({ _csrf: await t.csrf(student, '/') });
    expect(json.status).toBe(409);
    expect(json.body.error.code).toBe('already_paid');
    expect(await knex('checkouts').where({ courseId: c.id })).toHaveLength(0);
  });

  it('an abandoned checkout leaves nothing: no enrollment, no payment', async () => {
    const c = await paidCourse(t, 'abandoned');
    const user = await t.user('student:s-quitter');
    const student = await t.signIn('student:s-quitter');
    expect((await buy(student, c.slug)).status).toBe(303);
    const checkout = await knex('checkouts').where({ userId: user.id, courseId: c.id }).first();
    const back = await student.get(`/checkouts/${checkout.id}/cancel`);
    expect(back.status).toBe(303);
    expect(back.headers.location).toBe(`/courses/${c.slug}`);
    await t.runJobs();
    expect((await knex('checkouts').where({ id: checkout.id }).first()).status).toBe('expired');
    expect(await enrollmentsOf(c.id)).toHaveLength(0);
    expect(await paymentsOf(c.id)).toHaveLength(0);
    expect((await secureUrl(student, c.lessonId)).status).toBe(403);
  });

  it('two checkouts paid for the same course: one enrollment, the second payment refunded in full', async () => {
    const c = await paidCourse(t, 'twice', { priceCents: 3000 });
    const student = await t.signIn('student:s-twice');
    const first = await buy(student, c.slug);
    const second = await buy(student, c.slug); // a second tab, before the first was paid
    expect(second.status).toBe(303);
    await payAndReturn(t, student, first.headers.location!);
    await payAndReturn(t, student, second.headers.location!);
    await t.runJobs();
    expect(await enrollmentsOf(c.id)).toHaveLength(1);
    const payments = await paymentsOf(c.id).orderBy('createdAt');
    expect(payments).toHaveLength(2);
    const refunded = payments.filter((p) => p.amountRefunded > 0);
    expect(refunded).toHaveLength(1);
    expect(refunded[0].amountRefunded).toBe(3000);
    expect((await t.deps.payments.retrievePaymentIntent(refunded[0].providerPaymentId)).amountRefunded).toBe(3000);
    expect(await knex('checkouts').where({ courseId: c.id, status: 'failed' })).toHaveLength(1);
  });

  it('nothing to buy: a free course, an unpublished one', async () => {
    const free = await paidCourse(t, 'free-one', { priceCents: 0 });
    const draft = await paidCourse(t, 'draft-one', { published: false });
    const student = await t.signIn('student:s-free');
    expect((await buy(student, free.slug)).status).toBe(422);
    expect((await buy(student, draft.slug)).status).toBe(404);
    expect(await knex('checkouts').whereIn('courseId', [free.id, draft.id])).toHaveLength(0);
  });
});
