import { describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { mentorWithSkill, withPayoutAccount } from '../../test/helpers/marketplace.ts';
import { pathOf } from '../../test/helpers/payments.ts';

const clock = new FixedClock(new Date('2026-11-22T10:00:00Z'));
const t = await createTestApp({ overrides: { clock } });

type Agent = Awaited<ReturnType<typeof t.signIn>>;

const accountRow = async (username: string) => t.deps.knex('payoutAccounts').whereIn('mentorId', t.deps.knex('users').select('id').where({ username })).first();

async function startOnboarding(agent: Agent) {
  const token = await t.csrf(agent, '/payouts');
  return agent.post('/payouts/onboarding').type('form').send({ _csrf: token });
}

/** Fills the simulated provider's onboarding form; returns its answer (a redirect to our return URL). */
async function fillOnboarding(agent: Agent, link: string, body: Record<string, string> = { businessName: 'Alice Martin', iban: 'FR76 3000 6000 0112 3456 7890 189' }) {
  const path = pathOf(link);
  const token = await t.csrf(agent, path);
  return agent.post(path).type('form').send({ _csrf: token, ...body });
}

describe('the payout account', () => {
  it('onboards end to end: not connected → onboarding form → back → ready to receive money', async () => {
    const mentor = await t.signIn('mentor:onboard');
    const before = await mentor.get('/payouts');
    expect(before.status).toBe(200);
    expect(before.text).toContain('data-status="none"');
    expect(before.text).toContain('Not connected');

    const started = await startOnboarding(mentor);
    expect(started.status).toBe(303);
    expect(started.headers.location).toMatch(/\/simulated-provider\/onboarding\/\w+/);
    const row = await accountRow('onboard');
    expect(row).toMatchObject({ provider: 'simulated', chargesEnabled: false, payoutsEnabled: false, detailsSubmitted: false });
    expect((await mentor.get('/payouts')).text).toContain('Onboarding not finished');
    // The provider's object carries our id.
    const account = await t.deps.payments.retrieveAccount(row.providerAccountId);
    expect(account.metadata).toEqual({ mentor_id: row.mentorId });

    // A bad IBAN stays on the provider's form; nothing changes on our side.
    expect((await fillOnboarding(mentor, started.headers.location!, { businessName: 'Alice', iban: 'nope' })).status).toBe(422);
    expect(await accountRow('onboard')).toMatchObject({ chargesEnabled: false });

    const filled = await fillOnboarding(mentor, started.headers.location!);
    expect(filled.status).toBe(303);
    expect(filled.headers.location).toBe('http://localhost:3999/payouts/return');
    const back = await mentor.get(pathOf(filled.headers.location!));
    expect(back.status).toBe(303);
    expect(back.headers.location).toBe('/payouts');
    expect(await accountRow('onboard')).toMatchObject({ chargesEnabled: true, payoutsEnabled: true, detailsSubmitted: true });
    const after = await mentor.get('/payouts');
    expect(after.text).toContain('Your payout account is ready');
    expect(after.text).toContain('data-status="ready"');

    // An expired or reused link: refresh makes a new one for the same account.
    const refreshed = await mentor.get('/payouts/refresh');
    expect(refreshed.status).toBe(303);
    expect(refreshed.headers.location).toMatch(/\/simulated-provider\/onboarding\/\w+/);
    expect(refreshed.headers.location).not.toBe(started.headers.location);
    expect(await t.deps.knex('payoutAccounts').where({ mentorId: row.mentorId })).toHaveLength(1);
  });

  it('creates the provider account once, however many times (and however fast) onboarding is started', async () => {
    const mentor = await t.signIn('mentor:twice');
    const [a, b] = await Promise.all([startOnboarding(mentor), startOnboarding(mentor)]);
    const c = await startOnboarding(mentor);
    for (const res of [a, b, c]) expect(res.status).toBe(303);
    const { id } = await t.user('mentor:twice');
    expect(await t.deps.knex('payoutAccounts').where({ mentorId: id })).toHaveLength(1);
    const accounts = await t.deps.knex('simulatedProviderObjects').where({ kind: 'account' }).whereRaw(`data->'metadata'->>'mentor_id' = ?`, [id]);
    expect(accounts).toHaveLength(1);
  });

  it('account.updated alone makes it ready; replayed 10 times, or stale, it leaves one state', async () => {
    const mentor = await t.signIn('mentor:hooked');
    const started = await startOnboarding(mentor);
    expect((await fillOnboarding(mentor, started.headers.location!)).status).toBe(303);
    // The mentor never comes back: the provider's event does it.
    expect(await accountRow('hooked')).toMatchObject({ chargesEnabled: false });
    await t.runJobs();
    const row = await accountRow('hooked');
    expect(row).toMatchObject({ chargesEnabled: true, payoutsEnabled: true, detailsSubmitted: true });

    const sim = t.deps.simulated!;
    const stale = { id: row.providerAccountId, object: 'account', charges_enabled: false, payouts_enabled: false, details_submitted: false, metadata: { mentor_id: row.mentorId } };
    const deliver = async (eventId: string) => {
      const { payload, header } = await sim.sign({ id: eventId, object: 'event', type: 'account.updated', created: 1, data: { object: stale } });
      return t.agent().post('/webhooks/payments').set('Stripe-Signature', header).set('Content-Type', 'application/json').send(payload);
    };
    const replays = [];
    for (let i = 0; i < 10; i++) replays.push(await deliver('evt_replayed_account'));
    expect(replays.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(replays.filter((r) => r.body.applied)).toHaveLength(1);
    for (let i = 0; i < 10; i++) expect((await deliver(`evt_stale_${i}`)).status).toBe(200);
    const ours = ['evt_replayed_account', ...Array.from({ length: 10 }, (_, i) => `evt_stale_${i}`)];
    expect(await t.deps.knex('paymentEvents').whereIn('eventId', ours).where({ objectId: row.providerAccountId })).toHaveLength(11);
    // The snapshot said "disabled"; the provider says ready: the provider wins.
    expect(await accountRow('hooked')).toMatchObject({ chargesEnabled: true, payoutsEnabled: true, detailsSubmitted: true });
    expect(await t.deps.knex('payoutAccounts').where({ mentorId: row.mentorId })).toHaveLength(1);
  });

  it('is for mentors only', async () => {
    const student = await t.signIn('student:nosy');
    expect((await student.get('/payouts')).status).toBe(403);
    const token = await t.csrf(student, '/');
    expect((await student.post('/payouts/onboarding').type('form').send({ _csrf: token })).status).toBe(403);
    expect((await t.agent().get('/payouts')).status).toBe(303);
  });
});

describe('a paid skill needs a payout account', () => {
  async function draft(agent: Agent, price: string) {
    const token = await t.csrf(agent, '/skills/new');
    const res = await agent.post('/skills').type('form').send({ _csrf: token, title: 'Rust async clinic', description: 'Futures.', category: 'programming', price, mode: 'one_on_one', durations: ['60'] });
    expect(res.status).toBe(303);
    return res.headers.location!.split('/').pop()!;
  }
  async function publish(agent: Agent, id: string) {
    const token = await t.csrf(agent, '/my/skills');
    return agent.post(`/skills/${id}/publication`).type('form').send({ _csrf: token });
  }
  const statusOf = async (id: string) => (await t.deps.knex('skills').where({ id }).first()).status;

  it('refuses to publish it before the account can take charges, with a link to /payouts; allows it after', async () => {
    const mentor = await t.signIn('mentor:seller');
    const id = await draft(mentor, '30');
    const refused = await publish(mentor, id);
    expect(refused.status).toBe(303);
    expect(await statusOf(id)).toBe('draft');
    const page = await mentor.get(`/skills/${id}`);
    expect(page.text).toContain('Set up your payout account (Payouts page) before selling a paid skill.');
    expect(page.text).toMatch(/id="needs-payouts"[^]*href="\/payouts"/);

    // Started but unfinished onboarding is not enough.
    const started = await startOnboarding(mentor);
    expect((await publish(mentor, id)).status).toBe(303);
    expect(await statusOf(id)).toBe('draft');

    const filled = await fillOnboarding(mentor, started.headers.location!);
    await mentor.get(pathOf(filled.headers.location!));
    expect((await publish(mentor, id)).status).toBe(303);
    expect(await statusOf(id)).toBe('published');
    expect((await mentor.get(`/skills/${id}`)).text).not.toContain('id="needs-payouts"');
  });

  it('publishes a free skill without an account, but refuses pricing it once published', async () => {
    const mentor = await t.signIn('mentor:freebie');
    const id = await draft(mentor, '0');
    expect((await publish(mentor, id)).status).toBe(303);
    expect(await statusOf(id)).toBe('published');
    const token = await t.csrf(mentor, `/skills/${id}/edit`);
    const priced = await mentor.post(`/skills/${id}`).type('form').send({ _csrf: token, title: 'Rust async clinic', description: 'Futures.', category: 'programming', price: '25', mode: 'one_on_one', durations: ['60'] });
    expect(priced.status).toBe(422);
    expect(priced.text).toMatch(/id="f-price-error"[^>]*>Set up your payout account/);
    expect(priced.text).toContain('value="25"');
    expect(await t.deps.knex('skills').where({ id }).first()).toMatchObject({ priceCents: 0, status: 'published' });

    await withPayoutAccount(t, (await t.user('mentor:freebie')).id);
    const again = await mentor.post(`/skills/${id}`).type('form').send({ _csrf: token, title: 'Rust async clinic', description: 'Futures.', category: 'programming', price: '25', mode: 'one_on_one', durations: ['60'] });
    expect(again.status).toBe(303);
    expect((await t.deps.knex('skills').where({ id }).first()).priceCents).toBe(2500);
  });
});

describe('the cancellation policy', () => {
  async function save(agent: Agent, body: Record<string, string>) {
    const token = await t.csrf(agent, '/payouts');
    return agent.post('/payouts/policy').type('form').send({ _csrf: token, ...body });
  }

  it('is saved from /payouts and shown on the skill page of a paid skill', async () => {
    const m = await mentorWithSkill(t, 'mentor:policy', { payable: true, skill: { priceCents: 4000 } });
    const mentor = await t.signIn('mentor:policy');
    const page = await mentor.get('/payouts');
    expect(page.text).toMatch(/name="freeCancelHours" type="number" value="24"/);
    expect(page.text).toMatch(/name="lateRefundPercent" type="number" value="0"/);
    expect((await t.agent().get(`/skills/${m.skillId}`)).text).toContain('Free cancellation up to 24 h before the start; after that, cancelling refunds 0 %.');

    const saved = await save(mentor, { freeCancelHours: '48', lateRefundPercent: '50' });
    expect(saved.status).toBe(303);
    expect(await t.deps.services.policies.of(m.mentorId)).toEqual({ freeCancelHours: 48, lateRefundPercent: 50 });
    expect((await t.agent().get(`/skills/${m.skillId}`)).text).toContain('Free cancellation up to 48 h before the start; after that, cancelling refunds 50 %.');
    // A free skill has nothing to refund: no policy line.
    const free = await mentorWithSkill(t, 'mentor:policyfree');
    expect((await t.agent().get(`/skills/${free.skillId}`)).text).not.toContain('id="skill-policy"');
  });

  it.each([
    [{ freeCancelHours: '721', lateRefundPercent: '10' }, ['freeCancelHours']],
    [{ freeCancelHours: '-1', lateRefundPercent: '101' }, ['freeCancelHours', 'lateRefundPercent']],
    [{ freeCancelHours: '12.5', lateRefundPercent: 'abc' }, ['freeCancelHours', 'lateRefundPercent']],
    [{ freeCancelHours: '', lateRefundPercent: '' }, ['freeCancelHours', 'lateRefundPercent']],
  ])('refuses %j beside the fields and writes nothing', async (body, fields) => {
    const username = `badpolicy${Object.values(body).join('').replace(/\W/g, '')}`;
    const mentor = await t.signIn(`mentor:${username}`);
    const { id } = await t.user(`mentor:${username}`);
    await t.deps.services.policies.update(id, { freeCancelHours: 12, lateRefundPercent: 25 });
    const res = await save(mentor, body);
    expect(res.status).toBe(422);
    for (const f of fields) expect(res.text).toContain(`id="f-${f}-error"`);
    if (!fields.includes('lateRefundPercent')) expect(res.text).not.toContain('id="f-lateRefundPercent-error"');
    expect(res.text).toContain(`value="${body.freeCancelHours}"`);
    expect(await t.deps.services.policies.of(id)).toEqual({ freeCancelHours: 12, lateRefundPercent: 25 });

    const json = await mentor.post('/payouts/policy').set('Accept', 'application/json').type('form').send({ _csrf: await t.csrf(mentor, '/payouts'), ...body });
    expect(json.status).toBe(422);
    expect(Object.keys(json.body.error.fields).sort()).toEqual([...fields].sort());
  });
});
