// The racing-booking load through the load balancer: signed-in students (API tokens)
// booking a small pool of overlapping slots of three mentors, each attempt with its own
// Idempotency-Key, some sent twice at once with the same key (a client's retry), some
// students booking the same hour with two mentors (their own overlap).
import crypto from 'node:crypto';
import { DEMO_PASSWORD } from '../../seeds/demo.ts';
import { PORTS, sql } from './topology.ts';

export const LB = `http://127.0.0.1:${PORTS.haproxy}`;

export interface Attempt { key: string; token: string; studentId: string; mentorId: string; body: { skillId: string; startsAt: string; durationMinutes: number } }
export interface Outcome { attempt: Attempt; status: number; code?: string; bookingId?: string; ms: number; startedAt: number; at: number; server?: string; error?: string }

export async function api(path: string, init: { method?: string; token?: string; body?: unknown; key?: string } = {}): Promise<{ status: number; body: Record<string, unknown>; server: string | null }> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.key) headers['idempotency-key'] = init.key;
  const res = await fetch(`${LB}/api/v1${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body), signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    body = { raw: text.slice(0, 200) };
  }
  return { status: res.status, body, server: res.headers.get('x-served-by') };
}

export interface Fixture { mentors: { id: string; skillId: string; durations: number[] }[]; students: { id: string; token: string }[] }

/** Three mentors' first one-on-one skills made free (a 201, not a checkout), forty signed-in students. */
export async function prepareFixture(studentCount: number): Promise<Fixture> {
  const skills = await sql<{ id: string; mentorId: string; durations: number[] }>(PORTS.primary,
    `select distinct on (mentor_id) id, mentor_id as "mentorId", durations from skills
      where status = 'published' and mode = 'one_on_one' and course_id is null order by mentor_id, created_at limit 3`);
  if (skills.length < 3) throw new Error('the demo data has fewer than three mentors with a one-on-one skill');
  await sql(PORTS.primary, 'update skills set price_cents = 0 where id = any($1)', [skills.map((s) => s.id)]);
  const rows = await sql<{ id: string; email: string }>(PORTS.primary,
    `select id, email from users where role = 'student' and disabled_at is null order by created_at limit $1`, [studentCount]);
  const students = await Promise.all(rows.map(async (s) => {
    const res = await api('/auth/login', { method: 'POST', body: { identifier: s.email, password: DEMO_PASSWORD } });
    if (res.status !== 200) throw new Error(`login of ${s.email} through the LB: ${res.status} ${JSON.stringify(res.body)}`);
    return { id: s.id, token: String(res.body.accessToken) };
  }));
  return { mentors: skills.map((s) => ({ id: s.mentorId, skillId: s.id, durations: s.durations })), students };
}

export async function buildAttempts(fixture: Fixture, count: number, slotsPerMentor: number): Promise<Attempt[]> {
  const pools = await Promise.all(fixture.mentors.map(async (m) => {
    const duration = Math.min(...m.durations);
    const res = await api(`/mentors/${m.id}/slots?skillId=${m.skillId}&duration=${duration}`);
    const slots = (res.body.slots as { startsAt: string; available: boolean }[] | undefined ?? []).filter((s) => s.available).slice(0, slotsPerMentor);
    if (!slots.length) throw new Error(`mentor ${m.id} has no free slot: ${res.status}`);
    return { mentor: m, starts: slots.map((s) => s.startsAt) };
  }));
  const pick = <T>(list: T[]) => list[crypto.randomInt(list.length)]!;
  const attempts: Attempt[] = [];
  while (attempts.length < count) {
    const student = pick(fixture.students);
    const pool = pick(pools);
    // The longer durations start on the same half-hours: they overlap the shorter ones.
    const body = { skillId: pool.mentor.skillId, startsAt: pick(pool.starts), durationMinutes: pick(pool.mentor.durations.filter((d) => d <= 90)) };
    const attempt = { key: crypto.randomUUID(), token: student.token, studentId: student.id, mentorId: pool.mentor.id, body };
    attempts.push(attempt);
    const roll = Math.random();
    // A client retrying at once with the same key: one booking at most, the same answer twice.
    if (roll < 0.1) attempts.push({ ...attempt });
    // The same student, the same hour, another mentor: the student-side constraint's case.
    else if (roll < 0.2) {
      const other = pools.find((p) => p !== pool && p.starts.includes(body.startsAt)) ?? pools.find((p) => p !== pool)!;
      attempts.push({ ...attempt, key: crypto.randomUUID(), mentorId: other.mentor.id, body: { ...body, skillId: other.mentor.skillId, durationMinutes: Math.min(...other.mentor.durations) } });
    }
  }
  return attempts;
}

export async function book(attempt: Attempt): Promise<Outcome> {
  const started = performance.now();
  const startedAt = Date.now();
  try {
    const res = await api('/bookings', { method: 'POST', token: attempt.token, key: attempt.key, body: attempt.body });
    const error = res.body.error as { code?: string } | undefined;
    const bookingId = res.status === 201 ? String(res.body.id) : undefined;
    return { attempt, status: res.status, code: error?.code, bookingId, ms: performance.now() - started, startedAt, at: Date.now(), server: res.server ?? undefined };
  } catch (error) {
    return { attempt, status: 0, error: (error as Error).message, ms: performance.now() - started, startedAt, at: Date.now() };
  }
}

/** `concurrency` clients take the next attempt as soon as they are done; onProgress sees each answer. */
export async function runLoad(attempts: Attempt[], concurrency: number, onProgress: (done: number) => void): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  const client = async () => {
    while (next < attempts.length) {
      const attempt = attempts[next++]!;
      outcomes.push(await book(attempt));
      onProgress(outcomes.length);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return outcomes;
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 10) / 10;
}
