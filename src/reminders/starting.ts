// The dashboard's "your session starts in N min" prompt: confirmed sessions of the
// user from 10 minutes before their start until their end.
import type { Knex } from 'knex';

export const PROMPT_BEFORE_MINUTES = 10;

export interface StartingSession {
  id: string;
  startsAt: Date;
  endsAt: Date;
  meetingUrl: string | null;
  skillTitle: string;
  otherName: string;
  /** Whole minutes to the start, rounded up; 0 once started. */
  minutesLeft: number;
}

export async function startingSessions(knex: Knex, userId: string, now: Date): Promise<StartingSession[]> {
  const rows = await knex('bookings as b')
    .join('skills as s', 's.id', 'b.skillId')
    .join('users as m', 'm.id', 'b.mentorId')
    .join('users as st', 'st.id', 'b.studentId')
    .where('b.status', 'confirmed')
    .andWhere((q) => q.where('b.mentorId', userId).orWhere('b.studentId', userId))
    .andWhere('b.startsAt', '<=', new Date(now.getTime() + PROMPT_BEFORE_MINUTES * 60_000))
    .andWhere('b.endsAt', '>', now)
    .orderBy('b.startsAt')
    .limit(3)
    .select('b.id', 'b.startsAt', 'b.endsAt', 'b.meetingUrl', 'b.mentorId', 's.title as skillTitle', 'm.displayName as mentorName', 'st.displayName as studentName') as
    { id: string; startsAt: Date; endsAt: Date; meetingUrl: string | null; mentorId: string; skillTitle: string; mentorName: string; studentName: string }[];
  return rows.map((r) => ({
    id: r.id, startsAt: r.startsAt, endsAt: r.endsAt, meetingUrl: r.meetingUrl, skillTitle: r.skillTitle,
    otherName: r.mentorId === userId ? r.studentName : r.mentorName,
    minutesLeft: Math.max(0, Math.ceil((r.startsAt.getTime() - now.getTime()) / 60_000)),
  }));
}
