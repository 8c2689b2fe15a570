// Post/Redirect/Get for refused forms: a reload after a refused form shows the form's
// page (not the POST address, which has no GET), the messages once, the input kept.
import { describe, expect, it } from 'vitest';
import { FixedClock } from './clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';

const clock = new FixedClock(new Date('2026-11-22T10:00:00Z'));
const t = await createTestApp({ overrides: { clock } });
type Agent = Awaited<ReturnType<typeof t.signIn>>;

async function post(agent: Agent, path: string, body: Record<string, string>, headers: Record<string, string> = {}) {
  const token = await t.csrf(agent, '/');
  return agent.post(path).type('form').set(headers).send({ _csrf: token, ...body });
}

/** The 303, the page with the messages and input, then the same page clean. */
async function expectPrg(agent: Agent, res: Awaited<ReturnType<typeof post>>, page: string, shows: (string | RegExp)[]) {
  expect(res.status).toBe(303);
  expect(String(res.headers.location).split('#')[0]).toBe(page);
  const first = await agent.get(page);
  expect(first.status).toBe(200);
  for (const s of shows) expect(first.text).toMatch(s);
  const again = await agent.get(page);
  expect(again.status).toBe(200);
  expect(again.text).not.toContain('class="field__error"');
  return first;
}

const partial = (page: string) => ({ 'HX-Request': 'true', 'HX-Request-Type': 'partial', 'HX-Current-URL': `http://127.0.0.1${page}` });
const boosted = (page: string) => ({ 'HX-Request': 'true', 'HX-Request-Type': 'full', 'HX-Boosted': 'true', 'HX-Current-URL': `http://127.0.0.1${page}` });

describe('a refused form goes back to its page', () => {
  it('weekly hours: 303 to /availability, messages and input beside the rule form once', async () => {
    const mentor = await t.signIn('mentor:prg-rules');
    const res = await post(mentor, '/availability/rules', { weekday: '3', start: '15:00', end: '13:00' });
    const page = await expectPrg(mentor, res, '/availability', ['id="rule-end-error"', /<option value="15:00" selected/]);
    expect(page.text).not.toContain('id="override-date-error"');
    expect(await t.deps.knex('availabilityRules').join('users', 'users.id', 'availabilityRules.mentorId').where('users.username', 'prg-rules')).toHaveLength(0);
  });

  it('date exceptions: 303 to /availability with the override form messages', async () => {
    const mentor = await t.signIn('mentor:prg-overrides');
    const res = await post(mentor, '/availability/overrides', { kind: 'blocked', date: '2026-11-21', note: 'kept note' });
    const page = await expectPrg(mentor, res, '/availability', ['id="override-date-error"', 'value="kept note"']);
    expect(page.text).not.toContain('id="rule-end-error"');
  });

  it('cancellation: 303 to the booking page, the reason message in the open cancel box', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:prg-cancel');
    const student = await t.signIn('student:prg-canceller');
    const booked = await post(student, `/skills/${skillId}/bookings`, { start: '2026-11-23T08:00:00.000Z', duration: '60', subject: 'Closures' });
    expect(booked.status).toBe(303);
    const url = String(booked.headers.location);
    const res = await post(student, `${url}/cancellation`, { reason: 'no' });
    await expectPrg(student, res, url, ['id="k-reason-error"', /<details id="cancel" class="card" open>/, />no<\/textarea>/]);
    expect((await t.deps.knex('bookings').where({ id: url.split('/').pop() }).first()).status).not.toBe('cancelled');
  });

  it('course review: 303 to the course page, messages and the typed text kept', async () => {
    await t.deps.knex('courses').insert({ slug: 'prg-course', title: 'PRG course', published: true, priceCents: 0 });
    const student = await t.signIn('student:prg-review');
    expect((await post(student, '/courses/prg-course/enrollment', {})).status).toBe(303);
    const res = await post(student, '/courses/prg-course/review', { body: 'tiny' });
    expect(res.headers.location).toBe('/courses/prg-course#reviews');
    await expectPrg(student, res, '/courses/prg-course', ['Choose from 1 to 5 stars.', />tiny<\/textarea>/]);
  });

  it('lesson form: 303 to the lesson editor with the title message and the typed description', async () => {
    const [course] = await t.deps.knex('courses').insert({ slug: 'prg-lessons', title: 'PRG lessons', published: false, priceCents: 0 }).returning('id');
    const [mod] = await t.deps.knex('courseModules').insert({ courseId: course.id, title: 'M', position: 1 }).returning('id');
    const [lesson] = await t.deps.knex('lessons').insert({ moduleId: mod.id, title: 'Intro', position: 1 }).returning('id');
    const admin = await t.signInAdmin();
    const edit = `/admin/courses/${course.id}/lessons/${lesson.id}/edit`;
    const res = await post(admin, `/admin/courses/${course.id}/lessons/${lesson.id}`, { title: '', description: 'Typed description' });
    await expectPrg(admin, res, edit, ['id="f-title-error"', '>Typed description</textarea>']);
    expect((await admin.get(edit)).text).toContain('value="Intro"');
  });

  it('htmx: in place (422) with the address the bar must show; JSON keeps its typed 422', async () => {
    const mentor = await t.signIn('mentor:prg-htmx');
    const body = { weekday: '3', start: '15:00', end: '13:00' };
    const inPlace = await post(mentor, '/availability/rules', body, partial('/availability'));
    expect(inPlace.status).toBe(422);
    expect(inPlace.headers['hx-replace-url']).toBeUndefined();
    expect(inPlace.text).toContain('id="rule-end-error"');
    const elsewhere = await post(mentor, '/availability/rules', body, partial('/dashboard'));
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.headers['hx-replace-url']).toBe('/availability');
    // A boosted form's bar would show the POST address (htmx pushes the response URL).
    const boost = await post(mentor, '/availability/rules', body, boosted('/availability'));
    expect(boost.status).toBe(422);
    expect(boost.headers['hx-replace-url']).toBe('/availability');
    expect(boost.text).toContain('id="rule-end-error"');
    // Nothing was kept for a later page: the next GET is clean.
    expect((await mentor.get('/availability')).text).not.toContain('id="rule-end-error"');
    const json = await post(mentor, '/availability/rules', body, { Accept: 'application/json' });
    expect(json.status).toBe(422);
    expect(json.body.error).toMatchObject({ code: 'validation_failed', fields: { end: expect.any(String) } });
  });

  it('the kept form shows only on its own page', async () => {
    const mentor = await t.signIn('mentor:prg-elsewhere');
    expect((await post(mentor, '/availability/rules', { weekday: '3', start: '15:00', end: '13:00' })).status).toBe(303);
    // The next request went elsewhere: the kept form is dropped, not shown later.
    expect((await mentor.get('/profile')).status).toBe(200);
    expect((await mentor.get('/availability')).text).not.toContain('id="rule-end-error"');
  });

  it('a poll or a JSON call between the redirect and the page leaves the messages and the flash to the page', async () => {
    const mentor = await t.signIn('mentor:prg-poll');
    const res = await post(mentor, '/availability/rules', { weekday: '3', start: '15:00', end: '13:00' });
    expect(res.status).toBe(303);
    // The bell polls every 20 s: a poll landing here must not eat the kept form.
    expect((await mentor.get('/notifications/bell').set(partial('/availability'))).status).toBe(200);
    expect((await mentor.get('/api/v1/me').set('Accept', 'application/json')).status).toBe(200);
    expect((await mentor.get('/availability')).text).toContain('id="rule-end-error"');

    expect((await post(mentor, '/profile/calendar-feed', {})).status).toBe(303);
    expect((await mentor.get('/notifications/bell').set(partial('/profile'))).status).toBe(200);
    const page = (await mentor.get('/profile')).text;
    expect(page).toContain('Your calendar address is ready.');
    expect((await mentor.get('/profile')).text).not.toContain('Your calendar address is ready.');
  });
});
