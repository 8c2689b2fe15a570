import { afterEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { paidCourse } from '../../test/helpers/courses.ts';
import { pathOf, payAndReturn, payOnCheckout } from '../../test/helpers/payments.ts';

const START = new Date('2026-11-22T10:00:00Z');
const DAY = 86_400_000;
const clock = new FixedClock(START);
const t = await createTestApp({ overrides: { clock } });
const { knex } = t.deps;
const sim = t.deps.simulated!;
afterEach(() => clock.set(START));

type Agent = Awaited<ReturnType<typeof t.signIn>>;

const included = await paidCourse(t, 'included-course', { priceCents: 4900, included: true });
const notIncluded = await paidCourse(t, 'bought-only', { priceCents: 4900 });

async function post(agent: Agent, path: string, body: Record<string, string> = {}) {
  const token = await t.csrf(agent, '/subscription');
  return agent.post(path).type('form').send({ _csrf: token, ...body });
}

const secureUrl = (agent: Agent, lessonId = included.lessonId) => agent.get(`/api/v1/videos/${lessonId}/secure-url`);
/** After the clock moved days, the old session has expired: a fresh sign-in at the new time. */
const watch = async (fixture: string) => secureUrl(await t.signIn(fixture));
const pageFor = async (fixture: string) => (await t.signIn(fixture)).get('/subscription');
const rowsOf = async (fixture: string) => knex('subscriptions').where({ userId: (await t.user(fixture)).id });

/** Subscribes through the checkout page and the return, then delivers the provider's events. */
async function subscribe(fixture: string, plan: 'monthly' | 'yearly' = 'monthly') {
  const agent = await t.signIn(fixture);
  const started = await post(agent, '/subscription/checkout', { plan });
  expect(started.status).toBe(303);
  const back = await payAndReturn(t, agent, started.headers.location!);
  expect(back.status).toBe(303);
  expect(back.headers.location).toBe('/subscription');
  await t.runJobs();
  const [row] = await rowsOf(fixture);
  return { agent, row, subId: row.providerSubscriptionId as string };
}

describe('the subscription page and checkout', () => {
  it('offers the two plans seeded by the migration', async () => {
    expect(await knex('subscriptionPlans').orderBy('amount').select('code', 'interval', 'amount')).toEqual([
      { code: 'monthly', interval: 'month', amount: 1500 },
      { code: 'yearly', interval: 'year', amount: 15000 },
    ]);
    const agent = await t.signIn('student:s-plans');
    const page = await agent.get('/subscription');
    expect(page.status).toBe(200);
    expect(page.text).toContain('€15 / month');
    expect(page.text).toContain('€150 / year');
    expect(page.text).toContain('You save €30 a year.');
    expect((await t.agent().get('/subscription')).status).toBe(303); // log in first
  });

  it('subscribes: one customer for the user, an active row, access to the included courses only', async () => {
    const agent = await t.signIn('student:s-sub');
    expect((await secureUrl(agent)).status).toBe(403);
    const before = await agent.get(`/courses/${included.slug}`);
    expect(before.text).toContain('Subscribe to watch');
    expect(before.text).toContain('Buy the course — €49');

    const { row, subId } = await subscribe('student:s-sub');
    const user = await t.user('student:s-sub');
    const state = await t.deps.payments.retrieveSubscription(subId);
    expect(state.customerId).toBe((await knex('users').where({ id: user.id }).first()).stripeCustomerId);
    expect(await rowsOf('student:s-sub')).toHaveLength(1);
    expect(row).toMatchObject({ status: 'active', planType: 'monthly', cancelAtPeriodEnd: false, pastDueSince: null });
    expect(row.currentPeriodEnd.toISOString()).toBe('2026-12-22T10:00:00.000Z');
    expect((await knex('checkouts').where({ userId: user.id }).first())).toMatchObject({ purpose: 'subscription', planCode: 'monthly', amount: 1500, status: 'complete' });

    const url = await secureUrl(agent);
    expect(url.status).toBe(200);
    expect(url.body.url).toMatch(/^\/files\/lessons\/included-course-paid/);
    expect((await secureUrl(agent, notIncluded.lessonId)).status).toBe(403);
    const course = await agent.get(`/courses/${included.slug}`);
    expect(course.text).toContain('Included in your subscription.');
    expect(course.text).not.toContain('Buy the course');
    const page = await agent.get('/subscription');
    expect(page.text).toContain('Renews on');
    expect(page.text).toContain('Manage my subscription');

    // One running subscription per user: a second checkout is refused before paying.
    const again = await post(agent, '/subscription/checkout', { plan: 'yearly' });
    expect(again.status).toBe(409);
    expect(again.text).toContain('You already have a subscription that runs.');
    expect(await knex('checkouts').where({ userId: user.id })).toHaveLength(1);
  });

  it('creates the provider customer once and reuses it', async () => {
    const agent = await t.signIn('student:s-customer');
    const user = await t.user('student:s-customer');
    const first = await post(agent, '/subscription/checkout', { plan: 'monthly' });
    const customer = (await knex('users').where({ id: user.id }).first()).stripeCustomerId;
    expect(customer).toMatch(/^cus_sim_/);
    const [checkout] = await knex('checkouts').where({ userId: user.id });
    await agent.get(`/checkouts/${checkout.id}/cancel`);
    const second = await post(agent, '/subscription/checkout', { plan: 'yearly' });
    expect(second.status).toBe(303);
    expect((await knex('users').where({ id: user.id }).first()).stripeCustomerId).toBe(customer);
    const sessions = await Promise.all([first, second].map((r) => sim.checkoutView(pathOf(r.headers.location!).split('/').pop()!)));
    expect(sessions.map((s) => s?.interval)).toEqual(['month', 'year']);
    const customers = await knex('simulatedProviderObjects').where({ kind: 'customer' }).whereRaw(`data->'metadata'->>'user_id' = ?`, [user.id]);
    expect(customers).toHaveLength(1);
  });

  it('keeps one subscription checkout open per person: a new one ends the old, parallel ones are refused', async () => {
    const agent = await t.signIn('student:s-tabs');
    const user = await t.user('student:s-tabs');
    const first = await post(agent, '/subscription/checkout', { plan: 'monthly' });
    const second = await post(agent, '/subscription/checkout', { plan: 'yearly' });
    expect([first.status, second.status]).toEqual([303, 303]);
    const open = () => knex('checkouts').where({ userId: user.id, purpose: 'subscription', status: 'open' });
    expect(await open()).toHaveLength(1);
    // The first tab's page can no longer be paid.
    expect((await payOnCheckout(t, agent, first.headers.location!)).status).toBe(409);

    const racer = await t.signIn('student:s-racer');
    const racerId = (await t.user('student:s-racer')).id;
    const token = await t.csrf(racer, '/subscription');
    const results = await Promise.all(Array.from({ length: 8 }, () => racer.post('/subscription/checkout').type('form').send({ _csrf: token, plan: 'monthly' })));
    expect(results.map((r) => r.status).filter((s) => s !== 303 && s !== 409), results.map((r) => r.text.slice(0, 200)).join('|')).toEqual([]);
    expect(await knex('checkouts').where({ userId: racerId, purpose: 'subscription', status: 'open' })).toHaveLength(1);
  });

  it('refuses an unknown plan with a message beside the form, and opens nothing', async () => {
    const agent = await t.signIn('student:s-badplan');
    const res = await post(agent, '/subscription/checkout', { plan: 'weekly' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Choose a plan.');
    const json = await agent.post('/subscription/checkout').set('Accept', 'application/json').send({ _csrf: await t.csrf(agent, '/'), plan: 'weekly' });
    expect(json.status).toBe(422);
    expect(json.body.error).toMatchObject({ code: 'validation_failed', fields: { plan: 'Choose a plan.' } });
    expect(await knex('checkouts').where({ userId: (await t.user('student:s-badplan')).id })).toHaveLength(0);
  });
});

describe('the customer portal and the lifecycle', () => {
  it('cancel in the portal: cancels at period end, access kept until then, lost after', async () => {
    const { agent, subId } = await subscribe('student:s-cancel');
    const portal = await post(agent, '/subscription/portal');
    expect(portal.status).toBe(303);
    expect(portal.headers.location).toMatch(/\/simulated-provider\/portal\/bps_sim_/);
    const page = await agent.get(pathOf(portal.headers.location!));
    expect(page.status).toBe(200);
    expect(page.text).toContain('Cancel at the end of the period');
    expect(page.text).toContain('href="http://localhost:3999/subscription"');
    const token = await t.csrf(agent, pathOf(portal.headers.location!));
    const cancel = await agent.post(`${pathOf(portal.headers.location!)}/subscriptions/${subId}`).type('form').send({ _csrf: token, action: 'cancel' });
    expect(cancel.status).toBe(303);
    await t.runJobs();
    const [row] = await rowsOf('student:s-cancel');
    expect(row).toMatchObject({ status: 'active', cancelAtPeriodEnd: true });
    expect((await agent.get('/subscription')).text).toContain('you keep access to the included courses until');

    clock.set(new Date(row.currentPeriodEnd.getTime() - DAY));
    expect((await watch('student:s-cancel')).status).toBe(200);

    clock.set(new Date(row.currentPeriodEnd.getTime() + 60_000));
    expect((await watch('student:s-cancel')).status).toBe(403); // the period is over, even before the provider says so
    await t.deps.payments.retrieveSubscription(subId); // the provider's clock: the deletion event goes out
    await t.runJobs();
    const [ended] = await rowsOf('student:s-cancel');
    expect(ended.status).toBe('canceled');
    expect((await watch('student:s-cancel')).status).toBe(403);
    expect((await pageFor('student:s-cancel')).text).toContain('Subscribe monthly'); // may subscribe again
  });

  it('renews at period end when not cancelled', async () => {
    const { row, subId } = await subscribe('student:s-renew', 'yearly');
    expect(row.planType).toBe('yearly');
    clock.set(new Date(row.currentPeriodEnd.getTime() + DAY));
    await t.deps.payments.retrieveSubscription(subId);
    await t.runJobs();
    const [renewed] = await rowsOf('student:s-renew');
    expect(renewed).toMatchObject({ status: 'active' });
    expect(renewed.currentPeriodEnd.toISOString()).toBe('2028-11-22T10:00:00.000Z');
    expect((await watch('student:s-renew')).status).toBe(200);
  });

  it('past due keeps access for the grace period, shown on the page, then none; a paid renewal opens it again', async () => {
    const { subId } = await subscribe('student:s-pastdue');
    clock.set(new Date(START.getTime() + 3 * DAY));
    await sim.renewalResult(subId, false);
    await t.runJobs();
    const [row] = await rowsOf('student:s-pastdue');
    expect(row.status).toBe('past_due');
    expect(row.pastDueSince.toISOString()).toBe(new Date(START.getTime() + 3 * DAY).toISOString());
    clock.set(new Date(START.getTime() + 9 * DAY)); // 6 days into the 7-day grace
    expect((await watch('student:s-pastdue')).status).toBe(200);
    const page = await pageFor('student:s-pastdue');
    expect(page.text).toContain('Your last payment failed; access until');
    expect(page.text).toContain('Payment failed');
    // A second failure does not restart the grace period.
    await sim.renewalResult(subId, false);
    await t.runJobs();
    expect((await rowsOf('student:s-pastdue'))[0].pastDueSince.toISOString()).toBe(row.pastDueSince.toISOString());
    clock.set(new Date(START.getTime() + 10 * DAY + 60_000)); // grace over
    expect((await watch('student:s-pastdue')).status).toBe(403);
    expect((await pageFor('student:s-pastdue')).text).toContain('no longer opens the included courses');
    await sim.renewalResult(subId, true);
    await t.runJobs();
    expect((await rowsOf('student:s-pastdue'))[0]).toMatchObject({ status: 'active', pastDueSince: null });
    expect((await watch('student:s-pastdue')).status).toBe(200);
  });
});

describe('lifecycle webhooks in any order', () => {
  let n = 0;
  function signedEvent(type: string, object: Record<string, unknown>) {
    const event = { id: `evt_test_${++n}_${type}`, object: 'event', type, created: Math.floor(clock.now().getTime() / 1000), data: { object } };
    return sim.sign(event);
  }
  const objectOf = async (subId: string) => (await knex('simulatedProviderObjects').where({ id: subId }).first()).data as Record<string, unknown>;
  const invoice = (subId: string) => ({ id: `in_test_${++n}`, object: 'invoice', subscription: subId, metadata: {} });

  /** Every event 10 times, shuffled, delivered five at a time. */
  async function deliverShuffled(signed: Promise<{ payload: string; header: string }>[]) {
    const events = await Promise.all(signed);
    const all = events.flatMap((e) => Array.from({ length: 10 }, () => e));
    for (let i = all.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [all[i], all[j]] = [all[j]!, all[i]!];
    }
    for (let i = 0; i < all.length; i += 5) {
      const answers = await Promise.all(all.slice(i, i + 5).map((e) =>
        t.agent().post('/webhooks/payments').set('stripe-signature', e.header).set('Content-Type', 'application/json').send(e.payload)));
      for (const a of answers) expect(a.status, a.text).toBe(200);
    }
  }

  /** A subscription the provider knows but whose row we lost: only the replayed events can write it. */
  async function forgotten(fixture: string) {
    const s = await subscribe(fixture);
    await knex('subscriptions').where({ providerSubscriptionId: s.subId }).del();
    return s;
  }

  it('created / updated / invoice / deleted, replayed and shuffled, end in one canceled row that stays canceled', async () => {
    const { agent, subId } = await forgotten('student:s-shuffle');
    const active = await objectOf(subId);
    const portal = await post(agent, '/subscription/portal');
    const token = await t.csrf(agent, pathOf(portal.headers.location!));
    await agent.post(`${pathOf(portal.headers.location!)}/subscriptions/${subId}`).type('form').send({ _csrf: token, action: 'cancel' });
    const cancelling = await objectOf(subId);
    clock.set(new Date(START.getTime() + 40 * DAY));
    await t.deps.payments.retrieveSubscription(subId); // now canceled at the provider
    const canceled = await objectOf(subId);
    await knex('subscriptions').where({ providerSubscriptionId: subId }).del(); // the jobs above are not run: only our events count
    await deliverShuffled([
      signedEvent('customer.subscription.created', active),
      signedEvent('customer.subscription.updated', cancelling),
      signedEvent('invoice.paid', invoice(subId)),
      signedEvent('customer.subscription.deleted', canceled),
      signedEvent('customer.subscription.updated', active), // an old snapshot, arriving last or first
    ]);
    const rows = await knex('subscriptions').where({ providerSubscriptionId: subId });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'canceled', cancelAtPeriodEnd: true, userId: (await t.user('student:s-shuffle')).id });
    expect((await watch('student:s-shuffle')).status).toBe(403);
    // A stale "updated" after the deletion does not bring it back.
    await deliverShuffled([signedEvent('customer.subscription.updated', active)]);
    expect((await knex('subscriptions').where({ providerSubscriptionId: subId }).first()).status).toBe('canceled');
  });

  it('invoice.payment_failed and updates, replayed and shuffled, end in one past_due row with one grace start', async () => {
    const { subId } = await forgotten('student:s-shuffle2');
    const active = await objectOf(subId);
    await sim.renewalResult(subId, false);
    const pastDue = await objectOf(subId);
    await deliverShuffled([
      signedEvent('customer.subscription.updated', pastDue),
      signedEvent('invoice.payment_failed', invoice(subId)),
      signedEvent('customer.subscription.created', active),
      signedEvent('invoice.paid', invoice(subId)),
    ]);
    const rows = await knex('subscriptions').where({ providerSubscriptionId: subId });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'past_due', planType: 'monthly' });
    expect(rows[0].pastDueSince.toISOString()).toBe(START.toISOString());
  });
});

describe('the course editor', () => {
  it('stores "included in the subscription" from its checkbox', async () => {
    const admin = await t.signInAdmin();
    const form = { title: 'Subscription course', subtitle: '', slug: '', shortDescription: '', descriptionHtml: '', level: 'beginner', price: '29', educators: '' };
    const token = await t.csrf(admin, '/admin/courses/new');
    const created = await admin.post('/admin/courses').type('form').send({ _csrf: token, ...form, includedInSubscription: 'on' });
    expect(created.status).toBe(303);
    const id = String(created.headers.location).split('/')[3]!;
    expect((await knex('courses').where({ id }).first()).includedInSubscription).toBe(true);
    const edit = await admin.get(`/admin/courses/${id}/edit`);
    expect(edit.text).toMatch(/name="includedInSubscription" value="on"[^>]* checked/);
    const saved = await admin.post(`/admin/courses/${id}`).type('form').send({ _csrf: await t.csrf(admin, `/admin/courses/${id}/edit`), ...form });
    expect(saved.status).toBe(303);
    expect((await knex('courses').where({ id }).first()).includedInSubscription).toBe(false);
  });
});
