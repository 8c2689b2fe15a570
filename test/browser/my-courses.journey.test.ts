// A student's progress through a course in a real browser: the player reports the
// first lesson done once 90 % of its video was played, "My courses" shows 1 of 3 with
// Continue to the next lesson, the "Mark as done" button counts the second one, and
// the catalogue's filters find the course.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkA11y, shoot, startServer, journeyBrowser, type PageProblems } from './harness.ts';
import { header, logIn } from './marketplace-steps.ts';

const { baseUrl, t } = await startServer();
const VIDEO = fs.readFileSync(fileURLToPath(new URL('../../seeds/media/lesson-a.mp4', import.meta.url)));
const browser = journeyBrowser(() => ({ baseURL: baseUrl, locale: 'en-US', timezoneId: 'Europe/Paris', viewport: { width: 1280, height: 900 } }));
const SLUG = 'progress-journey';
const lessons: string[] = [];

beforeAll(async () => {
  const knex = t.deps.knex;
  await t.deps.storage.put('lessons/progress-journey.mp4', VIDEO);
  const [course] = await knex('courses').insert({
    slug: SLUG, title: 'HFSQL step by step', shortDescription: 'Tables, queries and indexes for WinDev developers.', level: 'intermediate',
    priceCents: 0, compatibility: ['WD26'], published: true,
  }).returning('*');
  const [m] = await knex('courseModules').insert({ courseId: course.id, title: 'The database', position: 1 }).returning('*');
  for (const [position, title] of ['Creating a table', 'Writing a query', 'Choosing the indexes'].entries()) {
    const [l] = await knex('lessons').insert({ moduleId: m.id, title, videoKey: 'lessons/progress-journey.mp4', durationSeconds: 6, position: position + 1 }).returning('*');
    lessons.push(l.id);
  }
  await knex('courses').insert({ slug: 'progress-journey-other', title: 'Spreadsheets for accountants', level: 'beginner', priceCents: 3900, published: true });
  const student = await t.user('student:mj-lea');
  await knex('enrollments').insert({ courseId: course.id, userId: student.id, source: 'free' });
});

function expectNoProblems(problems: PageProblems): void {
  expect(problems.csp, 'CSP violations').toEqual([]);
  expect(problems.errors, 'uncaught page errors').toEqual([]);
}

async function visit(page: Page, name: string): Promise<void> {
  await shoot(page, name, 'my-courses');
  await checkA11y(page, { soft: true });
}

const progressLine = (page: Page) => page.locator('.my-course').filter({ hasText: 'HFSQL step by step' });

describe('my courses journey', { timeout: 300_000 }, () => {
  it('watching a lesson and marking another done shows in My courses, and Continue goes on to the next lesson', async () => {
    const { page, problems } = await browser.open();
    await logIn(page, 'mj-lea');

    // From the header to an empty progress.
    await header(page).locator('.site-nav').getByRole('link', { name: 'My courses' }).click();
    await page.waitForURL('**/my/courses');
    await expect.poll(() => progressLine(page).getByText('Lessons done: 0 of 3').count()).toBe(1);
    await progressLine(page).getByRole('link', { name: /^Start/ }).click();
    await page.waitForURL(`**/courses/${SLUG}/lessons/${lessons[0]}`);

    // The player: muted and fast, played to the end; it reports the lesson done by itself.
    const video = page.locator('#lesson-video');
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 15_000, message: 'video metadata' }).toBeGreaterThanOrEqual(1);
    await video.evaluate((v: HTMLVideoElement) => { v.muted = true; v.playbackRate = 2; return v.play(); });
    await expect.poll(() => page.locator('#lesson-completion').getAttribute('data-completed'), { timeout: 20_000, message: 'the player reported the lesson' }).toBe('true');
    expect(await page.locator('#lesson-completion').getByText('You watched this lesson').count()).toBe(1);
    await visit(page, 'mc-01-lesson-watched');

    await page.goto('/my/courses');
    await expect.poll(() => progressLine(page).getByText('Lessons done: 1 of 3').count()).toBe(1);
    expect(await progressLine(page).locator('progress').getAttribute('value')).toBe('1');
    await visit(page, 'mc-02-one-of-three');
    await progressLine(page).getByRole('link', { name: /^Continue/ }).click();
    await page.waitForURL(`**/courses/${SLUG}/lessons/${lessons[1]}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Writing a query');

    // The button, for a lesson read rather than watched.
    await page.getByRole('button', { name: 'Mark as done' }).click();
    await expect.poll(() => page.getByText('Lesson marked as done.').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Mark as not done' }).count()).toBe(1);
    await visit(page, 'mc-03-marked-done');

    // The course page: x of n, a tick per lesson done, Continue to the third.
    await page.goto(`/courses/${SLUG}`);
    await expect.poll(() => page.getByText('Lessons done: 2 of 3').count()).toBe(1);
    expect(await page.locator('.lesson-tick').count()).toBe(2);
    await visit(page, 'mc-04-course-page');
    await page.locator('#enroll').getByRole('link', { name: 'Continue' }).click();
    await page.waitForURL(`**/courses/${SLUG}/lessons/${lessons[2]}`);

    // The catalogue's filters, kept in the URL.
    await page.goto('/courses');
    await page.locator('#course-q').fill('hfsql');
    await page.locator('#course-version').selectOption('WD26');
    await expect.poll(() => page.url()).toContain('version=WD26');
    await expect.poll(() => page.locator('#course-results .skill-card').count()).toBe(1);
    expect(page.url()).toContain('q=hfsql');
    await visit(page, 'mc-05-catalogue-filtered');
    await page.locator('#course-maxPrice').fill('abc');
    await page.locator('#course-maxPrice').press('Enter');
    await expect.poll(() => page.getByText('Some filters could not be read').count()).toBe(1);
    await visit(page, 'mc-06-catalogue-notice');

    expectNoProblems(problems);
  });
});
