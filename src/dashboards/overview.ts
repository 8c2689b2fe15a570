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

// One statement for the mentor's four figures: the page waits on the slowest query anyway,
// and each extra statement costs a round trip, a backend's parse and knex's building.
// Counts are two index ranges (mentor, status, starts_at), not a pass over every booking.
const MENTOR_OVERVIEW = `
  select
    (select count(*) from bookings where mentor_id = :mentorId and status = 'pending' and starts_at > :now) as pending,
    (select count(*) from bookings where mentor_id = :mentorId and status = 'confirmed' and starts_at between :now and :weekEnd) as this_week,
    (select json_build_object('id', b.id, 'startsAt', b.starts_at, 'meetingUrl', b.meeting_url, 'skillTitle', s.title, 'studentName', u.display_name)
       from bookings b join skills s on s.id = b.skill_id join users u on u.id = b.student_id
      where b.mentor_id = :mentorId and b.status = 'confirmed' and b.ends_at > :now
      order by b.starts_at limit 1) as next,
    (select coalesce(json_agg(json_build_object(
        'id', g.id, 'title', g.title, 'startsAt', g.starts_at, 'capacity', g.capacity, 'seatsTaken', g.seats_taken, 'status', g.status,
        'attendees', (select coalesce(json_agg(json_build_object('name', u.display_name, 'status', b.status) order by u.display_name), '[]')
                        from bookings b join users u on u.id = b.student_id
                       where b.kind = 'group' and b.skill_id = g.id and b.status in ('pending', 'confirmed', 'completed', 'no_show'))
      ) order by g.starts_at), '[]')
       from skills g
      where g.mentor_id = :mentorId and g.mode = 'group' and g.status <> 'draft' and g.starts_at > :since) as group_sessions`;

type Json<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };

export async function mentorOverview(knex: Knex, mentorId: string, now: Date, zone: string): Promise<MentorOverview> {
  const weekEnd = DateTime.fromJSDate(now, { zone: memoZone(zone) }).endOf('week').toJSDate();
  const since = new Date(now.getTime() - 7 * 86_400_000);
  const { rows } = await knex.raw<{ rows: { pending: string; this_week: string; next: Json<NonNullable<MentorOverview['next']>> | null; group_sessions: Json<MentorOverview['groupSessions'][number]>[] }[] }>(
    MENTOR_OVERVIEW, { mentorId, now, weekEnd, since },
  );
  // One row always: a select of subqueries with no from. JSON carries the instants as text.
  const { pending, this_week: thisWeek, next, group_sessions: groupSessions } = rows[0]!;
  return {
    pending: Number(pending), thisWeek: Number(thisWeek),
    next: next ? { ...next, startsAt: new Date(next.startsAt) } : undefined,
    groupSessions: groupSessions.map((g) => ({ ...g, startsAt: new Date(g.startsAt) })),
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
