// Through HAProxy in a real Chromium (system /usr/bin/chromium, the journeys' flags),
// JavaScript off so every step is a plain page and form post whatever instance serves it:
// (a) a student signs in, opens a skill, books a slot, finds it on the dashboard;
// read-your-writes: a mentor renames a skill and the page the save redirects to (served
// by any instance) shows the new title, every time; an anonymous visitor, who reads the
// replica, sees it within the replication delay (measured).
import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../seeds/demo.ts';
import { LB } from './load.ts';
import { sleep } from './processes.ts';
import { PORTS, sql } from './topology.ts';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

async function withPage<T>(work: (page: Page) => Promise<T>): Promise<T> {
  if (!fs.existsSync('/usr/bin/chromium')) throw new Error('/usr/bin/chromium is missing (apt-get install chromium)');
  const browser: Browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS, headless: true });
  try {
    const context = await browser.newContext({ baseURL: LB.replace('127.0.0.1', 'localhost'), javaScriptEnabled: false, locale: 'en-GB' });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    try {
      return await work(page);
    } catch (error) {
      // Where it stopped, for the report: the URL and the page's main text.
      const text = (await page.locator('main').textContent().catch(() => ''))?.replace(/\s+/g, ' ').slice(0, 300);
      throw new Error(`${(error as Error).message.split('\n')[0]} at ${page.url()}: ${text}`, { cause: error });
    }
  } finally {
    await browser.close();
  }
}

async function logIn(page: Page, identifier: string): Promise<void> {
  await page.goto('/login');
  await page.locator('input[name="identifier"]').fill(identifier);
  await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
  await page.locator('form[action="/login"] button[type="submit"]').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 10_000 });
}

export async function studentJourney(skillId: string): Promise<{ ok: boolean; detail: string }> {
  const [student] = await sql<{ email: string }>(PORTS.primary, `select email from users where role = 'student' and locale = 'en' order by created_at desc limit 1`);
  return withPage(async (page) => {
    await logIn(page, student!.email);
    await page.goto(`/skills/${skillId}`);
    await page.getByRole('link', { name: 'Book', exact: true }).click();
    await page.waitForURL(`**/skills/${skillId}/book`);
    // This week may be full (or over): the picker's own link to the next one, as a student would.
    for (let week = 0; week < 4 && !(await page.locator('#slots button.slot').count()); week++) {
      await page.getByRole('link', { name: /Next week/ }).first().click();
      await page.waitForLoadState('load');
    }
    await page.locator('#slots button.slot').first().click();
    await page.waitForURL(`**/skills/${skillId}/book/details?**`);
    const subject = `Cluster journey ${Date.now()}`;
    await page.getByLabel('Subject').fill(subject);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`**/skills/${skillId}/book/summary`);
    await page.locator('#booking-flow button[type="submit"]:not([name="edit"])').last().click();
    await page.waitForURL('**/bookings/**', { timeout: 15_000 });
    await page.goto('/dashboard');
    const onDashboard = (await page.locator('main').textContent())?.includes(subject) ?? false;
    const [row] = await sql<{ n: number }>(PORTS.primary, 'select count(*)::int as n from bookings where subject = $1', [subject]);
    return { ok: onDashboard && row!.n === 1, detail: `booking page ${new URL(page.url()).pathname}, on dashboard: ${onDashboard}, rows: ${row!.n}` };
  });
}

export interface ReadYourWrites { rounds: number; stale: number; anonymousCatchUpMs: { p50: number; max: number } }

export async function readYourWrites(rounds: number): Promise<ReadYourWrites> {
  const [skill] = await sql<{ id: string; email: string; title: string }>(PORTS.primary, `select s.id, u.email, s.title from skills s join users u on u.id = s.mentor_id
    where s.status = 'published' and s.mode = 'one_on_one' and u.locale = 'en' order by s.created_at limit 1`);
  return withPage(async (page) => {
    await logIn(page, skill!.email);
    let stale = 0;
    const catchUp: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const title = `${skill!.title.slice(0, 90)} (${i + 1})`;
      await page.goto(`/skills/${skill!.id}/edit`);
      await page.locator('input[name="title"]').fill(title);
      await page.locator(`form[action="/skills/${skill!.id}"] button[type="submit"]`).first().click();
      await page.waitForURL(`**/skills/${skill!.id}`);
      if ((await page.getByRole('heading', { level: 1 }).first().textContent())?.trim() !== title) stale++;
      // Anonymous, hence the replica: how long until it shows the same title.
      const saved = performance.now();
      for (;;) {
        const html = await (await fetch(`${LB}/skills/${skill!.id}`)).text();
        if (html.includes(title.replace(/&/g, '&amp;')) || performance.now() - saved > 5000) break;
        await sleep(5);
      }
      catchUp.push(performance.now() - saved);
    }
    catchUp.sort((a, b) => a - b);
    return { rounds, stale, anonymousCatchUpMs: { p50: Math.round(catchUp[Math.floor(rounds / 2)]!), max: Math.round(catchUp.at(-1)!) } };
  });
}
