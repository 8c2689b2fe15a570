import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';
import { FixedClock } from '../lib/clock.ts';

// The week holds the end of summer time in Paris (Sunday 25 October 2026).
const clock = new FixedClock(new Date('2026-10-22T06:00:00Z'));
const t = await createTestApp({ overrides: { clock } });

const api = (path: string) => t.agent().get(`/api/v1${path}`).set('Accept', 'application/json');
const PRIVATE = ['email', 'phone', 'passwordHash', 'locale', 'lastLoginAt', 'disabledAt', 'avatarKey', 'hourlyRateCents'];

/** Every key of a JSON value, at any depth. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)]);
  return [];
}

describe('the mentors in the API', () => {
  it('lists active mentors by cursor and search, shows a profile with its published skills, and never a private field', async () => {
    const { mentorId, skillId } = await mentorWithSkill(t, 'mentor:apimen_helene', { skill: { title: 'Piano for adults' } });
    await t.deps.knex('users').where({ id: mentorId }).update({ displayName: 'Hélène Apimen', headline: 'Pianiste', phone: '+33600000000' });
    await t.deps.knex('skills').insert({ mentorId, title: 'Secret draft', description: '', category: 'music', priceCents: 0, durations: [30], mode: 'one_on_one', status: 'draft' });
    const other = await mentorWithSkill(t, 'mentor:apimen_other');
    const disabled = await t.user('mentor:apimen_disabled', { disabledAt: new Date() });
    await t.user('student:apimen_student');

    const found = await api('/mentors?q=helene');
    expect(found.status).toBe(200);
    expect(found.body.items.map((m: { id: string }) => m.id)).toEqual([mentorId]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await api(`/mentors?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((m: { id: string }) => m.id));
      for (const key of PRIVATE) expect(keysOf(res.body)).not.toContain(key);
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([mentorId, other.mentorId].sort());

    const profile = await api(`/mentors/${mentorId}`);
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({ id: mentorId, displayName: 'Hélène Apimen', headline: 'Pianiste', timezone: 'Europe/Paris', rating: { average: null, count: 0 } });
    expect(profile.body.skills.map((s: { id: string }) => s.id)).toEqual([skillId]);
    for (const key of PRIVATE) expect(keysOf(profile.body), key).not.toContain(key);
    expect(profile.text).not.toContain('@example.test');
    expect(profile.text).not.toContain('+33600000000');

    const again = await api(`/mentors/${mentorId}`).set('If-None-Match', profile.headers.etag!);
    expect(again.status).toBe(304);
    expect((await api(`/mentors/${disabled.id}`)).status).toBe(404);
    const student = await t.user('student:apimen_student');
    expect((await api(`/mentors/${student.id}`)).status).toBe(404);
    expect((await api('/mentors?limit=0')).status).toBe(422);
  });

  it('shows a mentor\'s weekly hours and upcoming exceptions in their zone, without their notes', async () => {
    const { mentorId } = await mentorWithSkill(t, 'mentor:apimen_hours', { timezone: 'America/Montreal', rules: [{ weekday: 2, start: '09:00', end: '12:30' }] });
    await t.deps.knex('availabilityRules').insert({ mentorId, weekday: 4, startTime: '14:00', endTime: '16:00', active: false });
    await t.deps.knex('availabilityOverrides').insert([
      { mentorId, date: '2026-10-30', kind: 'blocked', note: 'Dentist appointment' },
      { mentorId, date: '2026-10-01', kind: 'extra', startTime: '18:00', endTime: '19:00' },
    ]);
    const res = await api(`/mentors/${mentorId}/availability`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      mentorId, timezone: 'America/Montreal',
      weekly: [{ weekday: 2, start: '09:00', end: '12:30' }],
      exceptions: [{ date: '2026-10-30', kind: 'blocked', start: null, end: null }],
    });
    expect(res.text).not.toContain('Dentist');
  });
});

describe('a mentor\'s free slots in the API', () => {
  it('lists the slots the booking modal lists for the same mentor and days, through the summer-time change', async () => {
    const every = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '09:00', end: '11:00' }));
    const { mentorId, skillId } = await mentorWithSkill(t, 'mentor:apimen_slots', { rules: every, settings: { minNoticeMinutes: 60, windowDays: 30 } });
    const student = await t.user('student:apimen_booker');
    const page = await (await t.signIn('student:apimen_booker')).get(`/skills/${skillId}/book?duration=60`).set('HX-Request', 'true');
    expect(page.status).toBe(200);
    const modal = [...page.text.matchAll(/name="start" value="([^"]+)"/g)].map((m) => m[1]);
    expect(modal.length).toBeGreaterThan(5);

    const from = DateTime.fromJSDate(clock.now(), { zone: 'Europe/Paris' }).startOf('day');
    const token = (await t.deps.services.tokens.issueAccess(student)).accessToken;
    const query = `skillId=${skillId}&duration=60&from=${encodeURIComponent(from.toISO()!)}&to=${encodeURIComponent(from.plus({ days: 7 }).toISO()!)}`;
    for (const path of ['slots', 'available-slots']) {
      const res = await api(`/mentors/${mentorId}/${path}?${query}`).set('Authorization', `Bearer ${token}`);
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ mentorId, skillId, duration: 60, timezone: 'Europe/Paris' });
      expect(res.body.slots.map((s: { startsAt: string }) => s.startsAt)).toEqual(modal);
      expect(res.headers['cache-control']).toBe('no-cache');
    }
    // Nine o'clock in Paris stays nine o'clock after the change: 07:00Z, then 08:00Z.
    const starts = modal.map(String);
    expect(starts).toContain('2026-10-24T07:00:00.000Z');
    expect(starts).toContain('2026-10-26T08:00:00.000Z');
    const first = await api(`/mentors/${mentorId}/slots?${query}`);
    expect((await api(`/mentors/${mentorId}/slots?${query}`).set('If-None-Match', first.headers.etag!)).status).toBe(304);
  });

  it('refuses a range past 31 days, a reversed one, a duration the skill lacks and another mentor\'s skill, with 422 errors[]', async () => {
    const { mentorId, skillId } = await mentorWithSkill(t, 'mentor:apimen_bounds', { skill: { durations: [30, 60] } });
    const other = await mentorWithSkill(t, 'mentor:apimen_bounds_other');
    const cases: [string, string][] = [
      ['from=2026-10-22T00:00:00Z&to=2026-11-23T00:00:00Z', 'to'],
      ['from=2026-10-22T00:00:00Z&to=2026-10-21T00:00:00Z', 'to'],
      ['from=yesterday', 'from'],
      [`skillId=${skillId}&duration=120`, 'duration'],
      [`skillId=${other.skillId}`, 'skillId'],
      ['duration=45', 'duration'],
    ];
    for (const [query, field] of cases) {
      const res = await api(`/mentors/${mentorId}/slots?${query}`);
      expect(res.status, query).toBe(422);
      const body = JSON.parse(res.text);
      expect(body.errors.map((e: { name: string }) => e.name), query).toEqual([field]);
      expect(body.errors[0].reason, query).not.toMatch(/^slots\./);
    }
    const tooLong = await api(`/mentors/${mentorId}/slots?${cases[0]![0]}`).set('Accept-Language', 'fr');
    expect(JSON.parse(tooLong.text).errors[0].reason).toBe('Demandez au plus 31 jours à la fois.');
    expect((await api(`/mentors/${mentorId}/slots?from=2026-10-22T00:00:00Z&to=2026-11-22T00:00:00Z`)).status).toBe(200);
    expect((await api('/mentors/00000000-0000-4000-8000-000000000000/slots')).status).toBe(404);
  });
});
