// The public mentor page and the one price story: the same amount for the same
// duration on the card, the skill page, the profile, the booking modal and the summary.
import { describe, expect, it } from 'vitest';
import { priceFor } from '../bookings/service.ts';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';

// Sunday: Monday 09:00 Paris (08:00 UTC) is the mentor's first free slot.
const clock = new FixedClock(new Date('2026-11-22T10:00:00Z'));
const t = await createTestApp({ overrides: { clock } });
const MONDAY_9 = '2026-11-23T08:00:00.000Z';
const euros = (cents: number) => new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR', minimumFractionDigits: cents % 100 === 0 ? 0 : 2 }).format(cents / 100);

async function groupSession(mentorId: string) {
  const [row] = await t.deps.knex('skills').insert({
    mentorId, title: 'Group: Rust workshop', description: 'Together.', category: 'programming', priceCents: 2000, durations: [60],
    mode: 'group', status: 'published', startsAt: new Date('2026-11-26T17:00:00Z'), capacity: 5, seatsTaken: 2,
  }).returning('id');
  return (row as { id: string }).id;
}

describe('the public mentor page', () => {
  it('shows published skills as cards with their price, the group session with date and seats, next slots into the flow, rating and reviews', async () => {
    const { mentorId, skillId } = await mentorWithSkill(t, 'mentor:awa', { skill: { title: 'Rust lifetimes', priceCents: 2550, durations: [30, 60, 90] } });
    await t.deps.knex('users').where({ id: mentorId }).update({ ratingAverage: 4.5, ratingCount: 2, hourlyRateCents: 4500 });
    const groupId = await groupSession(mentorId);
    await t.deps.knex('skills').insert({ mentorId, title: 'Draft never shown', description: '', category: 'programming', priceCents: 1000, durations: [30], mode: 'one_on_one', status: 'draft' });

    const res = await t.agent().get('/mentors/awa');
    expect(res.status).toBe(200);
    const cards = res.text.slice(res.text.indexOf('id="mentor-skill-cards"'));
    expect(cards).toContain('Rust lifetimes');
    expect(cards).toContain(`from ${euros(priceFor({ priceCents: 2550, durations: [30, 60, 90] }, 30))}`);
    expect(cards).toContain('Group: Rust workshop');
    expect(cards).toContain('€20 · 60 min');
    expect(cards).toContain('3 seats left');
    expect(cards).toContain('26 Nov 2026');
    expect(res.text).not.toContain('Draft never shown');
    // A Book button on each skill, into the booking flow (the modal, or its page without JS).
    expect(cards).toContain(`href="/skills/${skillId}/book"`);
    expect(cards).toContain(`href="/skills/${groupId}/book"`);
    // The self-declared hourly rate is not a price: the cheapest session on sale is.
    expect(res.text).not.toContain('€45');
    expect(res.text).toContain('from €25.50');
    // Next free slots in the default zone, each a way into the flow (sign in first).
    const slots = res.text.slice(res.text.indexOf('id="mentor-slots"'), res.text.indexOf('id="mentor-skills-title"'));
    expect(slots).toContain('Monday 23 November · <strong>09:00</strong></span>');
    // A logged-out visitor's chip carries its slot through login (not only the skill).
    expect(slots).toContain(`/login?next=${encodeURIComponent(`/skills/${skillId}/book/details?start=`)}`);
    expect(slots).toContain('30 min · €25.50');
    // Rating, and the reviews list that loads itself (a link without JavaScript).
    expect(res.text).toContain('(2 reviews)');
    expect(res.text).toContain('hx-get="/mentors/awa/reviews"');
  });

  it('lets a signed-in student book a next slot from the profile: the chip holds it and opens step 2', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:chips', { skill: { durations: [60] } });
    const student = await t.signIn('student:chipper');
    const page = await student.get('/mentors/chips');
    expect(page.text).toContain(`action="/skills/${skillId}/holds"`);
    expect(page.text).toContain(`name="start" value="${MONDAY_9}"`);
    const token = /id="csrf-token" data-token="([^"]+)"/.exec(page.text)![1]!;
    const held = await student.post(`/skills/${skillId}/holds`).type('form').send({ _csrf: token, start: MONDAY_9, duration: '60' });
    expect(held.status).toBe(303);
    expect(held.headers.location).toContain(`/skills/${skillId}/book/details?start=`);
    expect(await t.deps.knex('slotHolds').where({ skillId })).toHaveLength(1);
  });

  it('gives its owner no Book button and is a 404 for a student, an unknown name and a deactivated mentor', async () => {
    await mentorWithSkill(t, 'mentor:owner');
    const own = await (await t.signIn('mentor:owner')).get('/mentors/owner');
    expect(own.status).toBe(200);
    expect(own.text).not.toContain('skill-card__book');
    await t.user('student:notamentor');
    await mentorWithSkill(t, 'mentor:gone');
    await t.deps.knex('users').where({ username: 'gone' }).update({ disabledAt: new Date() });
    expect((await t.agent().get('/mentors/notamentor')).status).toBe(404);
    expect((await t.agent().get('/mentors/nobody')).status).toBe(404);
    expect((await t.agent().get('/mentors/gone')).status).toBe(404);
  });
});

describe('one price story', () => {
  it('shows the price priceFor gives on the card, the skill page, the profile, the modal and the summary', async () => {
    const skill = { priceCents: 2550, durations: [30, 60, 90] };
    const { skillId } = await mentorWithSkill(t, 'mentor:pricy', { skill: { title: 'Pricing story', ...skill } });
    const from = `from ${euros(priceFor(skill, 30))}`;
    const hour = euros(priceFor(skill, 60));
    expect(hour).toBe('€51');

    const card = await t.agent().get('/skills?q=Pricing+story');
    expect(card.text).toContain(from);
    expect(card.text).not.toContain('per session');
    const profile = await t.agent().get('/mentors/pricy');
    expect(profile.text).toContain(from);
    const page = await t.agent().get(`/skills/${skillId}`);
    expect(page.text).toContain(from);
    for (const d of skill.durations) expect(page.text).toContain(`${d} min · ${euros(priceFor(skill, d))}`);
    const modal = await t.agent().get(`/skills/${skillId}/book?duration=60`);
    expect(modal.text).toContain(`60 min · ${hour}`);
    expect(modal.text).toContain(`90 min · ${euros(priceFor(skill, 90))}`);

    const student = await t.signIn('student:payer');
    const token = await t.csrf(student, '/');
    const summary = await student.post(`/skills/${skillId}/book/summary`).type('form').send({ _csrf: token, start: MONDAY_9, duration: '60', subject: 'Prices' });
    expect(summary.status).toBe(200);
    expect(summary.text).toMatch(new RegExp(`<dt>Price</dt><dd>${hour}</dd>`));
  });

  it('says "price · duration" when a skill has one duration', async () => {
    await mentorWithSkill(t, 'mentor:single', { skill: { title: 'One length only', priceCents: 4000, durations: [60] } });
    const res = await t.agent().get('/mentors/single');
    expect(res.text).toContain('€40 · 60 min');
    expect(res.text).not.toContain('from €40');
  });
});
