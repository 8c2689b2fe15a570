// The migration that adds the calendar constraint meets databases that already hold
// overlaps: it must resolve them deterministically instead of failing.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';
import { down, up } from '../../migrations/20261201090000_create_calendar_claims.ts';

const t = await createTestApp();
const knex = t.deps.knex;
const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
afterAll(() => warn.mockRestore());

const at = (iso: string) => new Date(iso);
const ids: Record<string, string> = {};

beforeAll(async () => {
  await down(knex);
  const a = await mentorWithSkill(t, 'mentor:olda');
  const b = await mentorWithSkill(t, 'mentor:oldb');
  const c = await mentorWithSkill(t, 'mentor:oldc');
  const g = await mentorWithSkill(t, 'mentor:oldg', { skill: { mode: 'group', durations: [60], startsAt: at('2026-12-10T10:00Z'), capacity: 5 } });
  const gone = await mentorWithSkill(t, 'mentor:oldgone', { skill: { mode: 'group', durations: [60], startsAt: at('2026-12-11T10:00Z'), capacity: 5 } });
  await knex('skills').where({ id: gone.skillId }).update({ status: 'cancelled', seatsTaken: 1 });
  const s1 = await t.user('student:olds1');
  const s2 = await t.user('student:olds2');
  const row = (m: { skillId: string; mentorId: string }, studentId: string, start: string, minutes: number, createdAt: string, extra: Record<string, unknown> = {}) => ({
    skillId: m.skillId, mentorId: m.mentorId, studentId, kind: 'one_on_one', startsAt: at(start), endsAt: new Date(at(start).getTime() + minutes * 60_000),
    durationMinutes: minutes, status: 'confirmed', subject: 'Old data', priceCents: 1000, createdAt: at(createdAt), ...extra,
  });
  const insert = async (name: string, r: Record<string, unknown>) => {
    const [x] = await knex('bookings').insert(r).returning('id');
    ids[name] = (x as { id: string }).id;
  };
  // s1: three overlapping sessions with two mentors; the earliest request wins.
  await insert('keep', row(a, s1.id, '2026-12-07T09:00Z', 60, '2026-11-01T10:00Z'));
  await insert('later', row(b, s1.id, '2026-12-07T09:30Z', 60, '2026-11-02T10:00Z', { status: 'pending' }));
  await insert('latest', row(c, s1.id, '2026-12-07T09:00Z', 30, '2026-11-03T10:00Z'));
  // Not overlapping the kept one once the middle one is gone: stays.
  await insert('after', row(c, s1.id, '2026-12-07T10:30Z', 30, '2026-11-04T10:00Z'));
  // g's own one-on-one over its published group session (the session keeps its time).
  await insert('overGroup', row(g, s2.id, '2026-12-10T10:30Z', 60, '2026-11-01T09:00Z'));
  // A live seat on a withdrawn session.
  await insert('withdrawnSeat', { ...row(gone, s2.id, '2026-12-11T10:00Z', 60, '2026-11-01T09:00Z'), kind: 'group' });
  // Past or finished bookings do not count.
  await insert('old', row(c, s1.id, '2026-12-06T09:00Z', 60, '2026-10-01T10:00Z', { status: 'completed' }));
  await up(knex);
});

describe('resolving existing overlaps', () => {
  it('keeps the earliest request and cancels the later overlapping ones with a system reason', async () => {
    const status = async (name: string) => (await knex('bookings').where({ id: ids[name] }).first()).status;
    expect(await status('keep')).toBe('confirmed');
    expect(await status('later')).toBe('cancelled');
    expect(await status('latest')).toBe('cancelled');
    expect(await status('after')).toBe('confirmed');
    expect(await status('overGroup')).toBe('cancelled');
    expect(await status('withdrawnSeat')).toBe('cancelled');
    expect(await status('old')).toBe('completed');
    const later = await knex('bookings').where({ id: ids.later }).first();
    expect(later.cancelReason).toContain('It overlapped a session booked earlier');
    expect(later.cancelledBy).toBeNull();
  });

  it('writes a history row and tells both parties', async () => {
    for (const name of ['later', 'latest', 'overGroup']) {
      const b = await knex('bookings').where({ id: ids[name] }).first();
      expect(await knex('bookingEvents').where({ bookingId: b.id, status: 'cancelled', actorRole: 'system' })).toHaveLength(1);
      const told = (await knex('notifications').where({ bookingId: b.id, kind: 'booking.auto_cancelled' }).select('userId')).map((n) => n.userId);
      expect(told.sort()).toEqual([b.mentorId, b.studentId].sort());
    }
    expect(warn).toHaveBeenCalled();
    expect(String(warn.mock.calls[0]![0])).toContain('cancelledBooking');
  });

  it('gives the seat back and leaves a database that refuses overlaps', async () => {
    const gone = await knex('bookings').where({ id: ids.withdrawnSeat }).first();
    expect((await knex('skills').where({ id: gone.skillId }).first()).seatsTaken).toBe(0);
    const keep = await knex('bookings').where({ id: ids.keep }).first();
    await expect(knex('bookings').where({ id: ids.later }).update({ status: 'pending' })).rejects.toMatchObject({ constraint: 'calendar_claims_no_overlap' });
    expect(await knex('calendarClaims').where({ bookingId: keep.id })).toHaveLength(2);
    const { rows } = await knex.raw('select count(*)::int as n from calendar_claims a join calendar_claims b on a.user_id = b.user_id and a.id < b.id and a.during && b.during');
    expect(rows[0].n).toBe(0);
  });
});
