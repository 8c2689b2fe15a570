// The grids' name sorts run on the names copied onto each booking (a trigger keeps
// them), and the admin's total is the planner's estimate when counting would scan the
// whole table: through HTTP, the order follows a rename, the answers match the joined
// names they replace, and an estimate is flagged and said "about" on the page.
import type supertest from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { EXACT_COUNT_MAX_ESTIMATE } from './grid-block.ts';

const t = await createTestApp();
type Agent = supertest.Agent;

const ids = (res: { body: { rows: { id: string }[] } }) => res.body.rows.map((r) => r.id);
const names = (res: { body: { rows: { studentName: string; mentorName: string }[] } }, key: 'studentName' | 'mentorName') => res.body.rows.map((r) => r[key]);
const sortModel = (colId: string, sort: 'asc' | 'desc') => JSON.stringify([{ colId, sort }]);

let admin: Agent;
let mentorAgent: Agent;
let annaAgent: Agent;
let mentorId: string;
let otherMentorId: string;
const students: Record<string, string> = {};

async function insertSkill(mentor: string): Promise<string> {
  const [row] = await t.deps.knex('skills').insert({ mentorId: mentor, title: 'Sortnames skill', description: 'x', category: 'music', priceCents: 2000, durations: [60], status: 'published' }).returning('id');
  return (row as { id: string }).id;
}

async function insertBooking(mentor: string, student: string, skillId: string, day: number, status: string): Promise<void> {
  const startsAt = new Date(Date.UTC(2026, 0, 5 + day, 9));
  await t.deps.knex('bookings').insert({
    kind: 'one_on_one', mentorId: mentor, studentId: student, skillId, startsAt, endsAt: new Date(startsAt.getTime() + 3_600_000),
    durationMinutes: 60, status, priceCents: 2000, currency: 'EUR', subject: 'Sortnames',
  });
}

async function rename(agent: Agent, displayName: string, extra: Record<string, string> = {}): Promise<void> {
  const token = await t.csrf(agent, '/profile');
  const body = new URLSearchParams({ _csrf: token, displayName, timezone: 'Europe/Paris', locale: 'en', ...extra });
  const res = await agent.post('/profile').type('form').send(body.toString());
  expect(res.status).toBe(303);
}

beforeAll(async () => {
  const m = await t.user('mentor:sortnames-mentor', { displayName: 'Martin Sortnames' });
  const o = await t.user('mentor:sortnames-other', { displayName: 'Bertrand Sortnames' });
  mentorId = m.id;
  otherMentorId = o.id;
  for (const [key, displayName] of [['anna', 'Anna Sortnames'], ['bruno', 'Bruno Sortnames'], ['chloe', 'Chloé Sortnames'], ['dan', 'Dan Sortnames']] as const) {
    students[key] = (await t.user(`student:sortnames-${key}`, { displayName })).id;
  }
  const skill = await insertSkill(mentorId);
  const otherSkill = await insertSkill(otherMentorId);
  const keys = Object.keys(students);
  for (let i = 0; i < 12; i++) {
    await insertBooking(i % 3 === 0 ? otherMentorId : mentorId, students[keys[i % 4]!]!, i % 3 === 0 ? otherSkill : skill, i, i % 2 ? 'completed' : 'cancelled');
  }
  admin = await t.signInAdmin();
  mentorAgent = await t.signIn('mentor:sortnames-mentor');
  annaAgent = await t.signIn('student:sortnames-anna');
});

describe('name sorts on the copies kept on the bookings', () => {
  it('follow a student who renames themselves, in the admin and the mentor grids', async () => {
    const byStudent = (agent: Agent) => agent.get('/api/bookings').query({ startRow: 0, endRow: 100, sortModel: sortModel('studentName', 'asc') });
    const before = await byStudent(admin);
    expect(names(before, 'studentName').filter((n) => n.endsWith('Sortnames'))[0]).toBe('Anna Sortnames');

    await rename(annaAgent, 'Zoé Sortnames');
    const after = await byStudent(admin);
    const mine = names(after, 'studentName').filter((n) => n.endsWith('Sortnames'));
    expect(mine.at(-1)).toBe('Zoé Sortnames');
    expect(mine).toEqual([...mine].sort());
    const mentorView = names(await byStudent(mentorAgent), 'studentName');
    expect(mentorView.at(-1)).toBe('Zoé Sortnames');
    expect(mentorView).toEqual([...mentorView].sort());
  });

  it('follow a mentor who renames themselves', async () => {
    const byMentor = () => admin.get('/api/bookings').query({ startRow: 0, endRow: 100, sortModel: sortModel('mentorName', 'desc') });
    const ours = (res: Awaited<ReturnType<typeof byMentor>>) => names(res, 'mentorName').filter((n) => n.endsWith('Sortnames'));
    expect(ours(await byMentor())[0]).toBe('Martin Sortnames');
    await rename(mentorAgent, 'Aaron Sortnames', { currency: 'EUR' });
    const after = ours(await byMentor());
    expect(after[0]).toBe('Bertrand Sortnames');
    expect(after.at(-1)).toBe('Aaron Sortnames');
  });

  it('answer what the joined names answer, for each name sort, direction, status filter and page', async () => {
    const knex = t.deps.knex;
    for (const [colId, column] of [['studentName', 'student.display_name'], ['mentorName', 'mentor.display_name']] as const) {
      for (const dir of ['asc', 'desc'] as const) {
        for (const status of [undefined, 'completed'] as const) {
          const expected = await knex('bookings')
            .join('users as student', 'student.id', 'bookings.studentId').join('users as mentor', 'mentor.id', 'bookings.mentorId')
            .modify((q) => { if (status) q.where('bookings.status', status); })
            .orderByRaw(`${column} ${dir}, bookings.id ${dir}`).pluck('bookings.id');
          const got: string[] = [];
          for (let start = 0; start < expected.length; start += 5) {
            const res = await admin.get('/api/bookings').query({ startRow: start, endRow: start + 5, sortModel: sortModel(colId, dir), ...(status ? { status } : {}) });
            expect(res.status).toBe(200);
            got.push(...ids(res));
          }
          expect(got).toEqual(expected);
        }
      }
    }
  });
});

describe("the admin's total", () => {
  it('is counted, not estimated, on a small table', async () => {
    const res = await admin.get('/api/bookings').query({ startRow: 0, endRow: 5 });
    expect(res.body.lastRow).toBe(12);
    expect(res.body).not.toHaveProperty('estimatedRowCount');
    const page = await admin.get('/dashboard?page=1').set('Accept-Language', 'en');
    expect(page.text).not.toMatch(/About [\d,]+ bookings/);
  });

  it('is the planner\'s estimate past what counts cheaply, flagged in the JSON and said "about" on the page', async () => {
    // Completed sessions in the past (outside the overlap constraints), one an hour.
    const extra = EXACT_COUNT_MAX_ESTIMATE + 2_000;
    const skill = await insertSkill(otherMentorId);
    await t.deps.knex.raw(
      `insert into bookings (kind, mentor_id, student_id, skill_id, subject, starts_at, ends_at, duration_minutes, status, price_cents, currency)
       select 'one_on_one', ?, ?, ?, 'Sortnames', timestamptz '2024-01-01 09:00Z' + make_interval(hours => i), timestamptz '2024-01-01 10:00Z' + make_interval(hours => i),
              60, 'completed', 2000, 'EUR'
       from generate_series(1, ?) i`,
      [otherMentorId, students.bruno!, skill, extra],
    );
    await t.deps.knex.raw('analyze bookings');
    const total = 12 + extra;

    const res = await admin.get('/api/bookings').query({ startRow: 0, endRow: 5 });
    expect(res.status).toBe(200);
    expect(res.body.rows).toHaveLength(5);
    expect(res.body.lastRow).toBe(-1); // Ag Grid: unknown, the grid grows as it scrolls
    expect(Math.abs(res.body.estimatedRowCount - total) / total).toBeLessThan(0.1);

    // A selective filter is still counted exactly.
    const cancelled = await admin.get('/api/bookings').query({ startRow: 0, endRow: 5, status: 'cancelled' });
    expect(cancelled.body).toMatchObject({ lastRow: 6 });
    expect(cancelled.body).not.toHaveProperty('estimatedRowCount');

    // A mentor's own total is always exact.
    const mentorRes = await mentorAgent.get('/api/bookings').query({ startRow: 0, endRow: 5 });
    expect(mentorRes.body.lastRow).toBe(8);

    const en = await admin.get('/dashboard').set('Accept-Language', 'en');
    expect(en.text).toMatch(/About [\d,]+ bookings \(an estimate/);
    expect(en.text).toContain('&quot;totalEstimated&quot;:&quot;About {count} bookings');
    const fr = await admin.get('/dashboard').set('Accept-Language', 'fr');
    expect(fr.text).toMatch(/Environ [\d\s\u202f\u00a0]+ réservations \(estimation/);
  });
});
