import { describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { FixedClock } from './clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';
import { kept } from '../../test/helpers/page-cache.ts';

// Sunday 22 November 2026, 10:00 UTC: Monday 09:00 and 10:00 in Paris are free slots.
const clock = new FixedClock(new Date('2026-11-22T10:00:00Z'));
const MONDAY_9 = '2026-11-23T08:00:00.000Z';
const MONDAY_10 = '2026-11-23T09:00:00.000Z';
const cached = { env: { PAGE_CACHE_SECONDS: '60' }, overrides: { clock } };
// Two instances over one database, as behind a load balancer: each has its own memory.
const a = await createTestApp(cached);
const b = await createTestApp({ ...cached, databaseUrl: a.databaseUrl });
await Promise.all([a.deps.pageCacheReady, b.deps.pageCacheReady]);

const fragment = (agent: supertest.Agent, skillId: string) =>
  agent.get(`/skills/${skillId}/book?duration=60`).set('HX-Request', 'true').set('HX-Request-Type', 'partial');
/** An anonymous visitor's slot is a link to sign in with the start in it (encoded twice: a URL inside a URL). */
const offers = (html: string, start: string) => html.includes(encodeURIComponent(encodeURIComponent(start)));
/**
 * B hears of A's commit through its LISTEN connection: on a loaded machine the message can
 * reach B's event loop a moment after the visitor's next request. Ask until the page shows
 * the change; a second, not the 60 s TTL, bounds that moment.
 */
async function once(request: () => Promise<supertest.Response>, shows: (res: supertest.Response) => boolean): Promise<supertest.Response> {
  for (let i = 0; ; i++) {
    const res = await request();
    if (shows(res) || i === 20) return res;
    await new Promise((r) => setTimeout(r, 50));
  }
}
const cspNonce = (res: supertest.Response) => /'nonce-([^']+)'/.exec(String(res.headers['content-security-policy']))?.[1];

describe('the slot fragment, cached on one instance, booked through the other', () => {
  it('a hold made through A drops the fragment B kept: B shows the slot taken right after A answered', async () => {
    const { skillId } = await mentorWithSkill(a, 'mentor:pcholds');
    const visitor = b.agent();
    expect((await fragment(visitor, skillId)).headers['x-page-cache']).toBe('miss');
    const before = await kept(() => fragment(visitor, skillId));
    expect(before.headers['x-page-cache']).toBe('hit');
    expect(offers(before.text, MONDAY_9)).toBe(true);

    const student = await a.signIn('student:pcholder');
    const token = await a.csrf(student, '/');
    expect((await student.post(`/skills/${skillId}/holds`).type('form').send({ _csrf: token, start: MONDAY_9, duration: '60' })).status).toBe(303);

    const after = await once(() => fragment(visitor, skillId), (res) => !offers(res.text, MONDAY_9));
    expect(after.headers['x-page-cache']).toBe('miss');
    expect(offers(after.text, MONDAY_9)).toBe(false);
    expect(offers(after.text, MONDAY_10)).toBe(true);
  });

  it('a booking made through A drops it too, and so does giving the hold back', async () => {
    const { skillId } = await mentorWithSkill(a, 'mentor:pcbooks');
    const visitor = b.agent();
    expect((await kept(() => fragment(visitor, skillId))).headers['x-page-cache']).toBe('hit');

    const student = await a.signIn('student:pcbooker');
    const token = await a.csrf(student, '/');
    const booked = await student.post(`/skills/${skillId}/bookings`).type('form').send({ _csrf: token, start: MONDAY_10, duration: '60', subject: 'Cache me if you can' });
    expect(booked.status).toBe(303);
    expect(offers((await once(() => fragment(visitor, skillId), (res) => !offers(res.text, MONDAY_10))).text, MONDAY_10)).toBe(false);

    // A hold given back frees its slot on B at once as well.
    await student.post(`/skills/${skillId}/holds`).type('form').send({ _csrf: token, start: MONDAY_9, duration: '60' });
    expect(offers((await once(() => fragment(visitor, skillId), (res) => !offers(res.text, MONDAY_9))).text, MONDAY_9)).toBe(false);
    expect((await kept(() => fragment(visitor, skillId))).headers['x-page-cache']).toBe('hit');
    expect((await student.post(`/skills/${skillId}/holds/deletion`).type('form').send({ _csrf: token })).status).toBeLessThan(400);
    expect(offers((await once(() => fragment(visitor, skillId), (res) => offers(res.text, MONDAY_9))).text, MONDAY_9)).toBe(true);
  });
});

describe('the landing', () => {
  it('shows a skill published through A on B right away, not after the TTL', async () => {
    const { mentorId } = await mentorWithSkill(a, 'mentor:pcpublish');
    const [draft] = await a.deps.knex('skills').insert({
      mentorId, title: 'Freshly published harmonica', description: 'A focused live session.', category: 'music',
      priceCents: 0, durations: [60], mode: 'one_on_one', status: 'draft',
    }).returning('id');
    const visitor = b.agent();
    const before = await kept(() => visitor.get('/'));
    expect(before.headers['x-page-cache']).toBe('hit');
    expect(before.text).not.toContain('Freshly published harmonica');

    const mentor = await a.signIn('mentor:pcpublish');
    const token = await a.csrf(mentor, '/');
    expect((await mentor.post(`/skills/${(draft as { id: string }).id}/publication`).type('form').send({ _csrf: token })).status).toBe(303);
    const landing = (await once(() => visitor.get('/').expect(200), (res) => res.text.includes('Freshly published harmonica'))).text;
    expect(landing).toContain('Freshly published harmonica');
  });

  it('shows what no trigger announces once the TTL has passed', async () => {
    const short = await createTestApp({ env: { PAGE_CACHE_SECONDS: '1' }, overrides: { clock }, databaseUrl: a.databaseUrl });
    await short.deps.pageCacheReady;
    await mentorWithSkill(a, 'mentor:pcrename');
    const visitor = short.agent();
    expect((await kept(() => visitor.get('/mentors/pcrename'))).headers['x-page-cache']).toBe('hit');
    // A profile's name is not watched by a trigger: the TTL bounds how long it stays old.
    await a.deps.knex('users').where({ username: 'pcrename' }).update({ displayName: 'Renamed Mentor' });
    expect((await visitor.get('/mentors/pcrename')).text).not.toContain('Renamed Mentor');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await visitor.get('/mentors/pcrename')).text).toContain('Renamed Mentor');
  });
});

describe('what a cached page may carry', () => {
  it('a signed-in visitor never gets the anonymous page, and their page is never served to anyone', async () => {
    b.deps.pageCache.clear();
    const member = await b.signIn('student:pcmember');
    const own = await member.get('/courses');
    expect(own.headers['x-page-cache']).toBeUndefined();
    expect(own.text).toContain('action="/logout"');
    const visitor = b.agent();
    const anonymous = await visitor.get('/courses');
    expect(anonymous.headers['x-page-cache']).toBe('miss');
    expect(anonymous.text).not.toContain('action="/logout"');
    expect((await kept(() => visitor.get('/courses'))).headers['x-page-cache']).toBe('hit');
    const again = await member.get('/courses');
    expect(again.headers['x-page-cache']).toBeUndefined();
    expect(again.text).toContain('action="/logout"');
  });

  it('a hit has a nonce of its own, the one of its CSP header, and no cookie, no CSRF token', async () => {
    const visitor = b.agent();
    const first = await visitor.get('/skills');
    const hit = await kept(() => visitor.get('/skills'));
    expect(hit.headers['x-page-cache']).toBe('hit');
    const [n1, n2] = [cspNonce(first), cspNonce(hit)];
    expect(n2).toBeTruthy();
    expect(n2).not.toBe(n1);
    const inPage = [...hit.text.matchAll(/(?:nonce|name="csp-nonce" content)="([^"]*)"/g)].map((m) => m[1]);
    expect(inPage.length).toBeGreaterThan(0);
    expect(new Set(inPage)).toEqual(new Set([n2]));
    expect(hit.text).not.toContain(n1);
    for (const res of [first, hit]) {
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(res.text).toContain('id="csrf-token" data-token=""');
      expect(res.text).not.toContain('name="_csrf"');
    }
  });

  it('keeps one entry per language, zone and htmx request kind', async () => {
    b.deps.pageCache.clear();
    const asked = async (lang: string, tz?: string, partial = false) => {
      const req = b.agent().get('/?q=piano').set('Accept-Language', lang);
      if (tz) req.set('Cookie', `tz=${tz}`);
      if (partial) req.set('HX-Request', 'true').set('HX-Request-Type', 'partial');
      return req;
    };
    const variants = [['en'], ['fr'], ['en', 'America/New_York'], ['en', 'Asia/Tokyo'], ['en', undefined, true]] as const;
    for (const [lang, tz, partial] of variants) expect((await asked(lang, tz, partial)).headers['x-page-cache']).toBe('miss');
    for (const [lang, tz, partial] of variants) expect((await kept(() => asked(lang, tz, partial))).headers['x-page-cache']).toBe('hit');
    expect((await asked('fr')).text).toContain('<html lang="fr">');
    expect((await asked('en', undefined, true)).text).not.toContain('<html');
  });

  it('switches a visitor’s language without a token (a GET that only sets the cookie)', async () => {
    const visitor = b.agent();
    const switched = await visitor.get('/locale?locale=fr&next=/courses');
    expect(switched.status).toBe(303);
    expect(switched.headers.location).toBe('/courses');
    expect((await visitor.get('/courses')).text).toContain('<html lang="fr">');
  });
});
