import { describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { asset } from '../../test/helpers/assets.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';

// Sunday 22 November 2026, 10:00 UTC; Monday 9:00 in Paris is bookable (12 h notice).
const clock = new FixedClock(new Date('2026-11-22T10:00:00Z'));
const t = await createTestApp({ overrides: { clock } });
const MONDAY_9 = '2026-11-23T08:00:00.000Z';
type Agent = Awaited<ReturnType<typeof t.signIn>>;

/** A course with two modules: a free preview, a locked lesson, a third lesson; downloads. */
async function makeCourse(app: TestApp, slug: string, options: { published?: boolean; priceCents?: number; educator?: string; title?: string } = {}) {
  const knex = app.deps.knex;
  const [course] = await knex('courses').insert({
    slug, title: options.title ?? `Course ${slug}`, subtitle: 'From zero to a shipped app', published: options.published ?? true, priceCents: options.priceCents ?? 0,
    shortDescription: 'A short pitch.', descriptionHtml: '<p>Learn <strong>WinDev</strong> for real.</p>', level: 'intermediate',
    compatibility: ['WD25', 'WB26'], prerequisites: ['Basic SQL'], objectives: ['Build a CRUD window', 'Ship an installer'],
    introVideoKey: 'courses/intro-video.mp4', thumbnailKey: 'courses/thumb.png',
  }).returning('*');
  const [m1] = await knex('courseModules').insert({ courseId: course.id, title: 'Getting started', position: 1 }).returning('*');
  const [m2] = await knex('courseModules').insert({ courseId: course.id, title: 'Going further', position: 2 }).returning('*');
  const [preview] = await knex('lessons').insert({ moduleId: m1.id, title: 'Welcome tour', videoKey: 'lessons/welcome.mp4', durationSeconds: 300, freePreview: true, position: 1 }).returning('*');
  const [locked] = await knex('lessons').insert({ moduleId: m1.id, title: 'Windows and controls', description: 'Every control explained.', videoKey: 'lessons/windows.mp4', durationSeconds: 725, position: 2 }).returning('*');
  const [third] = await knex('lessons').insert({ moduleId: m2.id, title: 'Packaging', videoKey: 'lessons/packaging.mp4', durationSeconds: 3000, position: 1 }).returning('*');
  const [resource] = await knex('courseResources').insert({ courseId: course.id, title: 'Course guide', kind: 'pdf', fileKey: 'resources/guide.pdf', contentType: 'application/pdf', sizeBytes: 123456 }).returning('*');
  const [lessonResource] = await knex('courseResources').insert({ courseId: course.id, lessonId: locked.id, title: 'Controls project', kind: 'source', fileKey: 'resources/controls.zip', contentType: 'application/zip', sizeBytes: 2_500_000 }).returning('*');
  if (options.educator) {
    const mentor = await app.user(options.educator);
    await knex('courseEducators').insert({ courseId: course.id, mentorId: mentor.id });
  }
  return { course, preview, locked, third, resource, lessonResource };
}

const signInAdmin = () => t.signInAdmin();

async function post(agent: Agent, path: string, body: Record<string, string> = {}) {
  const token = await t.csrf(agent, '/');
  return agent.post(path).type('form').send({ _csrf: token, ...body });
}

const countOf = async (courseId: string) => (await t.deps.knex('courses').where({ id: courseId }).first()).studentsCount as number;

describe('catalogue', () => {
  it('lists published courses only, with level, rating, students and price, on pages of 12', async () => {
    const paid = await makeCourse(t, 'paid-course', { priceCents: 4900, title: 'Paid WinDev course' });
    await makeCourse(t, 'free-course', { title: 'Free WebDev course' });
    await makeCourse(t, 'draft-course', { published: false, title: 'Hidden draft course' });
    await t.deps.knex('courses').where({ id: paid.course.id }).update({ ratingAverage: '4.50', ratingCount: 2, studentsCount: 7 });

    const res = await t.agent().get('/courses');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Paid WinDev course');
    expect(res.text).toContain('Free WebDev course');
    expect(res.text).not.toContain('Hidden draft course');
    expect(res.text).toContain('€49');
    expect(res.text).toContain('Free');
    expect(res.text).toContain('Intermediate');
    expect(res.text).toContain('7 students');
    expect(res.text).toContain('2 reviews');
    expect(res.text).toContain('Rated 4.5 out of 5');
    expect(res.text).toContain('src="/media/courses/thumb.png"');

    for (let i = 0; i < 11; i += 1) {
      await t.deps.knex('courses').insert({ slug: `filler-${i}`, title: `Filler course ${i}`, published: true });
    }
    const first = await t.agent().get('/courses');
    expect(first.text).toContain('13 courses');
    expect(first.text).toContain('Page 1 of 2');
    const second = await t.agent().get('/courses?page=2');
    expect(second.text).toContain('Page 2 of 2');
    expect((second.text.match(/class="card skill-card/g) ?? []).length).toBe(1);
    expect((await t.agent().get('/courses?page=abc')).status).toBe(200);
  });
});

describe('course page', () => {
  it('shows the course to anyone: objectives, description, educators, intro video, curriculum, downloads, reviews', async () => {
    const { preview, locked, resource } = await makeCourse(t, 'windev-basics', { educator: 'mentor:teacher1', title: 'WinDev basics' });
    const res = await t.agent().get('/courses/windev-basics');
    expect(res.status).toBe(200);
    const html = res.text;
    expect(html).toContain('<h1>WinDev basics</h1>');
    expect(html).toContain('From zero to a shipped app');
    expect(html).toContain('WD25');
    expect(html).toContain('What you will learn');
    expect(html).toContain('Ship an installer');
    expect(html).toContain('Basic SQL');
    // Sanitised on save, so rendered as HTML.
    expect(html).toContain('<p>Learn <strong>WinDev</strong> for real.</p>');
    expect(html).toContain('Teacher1 Test');
    expect(html).toMatch(/<video[^>]+controls[^>]+src="\/files\/courses\/intro-video\.mp4\?exp=\d+&amp;sig=[0-9a-f]{64}"/);
    expect(html).toContain('2 modules');
    expect(html).toContain('3 lessons');
    expect(html).toContain('1:07:05'); // 300 + 725 + 3000 seconds, as the lessons' own lengths read
    expect(html).toContain('12:05');
    expect(html).toContain(`href="/courses/windev-basics/lessons/${preview.id}"`);
    expect(html).not.toContain(`href="/courses/windev-basics/lessons/${locked.id}"`);
    expect(html).toContain('Free preview');
    expect(html).toContain('Course guide');
    expect(html).toContain('123.5\u00a0KB');
    expect(html).not.toContain(`/courses/resources/${resource.id}/download`);
    expect(html).toContain('Log in to enroll');
    expect(html).toContain('No reviews yet');
  });

  it('hides drafts from everyone but the admin and the course’s educators', async () => {
    await makeCourse(t, 'secret-draft', { published: false, educator: 'mentor:drafter' });
    expect((await t.agent().get('/courses/secret-draft')).status).toBe(404);
    expect((await (await t.signIn('student:curious')).get('/courses/secret-draft')).status).toBe(404);
    const admin = await (await signInAdmin()).get('/courses/secret-draft');
    expect(admin.status).toBe(200);
    expect(admin.text).toContain('Draft');
    const educator = await (await t.signIn('mentor:drafter')).get('/courses/secret-draft');
    expect(educator.status).toBe(200);
    expect(educator.text).toContain('You teach this course');
    expect((await t.agent().get('/courses/no-such-course')).status).toBe(404);
  });

  it('offers paid courses for sale and refuses a free enrollment into them', async () => {
    const { course } = await makeCourse(t, 'paid-only', { priceCents: 12000 });
    const student = await t.signIn('student:payer');
    const page = await student.get('/courses/paid-only');
    expect(page.text).toContain('€120');
    expect(page.text).toContain('Buy the course — €120');
    expect(page.text).toContain('action="/courses/paid-only/checkout"');
    expect(page.text).not.toContain('action="/courses/paid-only/enrollment"');
    const res = await post(student, '/courses/paid-only/enrollment');
    expect(res.status).toBe(403);
    expect(await countOf(course.id)).toBe(0);
  });
});

describe('enrollment', () => {
  it('enrolls in a free course once: twice is the same enrollment, the count stays exact', async () => {
    const { course, resource } = await makeCourse(t, 'enroll-me');
    const student = await t.signIn('student:enroller');
    const first = await post(student, '/courses/enroll-me/enrollment');
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/courses/enroll-me');
    const page = await student.get('/courses/enroll-me');
    expect(page.text).toContain('Welcome to the course!');
    expect(page.text).toContain('You are enrolled in this course.');
    expect(page.text).toContain(`/courses/resources/${resource.id}/download`);
    expect(page.text).toContain('Rate this course');
    expect(await countOf(course.id)).toBe(1);

    const again = await post(student, '/courses/enroll-me/enrollment');
    expect(again.status).toBe(303);
    expect((await student.get('/courses/enroll-me')).text).toContain('You were already enrolled');
    expect(await t.deps.knex('enrollments').where({ courseId: course.id })).toHaveLength(1);
    expect(await countOf(course.id)).toBe(1);
  });

  it('counts concurrent enrollments exactly', async () => {
    const { course } = await makeCourse(t, 'crowded');
    const agents = await Promise.all(Array.from({ length: 8 }, (_, i) => t.signIn(`student:crowd${i}`)));
    const tokens = await Promise.all(agents.map((a) => t.csrf(a, '/')));
    const results = await Promise.all(agents.map((a, i) => a.post('/courses/crowded/enrollment').type('form').send({ _csrf: tokens[i]! })));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(303));
    expect(await countOf(course.id)).toBe(8);
  });

  it('gives the payments feature one entry point: enroll(user, course, "payment")', async () => {
    const { course } = await makeCourse(t, 'bought', { priceCents: 3000 });
    const buyer = await t.user('student:buyer');
    const service = t.deps.services.enrollments;
    const done = await t.deps.knex.transaction((trx) => service.enroll(buyer, course, 'payment', trx));
    expect(done.created).toBe(true);
    expect(done.enrollment.source).toBe('payment');
    expect((await service.enroll(buyer, course, 'payment')).created).toBe(false);
    expect(await countOf(course.id)).toBe(1);
  });

  it('asks anonymous visitors to log in first', async () => {
    await makeCourse(t, 'anon-enroll');
    const agent = t.agent();
    const res = await post(agent, '/courses/anon-enroll/enrollment');
    expect(res.status).toBe(401);
  });
});

describe('lesson page', () => {
  it('opens a free preview to anyone, with the player and the lesson list', async () => {
    const { preview } = await makeCourse(t, 'preview-course');
    const res = await t.agent().get(`/courses/preview-course/lessons/${preview.id}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>Welcome tour</h1>');
    expect(res.text).toContain(`data-secure-url="/api/v1/lessons/${preview.id}/video-url"`);
    expect(res.text).toContain(`<script src="${asset(t, '/js/lesson-player.js')}" defer></script>`);
    expect(res.text).toContain(`href="/courses/preview-course/lessons/${preview.id}/video"`);
    expect(res.text).toContain('Lesson 1 of 3');
    expect(res.text).toContain('Log in to ask a question');
  });

  it('sends anonymous visitors of a locked lesson to the login page and refuses students who are not enrolled', async () => {
    const { locked } = await makeCourse(t, 'locked-course');
    const anonymous = await t.agent().get(`/courses/locked-course/lessons/${locked.id}`);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toBe(`/login?next=${encodeURIComponent(`/courses/locked-course/lessons/${locked.id}`)}`);
    const outsider = await (await t.signIn('student:outsider')).get(`/courses/locked-course/lessons/${locked.id}`);
    expect(outsider.status).toBe(403);
    expect((await t.agent().get(`/courses/locked-course/lessons/${locked.id}/video`)).status).toBe(303);
  });

  it('opens every lesson to enrolled students, educators and the admin', async () => {
    const { locked, lessonResource, preview } = await makeCourse(t, 'open-course', { educator: 'mentor:openteacher' });
    const student = await t.signIn('student:insider');
    await post(student, '/courses/open-course/enrollment');
    const res = await student.get(`/courses/open-course/lessons/${locked.id}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Lesson 2 of 3');
    expect(res.text).toContain('Every control explained.');
    expect(res.text).toContain('Controls project');
    expect(res.text).toContain(`/courses/resources/${lessonResource.id}/download`);
    expect(res.text).toContain(`rel="prev" href="/courses/open-course/lessons/${preview.id}"`);
    expect(res.text).toContain('aria-current="page"');
    expect(res.text).toContain('name="body"'); // may ask a question

    const video = await student.get(`/courses/open-course/lessons/${locked.id}/video`);
    expect(video.status).toBe(302);
    expect(video.headers.location).toMatch(/^\/files\/lessons\/windows\.mp4\?exp=\d+&sig=[0-9a-f]{64}$/);

    expect((await (await t.signIn('mentor:openteacher')).get(`/courses/open-course/lessons/${locked.id}`)).status).toBe(200);
    expect((await (await signInAdmin()).get(`/courses/open-course/lessons/${locked.id}`)).status).toBe(200);
  });

  it('finds a lesson only under its own course', async () => {
    const a = await makeCourse(t, 'course-a');
    await makeCourse(t, 'course-b');
    expect((await t.agent().get(`/courses/course-b/lessons/${a.preview.id}`)).status).toBe(404);
    expect((await t.agent().get('/courses/course-a/lessons/not-a-uuid')).status).toBe(404);
  });
});

describe('skills linked to a course (seed 004)', () => {
  it('are booked by the course’s enrolled students only', async () => {
    const { course } = await makeCourse(t, 'linked-course');
    const { skillId } = await mentorWithSkill(t, 'mentor:linked');
    await t.deps.knex('skills').where({ id: skillId }).update({ courseId: course.id });
    const student = await t.signIn('student:linkedstudent');

    const held = await post(student, `/skills/${skillId}/holds`, { start: MONDAY_9, duration: '60' });
    expect(held.status).toBe(422);
    expect(held.text).toContain('enroll in the course first');
    const direct = await post(student, `/skills/${skillId}/bookings`, { start: MONDAY_9, duration: '60', subject: 'Help me' });
    expect(direct.status).toBe(422);
    expect(direct.text).toContain('enroll in the course first');
    expect(await t.deps.knex('bookings').where({ skillId })).toHaveLength(0);

    await post(student, '/courses/linked-course/enrollment');
    expect((await post(student, `/skills/${skillId}/holds`, { start: MONDAY_9, duration: '60' })).status).toBe(303);
    const booked = await post(student, `/skills/${skillId}/bookings`, { start: MONDAY_9, duration: '60', subject: 'Help me' });
    expect(booked.status).toBe(303);
    expect(await t.deps.knex('bookings').where({ skillId })).toHaveLength(1);
  });

  it('applies to group sessions too', async () => {
    const { course } = await makeCourse(t, 'group-course');
    const { skillId } = await mentorWithSkill(t, 'mentor:grouplinked', { skill: { mode: 'group', startsAt: new Date('2026-11-25T17:00:00Z'), capacity: 5, durations: [60] } });
    await t.deps.knex('skills').where({ id: skillId }).update({ courseId: course.id });
    const student = await t.signIn('student:groupie');
    const refused = await post(student, `/skills/${skillId}/bookings`);
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('enroll in the course first');
    await post(student, '/courses/group-course/enrollment');
    expect((await post(student, `/skills/${skillId}/bookings`)).status).toBe(303);
  });
});
