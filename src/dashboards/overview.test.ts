import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';
import { mentorOverview, studentOverview } from './overview.ts';

// Wednesday 25 November 2026, 11:00 in Paris: the week ends Sunday 29th at midnight, Paris time.
const now = new Date('2026-11-25T10:00:00Z');
const t = await createTestApp();

const { mentorId, skillId } = await mentorWithSkill(t, 'mentor:figures', { skill: { title: 'One to one' } });
const other = await mentorWithSkill(t, 'mentor:elsewhere');
const amina = await t.user('student:fig-amina', { displayName: 'Amina Diallo' });
const zoe = await t.user('student:fig-zoe', { displayName: 'Zoé Martin' });
const bob = await t.user('student:fig-bob', { displayName: 'Bob Leroy' });

const at = (iso: string) => new Date(iso);
const booking = (studentId: string, start: string, minutes: number, status: string, extra: Record<string, unknown> = {}) => ({
  mentorId, skillId, studentId, kind: 'one_on_one', startsAt: at(start), endsAt: new Date(at(start).getTime() + minutes * 60_000),
  durationMinutes: minutes, status, subject: 'x', priceCents: 0, expiresAt: status === 'pending' ? at(start) : null, ...extra,
});
const group = async (title: string, startsAt: string, status = 'published') => {
  const [row] = await t.deps.knex('skills').insert({
    mentorId, title, description: 'A group session.', category: 'programming', priceCents: 0, durations: [60], mode: 'group', status, startsAt: at(startsAt), capacity: 5,
  }).returning('id');
  return (row as { id: string }).id;
};

const soon = await group('Group on Saturday', '2026-11-28T15:00:00Z');
const lastWeekend = await group('Group three days ago', '2026-11-22T15:00:00Z');
await group('Group ten days ago', '2026-11-15T15:00:00Z');
await group('Draft group', '2026-11-27T15:00:00Z', 'draft');

const inProgress = booking(amina.id, '2026-11-25T09:30:00Z', 60, 'confirmed', { meetingUrl: 'https://meet.example/now' });
await t.deps.knex('bookings').insert([
  inProgress,
  booking(zoe.id, '2026-11-26T09:00:00Z', 60, 'pending'), // waiting for an answer
  booking(amina.id, '2026-11-27T09:00:00Z', 60, 'pending'), // waiting for an answer
  booking(zoe.id, '2026-11-24T09:00:00Z', 60, 'pending'), // its time has passed: not waiting any more
  booking(zoe.id, '2026-11-29T21:00:00Z', 60, 'confirmed'), // Sunday 22:00 in Paris: this week
  booking(amina.id, '2026-11-30T09:00:00Z', 60, 'confirmed'), // Monday: next week
  booking(bob.id, '2026-11-26T13:00:00Z', 60, 'cancelled'),
  { ...booking(zoe.id, '2026-11-26T11:00:00Z', 60, 'pending'), mentorId: other.mentorId, skillId: other.skillId },
  // Seats of the Saturday group: the cancelled one is not an attendee.
  { ...booking(zoe.id, '2026-11-28T15:00:00Z', 60, 'confirmed'), skillId: soon, kind: 'group' },
  { ...booking(amina.id, '2026-11-28T15:00:00Z', 60, 'pending'), skillId: soon, kind: 'group' },
  { ...booking(bob.id, '2026-11-28T15:00:00Z', 60, 'cancelled'), skillId: soon, kind: 'group' },
]);

describe('the mentor overview', () => {
  it('counts what waits and what is coming this week, names the next session and lists group sessions with their attendees', async () => {
    const o = await mentorOverview(t.deps.knex, mentorId, now, 'Europe/Paris');
    expect(o.pending).toBe(3); // two one-on-one requests and a seat request
    expect(o.thisWeek).toBe(2); // Sunday evening's session and Saturday's seat; the one in progress started before now
    expect(o.next).toEqual({ id: expect.any(String), startsAt: inProgress.startsAt, meetingUrl: 'https://meet.example/now', skillTitle: 'One to one', studentName: 'Amina Diallo' });
    expect(o.groupSessions.map((g) => [g.title, g.startsAt, g.capacity, g.status])).toEqual([
      ['Group three days ago', at('2026-11-22T15:00:00Z'), 5, 'published'],
      ['Group on Saturday', at('2026-11-28T15:00:00Z'), 5, 'published'],
    ]);
    expect(o.groupSessions.map((g) => g.id)).toEqual([lastWeekend, soon]);
    expect(o.groupSessions[0]!.attendees).toEqual([]);
    expect(o.groupSessions[1]!.attendees).toEqual([{ name: 'Amina Diallo', status: 'pending' }, { name: 'Zoé Martin', status: 'confirmed' }]);
    const seats = await t.deps.knex('skills').where({ id: soon }).first('seatsTaken');
    expect(o.groupSessions[1]!.seatsTaken).toBe(seats.seatsTaken);
  });

  it('has nothing to show for a mentor without bookings', async () => {
    const o = await mentorOverview(t.deps.knex, other.mentorId, new Date('2026-11-27T10:00:00Z'), 'Europe/Paris');
    expect(o).toEqual({ pending: 0, thisWeek: 0, next: undefined, groupSessions: [] });
  });
});

describe('the student overview', () => {
  it('counts requests still waiting and sessions to come, and names the next one, which may be in progress', async () => {
    const mentor = await t.deps.knex('users').where({ id: mentorId }).first('displayName');
    expect(await studentOverview(t.deps.knex, amina.id, now)).toEqual({
      pending: 2, upcoming: 1,
      next: { id: expect.any(String), startsAt: inProgress.startsAt, meetingUrl: 'https://meet.example/now', skillTitle: 'One to one', mentorName: mentor.displayName },
    });
    // Zoé's next is a seat of the group session; her request to the other mentor counts too.
    expect(await studentOverview(t.deps.knex, zoe.id, now)).toEqual({
      pending: 2, upcoming: 2,
      next: { id: expect.any(String), startsAt: at('2026-11-28T15:00:00Z'), meetingUrl: null, skillTitle: 'Group on Saturday', mentorName: mentor.displayName },
    });
  });

  it('has nothing to show for a student without bookings', async () => {
    const nobody = await t.user('student:fig-nobody');
    expect(await studentOverview(t.deps.knex, nobody.id, now)).toEqual({ pending: 0, upcoming: 0, next: undefined });
  });
});
