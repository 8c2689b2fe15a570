// /metrics through HTTP on a real app and database: who may read it, and that what the
// app did (requests, bookings, queued jobs) shows in what Prometheus reads.
import { describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';
import { payOnCheckout } from '../../test/helpers/payments.ts';
import { boundPort, startMetricsServer } from './metrics-endpoint.ts';

const TOKEN = 'metrics-test-token-0123456789';
const START = new Date('2026-11-22T10:00:00Z'); // a Sunday: Monday 9:00 Paris is bookable
const MONDAY_9 = new Date('2026-11-23T08:00:00.000Z');
const clock = new FixedClock(START);
const t = await createTestApp({ env: { METRICS_TOKEN: TOKEN }, overrides: { clock } });

const scrape = async () => {
  const res = await t.agent().get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
  expect(res.status).toBe(200);
  return res.text;
};
/** The value of one sample, e.g. sample(text, 'jobs_queue_depth{state="ready"}'); 0 when absent. */
const sample = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
};

describe('GET /metrics', () => {
  it('is not there when METRICS_TOKEN is not set', async () => {
    const plain = await createTestApp({ databaseUrl: t.databaseUrl });
    const res = await plain.agent().get('/metrics').set('Accept', 'application/json').set('Authorization', `Bearer ${TOKEN}`);
    expect(res.status).toBe(404);
  });

  it('refuses a missing or wrong token with 401 JSON and a code', async () => {
    const missing = await t.agent().get('/metrics');
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('metrics_token_missing');
    const wrong = await t.agent().get('/metrics').set('Authorization', `Bearer ${TOKEN}x`);
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('metrics_token_invalid');
    expect(wrong.headers['www-authenticate']).toMatch(/^Bearer/);
    expect((await t.agent().get('/metrics').set('Authorization', `Basic ${TOKEN}`)).status).toBe(401);
  });

  it('labels requests by route template, mount path included, never by raw URL', async () => {
    await t.agent().get('/skills/00000000-0000-4000-8000-000000000001');
    // A route that fails (next(err) leaves its router) keeps the router's mount path.
    expect((await t.agent().get('/api/v1/skills/00000000-0000-4000-8000-000000000002')).status).toBe(404);
    await t.agent().get('/no-such-page-metrics-test');
    await t.agent().get('/css/app.css');
    const text = await scrape();
    expect(text).toMatch(/http_request_duration_seconds_bucket\{le="[^"]+",method="GET",route="\/skills\/:id",status_code="404"\} 1/);
    expect(text).toContain('route="/api/v1/skills/:id",status_code="404"');
    expect(text).toContain('route="unmatched",status_code="404"');
    expect(text).toContain('route="static"');
    expect(text).not.toContain('00000000-0000-4000-8000');
    expect(text).not.toContain('no-such-page');
  });

  it('counts a booking transition once its transaction commits, and never a rolled-back one', async () => {
    const { skillId, mentorId } = await mentorWithSkill(t, 'mentor:metrics_mia');
    const student = await t.user('student:metrics_sam');
    const before = await scrape();
    const booking = await t.deps.services.bookings.request(student.id, skillId, { start: MONDAY_9, durationMinutes: 60, subject: 'Metrics' });
    await t.deps.services.bookings.confirm(mentorId, booking.id, {});
    // Inside a transaction that rolls back: the inner statements ran, the counter must not move.
    await t.deps.knex.transaction(async (trx) => {
      await t.deps.services.bookings.request(student.id, skillId, { start: new Date(MONDAY_9.getTime() + 3 * 3_600_000), durationMinutes: 60, subject: 'Undone' }, undefined, { db: trx });
      throw new Error('roll back');
    }).catch(() => undefined);
    await new Promise((r) => setImmediate(r));
    const after = await scrape();
    expect(sample(after, 'bookings_transitions_total{to="pending"}') - sample(before, 'bookings_transitions_total{to="pending"}')).toBe(1);
    expect(sample(after, 'bookings_transitions_total{to="confirmed"}') - sample(before, 'bookings_transitions_total{to="confirmed"}')).toBe(1);
  });

  it('shows the queue depth from one query kept 5 seconds, and the pools', async () => {
    const series = 'jobs_queue_depth{state="ready"}';
    clock.advance(5000); // past whatever an earlier test's scrape cached
    const ready = sample(await scrape(), series);
    await t.deps.jobs.add(t.deps.knex, 'refresh-next-free', {});
    await t.deps.jobs.add(t.deps.knex, 'refresh-next-free', {}, { runAt: new Date(Date.now() + 3_600_000) });
    expect(sample(await scrape(), series)).toBe(ready); // a scrape storm reads the cached count
    clock.advance(5000);
    const text = await scrape();
    expect(sample(text, series)).toBe(ready + 1);
    expect(sample(text, 'jobs_queue_depth{state="scheduled"}')).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/db_pool_connections_used\{pool="main"\} \d/);
    expect(text).toMatch(/db_pool_connections_free\{pool="sessions"\} \d/);
    expect(text).toMatch(/db_pool_acquire_wait_seconds_count [1-9]/);
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('counts each applied payment event once by outcome, however often it is delivered', async () => {
    const m = await mentorWithSkill(t, 'mentor:metrics_paid', { payable: true, skill: { priceCents: 4000, durations: [60] } });
    const agent = await t.signIn('student:metrics_payer');
    const token = await t.csrf(agent, '/');
    const started = await agent.post(`/skills/${m.skillId}/bookings`).type('form').send({ _csrf: token, start: MONDAY_9.toISOString(), duration: '60', subject: 'Paid' });
    expect(started.status).toBe(303);
    expect((await payOnCheckout(t, agent, started.headers.location!)).status).toBe(303);
    const queued = await t.deps.knex.raw<{ rows: { payload: { event: { type: string } } }[] }>(`delete from graphile_worker._private_jobs j using graphile_worker._private_tasks k
      where j.task_id = k.id and k.identifier = 'simulated-provider-webhook' returning j.payload`);
    const events = queued.rows.map((r) => r.payload.event);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['checkout.session.completed', 'payment_intent.amount_capturable_updated']));
    const before = await scrape();
    for (const event of [...events, ...events, ...events]) {
      const { payload, header } = await t.deps.simulated!.sign(event);
      expect((await t.agent().post('/webhooks/payments').set('Content-Type', 'application/json').set('Stripe-Signature', header).send(payload)).status).toBe(200);
    }
    const after = await scrape();
    const moved = (outcome: string) => sample(after, `payments_events_total{outcome="${outcome}"}`) - sample(before, `payments_events_total{outcome="${outcome}"}`);
    expect(moved('checkout_completed')).toBe(1);
    expect(moved('authorized')).toBe(1);
  });

  it('counts refused logins', async () => {
    const user = await t.user('student:metrics_locked');
    const agent = t.agent();
    const token = await t.csrf(agent);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await agent.post('/login').type('form').send({ _csrf: token, identifier: user.username, password: 'wrong-password' })).status);
    expect(statuses.at(-1)).toBe(429);
    expect(sample(await scrape(), 'login_throttled_total{by="both"}')).toBe(1);
  });
});

describe('METRICS_PORT listener', () => {
  it('serves /metrics without a token, and nothing else', async () => {
    const server = await startMetricsServer(t.deps.metrics.registry, '127.0.0.1', 0);
    try {
      const base = `http://127.0.0.1:${boundPort(server)}`;
      const res = await fetch(`${base}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await res.text()).toContain('# TYPE http_request_duration_seconds histogram');
      const other = await fetch(`${base}/`);
      expect(other.status).toBe(404);
      expect(((await other.json()) as { error: { code: string } }).error.code).toBe('not_found');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

