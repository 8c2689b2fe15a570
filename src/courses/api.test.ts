import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';

const t = await createTestApp();
const api = (path: string) => t.agent().get(`/api/v1${path}`).set('Accept', 'application/json');
const slugs = (res: { body: { items: { slug: string }[] } }) => res.body.items.map((c) => c.slug);
/** The courses the catalogue page lists, in its order (the card links). */
const pageSlugs = (html: string) => [...html.matchAll(/class="skill-card__title"><a href="\/courses\/([a-z0-9-]+)"/g)].map((m) => m[1]!);

async function course(slug: string, extra: Record<string, unknown> = {}) {
  const knex = t.deps.knex;
  const [c] = await knex('courses').insert({
    slug, title: `Course ${slug}`, published: true, priceCents: 0, shortDescription: 'A short pitch.', descriptionHtml: '<p>Body</p>', level: 'beginner',
    introVideoKey: 'courses/secret-intro.mp4', thumbnailKey: 'courses/thumb.png', ...extra,
  }).returning('*');
  return c as { id: string; slug: string };
}

describe('the courses in the API', () => {
  it('searches published courses in French and English as the catalogue page does, drafts never', async () => {
    await course('apicrs-jardinage', { title: 'Jardinage pour débutants', shortDescription: 'Semer, planter, récolter.' });
    await course('apicrs-baking', { title: 'Baking bread at home', shortDescription: 'Sourdough and yeasted loaves.', priceCents: 4900, level: 'advanced' });
    await course('apicrs-draft', { title: 'Jardinage secret', published: false });
    for (const q of ['jardins', 'débutant', 'bread', 'loaves']) {
      const res = await api(`/courses?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      expect(slugs(res), q).toEqual(pageSlugs((await t.agent().get(`/courses?q=${encodeURIComponent(q)}`)).text));
      expect(slugs(res).length, q).toBeGreaterThan(0);
      expect(slugs(res)).not.toContain('apicrs-draft');
    }
    expect(slugs(await api('/courses?level=advanced'))).toEqual(['apicrs-baking']);
    expect(slugs(await api('/courses?minPrice=1000'))).toEqual(['apicrs-baking']);
    expect(slugs(await api('/courses?free=true'))).not.toContain('apicrs-baking');
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await api(`/courses?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      all.push(...slugs(res));
      cursor = res.body.nextCursor;
      if (all.length === 1) await course('apicrs-added-meanwhile');
    } while (cursor);
    expect(all).toEqual(['apicrs-baking', 'apicrs-jardinage']);
    for (const bad of ['limit=x', 'level=guru', 'minPrice=1.5', 'q=%01', 'free=yes', 'cursor=Zm9v']) expect((await api(`/courses?${bad}`)).status, bad).toBe(422);
  });

  it('shows a course by id or slug with its curriculum outline, no video or file key, and 404 for a draft', async () => {
    const c = await course('apicrs-outline', { title: 'Outline course', objectives: ['Ship it'] });
    const [m] = await t.deps.knex('courseModules').insert({ courseId: c.id, title: 'Basics', position: 1 }).returning('*');
    await t.deps.knex('lessons').insert([
      { moduleId: m.id, title: 'Second', videoKey: 'lessons/secret-2.mp4', durationSeconds: 725, position: 2 },
      { moduleId: m.id, title: 'First', videoKey: 'lessons/secret-1.mp4', durationSeconds: 300, freePreview: true, position: 1 },
    ]);
    await t.deps.knex('courseResources').insert({ courseId: c.id, title: 'Guide', kind: 'pdf', fileKey: 'resources/secret.pdf', contentType: 'application/pdf', sizeBytes: 10 });
    for (const key of [c.id, c.slug]) {
      const res = await api(`/courses/${key}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: c.id, slug: c.slug, title: 'Outline course', summary: 'A short pitch.', price: { amount: 0, currency: 'EUR' }, objectives: ['Ship it'] });
      expect(res.body.curriculum).toEqual([{ title: 'Basics', lessons: [{ title: 'First', durationSeconds: 300, freePreview: true }, { title: 'Second', durationSeconds: 725, freePreview: false }] }]);
      expect(res.text).not.toMatch(/secret|videoKey|fileKey|thumbnailKey|\.mp4/);
    }
    const first = await api(`/courses/${c.slug}`);
    expect((await api(`/courses/${c.slug}`).set('If-None-Match', first.headers.etag!)).status).toBe(304);
    const draft = await course('apicrs-hidden', { published: false });
    expect((await api(`/courses/${draft.id}`)).status).toBe(404);
    expect((await api(`/courses/${draft.slug}`)).status).toBe(404);
    expect((await api(`/courses/${draft.id}/reviews`)).status).toBe(404);
    expect((await api('/courses/no_such!')).status).toBe(422);
  });

  it('pages a course\'s reviews by cursor, newest first, with the author\'s public name only', async () => {
    const c = await course('apicrs-reviewed');
    const written: string[] = [];
    for (let i = 0; i < 5; i++) {
      const u = await t.user(`student:apicrs_reviewer${i}`);
      await t.deps.knex('enrollments').insert({ userId: u.id, courseId: c.id, source: 'free' });
      const { review } = await t.deps.services.reviews.saveCourseReview(u.id, c.id, { rating: 1 + i, body: `Review number ${i}` });
      written.push(review.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await api(`/courses/${c.id}/reviews?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain('@example.test');
      seen.push(...res.body.items.map((r: { id: string }) => r.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...written].reverse());
    const one = await api(`/courses/${c.id}/reviews?limit=1`);
    expect(one.body.items[0]).toMatchObject({ rating: 5, body: 'Review number 4', author: { displayName: 'Apicrs_reviewer4 Test' } });
  });
});
