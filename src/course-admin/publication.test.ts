// Publishing a course: the checklist, the confirmation step, and the server's refusal
// of an incomplete course (422 with what is missing), through HTTP.
import type supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';

const t = await createTestApp();
type Agent = supertest.Agent;

async function post(agent: Agent, url: string, fields: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const token = await t.csrf(agent, '/admin/courses');
  return agent.post(url).set(headers).type('form').send({ _csrf: token, ...fields });
}

const published = async (id: string) => (await t.deps.knex('courses').where({ id }).first()).published as boolean;
const item = (html: string, key: string) => new RegExp(`<li class="stack" id="checklist-${key}">([\\s\\S]*?)</li>`).exec(html)?.[1] ?? '';
const ticked = (html: string, key: string) => item(html, key).includes('badge--success');

/** A draft made through the admin form: no description, no module yet. */
async function draft(admin: Agent, slug: string, fields: Record<string, string> = {}) {
  const res = await post(admin, '/admin/courses', { title: `Course ${slug}`, slug, level: 'beginner', price: '0', ...fields });
  expect(res.status, res.text.slice(0, 300)).toBe(303);
  return String(res.headers.location).split('/')[3]!;
}

async function addModuleWithLesson(admin: Agent, id: string, lesson: string) {
  const mod = await post(admin, `/admin/courses/${id}/modules`, { title: 'Module' });
  const moduleId = String(mod.headers.location).split('#module-')[1]!;
  const res = await post(admin, `/admin/courses/${id}/modules/${moduleId}/lessons`, { title: lesson });
  return String(res.headers.location).split('#lesson-')[1]!;
}

describe('publishing a course', () => {
  it('refuses an incomplete course with the missing items listed, whatever the confirmation', async () => {
    const admin = await t.signInAdmin();
    const id = await draft(admin, 'pub-empty');

    const page = await admin.get(`/admin/courses/${id}/publication`);
    expect(page.status).toBe(200);
    for (const key of ['details', 'modules', 'lessons', 'media']) expect(ticked(page.text, key), key).toBe(false);
    expect(ticked(page.text, 'price')).toBe(true);
    expect(item(page.text, 'price')).toContain('A price: free');
    expect(page.text).not.toContain('name="confirm"');

    for (const fields of [{}, { confirm: 'yes' }] as Record<string, string>[]) {
      const res = await post(admin, `/admin/courses/${id}/publication`, fields);
      expect(res.status).toBe(422);
      expect(res.text).toContain('This course cannot be published yet');
      expect(res.text).toContain('id="checklist-details-error">Write a short or a full description');
      expect(res.text).toContain('id="checklist-modules-error">Add a module');
      expect(res.text).toContain('id="checklist-lessons-error">Add a lesson');
      expect(res.text).not.toContain('id="checklist-price-error"');
    }
    const json = await post(admin, `/admin/courses/${id}/publication`, { confirm: 'yes' }, { Accept: 'application/json' });
    expect(json.status).toBe(422);
    expect(Object.keys(json.body.error.fields).sort()).toEqual(['details', 'lessons', 'media', 'modules']);
    expect(await published(id)).toBe(false);
  });

  it('names the lessons that have neither a video nor the text-only mark', async () => {
    const admin = await t.signInAdmin();
    const id = await draft(admin, 'pub-bare', { shortDescription: 'A course about windows.' });
    const lessonId = await addModuleWithLesson(admin, id, 'Bare lesson');
    const res = await post(admin, `/admin/courses/${id}/publication`, { confirm: 'yes' });
    expect(res.status).toBe(422);
    for (const key of ['details', 'modules', 'lessons', 'price']) expect(ticked(res.text, key), key).toBe(true);
    expect(ticked(res.text, 'media')).toBe(false);
    expect(res.text).toContain('id="checklist-media-error">Upload a video for these lessons, or mark them text-only:');
    expect(item(res.text, 'media')).toContain(`href="/admin/courses/${id}/lessons/${lessonId}/edit">Bare lesson</a>`);

    const fr = await post(admin, `/admin/courses/${id}/publication`, { confirm: 'yes' }, { 'Accept-Language': 'fr' });
    expect(fr.text).toContain('Envoyez une vidéo pour ces leçons, ou marquez-les texte seul');
    expect(await published(id)).toBe(false);
  });

  it('asks for confirmation when complete, and publishes only with it', async () => {
    const admin = await t.signInAdmin();
    const id = await draft(admin, 'pub-ready', { descriptionHtml: '<p>Everything about <strong>windows</strong>.</p>', price: '19,90' });
    const lessonId = await addModuleWithLesson(admin, id, 'Reading');
    expect((await post(admin, `/admin/courses/${id}/lessons/${lessonId}`, { title: 'Reading', textOnly: 'on' })).status).toBe(303);

    // The "Publish" buttons of the list and the editor send no confirmation: they get the question.
    const asked = await post(admin, `/admin/courses/${id}/publication`, { returnTo: '/admin/courses' });
    expect(asked.status).toBe(200);
    for (const key of ['details', 'modules', 'lessons', 'media', 'price']) expect(ticked(asked.text, key), key).toBe(true);
    expect(item(asked.text, 'price')).toMatch(/A price: [^<]*19\.90/);
    expect(asked.text).toContain('name="confirm" value="yes"');
    expect(asked.text).toContain('name="returnTo" value="/admin/courses"');
    expect(asked.text).toContain('Yes, publish the course');
    expect(await published(id)).toBe(false);
    expect((await post(admin, `/admin/courses/${id}/publication`, { confirm: 'no' })).status).toBe(200);
    expect(await published(id)).toBe(false);

    const done = await post(admin, `/admin/courses/${id}/publication`, { confirm: 'yes', returnTo: '/admin/courses' });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/admin/courses');
    expect(await published(id)).toBe(true);
    expect((await admin.get('/admin/courses')).text).toContain('The course is published');
  });

  it('sees a lesson emptied since the page was shown: the server checks again', async () => {
    const admin = await t.signInAdmin();
    const id = await draft(admin, 'pub-race', { shortDescription: 'Short.' });
    const lessonId = await addModuleWithLesson(admin, id, 'Was a reading');
    await post(admin, `/admin/courses/${id}/lessons/${lessonId}`, { title: 'Was a reading', textOnly: 'on' });
    expect((await post(admin, `/admin/courses/${id}/publication`)).status).toBe(200);
    await post(admin, `/admin/courses/${id}/lessons/${lessonId}`, { title: 'Was a reading' }); // unticked meanwhile
    const res = await post(admin, `/admin/courses/${id}/publication`, { confirm: 'yes' });
    expect(res.status).toBe(422);
    expect(item(res.text, 'media')).toContain('Was a reading');
    expect(await published(id)).toBe(false);
  });
});
