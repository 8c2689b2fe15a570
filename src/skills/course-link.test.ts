// Course-linked skills set in the skill form: only published courses can be chosen, and
// only students enrolled in the course can then book the skill.
import { describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { paidCourse } from '../../test/helpers/courses.ts';

const clock = new FixedClock(new Date('2026-11-22T10:00:00Z'));
const t = await createTestApp({ overrides: { clock } });
const MONDAY_9 = '2026-11-23T08:00:00.000Z';
type Agent = Awaited<ReturnType<typeof t.signIn>>;

const skillForm = { title: 'Course office hours', description: 'Questions about the course.', category: 'programming', price: '0', mode: 'one_on_one', durations: ['60'] };

async function post(agent: Agent, path: string, body: Record<string, unknown>, tokenFrom = '/') {
  const token = await t.csrf(agent, tokenFrom);
  return agent.post(path).type('form').send({ _csrf: token, ...body });
}

async function mentorWithHours(fixture: string) {
  const mentor = await t.user(fixture);
  await t.deps.knex('availabilityRules').insert([1, 2, 3, 4, 5].map((weekday) => ({ mentorId: mentor.id, weekday, startTime: '09:00', endTime: '17:00', active: true })));
  return t.signIn(fixture);
}

describe('course-linked skills', () => {
  it('offers the published courses in the form, refuses any other beside the field, and writes nothing then', async () => {
    const open = await paidCourse(t, 'rust-basics');
    const hidden = await paidCourse(t, 'secret-draft', { published: false });
    const mentor = await mentorWithHours('mentor:teacher');
    const form = await mentor.get('/skills/new');
    expect(form.text).toContain(`<option value="${open.id}">Course rust-basics</option>`);
    expect(form.text).not.toContain(hidden.id);

    const before = (await t.deps.knex('skills').count({ n: '*' }).first())!.n;
    const unpublished = await post(mentor, '/skills', { ...skillForm, courseId: hidden.id }, '/skills/new');
    expect(unpublished.status).toBe(422);
    expect(unpublished.text).toContain('id="f-courseId-error"');
    expect(unpublished.text).toContain('Choose one of the published courses.');
    const garbage = await post(mentor, '/skills', { ...skillForm, courseId: 'not-a-course' }, '/skills/new');
    expect(garbage.status).toBe(422);
    expect(garbage.text).toContain('id="f-courseId-error"');
    expect((await t.deps.knex('skills').count({ n: '*' }).first())!.n).toBe(before);
  });

  it('lets only enrolled students book; the skill page says who it is for; the mentor can open it to all again', async () => {
    const course = await paidCourse(t, 'typescript-course');
    const mentor = await mentorWithHours('mentor:linker');
    const created = await post(mentor, '/skills', { ...skillForm, courseId: course.id }, '/skills/new');
    expect(created.status).toBe(303);
    const id = String(created.headers.location).split('/').pop()!;
    expect((await t.deps.knex('skills').where({ id }).first()).courseId).toBe(course.id);
    expect((await post(mentor, `/skills/${id}/publication`, {})).status).toBe(303);

    const page = await t.agent().get(`/skills/${id}`);
    expect(page.text).toContain('For students of the course');
    expect(page.text).toContain(`href="/courses/typescript-course">Course typescript-course</a>`);
    const edit = await mentor.get(`/skills/${id}/edit`);
    expect(edit.text).toContain(`<option value="${course.id}" selected>`);

    const outsider = await t.signIn('student:outsider');
    const refused = await post(outsider, `/skills/${id}/holds`, { start: MONDAY_9, duration: '60' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('enroll in the course first');
    expect(await t.deps.knex('slotHolds').where({ skillId: id })).toHaveLength(0);

    const enrolled = await t.signIn('student:enrolled');
    await t.deps.knex('enrollments').insert({ courseId: course.id, userId: (await t.user('student:enrolled')).id });
    const booked = await post(enrolled, `/skills/${id}/bookings`, { start: MONDAY_9, duration: '60', subject: 'Course questions' });
    expect(booked.status).toBe(303);
    expect(booked.headers.location).toMatch(/^\/bookings\//);

    const reopened = await post(mentor, `/skills/${id}`, { ...skillForm, courseId: '' }, `/skills/${id}/edit`);
    expect(reopened.status).toBe(303);
    expect((await t.deps.knex('skills').where({ id }).first()).courseId).toBeNull();
    const later = '2026-11-23T10:00:00.000Z';
    expect((await post(outsider, `/skills/${id}/holds`, { start: later, duration: '60' })).status).toBe(303);
  });
});
