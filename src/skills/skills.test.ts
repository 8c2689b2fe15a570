import { describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { withPayoutAccount } from '../../test/helpers/marketplace.ts';

const clock = new FixedClock(new Date('2026-11-22T10:00:00Z'));
const t = await createTestApp({ overrides: { clock } });

const oneOnOne = { title: 'Rust async clinic', description: 'Futures, pinning and Tokio explained.', category: 'programming', price: '45,50', mode: 'one_on_one', durations: ['30', '60'] };

async function createSkill(agent: Awaited<ReturnType<typeof t.signIn>>, body: Record<string, unknown>) {
  const token = await t.csrf(agent, '/skills/new');
  return agent.post('/skills').type('form').send({ _csrf: token, ...body });
}

/** Publishes as a mentor who can be paid (a paid skill needs a payout account: payouts.test.ts). */
async function publish(agent: Awaited<ReturnType<typeof t.signIn>>, id: string) {
  const skill = await t.deps.knex('skills').where({ id }).first('mentorId');
  if (skill) await withPayoutAccount(t, skill.mentorId);
  const token = await t.csrf(agent, '/my/skills');
  return agent.post(`/skills/${id}/publication`).type('form').send({ _csrf: token });
}

const idFrom = (location: string | undefined) => String(location).split('/').pop()!;

describe('skill CRUD', () => {
  it('lets a mentor create a draft, which only the owner can see until published', async () => {
    const mentor = await t.signIn('mentor:rustacean');
    const res = await createSkill(mentor, oneOnOne);
    expect(res.status).toBe(303);
    const id = idFrom(res.headers.location);
    const row = await t.deps.knex('skills').where({ id }).first();
    expect(row).toMatchObject({ status: 'draft', priceCents: 4550, durations: [30, 60], mode: 'one_on_one' });

    expect((await t.agent().get(`/skills/${id}`)).status).toBe(404);
    expect((await mentor.get(`/skills/${id}`)).status).toBe(200);
    expect((await publish(mentor, id)).status).toBe(303);
    const page = await t.agent().get(`/skills/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Rust async clinic');
  });

  it('validates with messages beside the fields and keeps the input', async () => {
    const mentor = await t.signIn('mentor:validator');
    const res = await createSkill(mentor, { title: 'ab', category: 'astrology', price: 'free', mode: 'group', durations: ['45'] });
    expect(res.status).toBe(422);
    for (const field of ['title', 'category', 'price', 'durations']) expect(res.text).toContain(`id="f-${field}-error"`);
    expect(res.text).toContain('value="ab"');
    const group = await createSkill(mentor, { ...oneOnOne, mode: 'group', durations: ['60', '90'] });
    expect(group.status).toBe(422);
    for (const field of ['startsAt', 'capacity', 'durations']) expect(group.text).toContain(`id="f-${field}-error"`);
    expect(await t.deps.knex('skills').whereIn('mentorId', t.deps.knex('users').select('id').where({ username: 'validator' }))).toHaveLength(0);
  });

  it('stores a typed price in cents and shows it in each language, and the edit form gives it back as typed', async () => {
    const mentor = await t.signIn('mentor:centsfr', { locale: 'fr' });
    const res = await createSkill(mentor, { ...oneOnOne, price: '25,50' });
    expect(res.status).toBe(303);
    const id = idFrom(res.headers.location);
    expect((await t.deps.knex('skills').where({ id }).first()).priceCents).toBe(2550);
    const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
    expect(nbsp((await mentor.get(`/skills/${id}`)).text)).toContain('25,50 €');
    expect((await mentor.get(`/skills/${id}/edit`)).text).toContain('value="25,50"');
    expect((await publish(mentor, id)).status).toBe(303);
    expect((await t.agent().get(`/skills/${id}`).set('Accept-Language', 'en')).text).toContain('€25.50');
  });

  it.each(['1e3', '12.345', '-5', 'abc', '10 000,01'])('refuses the price %j beside its field and writes nothing', async (price) => {
    const mentor = await t.signIn(`mentor:junk${price.replace(/\W/g, '')}`);
    const res = await createSkill(mentor, { ...oneOnOne, price });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/id="f-price-error"[^>]*>[^<]*Enter an amount such as 30 or 24.50/);
    expect(res.text).toContain(`value="${price}"`);
    expect(await t.deps.knex('skills').whereIn('mentorId', t.deps.knex('users').select('id').where({ username: `junk${price.replace(/\W/g, '')}` }))).toHaveLength(0);
  });

  it('stores a group session start in the mentor zone as UTC', async () => {
    const mentor = await t.signIn('mentor:groupie', { timezone: 'America/Toronto' });
    const res = await createSkill(mentor, { ...oneOnOne, mode: 'group', durations: ['90'], startsAt: '2026-12-10T18:30', capacity: '8' });
    expect(res.status).toBe(303);
    const row = await t.deps.knex('skills').where({ id: idFrom(res.headers.location) }).first();
    expect(row.startsAt.toISOString()).toBe('2026-12-10T23:30:00.000Z');
    expect(row.capacity).toBe(8);
  });

  it('forbids students, and hides other mentors\' skills behind a 404', async () => {
    const student = await t.signIn('student:curious');
    expect((await createSkill(student, oneOnOne)).status).toBe(403);
    const owner = await t.signIn('mentor:owner');
    const id = idFrom((await createSkill(owner, oneOnOne)).headers.location);
    const intruder = await t.signIn('mentor:intruder');
    expect((await intruder.get(`/skills/${id}/edit`)).status).toBe(404);
    const token = await t.csrf(intruder, '/my/skills');
    expect((await intruder.post(`/skills/${id}`).type('form').send({ _csrf: token, ...oneOnOne, title: 'Hijacked' })).status).toBe(404);
    expect((await intruder.post(`/skills/${id}/publication`).type('form').send({ _csrf: token })).status).toBe(404);
    expect((await t.deps.knex('skills').where({ id }).first()).title).toBe('Rust async clinic');
  });
});

describe('catalogue search', () => {
  it('finds published skills by text in French and English, with accents and typos, and filters', async () => {
    const mentor = await t.signIn('mentor:searcher');
    const make = async (body: Record<string, unknown>) => {
      const id = idFrom((await createSkill(mentor, { ...oneOnOne, ...body })).headers.location);
      await publish(mentor, id);
      return id;
    };
    await make({ title: 'Accorder sa guitare électrique', description: 'Réglages et accordage', category: 'music', price: '30', durations: ['30'] });
    await make({ title: 'Piano sight-reading', description: 'Reading scores fluently', category: 'music', price: '60', durations: ['60'] });
    const draft = idFrom((await createSkill(mentor, { ...oneOnOne, title: 'Guitare secrète' })).headers.location);

    const titles = async (query: string) => {
      const res = await t.agent().get(`/skills?${query}`);
      expect(res.status).toBe(200);
      return [...res.text.matchAll(/class="stretched">([^<]+)</g)].map((m) => m[1]);
    };
    expect(await titles('q=guitare')).toEqual(['Accorder sa guitare électrique']);
    expect(await titles('q=electrique')).toEqual(['Accorder sa guitare électrique']); // accent-insensitive
    expect(await titles('q=guitr')).toContain('Accorder sa guitare électrique'); // typo-tolerant
    expect(await titles('q=scores')).toEqual(['Piano sight-reading']);
    expect(await titles('category=music&maxPrice=40')).toEqual(['Accorder sa guitare électrique']);
    expect(await titles('category=music&duration=60')).toEqual(['Piano sight-reading']);
    expect(await titles('category=music&sort=price-desc')).toEqual(['Piano sight-reading', 'Accorder sa guitare électrique']);
    expect((await titles('q=secr%C3%A8te')).length).toBe(0);
    void draft;
  });

  it('renders only the results fragment for htmx and the whole page otherwise', async () => {
    const partial = await t.agent().get('/skills?q=piano').set('HX-Request', 'true').set('HX-Request-Type', 'partial');
    expect(partial.text.trim().startsWith('<section id="results"')).toBe(true);
    const full = await t.agent().get('/skills?q=piano');
    expect(full.text).toContain('<!doctype html>');
    expect(full.text).toContain('value="piano"');
  });

  it('answers a bad filter with a clear 422, not a 500', async () => {
    const res = await t.agent().get('/skills?duration=45').set('Accept', 'application/json');
    expect(res.status).toBe(422);
    expect(res.body.error.fields).toHaveProperty('duration');
  });

  it('never lists skills of a disabled mentor', async () => {
    const mentor = await t.signIn('mentor:ghost');
    const id = idFrom((await createSkill(mentor, { ...oneOnOne, title: 'Ghostly lessons' })).headers.location);
    await publish(mentor, id);
    expect((await t.agent().get('/skills?q=ghostly')).text).toContain('Ghostly lessons');
    await t.deps.knex('users').where({ username: 'ghost' }).update({ disabledAt: clock.now() });
    expect((await t.agent().get('/skills?q=ghostly')).text).not.toContain('Ghostly lessons');
    expect((await t.agent().get(`/skills/${id}`)).status).toBe(404);
  });
});

describe('available this week', () => {
  it('keeps skills whose mentor has a free slot in the next 7 days, and group sessions with a seat', async () => {
    const { mentorWithSkill } = await import('../../test/helpers/marketplace.ts');
    await mentorWithSkill(t, 'mentor:openweek', { skill: { title: 'Weekly open violin' } });
    await mentorWithSkill(t, 'mentor:closedweek', { rules: [], skill: { title: 'Closed violin' } });
    await mentorWithSkill(t, 'mentor:fullweek', { rules: [{ weekday: 1, start: '09:00', end: '10:00' }], skill: { title: 'Full violin', durations: [60] } });
    await mentorWithSkill(t, 'mentor:groupweek', { rules: [], skill: { title: 'Group violin', mode: 'group', durations: [60], startsAt: new Date('2026-11-25T17:00:00Z'), capacity: 3 } });
    await mentorWithSkill(t, 'mentor:grouplater', { rules: [], skill: { title: 'Later violin', mode: 'group', durations: [60], startsAt: new Date('2026-12-20T17:00:00Z'), capacity: 3 } });
    // The only hour of "fullweek" is taken.
    const full = await t.deps.knex('users').where({ username: 'fullweek' }).first();
    const student = await t.user('student:violinist');
    const skill = await t.deps.knex('skills').where({ mentorId: full.id }).first();
    await t.deps.knex('bookings').insert({ skillId: skill.id, mentorId: full.id, studentId: student.id, kind: 'one_on_one', startsAt: '2026-11-23T08:00Z', endsAt: '2026-11-23T09:00Z', durationMinutes: 60, status: 'confirmed', subject: 'x', priceCents: 100 });
    await t.deps.services.nextFree.refresh();

    const titles = async (query: string) =>
      [...(await t.agent().get(`/skills?${query}`)).text.matchAll(/class="stretched">([^<]+)</g)].map((m) => m[1]).sort();
    expect(await titles('q=violin')).toEqual(['Closed violin', 'Full violin', 'Group violin', 'Later violin', 'Weekly open violin']);
    expect(await titles('q=violin&available=week')).toEqual(['Group violin', 'Weekly open violin']);
  });
});

describe('skill picture', () => {
  // A whole 1×1 PNG: pictures are decoded and re-encoded now, so truncated pixel data is refused.
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

  it('accepts a real image for the owner only, serves it, and refuses other bytes', async () => {
    const owner = await t.signIn('mentor:painter');
    const id = idFrom((await createSkill(owner, { ...oneOnOne, title: 'Painted skill' })).headers.location);
    const token = await t.csrf(owner, `/skills/${id}/edit`);
    const ok = await owner.post(`/skills/${id}/image?_csrf=${encodeURIComponent(token)}`).field('_csrf', token).attach('image', png, 'x.png');
    expect(ok.status).toBe(303);
    const key = (await t.deps.knex('skills').where({ id }).first()).imageKey as string;
    expect(key).toMatch(/^skills\/[0-9a-f-]{36}-1x1\.webp$/);
    const served = await t.agent().get(`/media/${key}`);
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('image/webp');
    const fake = await owner.post(`/skills/${id}/image?_csrf=${encodeURIComponent(token)}`).field('_csrf', token).attach('image', Buffer.from('<svg onload=alert(1)>'), { filename: 'x.png', contentType: 'image/png' });
    expect(fake.status).toBe(422);
    expect(fake.text).toContain('id="f-image-error"');
    const other = await t.signIn('mentor:vandal');
    const otherToken = await t.csrf(other, '/my/skills');
    expect((await other.post(`/skills/${id}/image?_csrf=${encodeURIComponent(otherToken)}`).field('_csrf', otherToken).attach('image', png, 'x.png')).status).toBe(404);
    expect((await t.deps.knex('skills').where({ id }).first()).imageKey).toBe(key);
    // Replacing removes the old file.
    expect((await owner.post(`/skills/${id}/image?_csrf=${encodeURIComponent(token)}`).field('_csrf', token).attach('image', png, 'y.png')).status).toBe(303);
    expect((await t.agent().get(`/media/${key}`)).status).toBe(404);
  });
});
