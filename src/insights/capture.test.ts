import { Writable } from 'node:stream';
import pino from 'pino';
import type supertest from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';
import { countQueries } from '../../test/helpers/query-count.ts';
import { visitorHash } from './visitor-hash.ts';

// Sunday 22 November 2026, 10:00 UTC: Monday 09:00 in Paris (08:00 UTC) is a free slot.
const START = new Date('2026-11-22T10:00:00Z');
const MONDAY_9 = '2026-11-23T08:00:00.000Z';
const clock = new FixedClock(START);
const UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0 CaptureTest';

/** The log lines an app wrote at warn and above, parsed: where lost and dropped events are counted. */
function capturingLogger() {
  const lines: { msg: string; lost?: number; dropped?: number }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as (typeof lines)[number]);
      done();
    },
  });
  return { logger: pino({ level: 'warn' }, stream), lines };
}

// The timer would flush at its own moments: the tests flush when they mean to.
const env = { INSIGHTS_FLUSH_MS: '60000' };
const log = capturingLogger();
const t = await createTestApp({ env, overrides: { clock, logger: log.logger } });
const { skillId } = await mentorWithSkill(t, 'mentor:capmentor');

interface EventRow {
  kind: string;
  skillId: string | null;
  mentorUsername: string | null;
  visitor: Buffer;
  occurredAt: Date;
}

async function events(app: TestApp = t): Promise<EventRow[]> {
  await app.deps.services.insightCapture.flush();
  return app.deps.knex('insightEvents').orderBy('id').select('kind', 'skillId', 'mentorUsername', 'visitor', 'occurredAt');
}
const kinds = async (app?: TestApp) => (await events(app)).map((e) => e.kind);

/** An anonymous browser: an address of its own and a real user agent. */
const browser = (app: TestApp = t, ip?: string) => app.agent(ip).set('User-Agent', UA);
/** What htmx sends when it swaps an element of the page (the modal's body, the flow). */
const htmx = (req: supertest.Test, target: string) => req.set('HX-Request', 'true').set('HX-Request-Type', 'partial').set('HX-Target', target);

async function student(name: string) {
  const agent = (await t.signIn(`student:${name}`)).set('User-Agent', UA);
  return { agent, token: await t.csrf(agent, '/') };
}

beforeEach(async () => {
  await t.deps.services.insightCapture.flush();
  await t.deps.knex('insightEvents').del();
  clock.set(START);
});

describe('what is recorded', () => {
  it('each step of the funnel once, with its skill or its mentor, through the modal (htmx)', async () => {
    const visitor = browser();
    expect((await visitor.get(`/skills/${skillId}`)).status).toBe(200);
    expect((await visitor.get('/mentors/capmentor')).status).toBe(200);
    const { agent, token } = await student('capmodal');
    expect((await htmx(agent.get(`/skills/${skillId}/book`), 'div#booking-modal-body')).status).toBe(200);
    const held = await htmx(agent.post(`/skills/${skillId}/holds`), 'div#booking-flow').type('form').send({ _csrf: token, start: MONDAY_9, duration: '60' });
    expect(held.status).toBe(200);
    expect(held.text).toContain('name="subject"');
    const summary = await htmx(agent.post(`/skills/${skillId}/book/summary`), 'div#booking-flow').type('form').send({ _csrf: token, start: MONDAY_9, duration: '60', subject: 'Capture the funnel' });
    expect(summary.status).toBe(200);
    // "Edit" on the summary goes back to step 2: not a step reached again.
    const edit = await htmx(agent.post(`/skills/${skillId}/book/summary`), 'div#booking-flow').type('form').send({ _csrf: token, start: MONDAY_9, duration: '60', subject: 'Capture the funnel', edit: '1' });
    expect(edit.status).toBe(200);

    const rows = await events();
    expect(rows.map(({ kind, skillId, mentorUsername }) => ({ kind, skillId, mentorUsername }))).toEqual([
      { kind: 'skill_view', skillId, mentorUsername: null },
      { kind: 'mentor_view', skillId: null, mentorUsername: 'capmentor' },
      { kind: 'modal_opened', skillId, mentorUsername: null },
      { kind: 'details_reached', skillId, mentorUsername: null },
      { kind: 'summary_reached', skillId, mentorUsername: null },
    ]);
    expect(rows.every((e) => e.occurredAt.getTime() === START.getTime() && e.visitor.length === 16)).toBe(true);
    await agent.post(`/skills/${skillId}/holds/deletion`).type('form').send({ _csrf: token });
  });

  it('the same steps without JavaScript: plain pages, the hold answered with a redirect to step 2', async () => {
    const { agent, token } = await student('capnojs');
    expect((await agent.get(`/skills/${skillId}/book`)).status).toBe(200);
    const held = await agent.post(`/skills/${skillId}/holds`).type('form').send({ _csrf: token, start: MONDAY_9, duration: '60' });
    expect(held.status).toBe(303);
    // The page the redirect leads to is the step the hold reached: it is not counted twice.
    expect((await agent.get(String(held.headers.location))).status).toBe(200);
    expect((await agent.post(`/skills/${skillId}/book/summary`).type('form').send({ _csrf: token, start: MONDAY_9, duration: '60', subject: 'No script here' })).status).toBe(200);
    expect(await kinds()).toEqual(['modal_opened', 'details_reached', 'summary_reached']);
    await agent.post(`/skills/${skillId}/holds/deletion`).type('form').send({ _csrf: token });
  });

  it('a mentor page is stored under one spelling, and joins users.username the way the page finds its mentor (citext)', async () => {
    const { mentorId: capitalised } = await mentorWithSkill(t, 'mentor:CapCase');
    expect((await browser().get('/mentors/CAPCASE')).status).toBe(200);
    expect((await browser().get('/mentors/capcase')).status).toBe(200);
    const rows = await events();
    expect(rows.map((e) => e.mentorUsername)).toEqual(['capcase', 'capcase']);
    const joined = await t.deps.knex.raw<{ rows: { id: string }[] }>('select u.id from users u join insight_events e on u.username = e.mentor_username');
    expect(joined.rows.map((r) => r.id)).toEqual([capitalised, capitalised]);
  });

  it('a "Book" link from elsewhere (a duration, no week) opens the modal; the picker moving inside it does not', async () => {
    const visitor = browser();
    expect((await visitor.get(`/skills/${skillId}/book?duration=30`)).status).toBe(200);
    // Duration chips and weeks, inside the modal and as plain pages, and the zone form.
    expect((await htmx(visitor.get(`/skills/${skillId}/book?duration=60&week=0`), 'div#booking-flow')).status).toBe(200);
    expect((await htmx(visitor.get(`/skills/${skillId}/book?duration=60&week=1`), 'div#booking-flow')).status).toBe(200);
    expect((await htmx(visitor.get(`/skills/${skillId}/book?duration=60&week=0&tz=Europe%2FLondon`), 'div#booking-flow')).status).toBe(200);
    expect((await visitor.get(`/skills/${skillId}/book?duration=90&week=1`)).status).toBe(200);
    // Step 2's "Change slot" swaps the flow back to the picker: no week, but the flow is its target.
    expect((await htmx(visitor.get(`/skills/${skillId}/book?duration=60`), 'div#booking-flow')).status).toBe(200);
    expect(await kinds()).toEqual(['modal_opened']);
  });

  it('a skill page served from the page cache still counts', async () => {
    const cached = await createTestApp({ env: { ...env, PAGE_CACHE_SECONDS: '60' }, databaseUrl: t.databaseUrl, overrides: { clock } });
    await cached.deps.pageCacheReady;
    const first = await browser(cached).get(`/skills/${skillId}`);
    const second = await browser(cached).get(`/skills/${skillId}`);
    expect([first.headers['x-page-cache'], second.headers['x-page-cache']]).toEqual(['miss', 'hit']);
    expect(await kinds(cached)).toEqual(['skill_view', 'skill_view']);
  });
});

describe('what is not recorded', () => {
  it('pages that are not found, errors, redirects, partials and malformed parameters', async () => {
    const visitor = browser();
    expect((await visitor.get('/skills/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await visitor.get('/skills/00000000-0000-4000-8000-000000000000/book')).status).toBe(404);
    expect((await visitor.get('/mentors/nobody-here')).status).toBe(404);
    expect((await visitor.get(`/mentors/${'a'.repeat(120)}`)).status).toBe(404);
    expect((await visitor.get('/skills/not-a-uuid')).status).toBe(404);
    // The skill page's own fragment (its next free slots) is not another view.
    expect((await htmx(visitor.get(`/skills/${skillId}`), 'div#next-slots')).status).toBe(200);
    const { agent, token } = await student('capredirect');
    // "Edit" without a slot sends back to the picker: a redirect, nothing shown.
    expect((await agent.post(`/skills/${skillId}/book/summary`).type('form').send({ _csrf: token, edit: '1' })).status).toBe(303);
    // A summary with errors stays on step 2 (422).
    expect((await agent.post(`/skills/${skillId}/book/summary`).type('form').send({ _csrf: token, start: MONDAY_9, duration: '60', subject: '' })).status).toBe(422);
    // A slot outside the mentor's hours is refused: the picker again, not step 2.
    expect((await agent.post(`/skills/${skillId}/holds`).type('form').send({ _csrf: token, start: '2026-11-22T02:00:00.000Z', duration: '60' })).status).toBeGreaterThanOrEqual(400);

    await t.deps.knex.raw('alter table skills rename to skills_away');
    try {
      expect((await visitor.get(`/skills/${skillId}`)).status).toBe(500);
    } finally {
      await t.deps.knex.raw('alter table skills_away rename to skills');
    }
    expect(await kinds()).toEqual([]);
  });

  it('bots (an empty agent too), Do Not Track, Global Privacy Control, prefetches and htmx history restores', async () => {
    const page = `/skills/${skillId}`;
    for (const agent of ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'curl/8.5.0', 'python-requests/2.32', 'Go-http-client/1.1',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/140.0 Safari/537.36', 'facebookexternalhit/1.1', 'Chrome-Lighthouse', '']) {
      expect((await t.agent().set('User-Agent', agent).get(page)).status).toBe(200);
    }
    expect((await t.agent().get(page)).status).toBe(200); // no User-Agent header at all
    expect((await browser().set('DNT', '1').get(page)).status).toBe(200);
    expect((await browser().set('Sec-GPC', '1').get(page)).status).toBe(200);
    expect((await browser().set('Sec-Purpose', 'prefetch;prerender').get(page)).status).toBe(200);
    expect((await browser().set('Purpose', 'prefetch').get(page)).status).toBe(200);
    expect((await browser().set('HX-Request', 'true').set('HX-History-Restore-Request', 'true').get(page)).status).toBe(200);
    expect(await kinds()).toEqual([]);
    // The same page from a person counts: the exclusions above were the headers, not the page.
    await browser().get(page);
    expect(await kinds()).toEqual(['skill_view']);
  });
});

describe('visitors', () => {
  it('one address and agent is one visitor a day, another one the next day; old salts are deleted', async () => {
    const same = () => browser(t, '198.51.100.23').get(`/skills/${skillId}`);
    await same();
    await same();
    await browser(t, '198.51.100.24').get(`/skills/${skillId}`);
    await t.agent('198.51.100.23').set('User-Agent', `${UA} Other`).get(`/skills/${skillId}`);
    clock.advance(24 * 3600_000);
    await same();
    const [a, b, otherAddress, otherAgent, nextDay] = (await events()).map((e) => e.visitor.toString('hex'));
    expect(a).toBe(b);
    expect(new Set([a, otherAddress, otherAgent, nextDay]).size).toBe(4);

    const salts = async () => (await t.deps.knex.raw<{ rows: { day: string }[] }>('select day::text from insight_salts order by day')).rows.map((r) => r.day);
    expect(await salts()).toEqual(['2026-11-22', '2026-11-23']);
    // Two days later only that day and the one before are kept (the rollup still needs yesterday's).
    clock.advance(2 * 24 * 3600_000);
    await browser().get(`/skills/${skillId}`);
    await events();
    await t.deps.jobs.add(t.deps.knex, 'insights-prune-salts', {});
    await t.runJobs();
    expect(await salts()).toEqual(['2026-11-25']);
  });

  it('two instances of the app starting a day at once share its salt: one visitor, no event lost', async () => {
    const other = await createTestApp({ env, databaseUrl: t.databaseUrl, overrides: { clock } });
    clock.set(new Date('2026-12-24T00:00:01Z'));
    const page = (app: TestApp) => browser(app, '198.51.100.80').get(`/skills/${skillId}`);
    const answers = await Promise.all([t, other, t, other, t, other].map(page));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    await other.deps.services.insightCapture.flush();
    const rows = await events();
    expect(rows).toHaveLength(6);
    expect(new Set(rows.map((e) => e.visitor.toString('hex'))).size).toBe(1);
  });

  it('a salt another instance is inserting at that very moment is waited for and used, not lost', async () => {
    const theirs = Buffer.alloc(32, 7);
    const other = await t.deps.knex.transaction();
    await other('insightSalts').insert({ day: '2026-12-25', salt: theirs });
    clock.set(new Date('2026-12-25T08:00:00Z'));
    expect((await browser(t, '198.51.100.90').get(`/skills/${skillId}`)).status).toBe(200);
    // The app's insert of the day now waits on the uncommitted row; its statement's snapshot predates the commit.
    const waiting = async () => (await t.deps.knex.raw<{ rows: { n: number }[] }>(
      "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
    )).rows[0]!.n;
    for (let i = 0; i < 100 && (await waiting()) === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await waiting()).toBe(1);
    await other.commit();
    const rows = await events();
    expect(rows.map((e) => e.visitor.toString('hex'))).toEqual([visitorHash(theirs, '198.51.100.90', UA).toString('hex')]);
  });

  it('no column of the events or the salts holds the address or the agent', async () => {
    const address = '203.0.113.199';
    const agent = 'Mozilla/5.0 NeedleAgent/9.9';
    const visitor = t.agent(address).set('User-Agent', agent);
    await visitor.get(`/skills/${skillId}`);
    await visitor.get('/mentors/capmentor');
    await htmx(visitor.get(`/skills/${skillId}/book`), 'div#booking-modal-body');
    expect(await kinds()).toHaveLength(3);

    const { rows: columns } = await t.deps.knex.raw<{ rows: { table: string; column: string; type: string }[] }>(
      `select table_name as table, column_name as column, data_type as type from information_schema.columns
       where table_schema = current_schema() and table_name in ('insight_events', 'insight_salts')`,
    );
    expect(columns.length).toBeGreaterThanOrEqual(8);
    for (const { table, column, type } of columns) {
      for (const needle of [address, agent, 'NeedleAgent']) {
        // As text, and for bytea also byte for byte (the needle's UTF-8 anywhere in the value).
        const bytes = type === 'bytea' ? ` or position(convert_to(:needle, 'UTF8') in :col:) > 0` : '';
        const { rows } = await t.deps.knex.raw<{ rows: { n: number }[] }>(
          `select count(*)::int as n from :table: where position(:needle in :col:::text) > 0${bytes}`, { table, col: column, needle },
        );
        expect({ table, column, needle, n: rows[0]!.n }).toEqual({ table, column, needle, n: 0 });
      }
    }
  });
});

describe('the buffer', () => {
  it('100 parallel page views are 100 rows, written by one statement', async () => {
    await browser().get(`/skills/${skillId}`); // the day's salt, read once
    await t.deps.services.insightCapture.flush();
    await t.deps.knex('insightEvents').del();

    const answers = await Promise.all(Array.from({ length: 100 }, () => browser().get(`/skills/${skillId}`)));
    expect(answers.every((r) => r.status === 200)).toBe(true);
    const flushed = await countQueries(t.deps, () => t.deps.services.insightCapture.flush());
    expect(flushed.app).toHaveLength(1);
    expect(flushed.app[0]).toMatch(/^insert into insight_events/);
    const { rows } = await t.deps.knex.raw<{ rows: { n: number }[] }>("select count(*)::int as n from insight_events where kind = 'skill_view'");
    expect(rows[0]!.n).toBe(100);
  });

  it('a batch the database refuses is lost and logged, the pages keep answering, the next batch is written', async () => {
    await t.deps.knex.raw("alter table insight_events add constraint capture_test_refuses_views check (kind <> 'skill_view')");
    try {
      for (let i = 0; i < 3; i++) expect((await browser().get(`/skills/${skillId}`)).status).toBe(200);
      await expect(t.deps.services.insightCapture.flush()).resolves.toBeUndefined();
      expect((await browser().get(`/skills/${skillId}`)).status).toBe(200);
      expect(await kinds()).toEqual([]);
    } finally {
      await t.deps.knex.raw('alter table insight_events drop constraint capture_test_refuses_views');
    }
    expect(log.lines.filter((l) => l.msg.includes('insight events lost')).map((l) => l.lost)).toEqual([3, 1]);
    expect((await browser().get(`/skills/${skillId}`)).status).toBe(200);
    expect(await kinds()).toEqual(['skill_view']);
  });

  it('beyond its bound new events are dropped and counted in one log line', async () => {
    const small = capturingLogger();
    const bounded = await createTestApp({ env: { ...env, INSIGHTS_BUFFER_MAX: '3' }, databaseUrl: t.databaseUrl, overrides: { clock, logger: small.logger } });
    for (let i = 0; i < 5; i++) expect((await browser(bounded).get(`/skills/${skillId}`)).status).toBe(200);
    expect(await kinds(bounded)).toEqual(['skill_view', 'skill_view', 'skill_view']);
    expect(small.lines.filter((l) => l.msg.includes('dropped')).map((l) => l.dropped)).toEqual([2]);
  });
});
