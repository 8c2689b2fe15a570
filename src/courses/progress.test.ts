import { describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';

const t = await createTestApp();
type Agent = Awaited<ReturnType<typeof t.signIn>>;

/** A published course of three lessons over two modules (the third one first by position). */
async function course(app: TestApp, slug: string, options: { priceCents?: number; published?: boolean } = {}) {
  const knex = app.deps.knex;
  const [c] = await knex('courses').insert({ slug, title: `Progress ${slug}`, published: options.published ?? true, priceCents: options.priceCents ?? 0 }).returning('*');
  const [m1] = await knex('courseModules').insert({ courseId: c.id, title: 'Basics', position: 1 }).returning('*');
  const [m2] = await knex('courseModules').insert({ courseId: c.id, title: 'More', position: 2 }).returning('*');
  const [one] = await knex('lessons').insert({ moduleId: m1.id, title: `${slug} lesson one`, videoKey: 'lessons/a.mp4', position: 1 }).returning('*');
  const [two] = await knex('lessons').insert({ moduleId: m1.id, title: `${slug} lesson two`, videoKey: 'lessons/b.mp4', position: 2 }).returning('*');
  const [three] = await knex('lessons').insert({ moduleId: m2.id, title: `${slug} lesson three`, videoKey: 'lessons/c.mp4', position: 1 }).returning('*');
  return { id: c.id as string, slug, lessons: [one.id, two.id, three.id] as [string, string, string] };
}

async function enroll(fixture: string, courseId: string) {
  const user = await t.user(fixture);
  await t.deps.knex('enrollments').insert({ courseId, userId: user.id, source: 'payment' });
  return user;
}

async function form(agent: Agent, path: string, body: Record<string, string> = {}) {
  const token = await t.csrf(agent, '/');
  return agent.post(path).type('form').send({ _csrf: token, ...body });
}

const rows = async (userId: string) => t.deps.knex('lessonProgress').where({ userId }).orderBy('completedAt');
const lessonUrl = (c: { slug: string }, id: string) => `/courses/${c.slug}/lessons/${id}`;

describe('marking a lesson done', () => {
  it('works with the plain form and back (no JavaScript), and the pages count it', async () => {
    const c = await course(t, 'prog-form', { priceCents: 2900 });
    const student = await enroll('student:pf-ada', c.id);
    const agent = await t.signIn('student:pf-ada');

    const before = await agent.get(`/courses/${c.slug}`);
    expect(before.text).toContain('Lessons done: 0 of 3');
    expect(before.text).toMatch(new RegExp(`href="/courses/${c.slug}/lessons/${c.lessons[0]}">Start learning<`));
    expect(before.text).toMatch(/<progress[^>]+max="3" value="0" aria-labelledby="course-progress"/);

    const page = await agent.get(lessonUrl(c, c.lessons[0]));
    expect(page.text).toContain(`action="/courses/${c.slug}/lessons/${c.lessons[0]}/completion"`);
    expect(page.text).toContain('Mark as done');

    const done = await form(agent, `${lessonUrl(c, c.lessons[0])}/completion`);
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(lessonUrl(c, c.lessons[0]));
    expect(await rows(student.id)).toHaveLength(1);

    const after = await agent.get(lessonUrl(c, c.lessons[0]));
    expect(after.text).toContain('Lesson marked as done.');
    expect(after.text).toContain('Mark as not done');
    const show = await agent.get(`/courses/${c.slug}`);
    expect(show.text).toContain('Lessons done: 1 of 3');
    expect(show.text).toMatch(new RegExp(`href="/courses/${c.slug}/lessons/${c.lessons[1]}">Continue<`));
    // One tick in the curriculum, on the lesson done.
    expect(show.text.match(/class="lesson-tick"/g)).toHaveLength(1);
    expect(show.text).toMatch(/lesson--done">\s*<span class="lesson-tick"[^]*?prog-form lesson one/);

    const undone = await form(agent, `${lessonUrl(c, c.lessons[0])}/completion/deletion`);
    expect(undone.status).toBe(303);
    expect(await rows(student.id)).toHaveLength(0);
    expect((await agent.get(`/courses/${c.slug}`)).text).toContain('Lessons done: 0 of 3');
  });

  it('takes the player’s report at 90 % and answers with the widget in its next state; less is refused', async () => {
    const c = await course(t, 'prog-player');
    const student = await enroll('student:pp-bea', c.id);
    const agent = await t.signIn('student:pp-bea');
    const token = await t.csrf(agent, '/');
    const player = (watched: string) => agent.post(`${lessonUrl(c, c.lessons[1])}/completion`)
      .set('X-CSRF-Token', token).set('HX-Request', 'true').set('HX-Request-Type', 'partial').type('form').send({ watched });

    expect((await player('0.5')).status).toBe(422);
    const early = await agent.post(`${lessonUrl(c, c.lessons[1])}/completion`).set('X-CSRF-Token', token).set('Accept', 'application/json').send({ watched: 0.89 });
    expect(early.status).toBe(422);
    expect(early.body.error.fields.watched).toBe('A lesson counts as watched from 90 % of its video.');
    expect(await rows(student.id)).toHaveLength(0);

    const res = await player('0.93');
    expect(res.status).toBe(200);
    expect(res.text.trim().startsWith('<div id="lesson-completion"')).toBe(true);
    expect(res.text).toContain('data-completed="true"');
    expect(res.text).toContain('You watched this lesson');
    expect((await rows(student.id)).map((r) => r.lessonId)).toEqual([c.lessons[1]]);

    const json = await agent.post(`${lessonUrl(c, c.lessons[1])}/completion`).set('X-CSRF-Token', token).set('Accept', 'application/json').send({ watched: 1 });
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({ lessonId: c.lessons[1], completed: true });
    expect(await rows(student.id)).toHaveLength(1);
  });

  it('keeps one row under 100 parallel reports', async () => {
    const c = await course(t, 'prog-race');
    const student = await enroll('student:pr-cy', c.id);
    const agent = await t.signIn('student:pr-cy');
    const token = await t.csrf(agent, '/');
    const answers = await Promise.all(Array.from({ length: 100 }, () =>
      agent.post(`${lessonUrl(c, c.lessons[2])}/completion`).set('X-CSRF-Token', token).set('Accept', 'application/json').send({ watched: 0.95 })));
    expect(answers.map((a) => a.status)).toEqual(Array(100).fill(200));
    expect(new Set(answers.map((a) => a.body.completedAt)).size).toBe(1);
    expect(await rows(student.id)).toHaveLength(1);
  });

  it('is a 404 for a stranger, a lesson of another course, a draft or a malformed id', async () => {
    const c = await course(t, 'prog-closed', { priceCents: 4900 });
    const other = await course(t, 'prog-other');
    const draft = await course(t, 'prog-draft', { published: false });
    await enroll('student:pc-dan', other.id);
    await enroll('student:pc-dan', draft.id);
    const dan = await t.user('student:pc-dan');
    const stranger = await t.signIn('student:pc-dan');
    const tries = [
      `${lessonUrl(c, c.lessons[0])}/completion`,
      `${lessonUrl(c, c.lessons[0])}/completion/deletion`,
      `${lessonUrl(other, c.lessons[0])}/completion`, // enrolled in `other`, but the lesson is not its
      `${lessonUrl(draft, draft.lessons[0])}/completion`,
      `/courses/${other.slug}/lessons/not-a-uuid/completion`,
    ];
    for (const path of tries) {
      const res = await form(stranger, path);
      expect(res.status, path).toBe(404);
    }
    expect(await rows(dan.id)).toHaveLength(0);
    const anonymous = await t.agent().post(`${lessonUrl(c, c.lessons[0])}/completion`).set('Accept', 'application/json');
    expect([401, 403]).toContain(anonymous.status);
  });
});

describe('my courses', () => {
  it('lists every enrolled course with its progress and the way on, and links it from the header', async () => {
    const started = await course(t, 'mine-started');
    const finished = await course(t, 'mine-finished');
    const fresh = await course(t, 'mine-fresh', { priceCents: 1500 });
    const notMine = await course(t, 'mine-not-mine');
    const student = await enroll('student:mc-eli', started.id);
    await enroll('student:mc-eli', finished.id);
    await enroll('student:mc-eli', fresh.id);
    await t.deps.knex('lessonProgress').insert([
      { userId: student.id, lessonId: started.lessons[0] },
      ...finished.lessons.map((lessonId) => ({ userId: student.id, lessonId })),
    ]);
    const agent = await t.signIn('student:mc-eli');

    const res = await agent.get('/my/courses');
    expect(res.status).toBe(200);
    const html = res.text;
    expect(html).toContain('href="/my/courses"');
    expect(html).not.toContain(notMine.slug);
    const line = (c: { slug: string }) => html.slice(html.indexOf(`href="/courses/${c.slug}"`)).split('</li>')[0]!;
    expect(line(started)).toContain('Lessons done: 1 of 3');
    expect(line(started)).toMatch(/<progress[^>]+max="3" value="1"/);
    expect(line(started)).toContain(`href="/courses/${started.slug}/lessons/${started.lessons[1]}"`);
    expect(line(started)).toContain('>Continue<');
    expect(line(finished)).toContain('Lessons done: 3 of 3');
    expect(line(finished)).toContain(`href="/courses/${finished.slug}/lessons/${finished.lessons[0]}"`);
    expect(line(finished)).toContain('>Review<');
    expect(line(fresh)).toContain('Lessons done: 0 of 3');
    expect(line(fresh)).toContain('>Start<');
  });

  it('says what to do when there is none, and asks anonymous visitors to log in', async () => {
    const agent = await t.signIn('student:mc-new');
    const res = await agent.get('/my/courses');
    expect(res.text).toContain('Enroll in a free course or buy one');
    expect(res.text).toContain('href="/courses"');
    const anonymous = await t.agent().get('/my/courses');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toContain('/login');
  });
});
