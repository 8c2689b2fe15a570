// The demo data tells one coherent story: loaded as `npm start` loads it (src/server.ts),
// then checked with SQL for what a visitor would notice first — notices from the
// future, sessions completed before they took place, a notice naming another skill or
// speaking the wrong language, rooms named in sequence.
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { createTestApp } from '../test/helpers/app.ts';
import { DEMO_PASSWORD, seedDemoOnce } from './demo.ts';
import { seedDemoBookingsOnce } from './demo-bookings.ts';
import { seedDemoCoursesOnce } from './demo-courses.ts';
import { seedDemoPaymentsOnce } from './demo-payments.ts';
import { seedDemoConversationsOnce } from './demo-scheduling.ts';
import { seedDemoInsightsOnce } from './demo-insights.ts';
import { seedDemoSkillsOnce } from './demo-skills.ts';

const t = await createTestApp();
const { knex } = t.deps;
const rows = async <T>(sql: string, bindings: unknown[] = []): Promise<T[]> => ((await knex.raw(sql, bindings as never[])) as { rows: T[] }).rows;

// Loaded once, in the server's order, at the real time (the invariants compare with now()).
await seedDemoOnce(t.deps);
await seedDemoSkillsOnce(knex, t.deps.clock.now());
await seedDemoBookingsOnce(knex, t.deps.clock.now());
await seedDemoCoursesOnce(knex, t.deps.storage, t.deps.clock.now());
await seedDemoPaymentsOnce(t.deps);
await seedDemoConversationsOnce(knex, t.deps.clock.now());
await seedDemoInsightsOnce(knex, t.deps.clock.now());

const decode = (html: string) => html.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');

describe('the demo story', () => {
  it('has notifications, history and messages, none of them dated in the future', async () => {
    expect(Number((await rows<{ n: string }>('select count(*) as n from notifications'))[0]!.n)).toBeGreaterThan(20);
    expect(await rows('select id, created_at from notifications where created_at > now()')).toEqual([]);
    expect(await rows('select id, created_at from booking_events where created_at > now()')).toEqual([]);
    expect(await rows('select id, created_at from bookings where created_at > now()')).toEqual([]);
    expect(await rows('select id, created_at from booking_messages where created_at > now()')).toEqual([]);
  });

  it('completes or marks missed a session only after it ended, and answers requests before they start', async () => {
    const ended = await rows<{ n: string }>("select count(*) as n from booking_events where status in ('completed', 'no_show')");
    expect(Number(ended[0]!.n)).toBeGreaterThan(20);
    expect(await rows(`
      select e.id, e.status, e.created_at, b.starts_at, b.duration_minutes from booking_events e join bookings b on b.id = e.booking_id
      where e.status in ('completed', 'no_show') and e.created_at < b.starts_at + b.duration_minutes * interval '1 minute'`)).toEqual([]);
    expect(await rows(`
      select e.id, e.status, e.created_at, b.starts_at from booking_events e join bookings b on b.id = e.booking_id
      where e.status in ('pending', 'confirmed', 'rejected', 'expired') and e.created_at > b.starts_at`)).toEqual([]);
  });

  it('writes every booking’s history in time order, ending in its current status', async () => {
    expect(await rows(`
      select booking_id from (select booking_id, created_at, lag(created_at) over (partition by booking_id order by id) as before from booking_events) h
      where before > created_at`)).toEqual([]);
    expect(await rows(`
      select b.id, b.status, last.status as last from bookings b
      join lateral (select status from booking_events e where e.booking_id = b.id order by e.id desc limit 1) last on true
      where last.status <> b.status`)).toEqual([]);
    // A completed session was confirmed first.
    expect(await rows(`
      select b.id from bookings b where b.status in ('completed', 'no_show')
      and not exists (select 1 from booking_events e where e.booking_id = b.id and e.status = 'confirmed')`)).toEqual([]);
  });

  it('names the booked skill in each notification', async () => {
    expect(await rows(`
      select n.id, n.data->>'skill' as said, s.title from notifications n join bookings b on b.id = n.booking_id join skills s on s.id = b.skill_id
      where n.data->>'skill' is distinct from s.title`)).toEqual([]);
    // The person named is the other side of the booking, by name: no fixed French "Un élève".
    expect(await rows(`
      select n.id, n.data->>'other' as said from notifications n join bookings b on b.id = n.booking_id
      join users other on other.id = case when n.user_id = b.mentor_id then b.student_id else b.mentor_id end
      where n.data->>'other' is distinct from other.display_name`)).toEqual([]);
  });

  it('shows each recipient the notice in their own language only', async () => {
    for (const locale of ['fr', 'en'] as const) {
      const [who] = await rows<{ username: string; title: string; student: string }>(`
        select u.username, s.title, st.display_name as student from notifications n join users u on u.id = n.user_id join bookings b on b.id = n.booking_id
        join skills s on s.id = b.skill_id join users st on st.id = b.student_id
        where u.locale = ? and n.kind = 'booking.requested' order by n.created_at desc limit 1`, [locale]);
      expect(who, `a ${locale} mentor with a request`).toBeDefined();
      const agent = t.agent();
      const token = await t.csrf(agent);
      const login = await agent.post('/login').type('form').send({ _csrf: token, identifier: who!.username, password: DEMO_PASSWORD });
      expect(login.status).toBe(303);
      const page = decode((await agent.get('/notifications')).text);
      if (locale === 'fr') {
        expect(page).toContain(`${who!.student} demande « ${who!.title} »`);
        expect(page).not.toMatch(/ asks for "|Your session "/);
      } else {
        expect(page).toContain(`${who!.student} asks for "${who!.title}"`);
        expect(page).not.toMatch(/ demande « |Votre session « /);
      }
    }
  });

  it('gives every session a random room, shared only by the seats of one group session', async () => {
    const rooms = await rows<{ meeting_url: string; sessions: string }>(`
      select meeting_url, count(distinct case when kind = 'group' then skill_id::text else id::text end) as sessions
      from bookings where meeting_url is not null group by meeting_url`);
    expect(rooms.length).toBeGreaterThan(50);
    expect(rooms.filter((r) => Number(r.sessions) !== 1)).toEqual([]);
    for (const r of rooms) expect(r.meeting_url).toMatch(/^https:\/\/meet\.jit\.si\/leboncours-[A-Za-z0-9_-]{12}$/);
    // Group seats have one too.
    expect(await rows("select id from bookings where kind = 'group' and status = 'confirmed' and meeting_url is null")).toEqual([]);
  });

  it('gives every demo mentor a photo of their own, stored at each width and served', async () => {
    const mentors = await rows<{ username: string; avatar_key: string | null }>("select username, avatar_key from users where role = 'mentor' order by created_at");
    expect(mentors.length).toBeGreaterThan(10);
    expect(mentors.filter((m) => !m.avatar_key)).toEqual([]);
    expect(new Set(mentors.map((m) => m.avatar_key)).size).toBe(mentors.length);
    const key = mentors[0]!.avatar_key!;
    expect(key).toMatch(/^avatars\/[0-9a-f-]{36}-384x384\.webp$/);
    for (const width of [96, 192, 384]) {
      const res = await t.agent().get(`/media/${key.replace('384x384', `${width}x${width}`)}`).buffer(true);
      expect(res.status).toBe(200);
      expect(await sharp(res.body as Buffer).metadata()).toMatchObject({ format: 'webp', width, height: width });
    }
    const page = await t.agent().get(`/mentors/${mentors[0]!.username}`);
    expect(page.text).toContain(`srcset="/media/${key.replace('384x384', '96x96')} 96w`);
  });
});
