// The read path's round trips, counted on every pool (knex and the session store):
// a page that grows a query, or goes back to `select *` of wide rows (the search
// vector, users' password hash and bio), fails here before it shows in the bench.
import { describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/lib/clock.ts';
import { createTestApp } from '../helpers/app.ts';
import { mentorWithSkill } from '../helpers/marketplace.ts';
import { captureQueries, countQueries } from '../helpers/query-count.ts';

const clock = new FixedClock(new Date('2026-11-23T10:00:00Z'));
const t = await createTestApp({ overrides: { clock } });
const { skillId, mentorId } = await mentorWithSkill(t, 'mentor:qcmentor', { skill: { title: 'Query budget clinic' } });
const student = await t.user('student:qcstudent');
await t.deps.knex('bookings').insert({
  skillId, mentorId, studentId: student.id, kind: 'one_on_one', startsAt: new Date('2026-11-25T09:00:00Z'), endsAt: new Date('2026-11-25T10:00:00Z'),
  durationMinutes: 60, status: 'pending', subject: 'Budget review', priceCents: 0, expiresAt: new Date('2026-11-25T09:00:00Z'),
});
await t.deps.knex('notifications').insert([{ userId: mentorId, kind: 'booking.requested', data: {} }, { userId: mentorId, kind: 'booking.requested', data: {} }]);

const fragment = { 'HX-Request': 'true', 'HX-Request-Type': 'partial' };
/** `select *` or `table.*` of a wide table (the search vector, the password hash and bio, booking texts). */
const STAR = /select\s+(?:"(?:skills|users|bookings|notifications)"\.\*|\*\s+from\s+"(?:skills|users|bookings|notifications)")/i;

async function measure(get: () => Promise<{ status: number; text: string }>) {
  await get(); // warm: the first render may load what later ones keep
  const count = await countQueries(t.deps, get);
  expect(count.result.status).toBe(200);
  return count;
}

describe('queries per anonymous page', () => {
  const anon = t.agent();
  const pages: [string, number, () => Promise<{ status: number; text: string }>][] = [
    // The list, its total and each card's mentor in one statement.
    ['landing', 1, () => anon.get('/')],
    ['search', 1, () => anon.get('/skills?q=clinic')],
    // The skill with its mentor (1), the slot inputs (1: settings, rules, overrides, claims and holds in one statement), package offers (2).
    ['skill page', 4, () => anon.get(`/skills/${skillId}`)],
    ['mentor page', 3, () => anon.get('/mentors/qcmentor')],
    ['slot fragment', 2, () => anon.get(`/skills/${skillId}/book`).set(fragment)],
    ['booking page', 2, () => anon.get(`/skills/${skillId}/book`)],
  ];
  it.each(pages)('%s: at most %i queries, none on the session store, no select *', async (_name, budget, get) => {
    const count = await measure(get);
    expect(count.app.length).toBeLessThanOrEqual(budget);
    expect(count.sessions).toBe(0);
    expect(count.app.filter((sql) => STAR.test(sql))).toEqual([]);
  });

  it('still shows what the joined columns carry: the cards and the skill page name the mentor', async () => {
    expect((await anon.get('/')).text).toContain('Qcmentor Test');
    expect((await anon.get(`/skills/${skillId}`)).text).toContain('href="/mentors/qcmentor"');
    expect((await anon.get('/skills?q=clinic')).text).toContain('Query budget clinic');
  });
});

describe('queries per signed-in page', () => {
  it('reads the session, the user and the bell count in one statement', async () => {
    const mentor = await t.signIn('mentor:qcmentor');
    await mentor.get('/notifications'); // the store's first read of a process also starts its prune timer
    let text = '';
    const queries = await captureQueries(t.deps, async () => {
      text = (await mentor.get('/notifications')).text;
    });
    const [session, ...others] = queries.filter((q) => q.pool === 'session');
    expect(others).toEqual([]);
    expect(session!.sql).toMatch(/\(select count\(\*\) from "notifications".*\) as "unread" from "users"/s);
    expect(session!.sql).not.toContain('password_hash');
    // Then the list: nothing else.
    expect(queries.filter((q) => q.pool === 'knex')).toHaveLength(1);
    expect(text).toMatch(/site-menu__count">2</);
  });

  // The count rides in the session's statement whatever the request (a partial-index count
  // of a few rows), so a fragment makes no statement of its own for the header or the bell.
  it('makes no header or bell query of its own on htmx fragments', async () => {
    const s = await t.signIn('student:qcstudent');
    const count = await measure(() => s.get(`/skills/${skillId}/book`).set(fragment));
    expect(count.app.filter((sql) => sql.includes('"notifications"') || /from "users" where "id" = \?/.test(sql))).toEqual([]);
  });

  const pages: [string, string, number, string][] = [
    // The header comes with the session read. The picker's skill (1) + the slot inputs with the viewer's own claims (1).
    ['booking page', 'student:qcstudent', 2, `/skills/${skillId}/book`],
    // The mentor's figures in one statement (1), the sessions starting now (1), the grid's count and rows (2).
    ['mentor dashboard', 'mentor:qcmentor', 4, '/dashboard'],
    ['student dashboard', 'student:qcstudent', 5, '/dashboard'],
    ['notifications', 'mentor:qcmentor', 1, '/notifications'],
  ];
  it.each(pages)('%s (%s): at most %i queries besides the one session read, no select *', async (_name, who, budget, url) => {
    const agent = await t.signIn(who);
    const count = await measure(() => agent.get(url));
    expect(count.app.length).toBeLessThanOrEqual(budget);
    expect(count.sessions).toBe(1);
    expect(count.app.filter((sql) => STAR.test(sql))).toEqual([]);
  });
});
