import { describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';
import { refusedPage } from '../../test/helpers/refused-form.ts';
import { confirmSeries, previewSeries, weeksOf } from '../../test/helpers/series.ts';

// Sunday 22 November 2026, 10:00 UTC. Mondays 10:00 in Paris are 09:00 UTC until March.
const START = new Date('2026-11-22T10:00:00Z');
const clock = new FixedClock(START);
const t = await createTestApp({ overrides: { clock } });
type Agent = Awaited<ReturnType<typeof t.signIn>>;
const monday10 = (date: string) => `${date}T09:00:00.000Z`;

async function post(agent: Agent, path: string, body: Record<string, string>) {
  const token = await t.csrf(agent, '/');
  return agent.post(path).type('form').send({ _csrf: token, ...body });
}

async function single(agent: Agent, skillId: string, start: string) {
  const res = await post(agent, `/skills/${skillId}/bookings`, { start, duration: '60', subject: 'Single session' });
  expect(res.status).toBe(303);
}

const seriesRows = (studentId: string) => t.deps.knex('bookings').where({ studentId }).whereNotNull('seriesId').orderBy('startsAt');

describe('booking a weekly series', () => {
  it('lists every week, free or not and why, and books exactly the free ones as one request', async () => {
    const { skillId, mentorId } = await mentorWithSkill(t, 'mentor:weekly', { settings: { windowDays: 14 } });
    await t.deps.knex('mentorSettings').where({ mentorId }).update({ seriesWindowDays: 30 });
    const other = await mentorWithSkill(t, 'mentor:elsewhere', { settings: { windowDays: 30 } });
    const student = await t.signIn('student:regular');
    // Week 2: the mentor has another student then. Week 3: the student has another mentor then.
    await single(await t.signIn('student:rival'), skillId, monday10('2026-11-30'));
    await single(student, other.skillId, monday10('2026-12-07'));
    // Week 4: the mentor is off that day.
    await t.deps.knex('availabilityOverrides').insert({ mentorId, date: '2026-12-14', kind: 'blocked' });

    const form = { start: monday10('2026-11-23'), weeks: 6 };
    const { res, weeks, expected } = await previewSeries(t, student, skillId, form);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Every Monday at 10:00 (Europe/Paris time), 60 minutes');
    expect(weeks.map((w) => w.free)).toEqual([true, false, false, false, true, false]);
    expect(res.text).toContain('the mentor already has a session then');
    expect(res.text).toContain('you already have a session then');
    expect(res.text).toContain('outside the mentor’s hours that day');
    // Week 5 is past the 14-day window but inside the 30-day series window; week 6 is not.
    expect(res.text).toContain('beyond how far ahead the mentor accepts a weekly series (30 days)');
    expect(res.text).toContain('2 weeks of 6 can be booked.');
    expect(expected.split(',')).toEqual([monday10('2026-11-23'), monday10('2026-12-21')]);

    const booked = await confirmSeries(t, student, skillId, form, expected);
    expect(booked.status).toBe(303);
    const rows = await seriesRows((await t.user('student:regular')).id);
    // What is booked is what the preview called free.
    expect(rows.map((r) => r.startsAt.toISOString())).toEqual(expected.split(','));
    expect(rows.map((r) => r.status)).toEqual(['pending', 'pending']);
    expect(new Set(rows.map((r) => r.seriesId)).size).toBe(1);
    expect(booked.headers.location).toBe(`/bookings/${rows[0].id}`);
    // The mentor is told once, not once per week.
    const notices = await t.deps.knex('notifications').where({ userId: mentorId }).whereLike('kind', 'booking.series%');
    expect(notices.map((n) => [n.kind, n.data.count])).toEqual([['booking.series_requested', 2]]);
    expect(await t.deps.knex('notifications').where({ userId: mentorId, kind: 'booking.requested' }).count({ n: '*' }).first()).toEqual({ n: 1 });

    const page = await student.get(booked.headers.location!);
    expect(page.text).toContain('Weekly series · 2 lessons');
  });

  it('re-checks every week under the lock: a week taken since the preview gives 409, the list again, and writes nothing', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:raced');
    const student = await t.signIn('student:slowpoke');
    const form = { start: monday10('2026-11-23'), weeks: 3 };
    const { expected } = await previewSeries(t, student, skillId, form);
    expect(expected.split(',')).toHaveLength(3);
    await single(await t.signIn('student:quick'), skillId, monday10('2026-11-30'));

    const res = await confirmSeries(t, student, skillId, form, expected);
    expect(res.status).toBe(409);
    expect(res.text).toContain('The free weeks changed while you were deciding');
    expect(weeksOf(res.text).weeks.map((w) => w.free)).toEqual([true, false, true]);
    const studentId = (await t.user('student:slowpoke')).id;
    expect(await seriesRows(studentId)).toHaveLength(0);
    expect(await t.deps.knex('bookingSeries').where({ studentId })).toHaveLength(0);

    // The list shown with the 409 is the one to confirm now.
    const again = await confirmSeries(t, student, skillId, form, weeksOf(res.text).expected);
    expect(again.status).toBe(303);
    expect(await seriesRows(studentId)).toHaveLength(2);
  });

  it('ten parallel confirmations of the same series book it once', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:stampede');
    const student = await t.signIn('student:clicker');
    const form = { start: monday10('2026-11-23'), weeks: 4 };
    const { expected } = await previewSeries(t, student, skillId, form);
    const token = await t.csrf(student, '/');
    const results = await Promise.all(Array.from({ length: 10 }, () => confirmSeries(t, student, skillId, form, expected, token)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 303)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 303).every((s) => s === 409)).toBe(true);
    const studentId = (await t.user('student:clicker')).id;
    expect(await seriesRows(studentId)).toHaveLength(4);
    expect(await t.deps.knex('bookingSeries').where({ studentId })).toHaveLength(1);
  });

  it('keeps the wall-clock time of the zone the slots were shown in across a daylight-saving change', async () => {
    // New York moves its clocks on 14 March 2027, Paris on 28 March: 10:00 in New York
    // is 15:00 UTC, then 14:00 UTC; the instants move, the hour the student saw does not.
    clock.set(new Date('2027-03-01T10:00:00Z'));
    try {
      const { skillId } = await mentorWithSkill(t, 'mentor:parisian');
      const student = await t.signIn('student:newyorker', { timezone: 'America/New_York' });
      const form = { start: '2027-03-08T15:00:00.000Z', weeks: 3, zone: 'America/New_York' };
      const { res, expected } = await previewSeries(t, student, skillId, form);
      expect(res.text).toContain('Every Monday at 10:00 (America/New York time)');
      expect(expected.split(',')).toEqual(['2027-03-08T15:00:00.000Z', '2027-03-15T14:00:00.000Z', '2027-03-22T14:00:00.000Z']);
      expect((await confirmSeries(t, student, skillId, form, expected)).status).toBe(303);
      const rows = await seriesRows((await t.user('student:newyorker')).id);
      expect(rows.map((r) => r.startsAt.toISOString())).toEqual(expected.split(','));
      expect(await t.deps.knex('bookingSeries').where({ id: rows[0].seriesId }).first('timeZone')).toEqual({ timeZone: 'America/New_York' });
    } finally {
      clock.set(START);
    }
  });

  it('refuses a bad pattern beside its field, and a forged list of weeks without writing anything', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:strict');
    const student = await t.signIn('student:forger');
    // The flow's link may name the zone the slots were shown in; an unknown one is not used.
    const linked = await student.get(`/skills/${skillId}/series?start=${encodeURIComponent(monday10('2026-11-23'))}&duration=60&zone=Asia/Tokyo`);
    expect(linked.text).toContain('Every Monday at 18:00 (Asia/Tokyo time)');
    expect((await student.get(`/skills/${skillId}/series?start=${encodeURIComponent(monday10('2026-11-23'))}&duration=60&zone=Nowhere`)).status).toBe(303);
    const tooMany = await previewSeries(t, student, skillId, { start: monday10('2026-11-23'), weeks: 13 });
    expect(tooMany.res.status).toBe(422);
    expect(tooMany.res.text).toContain('id="s-weeks-error"');
    expect(tooMany.res.text).toContain('Choose between 2 and 12 weeks.');
    const badZone = await previewSeries(t, student, skillId, { start: monday10('2026-11-23'), weeks: 3, zone: 'Mars/Olympus' });
    expect(badZone.res.status).toBe(422);
    expect(badZone.res.text).toContain('Unknown time zone.');
    const junk = await confirmSeries(t, student, skillId, { start: monday10('2026-11-23'), weeks: 3 }, 'not-a-date');
    expect(junk.status).toBe(422);
    // A week that is not free, slipped into the list: the list is not the one seen under the lock.
    const forged = await confirmSeries(t, student, skillId, { start: monday10('2026-11-23'), weeks: 3 }, [monday10('2026-11-23'), '2026-11-24T03:00:00.000Z'].join(','));
    expect(forged.status).toBe(409);
    expect(await seriesRows((await t.user('student:forger')).id)).toHaveLength(0);
  });
});

describe('the series window setting', () => {
  it('is saved from the availability settings and must reach at least the booking window', async () => {
    await mentorWithSkill(t, 'mentor:planner');
    const mentor = await t.signIn('mentor:planner');
    const page = await mentor.get('/availability');
    expect(page.text).toContain('name="seriesWindowDays" type="number" value="90"');
    const short = await post(mentor, '/availability/settings', { minNoticeHours: '12', windowDays: '30', seriesWindowDays: '20', bufferMinutes: '0' });
    expect((await refusedPage(mentor, short, '/availability')).text).toContain('Must be at least the booking window.');
    const tooLong = await post(mentor, '/availability/settings', { minNoticeHours: '12', windowDays: '30', seriesWindowDays: '181', bufferMinutes: '0' });
    expect((await refusedPage(mentor, tooLong, '/availability')).text).toContain('field--invalid');
    expect((await t.deps.knex('mentorSettings').where({ mentorId: (await t.user('mentor:planner')).id }).first())?.seriesWindowDays ?? 90).toBe(90);
    expect((await post(mentor, '/availability/settings', { minNoticeHours: '12', windowDays: '30', seriesWindowDays: '120', bufferMinutes: '0' })).status).toBe(303);
    const row = await t.deps.knex('mentorSettings').where({ mentorId: (await t.user('mentor:planner')).id }).first();
    expect(row.seriesWindowDays).toBe(120);
  });
});
