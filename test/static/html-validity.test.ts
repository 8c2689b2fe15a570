// Every page a visitor, a student, a mentor and an admin can GET, over the demo data,
// goes through the W3C HTML checker (vnu-jar, on Java), in one run for all pages:
// browsers forgive bad nesting, duplicate ids and skipped headings, screen readers
// and htmx swaps (by id) do not. Only the checker's complaints about htmx's own
// attributes (hx-*, sse-*), which it does not know, are ignored.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type supertest from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { seedDemoOnce, DEMO_PASSWORD } from '../../seeds/demo.ts';
import { seedDemoSkillsOnce } from '../../seeds/demo-skills.ts';
import { seedDemoBookingsOnce } from '../../seeds/demo-bookings.ts';
import { seedDemoCoursesOnce } from '../../seeds/demo-courses.ts';
import { seedDemoPaymentsOnce } from '../../seeds/demo-payments.ts';
import { seedDemoConversationsOnce } from '../../seeds/demo-scheduling.ts';
import { createTestApp } from '../helpers/app.ts';
import { listRoutes } from '../fuzz/routes.ts';
import { concreteUrl, isApiRoute, loadIds, NOT_PAGES, type Who } from './page-routes.ts';

const VNU = path.resolve(import.meta.dirname, '../../node_modules/vnu-jar/build/dist/vnu.jar');
const STUDENT = 'bob';
const MENTOR = 'alice';

const t = await createTestApp();
const now = t.deps.clock.now();
await seedDemoOnce(t.deps);
await seedDemoSkillsOnce(t.deps.knex, now);
await seedDemoBookingsOnce(t.deps.knex, now);
await seedDemoCoursesOnce(t.deps.knex, t.deps.storage, now);
await seedDemoPaymentsOnce(t.deps);
await seedDemoConversationsOnce(t.deps.knex, now);

async function demoAgent(identifier: string): Promise<supertest.Agent> {
  const agent = t.agent();
  const token = await t.csrf(agent);
  const res = await agent.post('/login').type('form').send({ _csrf: token, identifier, password: DEMO_PASSWORD });
  if (res.status !== 303) throw new Error(`sign-in of ${identifier} failed: ${res.status}`);
  return agent;
}

const agents: Record<Who, supertest.Agent> = {
  visitor: t.agent(),
  student: await demoAgent(STUDENT),
  mentor: await demoAgent(MENTOR),
  admin: await t.signInAdmin(),
};

/** A form post as `who`, with its CSRF token; the answer must be a redirect or a page. */
async function post(who: Who, url: string, form: Record<string, string> = {}): Promise<supertest.Response> {
  const token = await t.csrf(agents[who], '/');
  const res = await agents[who].post(url).type('form').send({ _csrf: token, ...form });
  if (res.status >= 400) throw new Error(`POST ${url} as ${who}: ${res.status}`);
  return res;
}

// The state some pages need, made through the app as a person would make it.
const knex = t.deps.knex;
const alice = await t.user(`mentor:${MENTOR}`);
if (!(await knex('skills').where({ mentorId: alice.id, mode: 'group', status: 'published' }).first())) {
  await knex('skills').insert({ mentorId: alice.id, title: 'Atelier de groupe', description: 'A group session.', category: 'programming', priceCents: 0, durations: [60], mode: 'group', status: 'published', startsAt: new Date(now.getTime() + 9 * 86_400_000), capacity: 6 });
}
const courses = (await knex('courses').where({ published: true }).orderBy('slug')) as { slug: string; priceCents: number }[];
const freeCourse = courses.find((c) => c.priceCents === 0);
const paidCourse = courses.find((c) => c.priceCents > 0);
if (!freeCourse || !paidCourse) throw new Error('the demo data needs a free and a paid course');
await post('student', `/courses/${freeCourse.slug}/enrollment`);
const ids0 = await loadIds(knex, now, { student: STUDENT, mentor: MENTOR });
await post('student', `/courses/${ids0.course.slug}/lessons/${ids0.lesson}/comments`, { body: 'Une question sur cette leçon ?' });
await post('student', `/courses/${paidCourse.slug}/checkout`);
await post('student', '/subscription/checkout', { plan: 'monthly' });
await post('student', '/subscription/portal');
await post('mentor', '/payouts/onboarding');
await post('visitor', '/password-resets', { email: 'bob@example.com' });
await t.runJobs();
const resetMail = t.mails.find((m) => /password-resets\/[\w-]+/.test(m.text ?? ''));
if (!resetMail) throw new Error('no password-reset mail');
const resetToken = /password-resets\/([\w-]+)/.exec(resetMail.text ?? '')![1]!;
// The dev outbox shows what the outbox transport stored: this very mail.
await knex('mailOutbox').insert({ toAddress: resetMail.to, subject: resetMail.subject, html: resetMail.html, text: resetMail.text, attachments: '[]' });
const ids = await loadIds(knex, now, { student: STUDENT, mentor: MENTOR });
// The booking pages need a slot the mentor really has open for the student: the demo's
// hours differ by weekday, so a fixed "a week from now at 10:00" failed one day in seven.
const open = await agents.student.get(`/api/v1/mentors/${alice.id}/slots?skillId=${ids.skill.id}&duration=${ids.skill.duration}`);
const firstOpen = (open.body as { slots?: { startsAt: string; available: boolean }[] }).slots?.find((s) => s.available);
if (!firstOpen) throw new Error(`the demo mentor has no open slot for the booking pages (${open.status})`);
ids.start = new Date(firstOpen.startsAt);

const getRoutes = listRoutes(t.app).filter((r) => r.method === 'GET' && !isApiRoute(r.path)).map((r) => r.path);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leboncours-html-'));

interface Fetched { who: Who; route: string; url: string; status: number; file?: string }
const fetched: Fetched[] = [];
const seenErrorPages = new Set<string>();
for (const route of getRoutes.filter((r) => !(r in NOT_PAGES))) {
  for (const who of Object.keys(agents) as Who[]) {
    const url = concreteUrl(route, who, ids, MENTOR, resetToken);
    if (!url) continue;
    const res = await agents[who].get(url).set('Accept', 'text/html');
    const entry: Fetched = { who, route, url, status: res.status };
    // Full documents only. An error page is a page too, but one of each status per
    // identity is enough: the rest are the same template again.
    const errorPage = res.status >= 400 ? `${who} ${res.status}` : undefined;
    const seen = errorPage !== undefined && seenErrorPages.has(errorPage);
    if (errorPage) seenErrorPages.add(errorPage);
    if (!seen && /^text\/html/.test(res.headers['content-type'] ?? '') && /^\s*<!doctype html>/i.test(res.text)) {
      entry.file = path.join(dir, `${who}${route.replace(/[^\w]+/g, '_')}.html`);
      fs.writeFileSync(entry.file, res.text);
    }
    fetched.push(entry);
  }
}

interface VnuMessage { type: string; subType?: string; url?: string; lastLine?: number; message: string; extract?: string }

/** The checker's errors for `files`, from one Java process. */
async function validate(files: string[]): Promise<VnuMessage[]> {
  try {
    await promisify(execFile)('java', ['-jar', VNU, '--format', 'json', '--errors-only', ...files], { maxBuffer: 64 * 1024 * 1024 });
    return [];
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new Error('java is required for the HTML check (vnu-jar): apt-get install default-jre-headless', { cause: error });
    if (!e.stderr?.trim().startsWith('{')) throw error;
    return (JSON.parse(e.stderr) as { messages: VnuMessage[] }).messages;
  }
}

/** htmx's attributes are not HTML's: the checker's only false alarms here. */
const isHtmxAttribute = (m: VnuMessage) => /[“"](?:hx|sse)-[\w:.-]+[”"]/.test(m.message) && /^Attribute /.test(m.message);

const CANARY = path.join(dir, 'canary.html');
fs.writeFileSync(CANARY, '<!doctype html><html lang="en"><title>x</title><p id="a"><p id="a" hx-get="/x">x</p></html>');
const pages = fetched.filter((f) => f.file).map((f) => f.file!);
const messages = await validate([CANARY, ...pages]);
const located = (m: VnuMessage) => `${m.url ? path.basename(decodeURIComponent(m.url.replace(/^file:/, ''))) : '?'}:${m.lastLine ?? '?'}: ${m.message}${m.extract ? `  «${m.extract.replace(/\s+/g, ' ').trim()}»` : ''}`;
const inCanary = messages.filter((m) => m.url?.endsWith('/canary.html'));
const errors = messages.filter((m) => !m.url?.endsWith('/canary.html') && !isHtmxAttribute(m));
// The pages stay on disk when something is wrong, for a look at the whole file.
afterAll(() => { if (!errors.length) fs.rmSync(dir, { recursive: true, force: true }); });

describe('HTML validity of every page', () => {
  it('reaches every GET page of the router for someone, or names why it is not a page', () => {
    const covered = new Set(fetched.filter((f) => f.file && f.status === 200).map((f) => f.route));
    const uncovered = getRoutes.filter((r) => !(r in NOT_PAGES) && !covered.has(r))
      .map((r) => `${r}: ${fetched.filter((f) => f.route === r).map((f) => `${f.who} ${f.status}${f.file ? '' : ' (not a full page)'}`).join(', ') || 'no demo data to fill its parameters'}`);
    expect(uncovered, 'pages nobody could open (resolve them in test/static/page-routes.ts, or add them to NOT_PAGES with a reason)').toEqual([]);
    expect(Object.keys(NOT_PAGES).filter((r) => !getRoutes.includes(r)), 'NOT_PAGES entries that are no longer routes').toEqual([]);
    expect(pages.length).toBeGreaterThan(60);
  });

  it('hears the checker on a broken page and ignores htmx attributes only', () => {
    expect(inCanary.map((m) => m.message)).toContainEqual(expect.stringMatching(/Duplicate ID “a”/));
    expect(inCanary.some(isHtmxAttribute)).toBe(true);
  });

  it('has no HTML errors on any page', () => {
    expect(errors.map(located), `${errors.length} HTML error(s) in ${pages.length} pages (files in ${dir})`).toEqual([]);
  });
});
