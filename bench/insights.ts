// The insights at scale, in a throw-away cluster: the first rollup's backfill over
// BENCH_MAX_BOOKINGS bookings (1,000,000 by default) with their status history and
// reviews, a minute's worth of dirty hours and events, then every statement of report()
// explained (ANALYZE, BUFFERS) for the busy mentor and the platform over 90 and 366 days.
//   node --import tsx bench/insights.ts
import type { Knex } from 'knex';
import pg from 'pg';
import { DateTime } from 'luxon';
import { createKnex } from '../src/db/knex.ts';
import { systemClock } from '../src/lib/clock.ts';
import { backfillBookings } from '../src/insights/rollup-sql.ts';
import { insightsService } from '../src/insights/service.ts';
import type { InsightScope } from '../src/insights/model.ts';
import { startBenchDatabase } from './cluster.ts';
import { captureQueries, explain } from './explain.ts';
import { busyMentorId, seedBase, seedBookings } from './seed-large.ts';

const TARGET = Number(process.env.BENCH_MAX_BOOKINGS ?? 1_000_000);
const EVENTS = 200_000;

const ms = (since: number) => Math.round(performance.now() - since);

/** How long each statement of `work` took, by its first words. */
async function timedStatements<T>(knex: Knex, work: () => Promise<T>): Promise<{ result: T; steps: string[] }> {
  const started = new Map<string, number>();
  const steps: string[] = [];
  const onQuery = (q: { __knexQueryUid: string }) => started.set(q.__knexQueryUid, performance.now());
  const onResponse = (_r: unknown, q: { __knexQueryUid: string; sql: string }) => {
    const took = ms(started.get(q.__knexQueryUid) ?? performance.now());
    if (took >= 20) steps.push(`${q.sql.replace(/\s+/g, ' ').trim().slice(0, 48)}… ${took} ms`);
  };
  knex.on('query', onQuery).on('query-response', onResponse);
  try {
    return { result: await work(), steps };
  } finally {
    knex.off('query', onQuery).off('query-response', onResponse);
  }
}

async function history(pool: pg.Pool): Promise<void> {
  // What the transitions would have written: the request, an acceptance, a cancellation, and
  // a review for a third of the held sessions. Triggers off, as in seedBookings: the backfill
  // is what counts these, not the dirty queue.
  const client = await pool.connect();
  try {
    await fill(client);
  } finally {
    client.release();
  }
  for (const table of ['booking_events', 'mentor_reviews', 'insight_events']) await pool.query(`vacuum analyze ${table}`);
}

async function fill(pool: pg.PoolClient): Promise<void> {
  await pool.query(`set session_replication_role = replica`);
  await pool.query(`
    insert into booking_events (booking_id, status, actor_role, created_at)
    select id, 'pending', 'student', created_at from bookings
    union all select id, 'confirmed', 'mentor', created_at + interval '2 hours' from bookings where status in ('confirmed', 'completed', 'no_show') or (status = 'cancelled' and md5(id::text) < '8')
    union all select id, 'cancelled', cancelled_by, starts_at - make_interval(hours => (abs(hashtext(id::text)) % 96)) from bookings where status = 'cancelled'`);
  await pool.query(`
    insert into mentor_reviews (booking_id, mentor_id, student_id, rating, body, created_at, updated_at)
    select id, mentor_id, student_id, 1 + abs(hashtext(id::text)) % 5, 'Une séance claire et utile.', ends_at + interval '1 day', ends_at + interval '1 day'
    from bookings where status = 'completed' and md5(id::text) < '5'`);
  await pool.query(`
    with s as (select array_agg(id order by id) as ids from skills)
    insert into insight_events (occurred_at, kind, skill_id, mentor_username, visitor)
    select now() - make_interval(secs => i * 172800.0 / $1), case when i % 5 = 0 then 'modal_opened' else 'skill_view' end,
           s.ids[1 + i % cardinality(s.ids)], null, substr(decode(md5((i % 20000)::text), 'hex'), 1, 16)
    from s, generate_series(1, $1) i`, [EVENTS]);
  await pool.query(`set session_replication_role = origin`);
}

async function main(): Promise<void> {
  const db = await startBenchDatabase('insights');
  const pool = new pg.Pool({ connectionString: db.url, max: 4 });
  const knex = createKnex(db.url, 4);
  try {
    const t0 = performance.now();
    await seedBase(pool, 'not-a-hash');
    const seeded = await seedBookings(pool, TARGET);
    await history(pool);
    const counts = (await pool.query(`select (select count(*) from bookings) b, (select count(*) from booking_events) e, (select count(*) from mentor_reviews) r, (select count(*) from insight_events) ev`)).rows[0];
    console.log(`seeded in ${ms(t0)} ms: ${counts.b} bookings (${seeded.ms} ms), ${counts.e} booking events, ${counts.r} reviews, ${counts.ev} page events`);

    const insights = insightsService({ knex, clock: systemClock });
    if (process.env.BENCH_PLANS) {
      const client = await pool.connect();
      try {
        await client.query(`begin; set local work_mem = '256MB'`);
        const plan = await client.query(`explain (analyze, buffers) ${backfillBookings(true).replace(/:lateHours/g, '24')}`);
        console.log(plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n'));
      } finally {
        await client.query('rollback');
        client.release();
      }
    }
    const first = await timedStatements(knex, () => insights.rollup());
    console.log(`first rollup (backfill + ${first.result.events} events): ${first.result.ms} ms; per statement: ${first.steps.join(', ')}`);
    for (const table of ['insight_hourly', 'insight_daily_visitors', 'insight_top_daily', 'insight_top_weekly']) await pool.query(`vacuum analyze ${table}`);
    const size = (await pool.query(`select count(*) filter (where mentor_id is not null) m, count(*) filter (where mentor_id is null) p from insight_hourly`)).rows[0];
    console.log(`insight_hourly: ${size.m} mentor rows, ${size.p} platform rows`);

    // A busy minute: 1,000 bookings change status, 2,000 page events arrive.
    await pool.query(`update bookings set status = 'completed', updated_at = now() where id in (select id from bookings where status = 'confirmed' order by id limit 1000)`);
    await pool.query(`insert into insight_events (kind, skill_id, visitor) select 'skill_view', (select id from skills limit 1), substr(decode(md5(i::text), 'hex'), 1, 16) from generate_series(1, 2000) i`);
    const minute = await timedStatements(knex, () => insights.rollup());
    console.log(`a minute's rollup: ${minute.result.dirtyKeys} dirty keys, ${minute.result.events} events in ${minute.result.ms} ms; ${minute.steps.join(', ')}`);
    const idle = await insights.rollup();
    console.log(`an idle rollup: ${idle.ms} ms`);

    const busy = await busyMentorId(pool);
    const zone = 'Europe/Paris';
    const today = DateTime.now().setZone(zone);
    const scopes: [string, InsightScope][] = [['busy mentor', { kind: 'mentor', mentorId: busy }], ['platform', { kind: 'platform' }]];
    for (const [name, scope] of scopes) {
      for (const days of [90, 366]) {
        const range = { from: today.minus({ days: days - 1 }).toISODate()!, to: today.toISODate()!, timeZone: zone };
        await insights.report(scope, range);
        const w0 = performance.now();
        const queries = await captureQueries(knex, () => insights.report(scope, range));
        const wall = ms(w0);
        const plans = [];
        for (const [i, q] of queries.entries()) plans.push(await explain(pool, `${name} ${days}d #${i + 1}`, q));
        console.log(`report ${name}, ${days} days: ${queries.length} statements, ${wall} ms wall; execution ${plans.map((p) => `${p.executionMs} ms`).join(', ')}`);
        if (process.env.BENCH_PLANS) for (const p of plans) console.log(`\n## ${p.title}\n${p.sql}\n${p.plan}\n`);
      }
    }
  } finally {
    await knex.destroy();
    await pool.end();
    await db.stop();
  }
}

await main();
