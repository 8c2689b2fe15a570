import { describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { asset } from '../../test/helpers/assets.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';

const clock = new FixedClock(new Date('2026-11-22T10:00:00Z'));
const t = await createTestApp({ overrides: { clock } });

async function seed() {
  const { skillId, mentorId } = await mentorWithSkill(t, 'mentor:dash', { skill: { title: 'Dashboard clinic' } });
  const other = await mentorWithSkill(t, 'mentor:otherdash', { skill: { title: 'Someone else clinic' } });
  const amina = await t.user('student:amina', { displayName: 'Amina Diallo' });
  const zoe = await t.user('student:zoe', { displayName: 'Zoé Martin' });
  const row = (studentId: string, day: number, status: string, m = { skillId, mentorId }) => ({
    ...m, studentId, kind: 'one_on_one', startsAt: new Date(Date.UTC(2026, 10, day, 9)), endsAt: new Date(Date.UTC(2026, 10, day, 10)),
    durationMinutes: 60, status, subject: 'x', priceCents: 4000, expiresAt: status === 'pending' ? new Date(Date.UTC(2026, 10, day, 9)) : null,
  });
  await t.deps.knex('bookings').insert([
    row(amina.id, 24, 'pending'), row(zoe.id, 25, 'confirmed'), row(amina.id, 20, 'completed'), row(zoe.id, 26, 'pending'),
    row(amina.id, 27, 'pending', { skillId: other.skillId, mentorId: other.mentorId }),
  ]);
}
await seed();

const names = (html: string) => [...html.matchAll(/<tbody>[\s\S]*<\/tbody>/g)][0]![0].match(/<td[^>]*>\s*(Amina Diallo|Zoé Martin|Dashboard clinic|Someone else clinic)/g)?.map((m) => m.replace(/<td[^>]*>\s*/, '')) ?? [];

describe('dashboard pages', () => {
  it('sends anonymous visitors to log in', async () => {
    expect((await t.agent().get('/dashboard')).headers.location).toBe('/login?next=%2Fdashboard');
  });

  it('shows a mentor the counts, the next session and only their bookings, as a table without JavaScript', async () => {
    const res = await (await t.signIn('mentor:dash')).get('/dashboard');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/stat__value">2<\/span><span class="stat__label">Requests waiting for you/);
    expect(res.text).toContain('Zoé Martin'); // next confirmed session
    expect(res.text).not.toContain('Someone else clinic');
    expect(names(res.text).filter((n) => n !== 'Dashboard clinic')).toEqual(['Zoé Martin', 'Zoé Martin', 'Amina Diallo', 'Amina Diallo']);
    // Approve is a plain form on pending rows (in the table and in the phone's cards).
    const table = /<table[\s\S]*<\/table>/.exec(res.text)![0];
    expect(table.match(/\/confirmation"/g)).toHaveLength(2);
    expect(res.text).toContain(`href="${asset(t, '/vendor/ag-grid/ag-grid-community.min.noStyle.js')}"`);
  });

  it('filters by status, searches and sorts through the plain form and links', async () => {
    const mentor = await t.signIn('mentor:dash');
    const pending = await mentor.get('/dashboard?status=pending&status=confirmed&quickFilter=zoe');
    expect(names(pending.text).filter((n) => n !== 'Dashboard clinic')).toEqual(['Zoé Martin', 'Zoé Martin']);
    const sorted = await mentor.get('/dashboard?sort=startsAt&dir=asc');
    expect(names(sorted.text).filter((n) => n !== 'Dashboard clinic')).toEqual(['Amina Diallo', 'Amina Diallo', 'Zoé Martin', 'Zoé Martin']);
    expect(sorted.text).toContain('aria-sort="ascending"');
    // A column outside the whitelist is ignored by the table, never put in SQL.
    expect((await mentor.get('/dashboard?sort=password')).status).toBe(200);
    const badDate = await mentor.get('/dashboard?from=not-a-date');
    expect(badDate.status).toBe(200);
    expect(badDate.text).toContain('role="alert"');
  });

  it('shows a student their own bookings and the admin everyone\'s', async () => {
    const student = await (await t.signIn('student:amina')).get('/dashboard');
    expect(student.text).toContain('My bookings');
    expect(student.text).not.toContain('Zoé Martin');
    const admin = t.agent();
    const token = await t.csrf(admin);
    await admin.post('/login').type('form').send({ _csrf: token, identifier: 'admin@leboncours.test', password: 'admin-password-123' });
    const all = await admin.get('/dashboard');
    expect(all.text).toContain('All bookings');
    expect(all.text).toContain('Someone else clinic');
    expect(all.text).toContain('Dashboard clinic');
  });
});

describe('dashboard on a phone', () => {
  it('names every cell of the plain table (each row reads as a card below 700 px) and gives the card view its labels', async () => {
    const res = await (await t.signIn('mentor:dash')).get('/dashboard');
    const body = [...res.text.matchAll(/<tbody>[\s\S]*<\/tbody>/g)][0]![0];
    const cells = [...body.matchAll(/<td data-col="(\w+)" data-label="([^"]+)">/g)].map((m) => `${m[1]}=${m[2]}`);
    expect(new Set(cells)).toEqual(new Set(['studentName=Student', 'skillTitle=Skill', 'startsAt=Date', 'durationMinutes=Duration', 'price=Price', 'status=Status', 'actions=Actions']));
    expect(res.text).toContain('class="table table--stack"');
    const config = JSON.parse(/id="bookings-grid" class="bookings-grid" data-config="([^"]+)"/.exec(res.text)![1]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&#39;/g, "'")) as { labels: { cards: Record<string, string> } };
    expect(config.labels.cards).toEqual({ loadMore: 'Show more bookings', shown: 'Bookings shown: {shown} of {total}', select: 'Select: {name}, {date}' });
    // The board, its dialog and the cards run on every screen; Ag Grid and the grid view
    // are only preloaded for a wide one, at low priority (the board runs them there), never fetched on a phone.
    for (const src of ['/js/booking-cards.js', '/js/booking-decisions.js', '/js/bookings-board.js']) expect(res.text).toContain(`<script src="${asset(t, src)}" defer></script>`);
    expect(res.text).not.toMatch(/<script[^>]+(ag-grid|bookings-grid)/);
    for (const src of ['/vendor/ag-grid/ag-grid-community.min.noStyle.js', '/js/bookings-grid.js']) expect(res.text).toContain(`<link rel="preload" href="${asset(t, src)}" as="script" media="(min-width: 700px)" fetchpriority="low">`);
  });
});

describe('dashboard cards painted by the server', () => {
  const DAY = 86_400_000;
  const cardIds = (html: string) => [...html.matchAll(/<li class="card booking-card" data-id="([^"]+)">/g)].map((m) => m[1]);
  const section = (html: string) => /<section id="booking-cards"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
  const firstBlock = (html: string) => {
    const json = /<script type="application\/json" id="booking-cards-rows">([\s\S]*?)<\/script>/.exec(html)?.[1];
    return json === undefined ? undefined : (JSON.parse(json) as { rows: { id: string; subject: string }[]; lastRow: number });
  };

  it('are the first block of /api/bookings, with no-script actions, the rows for the script, and pages', async () => {
    const { skillId, mentorId } = await mentorWithSkill(t, 'mentor:cardsrv', { skill: { title: 'Server cards clinic' } });
    const noor = await t.user('student:noorsrv', { displayName: 'Noor Haddad' });
    // 22 bookings, one a day: more than the cards' block of 20. Two requests; one subject tries to end the data block.
    await t.deps.knex('bookings').insert(Array.from({ length: 22 }, (_, i) => {
      const startsAt = new Date(Date.UTC(2026, 11, 1, 9) + i * DAY);
      const status = i >= 20 ? 'pending' : 'confirmed';
      return {
        skillId, mentorId, studentId: noor.id, kind: 'one_on_one', startsAt, endsAt: new Date(startsAt.getTime() + 3_600_000), durationMinutes: 60,
        status, subject: i === 21 ? '</script><b>x</b>' : `Topic ${i}`, priceCents: 4000, expiresAt: status === 'pending' ? startsAt : null,
      };
    }));
    const mentor = await t.signIn('mentor:cardsrv');
    const res = await mentor.get('/dashboard');
    const cards = section(res.text);
    expect(cards).toContain('data-adoptable');
    const api = (await mentor.get('/api/bookings?startRow=0&endRow=20')).body as { rows: { id: string }[]; lastRow: number };
    expect(cardIds(cards)).toEqual(api.rows.map((r) => r.id));
    expect(firstBlock(res.text)).toEqual({ rows: api.rows, lastRow: 22 });
    expect(res.text).not.toContain('</script><b>');
    expect(firstBlock(res.text)!.rows[0]!.subject).toBe('</script><b>x</b>');
    expect(cards).toContain('Bookings shown: 20 of 22');
    // A request: accept posts with the token, decline opens the booking; the checkbox waits for the script.
    const request = api.rows[0]!.id;
    expect(cards).toContain(`<form method="post" action="/bookings/${request}/confirmation"><input type="hidden" name="_csrf"`);
    expect(cards).toContain(`<form method="get" action="/bookings/${request}"><button class="btn btn--ghost btn--sm" type="submit" data-action="reject">Decline</button></form>`);
    expect(cards).toMatch(new RegExp(`data-select="${request}" disabled`));
    expect(cards).toContain('href="/dashboard?page=2"');
    // Page 2 and a sorted page are not the script's first block: it fetches its own.
    const second = await mentor.get('/dashboard?page=2');
    expect(cardIds(section(second.text))).toHaveLength(2);
    expect(section(second.text)).not.toContain('data-adoptable');
    expect(firstBlock(second.text)).toBeUndefined();
    expect(section((await mentor.get('/dashboard?sort=startsAt&dir=asc')).text)).not.toContain('data-adoptable');
  });
});

describe('dashboard figures', () => {
  it('are their own fragment, refreshed on bookings-changed, and follow the actions', async () => {
    const mentor = await t.signIn('mentor:dash');
    const before = await mentor.get('/dashboard/figures').set('HX-Request', 'true');
    expect(before.status).toBe(200);
    expect(before.text).not.toContain('<html');
    expect(before.text).toContain('id="dashboard-figures"');
    expect(before.text).toContain('hx-trigger="bookings-changed from:body"');
    expect(before.text).toMatch(/stat__value">2<\/span><span class="stat__label">Requests waiting for you/);
    const pending = await t.deps.knex('bookings').join('users', 'users.id', 'bookings.mentorId').where({ 'users.username': 'dash', 'bookings.status': 'pending' }).first('bookings.id');
    await t.deps.knex('bookings').where({ id: pending.id }).update({ status: 'rejected', rejectReason: 'Busy' });
    const after = await mentor.get('/dashboard/figures');
    expect(after.text).toMatch(/stat__value">1<\/span><span class="stat__label">Requests waiting for you/);
    // A student's figures are their own.
    const amina = await (await t.signIn('student:amina')).get('/dashboard/figures');
    expect(amina.text).toContain('Waiting for a mentor');
    expect((await t.agent().get('/dashboard/figures')).status).toBe(303);
  });
});
