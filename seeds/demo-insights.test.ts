// The history behind the insights charts: enough of every outcome over three months, a
// funnel wider than the bookings it led to, and nothing dated in the future.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../test/helpers/app.ts';
import { seedDemoOnce } from './demo.ts';
import { seedDemoBookingsOnce } from './demo-bookings.ts';
import { seedDemoInsightsOnce } from './demo-insights.ts';
import { seedDemoSkillsOnce } from './demo-skills.ts';
import { LATE_CANCEL_HOURS } from '../src/insights/model.ts';

const t = await createTestApp();
const { knex } = t.deps;
const rows = async <T>(sql: string): Promise<T[]> => ((await knex.raw(sql)) as { rows: T[] }).rows;

await seedDemoOnce(t.deps);
await seedDemoSkillsOnce(knex, t.deps.clock.now());
await seedDemoBookingsOnce(knex, t.deps.clock.now());
const seeded = await seedDemoInsightsOnce(knex, t.deps.clock.now());

describe('the demo history', () => {
  it('spreads sessions of every outcome over three months', async () => {
    expect(seeded!.bookings).toBeGreaterThan(300);
    const months = await rows<{ n: string }>(`select count(distinct date_trunc('week', starts_at)) as n from bookings where starts_at < now() - interval '16 days'`);
    expect(Number(months[0]!.n)).toBeGreaterThanOrEqual(11);
    const outcomes = await rows<{ outcome: string }>(`
      select distinct case when b.status <> 'cancelled' then b.status
        when b.cancelled_by = 'mentor' then 'cancelled by mentor'
        when e.created_at >= b.starts_at - interval '${LATE_CANCEL_HOURS} hours' then 'cancelled late'
        else 'cancelled early' end as outcome
      from bookings b left join booking_events e on e.booking_id = b.id and e.status = 'cancelled'
      where b.starts_at < now() - interval '16 days' order by 1`);
    expect(outcomes.map((o) => o.outcome)).toEqual(['cancelled by mentor', 'cancelled early', 'cancelled late', 'completed', 'expired', 'no_show', 'rejected']);
  });

  it('reviews only completed sessions, once, after they ended', async () => {
    expect(seeded!.reviews).toBeGreaterThan(100);
    expect(await rows(`select r.id from mentor_reviews r join bookings b on b.id = r.booking_id where b.status <> 'completed' or r.created_at < b.ends_at or r.created_at > now()`)).toEqual([]);
  });

  it('has a funnel wider than its bookings, no step in the future, no address or agent', async () => {
    const steps = await rows<{ kind: string; n: string }>('select kind, count(*) as n from insight_events group by kind');
    const n = Object.fromEntries(steps.map((s) => [s.kind, Number(s.n)]));
    expect(n.skill_view).toBeGreaterThan(n.modal_opened!);
    expect(n.modal_opened).toBeGreaterThan(n.details_reached!);
    expect(n.details_reached).toBeGreaterThanOrEqual(n.summary_reached!);
    expect(n.mentor_view).toBeGreaterThan(0);
    expect(await rows('select id from insight_events where occurred_at > now()')).toEqual([]);
    expect(await rows('select id from insight_events where octet_length(visitor) <> 16')).toEqual([]);
  });

  it('gives every chart a shape once rolled up: the platform and each mentor over 90 days', async () => {
    await t.deps.services.insights.rollup();
    const to = DateTime.now().setZone('Europe/Paris').toISODate()!;
    const range = { from: DateTime.fromISO(to).minus({ days: 89 }).toISODate()!, to, timeZone: 'Europe/Paris' };
    const platform = await t.deps.services.insights.report({ kind: 'platform' }, range);
    const f = platform.funnel.current;
    expect(f.views).toBeGreaterThan(f.modalOpened);
    expect(f.modalOpened).toBeGreaterThan(f.detailsReached);
    expect(f.requested).toBeGreaterThan(f.confirmed);
    expect(f.confirmed).toBeGreaterThan(f.completed);
    expect(f.completed).toBeGreaterThan(100);
    expect(platform.daily.filter((d) => d.sessions > 0).length).toBeGreaterThan(45);
    expect(platform.heatmap.filter((c) => c.sessions > 0).length).toBeGreaterThan(20);
    expect(platform.quality.current.lateCancelled).toBeGreaterThan(0);
    expect(platform.quality.current.noShows).toBeGreaterThan(0);
    expect(platform.platform!.topMentors.byRating.length).toBeGreaterThanOrEqual(5);
    // Every demo mentor with a one-on-one skill has sessions and visits of their own.
    const mentors: { id: string }[] = await knex('users').where({ role: 'mentor' }).whereExists(knex('skills').whereRaw("skills.mentor_id = users.id and mode = 'one_on_one' and status = 'published'")).select('id');
    for (const m of mentors) {
      const mine = await t.deps.services.insights.report({ kind: 'mentor', mentorId: m.id }, range);
      expect(mine.usage.current.sessions, m.id).toBeGreaterThan(0);
      expect(mine.funnel.current.views, m.id).toBeGreaterThan(mine.funnel.current.requested);
    }
  });

  it('runs once', async () => {
    expect(await seedDemoInsightsOnce(knex, t.deps.clock.now())).toBeUndefined();
  });
});
