import { describe, expect, it, beforeAll } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';

const t = await createTestApp();

interface Seed { slug: string; title: string; short?: string; html?: string; level?: string; priceCents?: number; compatibility?: string[]; published?: boolean }

const seeds: Seed[] = [
  { slug: 'cs-windev-forms', title: 'Fenêtres WinDev avancées', short: 'Des écrans soignés pour vos applications.', level: 'advanced', priceCents: 4900, compatibility: ['WD25', 'WD26'] },
  { slug: 'cs-webdev-rest', title: 'WebDev REST services', short: 'Expose and consume APIs.', html: '<p>Securing <strong>tokens</strong> and webhooks.</p>', level: 'intermediate', priceCents: 2900, compatibility: ['WB26'] },
  { slug: 'cs-typescript', title: 'TypeScript at the boundaries', short: 'Validate once, trust everywhere.', level: 'advanced', priceCents: 0 },
  { slug: 'cs-french', title: 'Français : premiers pas', short: 'Se présenter et comprendre les nombres.', level: 'beginner', priceCents: 1900 },
  { slug: 'cs-hidden', title: 'Hidden WinDev draft', short: 'Not published.', level: 'advanced', priceCents: 0, compatibility: ['WD25'], published: false },
];

beforeAll(async () => {
  for (const s of seeds) {
    await t.deps.knex('courses').insert({
      slug: s.slug, title: s.title, shortDescription: s.short ?? '', descriptionHtml: s.html ?? '', level: s.level ?? 'beginner',
      priceCents: s.priceCents ?? 0, compatibility: s.compatibility ?? [], published: s.published ?? true,
    });
  }
});

/** The course titles a catalogue URL lists, sorted. */
async function titles(query: string): Promise<string[]> {
  const res = await t.agent().get(`/courses?${query}`);
  expect(res.status, query).toBe(200);
  return [...res.text.matchAll(/class="stretched">([^<]+)</g)].map((m) => m[1]!.replace(/&#39;|&apos;/g, '\'')).sort();
}

describe('catalogue search', () => {
  it('finds courses by words of the title, the pitch or the description, in French and English, without accents', async () => {
    expect(await titles('q=fenetres')).toEqual(['Fenêtres WinDev avancées']);
    expect(await titles('q=application')).toEqual(['Fenêtres WinDev avancées']); // French stem of "applications"
    expect(await titles('q=validating')).toEqual(['TypeScript at the boundaries']); // English stem of "Validate"
    expect(await titles('q=token')).toEqual(['WebDev REST services']); // in the HTML description, tags left out
    expect(await titles('q=typescrpt')).toEqual(['TypeScript at the boundaries']); // a close spelling of a title word
    expect(await titles('q=windev')).toEqual(['Fenêtres WinDev avancées']); // never a draft
  });

  it('filters by level, compatible version, price range and free only, and combines them', async () => {
    expect(await titles('level=advanced')).toEqual(['Fenêtres WinDev avancées', 'TypeScript at the boundaries']);
    expect(await titles('version=WD26')).toEqual(['Fenêtres WinDev avancées']);
    expect(await titles('maxPrice=29')).toEqual(['Français : premiers pas', 'TypeScript at the boundaries', 'WebDev REST services']);
    expect(await titles('minPrice=20&maxPrice=30')).toEqual(['WebDev REST services']);
    expect(await titles('maxPrice=19,50')).toEqual(['Français : premiers pas', 'TypeScript at the boundaries']);
    expect(await titles('maxPrice=18.99')).toEqual(['TypeScript at the boundaries']);
    expect(await titles('free=1')).toEqual(['TypeScript at the boundaries']);
    expect(await titles('level=advanced&free=1')).toEqual(['TypeScript at the boundaries']);
    expect(await titles('level=advanced&maxPrice=10&q=windev')).toEqual([]);
    expect(await titles('q=rest&level=intermediate&version=WB26&minPrice=10')).toEqual(['WebDev REST services']);
  });

  it('offers the versions of published courses, keeps the filters in the form and says when nothing matches', async () => {
    const res = await t.agent().get('/courses?q=windev&level=beginner&free=1');
    expect(res.text).toContain('<option value="WD25">WD25</option>');
    expect(res.text).toContain('<option value="WB26">WB26</option>');
    expect(res.text).toContain('value="windev"');
    expect(res.text).toContain('<option value="beginner" selected>');
    expect(res.text).toMatch(/name="free" value="1" checked/);
    expect(res.text).toContain('No course matches');
    expect(res.text).toContain('Clear the filters');
  });

  it('answers htmx with the results alone and pushes the URL of the filters kept', async () => {
    const res = await t.agent().get('/courses?q=rest&level=nope&maxPrice=').set('HX-Request', 'true').set('HX-Request-Type', 'partial');
    expect(res.status).toBe(200);
    expect(res.text.trim().startsWith('<section id="course-results"')).toBe(true);
    expect(res.text).not.toContain('<!doctype html>');
    expect(res.headers['hx-push-url']).toBe('/courses?q=rest');
  });

  it('keeps the filters in the page links', async () => {
    for (let i = 0; i < 13; i += 1) {
      await t.deps.knex('courses').insert({ slug: `cs-pager-${i}`, title: `Pager course ${i}`, level: 'expert', priceCents: 1000 + i, published: true });
    }
    const first = await t.agent().get('/courses?level=expert&maxPrice=100');
    expect(first.text).toContain('13 courses');
    expect(first.text).toContain('Page 1 of 2');
    expect(first.text).toContain('href="/courses?level=expert&amp;maxPrice=100&amp;page=2"');
    expect(await titles('level=expert&maxPrice=100&page=2')).toHaveLength(1);
  });
});

describe('bad catalogue input', () => {
  it('ignores what it cannot read, says so beside the filter name, and never fails', async () => {
    const cases: [string, string][] = [
      ['level=wizard', 'Level: Unknown level.'],
      ['maxPrice=abc', 'Max price: An amount such as 25 or 19.90 is expected.'],
      ['minPrice=1e3', 'Min price: An amount such as 25 or 19.90 is expected.'],
      ['maxPrice=99999999999', 'Max price: An amount such as 25 or 19.90 is expected.'],
      ['minPrice=50&maxPrice=10', 'Min price: It is above the max price.'],
      ['free=yes', 'Free courses only: Unknown value.'],
      ['version=%27%3B--', 'Compatible version: Unknown version.'],
      ['q=rest%01x', 'Search: The text holds characters that cannot be searched.'],
      [`q=${'a'.repeat(5000)}`, 'Search: Use at most 100 characters.'],
      ['level=advanced&level=beginner', 'Level: Given more than once.'],
      ['page=-3', 'Page:'],
      ['page=abc', 'Page:'],
    ];
    for (const [query, notice] of cases) {
      const res = await t.agent().get(`/courses?${query}`);
      expect(res.status, query).toBe(200);
      expect(res.text, query).toContain('Some filters could not be read and were left out');
      expect(res.text, query).toContain(notice);
    }
    // The other filters still apply, and the bad one is not echoed back.
    const mixed = await t.agent().get('/courses?level=advanced&maxPrice=abc&q=%07');
    expect(mixed.text).toContain('2 courses');
    expect(mixed.text).not.toContain('value="abc"');
    expect(mixed.text).not.toContain('\u0007');
    // A NUL byte is refused before any handler, with a clear 400 (src/lib/request-sanity.ts).
    const nul = await t.agent().get('/courses?q=rest%00x').set('Accept', 'application/json');
    expect(nul.status).toBe(400);
    expect(nul.body.error.code).toBe('bad_request');
    // Unknown parameters are not filters: nothing to say.
    const unknown = await t.agent().get('/courses?utm_source=mail&sort[x]=1');
    expect(unknown.status).toBe(200);
    expect(unknown.text).not.toContain('Some filters could not be read');
  });

  it('says it in French too', async () => {
    const res = await t.agent().get('/courses?level=wizard').set('Accept-Language', 'fr');
    expect(res.text).toContain('Certains filtres étaient illisibles');
    expect(res.text).toContain('Niveau : Niveau inconnu.');
  });
});
