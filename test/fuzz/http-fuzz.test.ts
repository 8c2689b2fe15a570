// HTTP fuzz over every route of the app's route table (issue 8): arbitrary and
// unicode strings, NUL, huge values, wrong JSON types, duplicated fields and bad
// encodings in paths, queries and bodies, sent as a visitor and as a signed-in
// student, mentor and admin (with a valid CSRF token, so the handler is reached).
// Two properties: no answer is a 5xx, and a rejected (4xx) request changed no row.
// Reproduce a failure with FUZZ_SEED=<seed printed by fast-check>; FUZZ_RUNS sets
// the runs per route and identity.
import fc from 'fast-check';
import type supertest from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { VIEWS_DIR } from '../../src/lib/render.ts';
import { createTestApp, PASSWORD } from '../helpers/app.ts';
import { mentorWithSkill } from '../helpers/marketplace.ts';
import { body, encodePairs, pairs, pct, QUERY_KEYS, rarely, valueOf, type Body } from './inputs.ts';
import { formFieldNames, listRoutes, type RouteEntry } from './routes.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_208);
const RUNS = Number(process.env.FUZZ_RUNS ?? 3);

const t = await createTestApp();
const knex = t.deps.knex;

// ---- fixtures: real ids, so that fuzzed requests also reach past "not found" ----
const mentor = await t.user('mentor:fuzzmentor');
const { skillId } = await mentorWithSkill(t, 'mentor:fuzzmentor');
const { skillId: groupId } = await mentorWithSkill(t, 'mentor:fuzzmentor', { skill: { mode: 'group', durations: [60], capacity: 4, startsAt: new Date(Date.now() + 5 * 86_400_000) } });
const student = await t.user('student:fuzzstudent');
const [booking] = await knex('bookings').insert({
  skillId, mentorId: mentor.id, studentId: student.id, kind: 'one_on_one', startsAt: new Date(Date.now() + 3 * 86_400_000), endsAt: new Date(Date.now() + 3 * 86_400_000 + 3_600_000),
  durationMinutes: 60, status: 'pending', subject: 'Fuzzing', priceCents: 4000,
}).returning('id');
const [course] = await knex('courses').insert({ slug: 'fuzz-course', title: 'Fuzz course', published: true, priceCents: 0, shortDescription: 'x', descriptionHtml: '<p>x</p>', level: 'beginner' }).returning('*');
const [module] = await knex('courseModules').insert({ courseId: course.id, title: 'M', position: 1 }).returning('id');
const [lesson] = await knex('lessons').insert({ moduleId: module.id, title: 'L', videoKey: 'lessons/x.mp4', durationSeconds: 60, freePreview: true, position: 1 }).returning('id');
const [resource] = await knex('courseResources').insert({ courseId: course.id, title: 'R', kind: 'pdf', fileKey: 'resources/r.pdf', contentType: 'application/pdf', sizeBytes: 10 }).returning('id');
await knex('courseEducators').insert({ courseId: course.id, mentorId: mentor.id });
await knex('enrollments').insert({ courseId: course.id, userId: student.id });
const [comment] = await knex('lessonComments').insert({ lessonId: lesson.id, userId: student.id, authorRole: 'student', body: 'Why?' }).returning('id');

const realParams: Record<string, string[]> = {
  id: [skillId, groupId, booking.id, course.id, resource.id, mentor.id],
  lessonId: [lesson.id], moduleId: [module.id], resourceId: [resource.id], commentId: [comment.id],
  slug: [course.slug], username: [mentor.username],
};

// ---- identities, each with a CSRF token bound to its session ---------------------
interface Identity { name: string; agent: supertest.Agent; token: string }

async function identity(name: string, signIn?: { identifier: string; password: string }): Promise<Identity> {
  const agent = t.agent();
  if (signIn) {
    const token = await t.csrf(agent);
    const res = await agent.post('/login').type('form').send({ _csrf: token, ...signIn });
    if (res.status !== 303) throw new Error(`sign-in of ${name} failed: ${res.status}`);
  }
  return { name, agent, token: await t.csrf(agent, '/') };
}

const identities = [
  await identity('visitor'),
  await identity('student', { identifier: student.username, password: PASSWORD }),
  await identity('mentor', { identifier: mentor.username, password: PASSWORD }),
  await identity('admin', { identifier: 'admin@leboncours.test', password: 'admin-password-123' }),
];

// ---- the row snapshot: every table a request could write ------------------------
// Sessions and login counters legitimately change on a refused login.
const tables = (await knex('information_schema.tables').select('tableName').where({ tableSchema: 'public', tableType: 'BASE TABLE' }) as { tableName: string }[])
  .map((r) => r.tableName).filter((name) => !/session|rate_limit|migrations/.test(name)).sort();
const snapshotSql = `select ${tables.map((name) => `(select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) from "${name}" x) as "${name}"`).join(', ')}`;
const snapshot = async () => ((await knex.raw(snapshotSql)) as { rows: Record<string, string>[] }).rows[0]!;

// ---- the routes -----------------------------------------------------------------
// Logging out would turn the signed-in identities into visitors for the rest of the run.
const SKIP = new Set(['POST /logout']);
const routes = listRoutes(t.app).filter((r) => !SKIP.has(`${r.method} ${r.path}`));
const fields = formFieldNames(VIEWS_DIR);

const paramValue = (name: string) => fc.oneof(
  { arbitrary: fc.constantFrom(...(realParams[name] ?? ['x'])), weight: 3 },
  { arbitrary: valueOf(2000).map(pct), weight: 3 },
  { arbitrary: fc.constantFrom('%00', '%FF', '%E0%A4%A', 'a%00b', '%2F..%2F', '%'), weight: 1 },
);

function pathArb(route: RouteEntry): fc.Arbitrary<string> {
  const names = [...route.path.matchAll(/[:*](\w+)/g)].map((m) => m[1]!);
  if (!names.length) return fc.constant(route.path);
  return fc.tuple(...names.map(paramValue)).map((values) => {
    let i = 0;
    return route.path.replace(/[:*]\w+/g, () => values[i++]!);
  });
}

const queryArb = fc.tuple(pairs([...QUERY_KEYS, ...fields], 5, valueOf(600)), rarely(fc.constantFrom('%FF', 'q=%00', '%E0%A4%A', 'a=%', 'q=a+b%20c')))
  .map(([list, raw]) => [encodePairs(list), raw].filter(Boolean).join('&'));

const headersArb = fc.record({
  accept: fc.constantFrom('text/html', 'application/json', '*/*', ''),
  htmx: fc.constantFrom<'none' | 'partial' | 'boosted'>('none', 'partial', 'boosted'),
});

function send(who: Identity, route: RouteEntry, path: string, query: string, b: Body, h: { accept: string; htmx: string }): supertest.Test {
  // Multipart forms carry their token in the action URL (src/lib/csrf.ts).
  const multipart = b.kind === 'multipart' || (b.kind === 'raw' && b.contentType.startsWith('multipart'));
  const q = [query, multipart ? `_csrf=${pct(who.token)}` : ''].filter(Boolean).join('&');
  const url = q ? `${path}?${q}` : path;
  let req = route.method === 'GET' ? who.agent.get(url) : who.agent.post(url);
  req = req.set('X-CSRF-Token', who.token).set('Accept-Language', 'en');
  if (h.accept) req = req.set('Accept', h.accept);
  if (h.htmx !== 'none') req = req.set('HX-Request', 'true').set('HX-Request-Type', h.htmx === 'partial' ? 'partial' : 'full');
  if (route.method === 'GET') return req;
  const asIs = (x: unknown) => x as string;
  switch (b.kind) {
    case 'none': return req;
    case 'form': return req.type('form').send([`_csrf=${pct(who.token)}`, encodePairs(b.pairs), b.rawSuffix].filter(Boolean).join('&'));
    case 'json': return req.set('Content-Type', 'application/json').send(b.text);
    case 'raw': {
      req = req.set('Content-Type', b.contentType);
      if (b.encoding) req = req.set('Content-Encoding', b.encoding);
      return req.serialize(asIs).send(b.bytes as unknown as string);
    }
    case 'multipart': {
      for (const [k, v] of b.fields) req = req.field(k || 'x', v);
      for (const f of b.files) req = req.attach(f.field || 'file', Buffer.from('\x89PNG\r\n\x1a\n'), { filename: f.name || 'x', contentType: 'image/png' });
      return req;
    }
  }
}

const describeBody = (b: Body) => (b.kind === 'raw' ? b.label : b.kind === 'none' ? 'no body' : JSON.stringify(b).slice(0, 400));

// ---- the run --------------------------------------------------------------------
const histogram: Record<number, number> = {};
let requests = 0;
let rejectedChecked = 0;
let current = await snapshot();

afterAll(() => {
  console.log(`HTTP fuzz: ${requests} requests over ${routes.length} routes × ${identities.length} identities (seed ${SEED}, ${RUNS} runs each); status histogram ${JSON.stringify(histogram)}; ${rejectedChecked} rejected requests checked for unchanged rows`);
});

describe('HTTP fuzz over the route table', () => {
  it('finds the routers (a route table that shrank would fuzz nothing)', () => {
    expect(routes.length).toBeGreaterThan(80);
    expect(routes).toContainEqual({ method: 'POST', path: '/skills/:id/bookings' });
  });

  routes.forEach((route, index) => {
    it(`${route.method} ${route.path}: no 5xx, and no row changed by a refused request`, async () => {
      for (const [n, who] of identities.entries()) {
        const input = fc.record({ path: pathArb(route), query: queryArb, body: body(fields), headers: headersArb });
        await fc.assert(fc.asyncProperty(input, async ({ path, query, body: b, headers }) => {
          const res = await send(who, route, path, query, b, headers);
          requests += 1;
          histogram[res.status] = (histogram[res.status] ?? 0) + 1;
          const what = `${who.name} ${route.method} ${path}${query ? `?${query.slice(0, 200)}` : ''} [${describeBody(b)}] → ${res.status}`;
          expect(res.status, what).toBeLessThan(500);
          const after = await snapshot();
          if (res.status >= 400) {
            rejectedChecked += 1;
            expect(after, `rows changed by a refused request: ${what}`).toEqual(current);
          }
          current = after;
        }), { numRuns: RUNS, seed: SEED + index * 10 + n, endOnFailure: true });
      }
    }, 60_000);
  });
});
