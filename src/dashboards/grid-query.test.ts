// The dashboards' API through HTTP: sorting, filtering and paging against known rows,
// the per-role whitelist, scoping, bulk actions, CSV, and injection attempts.
import { beforeAll, describe, expect, it } from 'vitest';
import { catalogs } from '../i18n/index.ts';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { escapeLike } from '../lib/grid-request.ts';
import { CSV_MAX_ROWS, gridRowsQuery, parseGridRequest } from './grid-query.ts';
import dashboardMessages from './messages.ts';

// Until src/i18n/index.ts registers this feature's catalog, load it here so that
// error messages are asserted in words (a no-op once it is registered).
for (const locale of ['en', 'fr'] as const) for (const [k, v] of Object.entries(dashboardMessages[locale])) catalogs[locale][k] ??= v;

const NOW = new Date('2026-11-22T10:00:00Z'); // a Sunday, 11:00 in Paris
const clock = new FixedClock(NOW);
const t = await createTestApp({ overrides: { clock } });
type Agent = Awaited<ReturnType<typeof t.signIn>>;

interface Fx {
  id: string;
  i: number;
  startsAt: Date;
  studentName: string;
  mentorName: string;
  skillTitle: string;
  durationMinutes: number;
  price: number;
  status: string;
  createdAt: Date;
}

const PAST = ['completed', 'cancelled', 'no_show', 'expired', 'rejected'];
const FUTURE = ['pending', 'confirmed', 'cancelled', 'rejected'];
const STUDENTS = ['Alice Zed', 'Bruno Émile', 'Chloé Durand', 'Dan "The Man", Jr'];
const SKILLS = ['Guitare électrique', 'Python pour débutants', 'Yoga 100% zen'];

const mine: Fx[] = []; // the 30 bookings of mentor "gridmentor"
let theirs: Fx[] = []; // the 3 of mentor "othermentor"
let mentor: Agent;
let other: Agent;
let alice: Agent;

async function insertSkill(mentorId: string, title: string): Promise<string> {
  const [row] = await t.deps.knex('skills').insert({ mentorId, title, description: 'x', category: 'music', priceCents: 2000, durations: [30, 60, 90, 120], status: 'published' }).returning('id');
  return (row as { id: string }).id;
}

async function insertBooking(b: { mentorId: string; studentId: string; skillId: string; startsAt: Date; durationMinutes: number; status: string; priceCents: number; createdAt?: Date; meetingUrl?: string | null }): Promise<string> {
  const [row] = await t.deps.knex('bookings').insert({
    kind: 'one_on_one', endsAt: new Date(b.startsAt.getTime() + b.durationMinutes * 60_000), subject: 'Grid subject', currency: 'EUR',
    createdAt: b.createdAt ?? new Date('2026-11-01T00:00:00Z'), meetingUrl: b.meetingUrl ?? null, ...b,
  }).returning('id');
  return (row as { id: string }).id;
}

beforeAll(async () => {
  const m = await t.user('mentor:gridmentor', { displayName: 'Marc Mentor' });
  const students = await Promise.all(STUDENTS.map((displayName, k) => t.user(`student:gridstudent${k}`, { displayName })));
  const skills = [];
  for (const title of SKILLS) skills.push(await insertSkill(m.id, title));
  for (let i = 0; i < 30; i++) {
    const startsAt = new Date(Date.UTC(2026, 10, 8 + i, 9 + (i % 3))); // one a day, Nov 8 → Dec 7; i ≥ 14 is upcoming
    const status = startsAt < NOW ? PAST[i % 5]! : FUTURE[i % 4]!;
    const durationMinutes = [30, 60, 90, 120][i % 4]!;
    const price = 10 + i;
    const createdAt = new Date(Date.UTC(2026, 10, 1, (i * 7) % 30)); // distinct, not in start order
    // A link is kept on some cancelled rows too: the API shows it for confirmed ones only.
    const meetingUrl = status === 'confirmed' || status === 'cancelled' ? `https://meet.example.com/a-${i}` : null;
    const student = students[i % 4]!;
    const id = await insertBooking({ mentorId: m.id, studentId: student.id, skillId: skills[i % 3]!, startsAt, durationMinutes, status, priceCents: price * 100, createdAt, meetingUrl });
    mine.push({ id, i, startsAt, studentName: student.displayName, mentorName: 'Marc Mentor', skillTitle: SKILLS[i % 3]!, durationMinutes, price, status, createdAt });
  }

  const o = await t.user('mentor:othermentor', { displayName: 'Olga Other' });
  const formula = await t.user('student:formula', { displayName: '=HYPERLINK("http://evil")' });
  const plus = await t.user('student:plus', { displayName: '+33 Caller' });
  const multiline = await insertSkill(o.id, 'Rust,\n"async"');
  const at = await insertSkill(o.id, '@SUM(A1:A2)');
  const rows = [
    { studentId: formula.id, studentName: formula.displayName, skillId: multiline, skillTitle: 'Rust,\n"async"', startsAt: new Date('2026-11-25T09:00:00Z'), status: 'pending' },
    { studentId: students[0]!.id, studentName: 'Alice Zed', skillId: at, skillTitle: '@SUM(A1:A2)', startsAt: new Date('2026-11-26T09:00:00Z'), status: 'pending' },
    { studentId: plus.id, studentName: '+33 Caller', skillId: at, skillTitle: '@SUM(A1:A2)', startsAt: new Date('2026-11-02T09:00:00Z'), status: 'completed' },
  ];
  theirs = [];
  for (const [k, r] of rows.entries()) {
    const id = await insertBooking({ mentorId: o.id, studentId: r.studentId, skillId: r.skillId, startsAt: r.startsAt, durationMinutes: 60, status: r.status, priceCents: 2550 });
    theirs.push({ id, i: 100 + k, startsAt: r.startsAt, studentName: r.studentName, mentorName: 'Olga Other', skillTitle: r.skillTitle, durationMinutes: 60, price: 25.5, status: r.status, createdAt: new Date('2026-11-01T00:00:00Z') });
  }
  [mentor, other, alice] = [await t.signIn('mentor:gridmentor'), await t.signIn('mentor:othermentor'), await t.signIn('student:gridstudent0')];
});

type Query = Record<string, string | number | object>;
/** GET /api/bookings with JSON-encoded models, as the grid's datasource sends them. */
function grid(agent: Agent, q: Query = {}, path = '/api/bookings') {
  const params = Object.fromEntries(Object.entries(q).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)]));
  return agent.get(path).query(params);
}
const ids = (res: { body: { rows: { id: string }[] } }) => res.body.rows.map((r) => r.id);
const cmp = (a: unknown, b: unknown) => {
  const [x, y] = [a instanceof Date ? a.getTime() : a, b instanceof Date ? b.getTime() : b] as [string | number, string | number];
  return x < y ? -1 : x > y ? 1 : 0;
};
/** The expected order: the keys, then the id in the last key's direction. */
function sorted(rows: Fx[], keys: [keyof Fx, 'asc' | 'desc'][]): string[] {
  const last = keys.at(-1)?.[1] ?? 'asc';
  return [...rows]
    .sort((a, b) => {
      for (const [k, d] of keys) {
        const c = cmp(a[k], b[k]) * (d === 'asc' ? 1 : -1);
        if (c) return c;
      }
      return cmp(a.id, b.id) * (last === 'asc' ? 1 : -1);
    })
    .map((r) => r.id);
}
const byStart = (rows: Fx[]) => sorted(rows, [['startsAt', 'desc']]);
const where = (p: (r: Fx) => boolean) => mine.filter(p);
async function expectBadRequest(res: Promise<{ status: number; body: { error: { code: string; message: string } } }>, message: string | RegExp) {
  const r = await res;
  expect(r.status).toBe(400);
  expect(r.body.error.code).toBe('bad_request');
  if (typeof message === 'string') expect(r.body.error.message).toBe(message);
  else expect(r.body.error.message).toMatch(message);
}

describe('GET /api/bookings for a mentor', () => {
  it('defaults to the latest start first, with the total', async () => {
    const res = await grid(mentor, { startRow: 0, endRow: 100 });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toContain('no-store');
    expect(ids(res)).toEqual(byStart(mine));
    expect(res.body.lastRow).toBe(30);
  });

  it('pages without repeating or skipping rows, and knows the total on every page', async () => {
    const all = byStart(mine);
    const page = async (startRow: number, endRow: number) => {
      const res = await grid(mentor, { startRow, endRow });
      expect(res.status).toBe(200);
      return { ids: ids(res), lastRow: res.body.lastRow as number };
    };
    expect(await page(0, 10)).toEqual({ ids: all.slice(0, 10), lastRow: 30 }); // full page: counted
    expect(await page(10, 20)).toEqual({ ids: all.slice(10, 20), lastRow: 30 });
    expect(await page(20, 30)).toEqual({ ids: all.slice(20, 30), lastRow: 30 }); // exactly the end
    expect(await page(25, 35)).toEqual({ ids: all.slice(25), lastRow: 30 }); // short page: its end
    expect(await page(40, 50)).toEqual({ ids: [], lastRow: 30 }); // past the end
    expect(await page(0, 0)).toEqual({ ids: [], lastRow: 30 });
  });

  it('sorts by each sortable column, several keys, with the id as a stable tiebreaker', async () => {
    const cases: [keyof Fx, 'asc' | 'desc'][][] = [
      [['studentName', 'asc']],
      [['studentName', 'asc'], ['startsAt', 'desc']],
      [['skillTitle', 'desc'], ['price', 'asc']],
      [['durationMinutes', 'desc']],
      [['durationMinutes', 'asc'], ['createdAt', 'desc']],
      [['price', 'asc']],
      [['status', 'asc'], ['startsAt', 'asc']],
      [['createdAt', 'asc']],
      [['startsAt', 'asc']],
    ];
    for (const keys of cases) {
      const sortModel = keys.map(([colId, sort]) => ({ colId, sort }));
      const res = await grid(mentor, { startRow: 0, endRow: 100, sortModel });
      expect(res.status, JSON.stringify(sortModel)).toBe(200);
      expect(ids(res), JSON.stringify(sortModel)).toEqual(sorted(mine, keys));
    }
    // Paging a sort with ties (durations repeat) is stable.
    const sortModel = [{ colId: 'durationMinutes', sort: 'asc' }];
    const first = ids(await grid(mentor, { startRow: 0, endRow: 13, sortModel }));
    const second = ids(await grid(mentor, { startRow: 13, endRow: 26, sortModel }));
    expect([...first, ...second]).toEqual(sorted(mine, [['durationMinutes', 'asc']]).slice(0, 26));
  });

  it('filters by a status list and a start date range in the viewer’s zone', async () => {
    const live = await grid(mentor, { status: 'pending,confirmed', startRow: 0, endRow: 5 });
    const expected = byStart(where((r) => r.status === 'pending' || r.status === 'confirmed'));
    expect(expected).toHaveLength(8);
    expect(ids(live)).toEqual(expected.slice(0, 5));
    expect(live.body.lastRow).toBe(8);
    // Days 10 to 12 November, Paris: bookings 2, 3 and 4.
    const range = await grid(mentor, { from: '2026-11-10', to: '2026-11-12' });
    expect(ids(range)).toEqual(byStart(where((r) => r.i >= 2 && r.i <= 4)));
    expect(range.body.lastRow).toBe(3);
    const instants = await grid(mentor, { from: '2026-11-10T11:00:00Z', to: '2026-11-12T00:00:00+01:00' });
    expect(ids(instants)).toEqual(byStart(where((r) => r.i === 2 || r.i === 3))); // 2 starts exactly at `from`
  });

  it('quick-filters on the student and the skill, ignoring case and accents; LIKE wildcards match themselves', async () => {
    const quick = async (quickFilter: string) => ids(await grid(mentor, { quickFilter }));
    expect(await quick('EMILE')).toEqual(byStart(where((r) => r.studentName === 'Bruno Émile')));
    expect(await quick('chloe')).toEqual(byStart(where((r) => r.studentName === 'Chloé Durand')));
    expect(await quick('  électrique ')).toEqual(byStart(where((r) => r.skillTitle === 'Guitare électrique')));
    expect(await quick('%')).toEqual(byStart(where((r) => r.skillTitle === 'Yoga 100% zen')));
    expect(await quick('0%')).toEqual(byStart(where((r) => r.skillTitle === 'Yoga 100% zen')));
    expect(await quick('_')).toEqual([]);
    expect(await quick('\\')).toEqual([]);
    // The mentor's own name is not searched in their grid.
    expect(await quick('Marc')).toEqual([]);
    const res = await grid(mentor, { quickFilter: 'zed', startRow: 0, endRow: 3 });
    expect(res.body.lastRow).toBe(8);
  });

  it('applies text, number and date filter models, single and combined', async () => {
    const f = async (filterModel: object, extra: Query = {}) => {
      const res = await grid(mentor, { filterModel, ...extra });
      expect(res.status, JSON.stringify(filterModel)).toBe(200);
      return ids(res);
    };
    const text = (type: string, filter: string) => ({ studentName: { filterType: 'text', type, filter } });
    expect(await f(text('contains', 'ZED'))).toEqual(byStart(where((r) => r.studentName === 'Alice Zed')));
    expect(await f(text('notContains', 'e'))).toEqual([]); // every name has an "e" (Émile unaccented)
    expect(await f(text('notContains', 'emile'))).toEqual(byStart(where((r) => r.studentName !== 'Bruno Émile')));
    expect(await f(text('startsWith', 'bru'))).toEqual(byStart(where((r) => r.studentName === 'Bruno Émile')));
    expect(await f(text('startsWith', 'zed'))).toEqual([]);
    expect(await f(text('equals', 'chloe durand'))).toEqual(byStart(where((r) => r.studentName === 'Chloé Durand')));
    expect(await f(text('equals', 'chloe'))).toEqual([]);
    expect(await f({ skillTitle: { filterType: 'text', type: 'contains', filter: 'PYTHON' } })).toEqual(byStart(where((r) => r.i % 3 === 1)));
    expect(await f({ status: { filterType: 'text', type: 'equals', filter: 'pending' } })).toEqual(byStart(where((r) => r.status === 'pending')));

    expect(await f({ durationMinutes: { filterType: 'number', type: 'inRange', filter: 60, filterTo: 90 } })).toEqual(byStart(where((r) => r.durationMinutes >= 60 && r.durationMinutes <= 90)));
    expect(await f({ price: { filterType: 'number', type: 'greaterThan', filter: 30 } })).toEqual(byStart(where((r) => r.price > 30)));
    expect(await f({ price: { filterType: 'number', type: 'lessThan', filter: '12.5' } })).toEqual(byStart(where((r) => r.price < 12.5)));
    expect(await f({ durationMinutes: { filterType: 'number', operator: 'OR', conditions: [{ filterType: 'number', type: 'equals', filter: 30 }, { filterType: 'number', type: 'equals', filter: 120 }] } }))
      .toEqual(byStart(where((r) => r.durationMinutes === 30 || r.durationMinutes === 120)));
    expect(await f({ price: { filterType: 'number', operator: 'AND', conditions: [{ filterType: 'number', type: 'greaterThan', filter: 15 }, { filterType: 'number', type: 'lessThan', filter: 20 }] } }))
      .toEqual(byStart(where((r) => r.price > 15 && r.price < 20)));

    const day = (type: string, dateFrom: string, dateTo?: string) => ({ startsAt: { filterType: 'date', type, dateFrom, ...(dateTo ? { dateTo } : {}) } });
    expect(await f(day('equals', '2026-11-10 00:00:00'))).toEqual(byStart(where((r) => r.i === 2)));
    expect(await f(day('lessThan', '2026-11-10 00:00:00'))).toEqual(byStart(where((r) => r.i < 2)));
    expect(await f(day('greaterThan', '2026-12-05 00:00:00'))).toEqual(byStart(where((r) => r.i > 27)));
    expect(await f(day('inRange', '2026-11-10 00:00:00', '2026-11-12 00:00:00'))).toEqual(byStart(where((r) => r.i >= 2 && r.i <= 4)));
    // 1 November in Paris ends at 23:00 UTC.
    expect(await f({ createdAt: { filterType: 'date', type: 'equals', dateFrom: '2026-11-01 00:00:00' } })).toEqual(byStart(where((r) => r.createdAt < new Date('2026-11-01T23:00:00Z'))));

    // Several columns at once, with a status list and a sort.
    const combined = await grid(mentor, {
      status: 'pending,confirmed,cancelled',
      filterModel: { studentName: { filterType: 'text', type: 'contains', filter: 'a' }, durationMinutes: { filterType: 'number', type: 'lessThan', filter: 100 } },
      sortModel: [{ colId: 'price', sort: 'desc' }],
      startRow: 0, endRow: 4,
    });
    const expected = sorted(where((r) => ['pending', 'confirmed', 'cancelled'].includes(r.status) && /a/i.test(r.studentName) && r.durationMinutes < 100), [['price', 'desc']]);
    expect(ids(combined)).toEqual(expected.slice(0, 4));
    expect(combined.body.lastRow).toBe(expected.length);
  });

  it('answers rows with what the mentor may do with each', async () => {
    const res = await grid(mentor, { startRow: 0, endRow: 100 });
    const row = (i: number) => res.body.rows.find((r: { id: string }) => r.id === mine[i]!.id);
    expect(row(16)).toEqual({
      id: mine[16]!.id, skillTitle: 'Python pour débutants', studentName: 'Alice Zed', mentorName: 'Marc Mentor',
      startsAt: '2026-11-24T10:00:00.000Z', endsAt: '2026-11-24T10:30:00.000Z', durationMinutes: 30, priceCents: 2600, currency: 'EUR',
      // A mentor answers a pending request (accept or decline); the booking page and the
      // service agree, so the grid row says the same (bookings/policy.ts).
      status: 'pending', meetingUrl: null, createdAt: mine[16]!.createdAt.toISOString(), subject: 'Grid subject', canApprove: true, canCancel: false,
    });
    expect(row(17)).toMatchObject({ status: 'confirmed', meetingUrl: 'https://meet.example.com/a-17', canApprove: false, canCancel: true });
    expect(row(18)).toMatchObject({ status: 'cancelled', meetingUrl: null, canApprove: false, canCancel: false });
    expect(row(0)).toMatchObject({ status: 'completed', canApprove: false, canCancel: false });
    expect(row(1)).toMatchObject({ status: 'cancelled', meetingUrl: null });
  });
});

describe('GET /api/bookings for a student and an admin', () => {
  it('shows a student only their own bookings, upcoming first (soonest first), then past (latest first)', async () => {
    const own = [...mine, ...theirs].filter((r) => r.studentName === 'Alice Zed');
    const upcoming = own.filter((r) => r.startsAt >= NOW).sort((a, b) => cmp(a.startsAt, b.startsAt));
    const past = own.filter((r) => r.startsAt < NOW).sort((a, b) => cmp(b.startsAt, a.startsAt));
    const res = await grid(alice, { startRow: 0, endRow: 100 });
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual([...upcoming, ...past].map((r) => r.id));
    expect(res.body.lastRow).toBe(9);
    expect(res.body.rows.every((r: { studentName: string; canApprove: boolean }) => r.studentName === 'Alice Zed' && !r.canApprove)).toBe(true);
    // The student's grid searches the mentor's name, and sorts by it.
    expect(ids(await grid(alice, { quickFilter: 'olga' }))).toEqual([theirs[1]!.id]);
    const byMentor = await grid(alice, { sortModel: [{ colId: 'mentorName', sort: 'desc' }, { colId: 'startsAt', sort: 'asc' }] });
    expect(ids(byMentor)).toEqual(sorted(own, [['mentorName', 'desc'], ['startsAt', 'asc']]));
  });

  it('keeps the student’s whitelist: no price, creation date or student name', async () => {
    await expectBadRequest(grid(alice, { sortModel: [{ colId: 'price', sort: 'asc' }] }), "Unknown column 'price' in sortModel.");
    await expectBadRequest(grid(alice, { filterModel: { studentName: { filterType: 'text', type: 'contains', filter: 'a' } } }), "Unknown column 'studentName' in filterModel.");
    await expectBadRequest(grid(alice, { sortModel: [{ colId: 'meetingUrl', sort: 'asc' }] }), "Column 'meetingUrl' cannot be sorted (sortModel).");
    await expectBadRequest(grid(alice, { filterModel: { meetingUrl: { filterType: 'text', type: 'contains', filter: 'meet' } } }), "Column 'meetingUrl' cannot be filtered (filterModel).");
  });

  it('shows the admin every booking, sortable by both names', async () => {
    const agent = t.agent();
    const token = await t.csrf(agent);
    await agent.post('/login').type('form').send({ _csrf: token, identifier: 'admin@leboncours.test', password: 'admin-password-123' });
    const all = [...mine, ...theirs];
    const res = await grid(agent, { sortModel: [{ colId: 'mentorName', sort: 'asc' }, { colId: 'studentName', sort: 'asc' }], startRow: 0, endRow: 500 });
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual(sorted(all, [['mentorName', 'asc'], ['studentName', 'asc']]));
    expect(res.body.lastRow).toBe(33);
    expect(res.body.rows.every((r: { canApprove: boolean }) => !r.canApprove)).toBe(true);
    // The admin's quick filter (through id lists) searches both names and the skill.
    expect(ids(await grid(agent, { quickFilter: 'olga' }))).toEqual(byStart(theirs));
    expect(ids(await grid(agent, { quickFilter: 'EMILE' }))).toEqual(byStart(where((r) => r.studentName === 'Bruno Émile')));
    expect(ids(await grid(agent, { quickFilter: 'marc' }))).toEqual(byStart(mine));
    expect(ids(await grid(agent, { quickFilter: '%' }))).toEqual(byStart(where((r) => r.skillTitle === 'Yoga 100% zen')));
    expect(ids(await grid(agent, { quickFilter: "'; drop table bookings; --" }))).toEqual([]);
    // The admin's total is counted on the first block only; Ag Grid keeps it (-1: unknown).
    const all33 = byStart(all);
    const block = async (startRow: number, endRow: number) => (await grid(agent, { startRow, endRow })).body;
    expect(await block(0, 10)).toMatchObject({ lastRow: 33 });
    expect(await block(10, 20)).toMatchObject({ lastRow: -1 });
    const last = await block(30, 40);
    expect(last.lastRow).toBe(33);
    expect(last.rows.map((r: { id: string }) => r.id)).toEqual(all33.slice(30));
  });
});

describe('whitelist and parameter checks', () => {
  const cases: [string, Query, string][] = [
    ['unknown sort column', { sortModel: [{ colId: 'password', sort: 'asc' }] }, "Unknown column 'password' in sortModel."],
    ['column of another role', { sortModel: [{ colId: 'mentorName', sort: 'asc' }] }, "Unknown column 'mentorName' in sortModel."],
    ['bad sort direction', { sortModel: [{ colId: 'price', sort: 'sideways' }] }, "'sortModel[0].sort' must be 'asc' or 'desc'."],
    ['sortModel not a list', { sortModel: { colId: 'price' } }, "Invalid value for 'sortModel'."],
    ['duplicate sort column', { sortModel: [{ colId: 'price', sort: 'asc' }, { colId: 'price', sort: 'desc' }] }, "Column 'price' appears twice in sortModel."],
    ['malformed sortModel', { sortModel: '[{"colId":' }, "'sortModel' is not valid JSON."],
    ['malformed filterModel', { filterModel: '{nope}' }, "'filterModel' is not valid JSON."],
    ['unknown filter column', { filterModel: { password: { filterType: 'text', type: 'contains', filter: 'a' } } }, "Unknown column 'password' in filterModel."],
    ['wrong filter type', { filterModel: { durationMinutes: { filterType: 'text', type: 'contains', filter: '3' } } }, "Column 'durationMinutes' does not take a 'text' filter (filterModel.durationMinutes.filterType)."],
    ['unknown operator', { filterModel: { studentName: { filterType: 'text', type: 'regex', filter: '.*' } } }, "Filter 'regex' is not allowed on column 'studentName' (filterModel.studentName.type)."],
    ['operator not allowed on the column', { filterModel: { status: { filterType: 'text', type: 'contains', filter: 'pend' } } }, "Filter 'contains' is not allowed on column 'status' (filterModel.status.type)."],
    ['unknown status value', { filterModel: { status: { filterType: 'text', type: 'equals', filter: 'paid' } } }, "'paid' is not allowed in 'filterModel.status.filter'."],
    ['bad number', { filterModel: { price: { filterType: 'number', type: 'equals', filter: 'ten' } } }, "'filterModel.price.filter' must be a number."],
    ['inRange without its end', { filterModel: { price: { filterType: 'number', type: 'inRange', filter: 10 } } }, "'filterModel.price.filterTo' must be a number."],
    ['reversed range', { filterModel: { price: { filterType: 'number', type: 'inRange', filter: 10, filterTo: 5 } } }, "'filterModel.price.filterTo' must not be before the start of the range."],
    ['bad date', { filterModel: { startsAt: { filterType: 'date', type: 'equals', dateFrom: 'yesterday' } } }, "'filterModel.startsAt.dateFrom' must be a date (YYYY-MM-DD)."],
    ['impossible date', { filterModel: { startsAt: { filterType: 'date', type: 'equals', dateFrom: '2026-02-30 00:00:00' } } }, "'filterModel.startsAt.dateFrom' must be a date (YYYY-MM-DD)."],
    ['bad combinator', { filterModel: { price: { filterType: 'number', operator: 'XOR', conditions: [] } } }, "'filterModel.price.operator' must be 'AND' or 'OR'."],
    ['too many conditions', { filterModel: { price: { filterType: 'number', operator: 'OR', conditions: [1, 2, 3].map((n) => ({ filterType: 'number', type: 'equals', filter: n })) } } }, "'filterModel.price.conditions' must hold 1 to 2 conditions."],
    ['bad condition', { filterModel: { price: { filterType: 'number', operator: 'OR', conditions: [{ filterType: 'number', type: 'equals', filter: 1 }, { filterType: 'number', type: 'between', filter: 2 }] } } }, "Filter 'between' is not allowed on column 'price' (filterModel.price.conditions[1].type)."],
    ['too many rows', { startRow: 0, endRow: 501 }, "Too many rows requested in 'endRow': at most 500 at a time."],
    ['end before start', { startRow: 50, endRow: 10 }, "'endRow' comes before the start of the range."],
    ['startRow not a number', { startRow: 'abc', endRow: 10 }, "'startRow' must be a whole number."],
    ['negative startRow', { startRow: -1, endRow: 10 }, "'startRow' must be a whole number."],
    ['unknown status', { status: 'pending,paid' }, "Unknown booking status 'paid' in 'status'."],
    ['bad from', { from: 'not-a-date' }, "'from' must be a date (YYYY-MM-DD)."],
    ['to before from', { from: '2026-11-12', to: '2026-11-10' }, "'to' comes before the start of the range."],
    ['quick filter too long', { quickFilter: 'x'.repeat(101) }, "'quickFilter' is too long (at most 100 characters)."],
  ];
  it.each(cases)('rejects %s with a 400 naming the field', async (_name, q, message) => {
    await expectBadRequest(grid(mentor, q), message);
  });

  it('rejects a repeated parameter and answers in the viewer’s language', async () => {
    await expectBadRequest(mentor.get('/api/bookings?status=pending&status=confirmed'), "Invalid value for 'status'.");
    const fr = await t.signIn('mentor:gridmentorfr', { locale: 'fr' });
    const res = await grid(fr, { sortModel: [{ colId: 'password', sort: 'asc' }] });
    expect(res.body.error.message).toBe('Colonne inconnue « password » dans sortModel.');
  });

  it('needs a signed-in user', async () => {
    const res = await t.agent().get('/api/bookings');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });
});

describe('SQL injection attempts are inert', () => {
  it('refuses identifiers and malformed values, and matches nothing with hostile text', async () => {
    await expectBadRequest(grid(mentor, { sortModel: [{ colId: 'startsAt; drop table users', sort: 'asc' }] }), "Unknown column 'startsAt; drop table users' in sortModel.");
    await expectBadRequest(grid(mentor, { sortModel: [{ colId: 'startsAt', sort: 'asc; drop table users' }] }), /sortModel\[0\]\.sort/);
    await expectBadRequest(grid(mentor, { filterModel: { 'studentName) or (1=1': { filterType: 'text', type: 'contains', filter: 'a' } } }), /Unknown column 'studentName\) or \(1=1' in filterModel/);
    await expectBadRequest(grid(mentor, { filterModel: { studentName: { filterType: 'text', type: "contains' or 1=1 --", filter: 'a' } } }), /filterModel\.studentName\.type/);
    await expectBadRequest(grid(mentor, { filterModel: { price: { filterType: 'number', type: 'equals', filter: '1 or 1=1' } } }), /filterModel\.price\.filter/);
    await expectBadRequest(grid(mentor, { filterModel: { startsAt: { filterType: 'date', type: 'equals', dateFrom: "2026-11-10'; drop table users; --" } } }), /dateFrom/);
    await expectBadRequest(grid(mentor, { status: "pending'); drop table bookings; --" }), /'status'/);
    await expectBadRequest(grid(mentor, { startRow: '0; drop table bookings', endRow: 10 }), /'startRow'/);
    await expectBadRequest(grid(mentor, { startRow: 0, endRow: '10 union select password_hash from users' }), /'endRow'/);
    await expectBadRequest(grid(mentor, { from: "2026-11-10'; drop table users; --" }), /'from'/);
    await expectBadRequest(grid(mentor, { to: "2026-11-10' or '1'='1" }), /'to'/);

    for (const quickFilter of ["'; drop table bookings; --", "x' or '1'='1", '%\' or 1=1 --', '\\\'; select pg_sleep(5); --']) {
      const res = await grid(mentor, { quickFilter });
      expect(res.status, quickFilter).toBe(200);
      expect(res.body).toEqual({ rows: [], lastRow: 0 });
    }
    const textual = await grid(mentor, { filterModel: { studentName: { filterType: 'text', type: 'equals', filter: "x' or '1'='1" }, skillTitle: { filterType: 'text', type: 'notContains', filter: "') or true --" } } });
    expect(textual.body).toEqual({ rows: [], lastRow: 0 });
    const csv = await grid(mentor, { quickFilter: "'; drop table bookings; --" }, '/api/bookings.csv');
    expect(csv.status).toBe(200);

    expect(Number((await t.deps.knex('bookings').count({ n: '*' }))[0]!.n)).toBe(33);
    expect(Number((await t.deps.knex('users').count({ n: '*' }))[0]!.n)).toBeGreaterThan(5);
  });
});

describe('scoping', () => {
  it('never shows a mentor another mentor’s bookings, whatever the filters', async () => {
    const res = await grid(other, { startRow: 0, endRow: 500 });
    expect(ids(res)).toEqual(byStart(theirs));
    expect(res.body.lastRow).toBe(3);
    const hunting = await grid(other, { quickFilter: 'zed', status: 'pending,confirmed,cancelled,completed,rejected,no_show,expired', from: '2000-01-01', to: '2100-01-01' });
    expect(ids(hunting)).toEqual([theirs[1]!.id]);
    const mineIds = new Set(ids(await grid(mentor, { startRow: 0, endRow: 500 })));
    expect(theirs.some((r) => mineIds.has(r.id))).toBe(false);
    expect(mineIds.size).toBe(30);
  });

  it('never shows a student another student’s bookings', async () => {
    const res = await grid(alice, { quickFilter: 'e', startRow: 0, endRow: 500 });
    expect(res.body.rows.length).toBeGreaterThan(0);
    expect(res.body.rows.every((r: { studentName: string }) => r.studentName === 'Alice Zed')).toBe(true);
  });
});

describe('GET /api/bookings.csv', () => {
  it('exports the same filters and order, all rows, as a UTF-8 CSV with a BOM, in the viewer’s zone', async () => {
    const q = { status: 'pending,confirmed,cancelled', sortModel: [{ colId: 'startsAt', sort: 'asc' }], startRow: 0, endRow: 2 };
    const res = await grid(mentor, q, '/api/bookings.csv').buffer(true).parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="bookings-2026-11-22.csv"');
    const raw = res.body as Buffer;
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = raw.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toBe('Reference,Start (Europe/Paris),End (Europe/Paris),Student,Skill,Duration (min),Price,Currency,Status,Video room,Requested on (Europe/Paris)');
    const expected = sorted(where((r) => ['pending', 'confirmed', 'cancelled'].includes(r.status)), [['startsAt', 'asc']]);
    expect(lines.length).toBe(expected.length + 2); // header, rows, the final empty string after the last CRLF
    expect(lines.slice(1, -1).map((l) => l.split(',')[0])).toEqual(expected);
    // Booking 16: 24 Nov 10:00 UTC is 11:00 in Paris; the quoted name keeps its comma and quotes.
    const b16 = mine[16]!;
    expect(lines).toContain(`${b16.id},2026-11-24 11:00,2026-11-24 11:30,Alice Zed,Python pour débutants,30,26.00,EUR,Pending,,2026-11-01 23:00`);
    const b19 = mine[19]!; // Dan "The Man", Jr, rejected: not in this export
    expect(lines.some((l) => l.startsWith(b19.id))).toBe(false);
    const b11 = mine[11]!; // cancelled: exported, its old link is not
    expect(lines.find((l) => l.startsWith(b11.id))).toBe(`${b11.id},2026-11-19 12:00,2026-11-19 14:00,"Dan ""The Man"", Jr",Yoga 100% zen,120,21.00,EUR,Cancelled,,2026-11-01 18:00`);
  });

  it('escapes quotes, commas and new lines, and defuses formulas', async () => {
    const res = await grid(other, { sortModel: [{ colId: 'startsAt', sort: 'asc' }] }, '/api/bookings.csv');
    expect(res.status).toBe(200);
    const body = res.text.replace(/^\uFEFF/, '');
    const [, completed, formula, atSign] = body.split(/\r\n(?=[0-9a-f]{8}-)/);
    expect(completed).toContain(",'+33 Caller,'@SUM(A1:A2),60,25.50,EUR,Completed,");
    expect(formula).toContain(`,"'=HYPERLINK(""http://evil"")","Rust,\n""async""",60,`);
    expect(atSign).toContain(",Alice Zed,'@SUM(A1:A2),60,");
  });

  it('exports a student’s own bookings with the mentor column, capped in size, checked like the grid', async () => {
    const res = await grid(alice, {}, '/api/bookings.csv');
    const lines = res.text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('Reference,Start (Europe/Paris),End (Europe/Paris),Mentor,Skill,Duration (min),Price,Currency,Status,Video room');
    expect(lines.length).toBe(9 + 2);
    await expectBadRequest(grid(alice, { sortModel: [{ colId: 'password', sort: 'asc' }] }, '/api/bookings.csv'), "Unknown column 'password' in sortModel.");
    // startRow/endRow do not page an export.
    expect((await grid(alice, { startRow: 0, endRow: 1 }, '/api/bookings.csv')).text.split('\r\n').length).toBe(11);
  });
});

describe('grid-query building blocks', () => {
  it('caps an export at CSV_MAX_ROWS and binds every value', () => {
    const req = parseGridRequest({ startRow: '0', endRow: '5', quickFilter: "o'k%", status: 'pending' }, 'mentor', { timeZone: 'Europe/Paris', paged: false });
    expect(req).toMatchObject({ startRow: 0, endRow: CSV_MAX_ROWS });
    const { sql, bindings } = gridRowsQuery(t.deps.knex, { id: mine[0]!.id, role: 'mentor' }, req, NOW).toSQL().toNative();
    expect(sql).not.toContain("o'k");
    expect(sql).toMatch(/limit \$\d+$/);
    expect(bindings).toEqual(expect.arrayContaining([mine[0]!.id, 'pending', "o'k\\%", CSV_MAX_ROWS]));
    expect(escapeLike('50%_off\\')).toBe('50\\%\\_off\\\\');
  });
});

describe('POST /api/bookings/bulk', () => {
  async function bulk(agent: Agent, body: object, withToken = true) {
    const token = withToken ? await t.csrf(agent, '/') : 'nope';
    return agent.post('/api/bookings/bulk').set('X-CSRF-Token', token).send(body);
  }

  it('approves each request on its own: confirmed, invalid transition, someone else’s', async () => {
    const m = await t.user('mentor:bulkmentor', { displayName: 'Bea Bulk' });
    const s = await t.user('student:bulkstudent');
    const skillId = await insertSkill(m.id, 'Bulk skill');
    const base = { mentorId: m.id, studentId: s.id, skillId, durationMinutes: 60, priceCents: 2000 };
    const pending = await insertBooking({ ...base, startsAt: new Date('2026-11-24T09:00:00Z'), status: 'pending' });
    const cancelled = await insertBooking({ ...base, startsAt: new Date('2026-11-25T09:00:00Z'), status: 'cancelled' });
    const started = await insertBooking({ ...base, startsAt: new Date('2026-11-22T09:30:00Z'), status: 'pending' });
    const toReject = await insertBooking({ ...base, startsAt: new Date('2026-11-26T09:00:00Z'), status: 'pending' });
    const foreign = theirs[0]!.id; // othermentor's pending request
    const agent = await t.signIn('mentor:bulkmentor');

    const res = await bulk(agent, { action: 'approve', ids: [pending, cancelled, foreign, started], meetingUrl: 'https://meet.example.com/bulk' });
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { id: pending, ok: true, status: 'confirmed' },
      { id: cancelled, ok: false, code: 'invalid_transition', message: 'This booking cannot change any more (it is cancelled).' },
      { id: foreign, ok: false, code: 'not_found', message: expect.any(String) },
      { id: started, ok: false, code: 'invalid_transition', message: 'This booking cannot change any more (it is expired).' },
    ]);
    const row = async (id: string) => t.deps.knex('bookings').where({ id }).first();
    expect(await row(pending)).toMatchObject({ status: 'confirmed', meetingUrl: 'https://meet.example.com/bulk' });
    expect((await row(cancelled)).status).toBe('cancelled');
    expect((await row(foreign)).status).toBe('pending');
    expect((await row(started)).status).toBe('pending');
    expect(await t.deps.knex('bookingEvents').where({ bookingId: pending, status: 'confirmed' }).first()).toBeTruthy();
    expect(await t.deps.knex('notifications').where({ bookingId: pending, kind: 'booking.confirmed' }).first()).toBeTruthy();

    // The grid shows the new state.
    const gridRes = await grid(agent, { startRow: 0, endRow: 10, sortModel: [{ colId: 'startsAt', sort: 'asc' }] });
    expect(gridRes.body.rows.find((r: { id: string }) => r.id === pending)).toMatchObject({ status: 'confirmed', meetingUrl: 'https://meet.example.com/bulk', canApprove: false });

    // Reject needs a reason (3 to 500 characters).
    for (const reason of [undefined, '', 'no']) {
      const noReason = await bulk(agent, { action: 'reject', ids: [toReject], ...(reason === undefined ? {} : { reason }) });
      expect(noReason.status).toBe(422);
      expect(noReason.body.error.code).toBe('validation_failed');
      expect(Object.keys(noReason.body.error.fields)).toEqual(['reason']);
    }
    expect((await row(toReject)).status).toBe('pending');
    const rejected = await bulk(agent, { action: 'reject', ids: [toReject, toReject, pending], reason: 'Away that week' });
    expect(rejected.body.results).toEqual([
      { id: toReject, ok: true, status: 'rejected' },
      { id: pending, ok: false, code: 'invalid_transition', message: 'This booking cannot change any more (it is confirmed).' },
    ]);
    expect(await row(toReject)).toMatchObject({ status: 'rejected', rejectReason: 'Away that week' });
  });

  it('validates the body (422), needs the CSRF header (403) and a mentor (403)', async () => {
    const agent = await t.signIn('mentor:bulkmentor');
    const id = mine[16]!.id;
    const invalid: [object, string][] = [
      [{ action: 'delete', ids: [id] }, 'action'],
      [{ action: 'approve', ids: [] }, 'ids'],
      [{ action: 'approve', ids: ['not-a-uuid'] }, 'ids'],
      [{ action: 'approve', ids: Array.from({ length: 101 }, () => id) }, 'ids'],
      [{ action: 'approve', ids: id }, 'ids'],
      [{ action: 'approve', ids: [id], meetingUrl: 'http://meet.example.com/plain' }, 'meetingUrl'],
      [{ action: 'reject', ids: [id], reason: 'x'.repeat(501) }, 'reason'],
    ];
    for (const [body, field] of invalid) {
      const res = await bulk(agent, body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(422);
      expect(Object.keys(res.body.error.fields)).toContain(field);
    }
    const noToken = await bulk(agent, { action: 'approve', ids: [id] }, false);
    expect(noToken.status).toBe(403);
    expect(noToken.body.error.code).toBe('csrf_invalid');
    const student = await bulk(alice, { action: 'approve', ids: [id] });
    expect(student.status).toBe(403);
    expect((await t.deps.knex('bookings').where({ id }).first()).status).toBe('pending');
  });
});
