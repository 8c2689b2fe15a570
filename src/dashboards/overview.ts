// The figures above each dashboard grid: what needs an answer, what is coming.
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { memoZone } from '../lib/memo-zone.ts';

export interface MentorOverview {
  pending: number;
  thisWeek: number;
  next: { id: string; startsAt: Date; meetingUrl: string | null; skillTitle: string; studentName: string } | undefined;
  groupSessions: { id: string; title: string; startsAt: Date; capacity: number; seatsTaken: number; status: string; attendees: { name: string; status: string }[] }[];
}

export async function mentorOverview(knex: Knex, mentorId: string, now: Date, zone: string): Promise<MentorOverview> {
  const weekEnd = DateTime.fromJSDate(now, { zone: memoZone(zone) }).endOf('week').toJSDate();
  const [counts, next, sessions] = await Promise.all([
    // Two index ranges (mentor, status, starts_at), not a pass over every booking the mentor ever had.
    knex.first(
      knex('bookings').where({ mentorId, status: 'pending' }).where('startsAt', '>', now).count('*').as('pending'),
      knex('bookings').where({ mentorId, status: 'confirmed' }).whereBetween('startsAt', [now, weekEnd]).count('*').as('thisWeek'),
    ),
    knex('bookings as b').join('skills as s', 's.id', 'b.skillId').join('users as u', 'u.id', 'b.studentId')
      .where('b.mentorId', mentorId).where('b.status', 'confirmed').where('b.endsAt', '>', now)
      .orderBy('b.startsAt').first('b.id', 'b.startsAt', 'b.meetingUrl', 's.title as skillTitle', 'u.displayName as studentName'),
    knex('skills').where({ mentorId, mode: 'group' }).whereNot('status', 'draft').where('startsAt', '>', new Date(now.getTime() - 7 * 86_400_000))
      .orderBy('startsAt').select('id', 'title', 'startsAt', 'capacity', 'seatsTaken', 'status'),
  ]);
  const attendees = sessions.length
    ? await knex('bookings as b').join('users as u', 'u.id', 'b.studentId').where('b.kind', 'group').whereIn('b.skillId', sessions.map((s: { id: string }) => s.id))
      .whereIn('b.status', ['pending', 'confirmed', 'completed', 'no_show']).orderBy('u.displayName').select('b.skillId', 'u.displayName as name', 'b.status')
    : [];
  const c = counts as { pending: number; thisWeek: number };
  return {
    pending: Number(c.pending), thisWeek: Number(c.thisWeek), next,
    groupSessions: sessions.map((s: MentorOverview['groupSessions'][number]) => ({ ...s, attendees: attendees.filter((a: { skillId: string }) => a.skillId === s.id) })),
  };
}

export async function studentOverview(knex: Knex, studentId: string, now: Date) {
  const [counts, next] = await Promise.all([
    knex('bookings').where({ studentId }).select(
      knex.raw(`count(*) filter (where status = 'pending' and starts_at > ?) as pending`, [now]),
      knex.raw(`count(*) filter (where status = 'confirmed' and starts_at > ?) as upcoming`, [now]),
    ).first(),
    knex('bookings as b').join('skills as s', 's.id', 'b.skillId').join('users as u', 'u.id', 'b.mentorId')
      .where('b.studentId', studentId).where('b.status', 'confirmed').where('b.endsAt', '>', now)
      .orderBy('b.startsAt').first('b.id', 'b.startsAt', 'b.meetingUrl', 's.title as skillTitle', 'u.displayName as mentorName'),
  ]);
  const c = counts as { pending: number; upcoming: number };
  return { pending: Number(c.pending), upcoming: Number(c.upcoming), next };
}
