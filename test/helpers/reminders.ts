// Named helpers for the reminders' tests: bookings at known times and their reminder jobs.
import { expect } from 'vitest';
import type { TestApp } from './app.ts';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;

export async function post(t: TestApp, agent: Agent, path: string, body: Record<string, string | string[]> = {}) {
  const token = await t.csrf(agent, '/');
  return agent.post(path).type('form').send({ _csrf: token, ...body });
}

/** Requests a session; returns the booking's id. */
export async function book(t: TestApp, student: Agent, skillId: string, start: string) {
  const res = await post(t, student, `/skills/${skillId}/bookings`, { start, duration: '60', subject: 'Ownership and borrowing' });
  expect(res.status).toBe(303);
  return res.headers.location!.split('/').pop()!;
}

export interface ReminderJob { key: string; runAt: Date; payload: { bookingId: string; userId: string; offsetMinutes: number; startsAt: string } }

export async function reminderJobs(t: TestApp, bookingId: string): Promise<ReminderJob[]> {
  const { rows } = await t.deps.knex.raw(
    `select key, run_at as "runAt", payload from graphile_worker._private_jobs where key like ? order by key`, [`reminder:${bookingId}:%`]);
  return rows as ReminderJob[];
}

/** Time passes for the queue: the job is due now by the database's clock (the app's is set by the test). */
export async function makeDue(t: TestApp, key: string) {
  await t.deps.knex.raw('update graphile_worker._private_jobs set run_at = now() where key = ?', [key]);
}

export async function reminderNotices(t: TestApp, bookingId: string) {
  return t.deps.knex('notifications').where({ bookingId, kind: 'booking.reminder' });
}

export const reminderMails = (t: TestApp, to: string) => t.mails.filter((m) => m.to === to && /^(Reminder|Rappel)/.test(m.subject));
