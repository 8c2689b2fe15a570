// The course journey through a real browser. The admin creates a free course, adds a
// module and a lesson, uploads the lesson video and a PDF resource (the editor's XHR
// uploads with their progress bar) and publishes it; a student finds it in the
// catalog, enrolls, watches the lesson (the player's signed URL, loaded with range
// requests), downloads the PDF, reviews the course and asks a question; the admin
// answers and pins the answer, and the student sees the official answer first.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkA11y, shoot, startServer, type PageProblems, journeyBrowser } from './harness.ts';
import { header, logIn } from './marketplace-steps.ts';

const { baseUrl, t } = await startServer();

const MEDIA = fileURLToPath(new URL('../../seeds/media/', import.meta.url));
const TITLE = 'WinDev from scratch';
const SHORT = 'Build your first WinDev application, window by window.';
const MODULE = 'Getting started';
const LESSON = 'Installing the environment';
const RESOURCE = 'WinDev quick guide';
const REVIEW = 'Clear, short lessons and a useful guide. Recommended.';
const QUESTION = 'Which WinDev version do I need for this course?';
const FOLLOW_UP = 'Would the Express edition be enough?';
const ANSWER = 'Any version from WinDev 2024 works; the Express edition is enough.';

const browser = journeyBrowser(() => ({ baseURL: baseUrl, locale: 'en-US', timezoneId: 'Europe/Paris', viewport: { width: 1280, height: 900 } }));

beforeAll(async () => {
  await t.user('student:eve');
});

const openPage = () => browser.open();

async function visit(page: Page, name: string): Promise<void> {
  await shoot(page, name);
  await checkA11y(page, { soft: true });
}

async function logInAdmin(page: Page): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email or username').fill('admin@leboncours.test');
  await page.getByLabel('Password').fill('admin-password-123');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect.poll(() => header(page).getByRole('button', { name: 'Log out' }).count()).toBe(1);
  await page.waitForLoadState('load');
}

function expectNoProblems(problems: PageProblems): void {
  expect(problems.csp, 'CSP violations').toEqual([]);
  expect(problems.errors, 'uncaught page errors').toEqual([]);
}

/** Submits an upload form (XHR + progress bar) and waits for the page it leads to. */
async function upload(page: Page, input: string, file: string, button: string, done: () => Promise<boolean>): Promise<void> {
  await page.locator(input).setInputFiles(path.join(MEDIA, file));
  await page.getByRole('button', { name: button }).click();
  await expect.poll(done, { timeout: 15_000, message: `upload of ${file}` }).toBe(true);
  await page.waitForLoadState('load');
}

describe('course journey', { timeout: 120_000 }, () => {
  it('an admin builds and publishes a course; a student enrolls, watches, downloads, reviews and asks; the admin answers', async () => {
    // ---- The admin builds the course. ------------------------------------------------
    const { page: admin, problems: adminProblems } = await openPage();
    await logInAdmin(admin);
    await admin.goto('/admin/courses');
    await visit(admin, 'co-01-admin-list');

    await admin.getByRole('link', { name: 'New course' }).first().click();
    await admin.waitForURL('**/admin/courses/new');
    await admin.locator('#f-title').fill(TITLE);
    await admin.locator('#f-shortDescription').fill(SHORT);
    await admin.locator('#f-level').selectOption('beginner');
    await admin.locator('#f-price').fill('0');
    await visit(admin, 'co-02-admin-new');
    await admin.getByRole('button', { name: 'Create as draft' }).click();
    await admin.waitForURL(/\/admin\/courses\/[^/]+\/edit$/);
    const courseId = /\/admin\/courses\/([^/]+)\/edit$/.exec(admin.url())![1]!;
    const course = await t.deps.knex('courses').where({ id: courseId }).first() as { slug: string; published: boolean; priceCents: number };
    expect(course.published).toBe(false);
    expect(course.priceCents).toBe(0);
    await visit(admin, 'co-03-admin-editor');

    await admin.goto(`/admin/courses/${courseId}/curriculum`);
    await admin.locator('#f-moduleTitle').fill(MODULE);
    await admin.getByRole('button', { name: 'Add the module' }).click();
    await expect.poll(() => admin.locator('.module-card').count()).toBe(1);
    await admin.locator('.module-card .add-lesson summary').click();
    await admin.locator('.module-card').getByLabel('Lesson title').fill(LESSON);
    await admin.locator('.module-card').getByRole('button', { name: 'Add the lesson' }).click();
    await expect.poll(() => admin.locator('.lesson-row').count()).toBe(1);
    await visit(admin, 'co-04-admin-curriculum');

    await admin.locator('.lesson-row__title', { hasText: LESSON }).click();
    await admin.waitForURL(/\/lessons\/[^/]+\/edit$/);
    const lessonId = /\/lessons\/([^/]+)\/edit$/.exec(admin.url())![1]!;
    await upload(admin, '#f-video', 'lesson-a.mp4', 'Upload the video', () => admin.getByText('Video attached').isVisible());
    expect((await t.deps.knex('lessons').where({ id: lessonId }).first() as { videoKey: string | null }).videoKey).toBeTruthy();
    await visit(admin, 'co-05-admin-lesson');

    await admin.goto(`/admin/courses/${courseId}/resources`);
    await admin.locator('#f-resourceTitle').fill(RESOURCE);
    await admin.locator('#f-resourceKind').selectOption('pdf');
    await upload(admin, '#f-resourceFile', 'guide-windev.pdf', 'Upload the resource', () => admin.locator('.resource-list a', { hasText: RESOURCE }).isVisible());
    await visit(admin, 'co-06-admin-resources');

    await admin.locator('.course-admin__head').getByRole('button', { name: 'Publish' }).click();
    // The confirmation step: the checklist, every item ticked, then "Yes, publish".
    await admin.getByRole('button', { name: 'Yes, publish the course' }).waitFor();
    expect(await admin.locator('[id^="checklist-"] .badge--success').count()).toBe(5);
    await visit(admin, 'co-06b-admin-publication');
    await admin.getByRole('button', { name: 'Yes, publish the course' }).click();
    await expect.poll(() => admin.locator('.course-admin__head .badge').textContent()).toBe('Published');
    expect((await t.deps.knex('courses').where({ id: courseId }).first() as { published: boolean }).published).toBe(true);

    // ---- The student finds it, enrolls and follows the lesson. -------------------------
    const { page: eve, problems: eveProblems } = await openPage();
    await logIn(eve, 'eve');
    await eve.goto('/courses');
    const card = eve.getByRole('link', { name: TITLE });
    expect(await card.count()).toBeGreaterThan(0);
    await visit(eve, 'co-07-catalog');
    await card.first().click();
    await eve.waitForURL(`**/courses/${course.slug}`);
    await eve.getByRole('button', { name: 'Enroll for free' }).click();
    await expect.poll(() => eve.getByText('You are enrolled in this course.').isVisible()).toBe(true);
    await visit(eve, 'co-08-course');

    await eve.getByRole('link', { name: 'Start learning' }).click();
    await eve.waitForURL(`**/courses/${course.slug}/lessons/${lessonId}`);
    const video = eve.locator('#lesson-video');
    await expect.poll(() => video.getAttribute('src')).toContain('/files/');
    expect(await video.getAttribute('src')).toContain('sig=');
    await expect.poll(() => eve.evaluate(() => document.querySelector('video')!.readyState), { timeout: 10_000, message: 'the video metadata loaded' }).toBeGreaterThanOrEqual(1);
    expect(await eve.evaluate(() => document.querySelector('video')!.duration)).toBeGreaterThan(0);

    // The course's PDF, from the course page.
    await eve.goto(`/courses/${course.slug}`);
    const pdfLink = eve.getByRole('link', { name: RESOURCE });
    const href = await pdfLink.getAttribute('href');
    expect(href).toMatch(/^\/courses\/resources\/[^/]+\/download$/);
    const [download] = await Promise.all([eve.waitForEvent('download'), pdfLink.click()]);
    expect(download.suggestedFilename()).toMatch(/\.pdf$/i);
    const pdf = await eve.request.get(href!);
    expect(pdf.status()).toBe(200);
    expect((await pdf.body()).subarray(0, 4).toString('latin1')).toBe('%PDF');

    // A review, shown on the course page.
    await eve.locator('#review-form input[name="rating"][value="5"]').check();
    await eve.getByLabel('Your testimonial').fill(REVIEW);
    await eve.getByRole('button', { name: 'Publish my review' }).click();
    await expect.poll(() => eve.locator('#reviews').textContent()).toContain(REVIEW);
    expect(await eve.locator('#reviews').textContent()).toContain('Eve Test');
    await visit(eve, 'co-09-course-reviewed');

    // A question in the lesson's Q&A, and a follow-up of her own.
    await eve.goto(`/courses/${course.slug}/lessons/${lessonId}`);
    await eve.getByLabel('Your question').fill(QUESTION);
    await eve.getByRole('button', { name: 'Ask', exact: true }).click();
    const question = eve.locator('#qa .timeline > li', { hasText: QUESTION });
    await expect.poll(() => question.count()).toBe(1);
    await question.locator('summary', { hasText: 'Reply' }).click();
    await question.getByLabel('Your reply').fill(FOLLOW_UP);
    await question.getByRole('button', { name: 'Send the reply' }).click();
    await expect.poll(() => eve.locator('#qa').textContent()).toContain(FOLLOW_UP);
    await visit(eve, 'co-10-lesson');

    // ---- The admin answers and pins the answer. -------------------------------------
    await admin.goto(`/courses/${course.slug}/lessons/${lessonId}`);
    const thread = admin.locator('#qa .timeline > li', { hasText: QUESTION });
    await thread.locator('summary', { hasText: 'Reply' }).click();
    await thread.getByLabel('Your reply').fill(ANSWER);
    await thread.getByRole('button', { name: 'Send the reply' }).click();
    const answer = admin.locator('#qa li', { hasText: ANSWER }).last();
    await expect.poll(() => answer.count()).toBe(1);
    await answer.getByRole('button', { name: 'Pin as the official answer' }).click();
    await expect.poll(() => admin.locator('#qa li', { hasText: ANSWER }).last().getByText('Official answer').count()).toBe(1);
    await visit(admin, 'co-11-admin-pinned');

    // ---- The student sees the official answer first. --------------------------------
    await eve.reload();
    const replies = eve.locator('#qa .timeline .timeline > li');
    await expect.poll(() => replies.count()).toBe(2);
    const first = replies.first();
    expect(await first.textContent()).toContain(ANSWER);
    expect(await first.textContent()).toContain('Official answer');
    expect(await first.textContent()).toContain('Admin');
    expect(await replies.nth(1).textContent()).toContain(FOLLOW_UP);
    await visit(eve, 'co-12-lesson-answered');

    expectNoProblems(adminProblems);
    expectNoProblems(eveProblems);
  });
});
