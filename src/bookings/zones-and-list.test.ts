// The zone slots are shown in (the `tz` param, the browser's `tz` cookie, the profile's
// zone), validated, named one way; and the booking list's three groups.
import { describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';

const clock = new FixedClock(new Date('2026-11-22T10:00:00Z'));
const t = await createTestApp({ overrides: { clock } });
const MONDAY_9 = '2026-11-23T08:00:00.000Z';
/** The zone select's options as "value[*] label", * for the selected one. */
const options = (html: string) => [...html.matchAll(/<option value="([^"]+)"( selected)?>([^<]*)</g)].map((m) => `${m[1]}${m[2] ? '*' : ''} ${m[3]}`);

describe('the zone of the slot list', () => {
  it('follows the tz param and the cookie, falls back on the viewer zone for anything else, and names zones one way', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:zoned', { skill: { durations: [60] } });
    const paris = await t.agent().get(`/skills/${skillId}/book?duration=60`);
    expect(paris.status).toBe(200);
    // Mentor hours 09:00–17:00 in Paris: 03:00–11:00 in New York.
    expect(paris.text).toContain('>09:00<');
    expect(paris.text).not.toContain('>03:00<');
    expect(paris.text).toContain('<option value="Europe/Paris" selected>Europe/Paris (the mentor’s zone)</option>');

    const ny = await t.agent().get(`/skills/${skillId}/book?duration=60&tz=America/New_York`);
    expect(ny.text).toContain('>03:00<');
    expect(ny.text).toContain('Times in America/New York.');
    expect(ny.text).toContain('<option value="America/New_York" selected>America/New York</option>');
    expect(ny.text).not.toMatch(/>[^<]*America\/New_York/);
    // Every link of the flow keeps the chosen zone.
    expect(ny.text).toContain('week=1&amp;tz=America%2FNew_York');

    const cookie = await t.agent().get(`/skills/${skillId}/book?duration=60`).set('Cookie', 'tz=America/New_York');
    expect(cookie.text).toContain('>03:00<');
    for (const bad of ['tz=Mars/Olympus', 'tz=', 'tz[]=x', `tz=${'A'.repeat(200)}`]) {
      const res = await t.agent().get(`/skills/${skillId}/book?duration=60&${bad}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('>09:00<');
    }
  });

  it('offers the shown, own and mentor zones and UTC, and every zone once "All time zones…" is chosen, the shown zone kept', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:zonelist', { timezone: 'America/Montreal', skill: { durations: [60] } });
    const partial = { 'HX-Request': 'true', 'HX-Request-Type': 'partial' };
    const short = await t.agent().get(`/skills/${skillId}/book?duration=60&tz=Asia/Tokyo`).set('Cookie', 'tz=Europe/London').set(partial);
    expect(options(short.text)).toEqual([
      'Asia/Tokyo* Asia/Tokyo', 'Europe/London Europe/London (your zone)', 'America/Montreal America/Montreal (the mentor’s zone)', 'UTC UTC', 'all All time zones…',
    ]);
    expect(short.text).toContain('name="shown" value="Asia/Tokyo"');
    // Chosen (by the select's change or its button, a plain GET of the same form): the zone
    // on show stays, every zone is listed once, and the flow's links carry that zone, not "all".
    const all = await t.agent().get(`/skills/${skillId}/book?duration=60&week=0&shown=Asia%2FTokyo&tz=all`).set('Cookie', 'tz=Europe/London').set(partial);
    expect(all.status).toBe(200);
    expect(all.text).toContain('Times in Asia/Tokyo.');
    const listed = options(all.text);
    expect(listed.slice(0, 4)).toEqual(['Asia/Tokyo* Asia/Tokyo', 'Europe/London Europe/London (your zone)', 'America/Montreal America/Montreal (the mentor’s zone)', 'UTC UTC']);
    expect(listed.length).toBeGreaterThan(300);
    expect(new Set(listed.map((o) => o.split(/[* ]/)[0])).size).toBe(listed.length);
    expect(listed.some((o) => o.startsWith('all '))).toBe(false);
    expect(all.text).not.toContain('tz=all');
    expect(all.text).toContain('week=1&amp;tz=Asia%2FTokyo');
    expect(short.text.length).toBeLessThan(all.text.length - 15_000);
    // Without a zone shown before (or a bad one), "all" keeps the viewer's own.
    expect(options((await t.agent().get(`/skills/${skillId}/book?duration=60&tz=all&shown=Mars%2FOlympus`).set('Cookie', 'tz=Europe/London').set(partial)).text)[0]).toBe('Europe/London* Europe/London (your zone)');
  });

  it('names a zone "yours" only when it is (profile or browser), says when it is the mentor’s too, and spells zones one way', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:zonelabels', { skill: { durations: [60] } });
    // A first visit: the site's default zone is on show, nobody's zone as far as we know but the mentor's.
    expect(options((await t.agent().get(`/skills/${skillId}/book?duration=60`)).text)).toEqual(['Europe/Paris* Europe/Paris (the mentor’s zone)', 'UTC UTC', 'all All time zones…']);
    const paris = await t.agent().get(`/skills/${skillId}/book?duration=60`).set('Cookie', 'tz=Europe/Paris');
    expect(options(paris.text)[0]).toBe('Europe/Paris* Europe/Paris (your zone and the mentor’s)');
    // Another spelling of a zone is shown under its own name, and listed once.
    const alias = await t.agent().get(`/skills/${skillId}/book?duration=60&tz=asia%2Ftokyo`).set('Cookie', 'tz=Europe/Paris');
    expect(options(alias.text)[0]).toBe('Asia/Tokyo* Asia/Tokyo');
    expect(alias.text).toContain('tz=Asia%2FTokyo');
    expect(alias.text).not.toContain('asia/tokyo');
  });

  it('keeps a signed-in user in their profile zone until they pick another, through the hold and step 2', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:zoned2', { skill: { durations: [60] } });
    const student = await t.signIn('student:tokyo', { timezone: 'Asia/Tokyo' });
    const own = await student.get(`/skills/${skillId}/book?duration=60`).set('Cookie', 'tz=America/New_York');
    expect(own.text).toContain('>17:00<'); // 09:00 Paris
    const token = await t.csrf(student, '/');
    const held = await student.post(`/skills/${skillId}/holds`).type('form').send({ _csrf: token, start: MONDAY_9, duration: '60', tz: 'America/New_York' });
    expect(held.status).toBe(303);
    expect(held.headers.location).toContain('&tz=America%2FNew_York');
    const details = await student.get(held.headers.location!);
    expect(details.text).toContain('03:00');
    expect(details.text).toContain('name="tz" value="America/New_York"');
  });

  it('lets the profile and skill page slots ask again once the browser has told its zone', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:refresh', { skill: { durations: [60] } });
    const first = await t.agent().get('/mentors/refresh');
    expect(first.text).toMatch(/id="mentor-slots"[^>]*hx-get="\/mentors\/refresh" hx-trigger="load"/);
    const again = await t.agent().get('/mentors/refresh').set('Cookie', 'tz=America/New_York').set('HX-Request', 'true').set('HX-Request-Type', 'partial');
    expect(again.text.trim().startsWith('<section class="card stack mentor-slots" id="mentor-slots"')).toBe(true);
    expect(again.text).not.toContain('hx-trigger="load"');
    expect(again.text).toContain('<strong>03:00</strong>');
    const known = await t.agent().get('/mentors/refresh').set('Cookie', 'tz=America/New_York');
    expect(known.text).not.toMatch(/id="mentor-slots"[^>]*hx-get/);
    const skillPage = await t.agent().get(`/skills/${skillId}`);
    expect(skillPage.text).toMatch(/id="next-slots" hx-get="\/skills\/[^"]+" hx-trigger="load"/);
  });
});

describe('the booking list', () => {
  it('groups upcoming, past and cancelled-or-declined, with the subject and the skill title', async () => {
    const { mentorId, skillId } = await mentorWithSkill(t, 'mentor:lister', { skill: { title: 'Revue de code TypeScript', durations: [60] } });
    const student = await t.user('student:lister-student');
    const at = (iso: string, status: string, subject: string) => ({
      skillId, mentorId, studentId: student.id, kind: 'one_on_one', startsAt: new Date(iso), endsAt: new Date(new Date(iso).getTime() + 3_600_000),
      durationMinutes: 60, status, subject, priceCents: 0, currency: 'EUR',
    });
    await t.deps.knex('bookings').insert([
      at('2026-11-24T08:00:00Z', 'confirmed', 'Generics deep dive'),
      at('2026-11-25T08:00:00Z', 'pending', 'Review my PR'),
      at('2026-11-26T08:00:00Z', 'rejected', 'Declined subject'),
      at('2026-11-27T08:00:00Z', 'cancelled', 'Cancelled subject'),
      at('2026-11-20T08:00:00Z', 'expired', 'Expired subject'),
      at('2026-11-19T08:00:00Z', 'completed', 'Past subject'),
    ]);
    const res = await (await t.signIn('student:lister-student')).get('/bookings');
    expect(res.status).toBe(200);
    const section = (id: string) => { const from = res.text.indexOf(`id="bookings-${id}"`); return res.text.slice(from, res.text.indexOf('</section>', from)); };
    const upcoming = section('upcoming');
    expect(upcoming).toContain('Generics deep dive');
    expect(upcoming).toContain('Review my PR');
    expect(upcoming.indexOf('Generics deep dive')).toBeLessThan(upcoming.indexOf('Review my PR'));
    expect(upcoming).toContain('Revue de code TypeScript');
    for (const gone of ['Declined subject', 'Cancelled subject', 'Expired subject', 'Past subject']) expect(upcoming).not.toContain(gone);
    expect(section('past')).toContain('Past subject');
    const calledOff = section('calledOff');
    for (const s of ['Declined subject', 'Cancelled subject', 'Expired subject']) expect(calledOff).toContain(s);
    expect(calledOff).toContain('Declined');
    // Dates in the viewer's zone (Paris: 09:00 for 08:00 UTC).
    expect(upcoming).toContain('Tuesday 24 November');
    expect(upcoming).toContain('09:00');
  });
});
