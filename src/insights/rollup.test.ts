// The rollup on a real database: the backfill of bookings made before its first run, the
// hours a later change corrects, runs that repeat or race, the platform row, events that
// resolve to no one, the visitor recount and the pruning.
import { beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { crontab } from '../jobs.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { at, insertBooking, insertEvents, transition } from '../../test/helpers/insights.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';
import { BOOKING_COLUMNS, TRAFFIC_COLUMNS } from './rollup-sql.ts';

const clock = new FixedClock(at('2026-11-20T12:00:00Z'));
const t = await createTestApp({ overrides: { clock } });
const insights = t.deps.services.insights;
const DAY = { from: '2026-11-10', to: '2026-11-16', timeZone: 'UTC' };

let early: { mentorId: string; skillId: string };
const students: string[] = [];
const student = (i: number) => students[i]!;

async function hourRow(mentorId: string | null, hour: string, skillId: string | null = null) {
  return t.deps.knex('insightHourly').where({ hour: at(hour) })
    .andWhere((q) => (mentorId ? q.where({ mentorId }) : q.whereNull('mentorId')))
    .andWhere((q) => (skillId ? q.where({ skillId }) : q.whereNull('skillId')))
    .first();
}

beforeAll(async () => {
  early = await mentorWithSkill(t, 'mentor:roll_early');
  for (let i = 0; i < 6; i++) students.push((await t.user(`student:roll_s${i}`)).id);
  // Made before the rollup ever ran: only the backfill can count them.
  await insertBooking(t, {
    ...early, studentId: student(0), createdAt: at('2026-11-11T08:15:00Z'), startsAt: at('2026-11-12T09:00:00Z'), status: 'completed', durationMinutes: 120,
    history: [{ status: 'confirmed', at: at('2026-11-11T09:00:00Z') }, { status: 'completed', at: at('2026-11-12T11:00:00Z') }],
  });
  await insertBooking(t, {
    ...early, studentId: student(1), createdAt: at('2026-11-11T08:45:00Z'), startsAt: at('2026-11-13T09:00:00Z'), status: 'cancelled', cancelledBy: 'mentor',
    history: [{ status: 'confirmed', at: at('2026-11-11T09:00:00Z') }, { status: 'cancelled', at: at('2026-11-11T10:00:00Z') }],
  });
  await insertBooking(t, { ...early, studentId: student(2), createdAt: at('2026-11-11T08:50:00Z'), startsAt: at('2026-11-14T09:00:00Z'), status: 'rejected' });
});

describe('the first run', () => {
  it('backfills the bookings that existed before it, then runs as usual', async () => {
    expect(Number((await t.deps.knex('insightDirty').count('* as n'))[0]!.n)).toBeGreaterThan(0);
    const first = await insights.rollup();
    expect(first.backfilled).toBe(true);
    expect(await t.deps.knex('insightDirty').count('* as n')).toEqual([{ n: 0 }]);
    // The three requests share their hour; the cancellation 47 hours ahead is not late.
    expect(await hourRow(early.mentorId, '2026-11-11T08:00:00Z', early.skillId)).toMatchObject({
      requested: 3, confirmed: 2, completed: 1, cancelledByStudent: 0, cancelledByMentor: 1, lateCancelled: 0, sessions: 0,
    });
    expect(await hourRow(early.mentorId, '2026-11-12T09:00:00Z', early.skillId)).toMatchObject({ sessions: 1, sessionMinutes: 120, sessionsDue: 1, scheduled: 1, requested: 0 });
    expect(await hourRow(null, '2026-11-11T08:00:00Z')).toMatchObject({ requested: 3, confirmed: 2, completed: 1 });
    const state = await t.deps.knex('insightRollupState').first();
    expect(state).toMatchObject({ backfilledAt: clock.now(), updatedAt: clock.now() });
    const again = await insights.rollup();
    expect(again).toMatchObject({ backfilled: false, events: 0, dirtyKeys: 0 });
    expect(await hourRow(early.mentorId, '2026-11-11T08:00:00Z', early.skillId)).toMatchObject({ requested: 3 });
  });
});

describe('later runs', () => {
  it('corrects the hours of a booking that completes after it was first rolled up', async () => {
    const m = await mentorWithSkill(t, 'mentor:roll_late');
    const id = await insertBooking(t, {
      ...m, studentId: student(3), createdAt: at('2026-11-12T14:20:00Z'), startsAt: at('2026-11-15T16:00:00Z'), status: 'confirmed',
      history: [{ status: 'confirmed', at: at('2026-11-12T15:00:00Z') }],
    });
    await insights.rollup();
    expect(await hourRow(m.mentorId, '2026-11-12T14:00:00Z', m.skillId)).toMatchObject({ requested: 1, confirmed: 1, completed: 0 });
    expect(await hourRow(m.mentorId, '2026-11-15T16:00:00Z', m.skillId)).toMatchObject({ scheduled: 1, sessions: 0, sessionsDue: 0 });

    await transition(t, id, 'completed', at('2026-11-15T17:00:00Z'));
    await insights.rollup();
    expect(await hourRow(m.mentorId, '2026-11-12T14:00:00Z', m.skillId)).toMatchObject({ requested: 1, confirmed: 1, completed: 1 });
    expect(await hourRow(m.mentorId, '2026-11-15T16:00:00Z', m.skillId)).toMatchObject({ scheduled: 1, sessions: 1, sessionMinutes: 60, sessionsDue: 1 });
    const r = await insights.report({ kind: 'mentor', mentorId: m.mentorId }, DAY);
    expect(r.funnel.current).toMatchObject({ requested: 1, confirmed: 1, completed: 1 });
  });

  it('sets an hour no booking counts in any more back to zero (a moved session)', async () => {
    const m = await mentorWithSkill(t, 'mentor:roll_moved');
    const id = await insertBooking(t, {
      ...m, studentId: student(4), createdAt: at('2026-11-12T10:00:00Z'), startsAt: at('2026-11-14T10:00:00Z'), status: 'confirmed',
      history: [{ status: 'confirmed', at: at('2026-11-12T10:30:00Z') }],
    });
    await insights.rollup();
    expect(await hourRow(m.mentorId, '2026-11-14T10:00:00Z', m.skillId)).toMatchObject({ scheduled: 1 });
    await t.deps.knex('bookings').where({ id }).update({ startsAt: at('2026-11-15T12:00:00Z'), endsAt: at('2026-11-15T13:00:00Z') });
    await insights.rollup();
    expect(await hourRow(m.mentorId, '2026-11-14T10:00:00Z', m.skillId)).toMatchObject({ scheduled: 0 });
    expect(await hourRow(m.mentorId, '2026-11-15T12:00:00Z', m.skillId)).toMatchObject({ scheduled: 1 });
    expect(await hourRow(null, '2026-11-14T10:00:00Z')).toMatchObject({ scheduled: 0 });
  });

  it('never counts an event twice, however often it runs', async () => {
    const m = await mentorWithSkill(t, 'mentor:roll_twice');
    await insertEvents(t, [{ kind: 'skill_view', at: at('2026-11-13T08:10:00Z'), skillId: m.skillId, count: 4 }]);
    await insights.rollup();
    await insights.rollup();
    expect(await hourRow(m.mentorId, '2026-11-13T08:00:00Z', m.skillId)).toMatchObject({ views: 4 });
    await insertEvents(t, [{ kind: 'skill_view', at: at('2026-11-13T08:50:00Z'), skillId: m.skillId, count: 2 }]);
    await insights.rollup();
    expect(await hourRow(m.mentorId, '2026-11-13T08:00:00Z', m.skillId)).toMatchObject({ views: 6 });
  });

  it('gives exact counts when two runs race', async () => {
    const m = await mentorWithSkill(t, 'mentor:roll_race');
    await insertEvents(t, [
      { kind: 'skill_view', at: at('2026-11-13T09:10:00Z'), skillId: m.skillId, count: 5 },
      { kind: 'modal_opened', at: at('2026-11-13T09:11:00Z'), skillId: m.skillId, count: 3 },
    ]);
    await insertBooking(t, { ...m, studentId: student(5), createdAt: at('2026-11-13T09:12:00Z'), startsAt: at('2026-11-16T09:00:00Z'), status: 'pending' });
    const runs = await Promise.all([insights.rollup(), insights.rollup(), insights.rollup()]);
    expect(runs.map((r) => r.events).sort()).toEqual([0, 0, 8]);
    expect(await hourRow(m.mentorId, '2026-11-13T09:00:00Z', m.skillId)).toMatchObject({ views: 5, modalOpened: 3, requested: 1 });
  });

  it('skips events whose skill or mentor no longer exists, without failing', async () => {
    const m = await mentorWithSkill(t, 'mentor:roll_gone');
    const { id: missing } = (await t.deps.knex.raw('select gen_random_uuid() as id')).rows[0] as { id: string };
    await insertEvents(t, [
      { kind: 'skill_view', at: at('2026-11-13T10:00:00Z'), skillId: missing, count: 3 },
      { kind: 'modal_opened', at: at('2026-11-13T10:00:00Z'), skillId: missing },
      // A student's name is no mentor page.
      { kind: 'mentor_view', at: at('2026-11-13T10:00:00Z'), mentorUsername: 'roll_s0' },
      { kind: 'mentor_view', at: at('2026-11-13T10:00:00Z'), mentorUsername: 'nobody_here' },
      { kind: 'mentor_view', at: at('2026-11-13T10:01:00Z'), mentorUsername: 'roll_gone', visitor: 'gone-v' },
    ]);
    const before = await hourRow(null, '2026-11-13T10:00:00Z');
    const run = await insights.rollup();
    expect(run.events).toBe(7);
    expect(await hourRow(m.mentorId, '2026-11-13T10:00:00Z')).toMatchObject({ views: 1 });
    expect(await hourRow(null, '2026-11-13T10:00:00Z')).toMatchObject({ views: (before?.views ?? 0) + 1, modalOpened: before?.modalOpened ?? 0 });
    const state = await t.deps.knex('insightRollupState').first('eventsThrough');
    const max = await t.deps.knex('insightEvents').max('id as id').first();
    expect(state!.eventsThrough).toBe(max!.id);
  });

  it('counts a visitor once per day, whatever the batches', async () => {
    const m = await mentorWithSkill(t, 'mentor:roll_visits');
    await insertEvents(t, [{ kind: 'skill_view', at: at('2026-11-14T07:00:00Z'), skillId: m.skillId, visitor: 'same', count: 2 }]);
    await insights.rollup();
    await insertEvents(t, [
      { kind: 'skill_view', at: at('2026-11-14T19:00:00Z'), skillId: m.skillId, visitor: 'same' },
      { kind: 'mentor_view', at: at('2026-11-14T19:05:00Z'), mentorUsername: 'roll_visits', visitor: 'other' },
      { kind: 'skill_view', at: at('2026-11-15T07:00:00Z'), skillId: m.skillId, visitor: 'same' },
    ]);
    await insights.rollup();
    const rows = await t.deps.knex('insightDailyVisitors').where({ mentorId: m.mentorId }).orderBy('day').select('day', 'visitors');
    expect(rows).toEqual([{ day: '2026-11-14', visitors: 2 }, { day: '2026-11-15', visitors: 1 }]);
    const r = await insights.report({ kind: 'mentor', mentorId: m.mentorId }, DAY);
    expect(r.funnel.current).toMatchObject({ views: 5, visitors: 3 });
  });
});

describe('the platform row', () => {
  it('is the sum of the mentors in every hour and every column', async () => {
    await insights.rollup();
    const cols = [...BOOKING_COLUMNS, ...TRAFFIC_COLUMNS];
    const { rows } = await t.deps.knex.raw(`
      select p.hour from insight_hourly p
      left join (select hour, ${cols.map((c) => `sum(${c}) as ${c}`).join(', ')} from insight_hourly where mentor_id is not null group by hour) m using (hour)
      where p.mentor_id is null and (${cols.map((c) => `p.${c} <> coalesce(m.${c}, 0)`).join(' or ')})`);
    expect(rows).toEqual([]);
    const hours = await t.deps.knex('insightHourly').whereNull('mentorId').where('requested', '>', 0).count('* as n').first();
    expect(Number(hours!.n)).toBeGreaterThan(3);
  });
});

describe('jobs', () => {
  it('runs every minute, and prunes the events rolled up more than two days ago', async () => {
    expect(crontab(t.deps).split('\n')).toEqual(expect.arrayContaining(['* * * * * insights-rollup', '17 * * * * insights-prune']));
    const m = await mentorWithSkill(t, 'mentor:roll_prune');
    await insertEvents(t, [
      { kind: 'skill_view', at: at('2026-11-17T11:00:00Z'), skillId: m.skillId },
      { kind: 'skill_view', at: at('2026-11-18T13:00:00Z'), skillId: m.skillId },
    ]);
    await insights.rollup();
    await insertEvents(t, [{ kind: 'skill_view', at: at('2026-11-10T11:00:00Z'), skillId: m.skillId, visitor: 'unrolled' }]);
    await insights.prune();
    const left = await t.deps.knex('insightEvents').where('occurredAt', '<', at('2026-11-18T12:00:00Z')).select('occurredAt');
    // Older than two days but not yet rolled up: kept for the next run.
    expect(left).toEqual([{ occurredAt: at('2026-11-10T11:00:00Z') }]);
    expect(await t.deps.knex('insightEvents').where({ occurredAt: at('2026-11-18T13:00:00Z') }).count('* as n')).toEqual([{ n: 1 }]);
  });
});
