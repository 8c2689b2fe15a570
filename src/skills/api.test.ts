import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { Skill } from './model.ts';

const t = await createTestApp();

async function skill(mentorId: string, extra: Partial<Skill>): Promise<Skill> {
  return Skill.query(t.deps.knex).insertAndFetch({
    mentorId, title: 'Untitled', description: '', category: 'programming', priceCents: 2000, durations: [30, 60], mode: 'one_on_one', status: 'published', ...extra,
  } as Partial<Skill>);
}

const api = (path: string) => t.agent().get(`/api/v1${path}`).set('Accept', 'application/json');
const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((s) => s.id);
/** The skills the catalogue page lists, in its order (the card links). */
const pageIds = (html: string) => [...new Set([...html.matchAll(/href="\/skills\/([0-9a-f-]{36})"/g)].map((m) => m[1]!))];

/** Every page of a list, following nextCursor; `between` runs after the first page. */
async function walk(path: string, between?: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 50; i++) {
    const res = await api(`${path}${path.includes('?') ? '&' : '?'}limit=3${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status, res.text).toBe(200);
    seen.push(...ids(res));
    cursor = res.body.nextCursor;
    if (i === 0) await between?.();
    if (!cursor) return seen;
  }
  throw new Error('the list never ended');
}

describe('GET /api/v1/skills', () => {
  it('finds in French and in English the skills the catalogue page finds, drafts never', async () => {
    const m = await t.user('mentor:apicat_linguist');
    const guitar = await skill(m.id, { title: 'Cours de guitare pour débutants', description: 'Accords, rythmes et chansons.', category: 'music' });
    const cooking = await skill(m.id, { title: 'Cooking with children', description: 'Simple recipes for the weekend.', category: 'other' });
    await skill(m.id, { title: 'Guitare en brouillon', description: 'Pas encore publié.', category: 'music', status: 'draft' });
    for (const q of ['guitares', 'débutant', 'cook', 'recipe', 'children']) {
      const res = await api(`/skills?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      const page = await t.agent().get(`/skills?q=${encodeURIComponent(q)}`);
      expect(ids(res), q).toEqual(pageIds(page.text));
      expect(ids(res).length, q).toBeGreaterThan(0);
    }
    expect(ids(await api('/skills?q=guitare'))).toEqual([guitar.id]);
    expect(ids(await api('/skills?q=cooking'))).toEqual([cooking.id]);
    expect(ids(await api(`/skills?mentorId=${m.id}`)).sort()).toEqual([guitar.id, cooking.id].sort());
  });

  it('filters by category, mode, price in minor units and duration', async () => {
    const m = await t.user('mentor:apicat_filters');
    const cheap = await skill(m.id, { title: 'Cheap maths', category: 'maths', priceCents: 1000, durations: [30] });
    const dear = await skill(m.id, { title: 'Dear maths', category: 'maths', priceCents: 9000, durations: [60, 90] });
    const design = await skill(m.id, { title: 'Design review', category: 'design', priceCents: 5000 });
    const base = `/skills?mentorId=${m.id}`;
    expect(ids(await api(`${base}&category=maths&sort=price-asc`))).toEqual([cheap.id, dear.id]);
    expect(ids(await api(`${base}&minPrice=2000&maxPrice=9000&sort=price-desc`))).toEqual([dear.id, design.id]);
    expect(ids(await api(`${base}&duration=90`))).toEqual([dear.id]);
    expect(ids(await api(`${base}&mode=group`))).toEqual([]);
  });

  it('walks the whole list by cursor, with no duplicate or gap while a skill is added between pages', async () => {
    const m = await t.user('mentor:apicat_walker');
    const made: Skill[] = [];
    for (let i = 0; i < 8; i++) made.push(await skill(m.id, { title: `Walk ${i}`, priceCents: 1000 + (i % 4) * 500 }));
    for (const sort of ['newest', 'price-asc', 'price-desc']) {
      let added: Skill | undefined;
      const seen = await walk(`/skills?mentorId=${m.id}&sort=${sort}`, async () => {
        added = await skill(m.id, { title: `Added during ${sort}`, priceCents: 1750 });
      });
      expect(new Set(seen).size, sort).toBe(seen.length);
      for (const s of made) expect(seen, sort).toContain(s.id);
      made.push(added!);
    }
    const relevant = await walk(`/skills?mentorId=${m.id}&q=walk`);
    expect(new Set(relevant).size).toBe(relevant.length);
    expect(relevant.length).toBe(8);
  });

  it('answers If-None-Match with 304, on the list and on a skill', async () => {
    const m = await t.user('mentor:apicat_cache');
    const s = await skill(m.id, { title: 'Cached skill' });
    for (const path of [`/skills?mentorId=${m.id}`, `/skills/${s.id}`]) {
      const first = await api(path);
      expect(first.status).toBe(200);
      expect(first.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
      const again = await api(path).set('If-None-Match', first.headers.etag!);
      expect(again.status, path).toBe(304);
    }
  });

  it('refuses bad query values with a 422 problem naming each field', async () => {
    const cases: [string, string][] = [
      ['limit=abc', 'limit'], ['limit=101', 'limit'], ['category=cooking', 'category'], ['minPrice=-1', 'minPrice'],
      ['q=a%01b', 'q'], [`q=${'x'.repeat(5000)}`, 'q'], ['sort=random', 'sort'], ['cursor=abc!', 'cursor'],
      ['cursor=bm90LWpzb24', 'cursor'], ['mentorId=1', 'mentorId'], ['duration=45', 'duration'], ['category=a&category=b', 'category'],
    ];
    for (const [query, field] of cases) {
      const res = await api(`/skills?${query}`);
      expect(res.status, query).toBe(422);
      expect(JSON.parse(res.text).errors.map((e: { name: string }) => e.name), query).toContain(field);
    }
    // A NUL byte is refused by the app's request sanity check before any operation: a 400 problem, not a 500.
    const nul = await api('/skills?q=a%00b');
    expect(nul.status).toBe(400);
    expect(nul.headers['content-type']).toMatch(/^application\/problem\+json/);
    // A cursor of another sort order is not read as this one's.
    const m = await t.user('mentor:apicat_cursor');
    for (let i = 0; i < 2; i++) await skill(m.id, { title: `Cursor ${i}` });
    const first = await api(`/skills?mentorId=${m.id}&limit=1`);
    expect((await api(`/skills?mentorId=${m.id}&limit=1&sort=price-asc&cursor=${first.body.nextCursor}`)).status).toBe(422);
  });

  it('hides a drafted or withdrawn skill, and a disabled mentor\'s, from the list and by id', async () => {
    const m = await t.user('mentor:apicat_hidden');
    const draft = await skill(m.id, { title: 'Drafted', status: 'draft' });
    const withdrawn = await skill(m.id, { title: 'Withdrawn', status: 'cancelled' });
    const gone = await t.user('mentor:apicat_disabled');
    const ofDisabled = await skill(gone.id, { title: 'Of a disabled mentor' });
    await t.deps.knex('users').where({ id: gone.id }).update({ disabledAt: new Date() });
    for (const s of [draft, withdrawn, ofDisabled]) expect((await api(`/skills/${s.id}`)).status).toBe(404);
    const all = await walk('/skills');
    for (const s of [draft, withdrawn, ofDisabled]) expect(all).not.toContain(s.id);
  });
});
