import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { waitFor } from '../../test/helpers/wait.ts';

const t = await createTestApp({ worker: true });
type Agent = Awaited<ReturnType<typeof t.signIn>>;

/** A published course taught by two mentors, with one locked lesson, and enrolled students. */
async function courseWithLesson(slug: string, educators: string[], students: string[]) {
  const knex = t.deps.knex;
  const [course] = await knex('courses').insert({ slug, title: `Course ${slug}`, published: true }).returning('*');
  const [mod] = await knex('courseModules').insert({ courseId: course.id, title: 'Module', position: 1 }).returning('*');
  const [lesson] = await knex('lessons').insert({ moduleId: mod.id, title: 'Windows and controls', videoKey: 'lessons/w.mp4', position: 1 }).returning('*');
  for (const e of educators) await knex('courseEducators').insert({ courseId: course.id, mentorId: (await t.user(e)).id });
  for (const s of students) await knex('enrollments').insert({ courseId: course.id, userId: (await t.user(s)).id });
  return { course, lesson, base: `/courses/${slug}/lessons/${lesson.id}` };
}

const signInAdmin = () => t.signInAdmin();

async function post(agent: Agent, path: string, body: Record<string, string> = {}, partial = false) {
  const token = await t.csrf(agent, '/');
  const req = agent.post(path).type('form');
  if (partial) req.set('HX-Request', 'true').set('HX-Request-Type', 'partial');
  return req.send({ _csrf: token, ...body });
}

const comment = (id: string) => t.deps.knex('lessonComments').where({ id }).first();
const newest = async (lessonId: string) => t.deps.knex('lessonComments').where({ lessonId }).orderBy('createdAt', 'desc').first();

describe('lesson Q&A', () => {
  it('posts a question that notifies the educators in the app and by mail, and the admin by mail', async () => {
    const { base, lesson } = await courseWithLesson('qa-notify', ['mentor:edu1', 'mentor:edu2'], ['student:asker']);
    const student = await t.signIn('student:asker');
    const res = await post(student, `${base}/comments`, { body: 'Why does my window not open?' });
    expect(res.status).toBe(303);
    const question = await newest(lesson.id);
    expect(res.headers.location).toBe(`${base}#comment-${question.id}`);
    expect(question).toMatchObject({ body: 'Why does my window not open?', parentId: null, authorRole: 'student', pinned: false });

    const edu1 = await t.user('mentor:edu1');
    const notes = await t.deps.knex('notifications').where({ kind: 'lesson.question' }).whereIn('userId', [edu1.id, (await t.user('mentor:edu2')).id]);
    expect(notes).toHaveLength(2);
    expect(notes[0].data).toMatchObject({ author: 'Asker Test', lesson: 'Windows and controls', commentId: question.id });
    const list = await (await t.signIn('mentor:edu1')).get('/notifications');
    expect(list.text).toContain('Asker Test asked a question on &quot;Windows and controls&quot; (Course qa-notify).');

    const mail = await waitFor(() => t.mails.find((m) => m.to === 'edu1@example.test'));
    expect(mail.subject).toBe('New question on "Windows and controls"');
    expect(mail.text).toContain('Why does my window not open?');
    expect(mail.text).toContain(`http://localhost:3999${base}#comment-${question.id}`);
    await waitFor(() => t.mails.find((m) => m.to === 'edu2@example.test'));
    const admin = await waitFor(() => t.mails.find((m) => m.to === 'admin@leboncours.test' && m.text.includes('Why does my window not open?')));
    expect(admin.subject).toBe('Nouvelle question sur « Windows and controls »');

    const page = await student.get(base);
    expect(page.text).toContain('Why does my window not open?');
  });

  it('answers htmx with the thread fragment, also for a form error', async () => {
    const { base } = await courseWithLesson('qa-htmx', [], ['student:htmxer']);
    const student = await t.signIn('student:htmxer');
    const empty = await post(student, `${base}/comments`, { body: '   ' }, true);
    expect(empty.status).toBe(422);
    expect(empty.text.trim().startsWith('<section class="card stack" id="qa"')).toBe(true);
    expect(empty.text).toContain('id="qa-ask-error"');
    const ok = await post(student, `${base}/comments`, { body: 'First question by htmx' }, true);
    expect(ok.status).toBe(200);
    expect(ok.text.trim().startsWith('<section class="card stack" id="qa"')).toBe(true);
    expect(ok.text).toContain('First question by htmx');
    expect(ok.text).not.toContain('<html');
    const thread = await student.get(`${base}/comments`).set('HX-Request', 'true').set('HX-Request-Type', 'partial');
    expect(thread.text).toContain('First question by htmx');
  });

  it('keeps Q&A to people with a seat: others read previews only, anonymous visitors log in', async () => {
    const { base } = await courseWithLesson('qa-closed', [], []);
    const outsider = await t.signIn('student:qaoutsider');
    expect((await post(outsider, `${base}/comments`, { body: 'Can I ask?' })).status).toBe(403);
    expect((await post(t.agent(), `${base}/comments`, { body: 'Can I ask?' })).status).toBe(401);
    expect(await t.deps.knex('lessonComments')).not.toContainEqual(expect.objectContaining({ body: 'Can I ask?' }));
  });

  it('threads replies one level deep; a reply to a reply joins the question', async () => {
    const { base, lesson } = await courseWithLesson('qa-replies', ['mentor:replyedu'], ['student:qasker', 'student:qother']);
    const asker = await t.signIn('student:qasker');
    await post(asker, `${base}/comments`, { body: 'How do I bind a table?' });
    const question = await newest(lesson.id);
    const other = await t.signIn('student:qother');
    await post(other, `${base}/comments`, { body: 'Use the binding wizard.', parentId: question.id });
    const reply = await newest(lesson.id);
    expect(reply.parentId).toBe(question.id);
    const educator = await t.signIn('mentor:replyedu');
    await post(educator, `${base}/comments`, { body: 'Replying to the reply.', parentId: reply.id });
    const nested = await newest(lesson.id);
    expect(nested).toMatchObject({ parentId: question.id, authorRole: 'mentor' });
    const page = await asker.get(base);
    expect(page.text).toContain('Educator');
    expect(page.text).toContain('2 replies');
    expect((await post(other, `${base}/comments`, { body: 'Orphan', parentId: '00000000-0000-0000-0000-000000000001' })).status).toBe(404);
  });

  it('lets only the admin or an educator pin one official answer; pinning another moves it', async () => {
    const { base, lesson } = await courseWithLesson('qa-pins', ['mentor:pinner'], ['student:pinasker', 'student:pinanswer']);
    const asker = await t.signIn('student:pinasker');
    await post(asker, `${base}/comments`, { body: 'Which version do I need?' });
    const question = await newest(lesson.id);
    const answerer = await t.signIn('student:pinanswer');
    await post(answerer, `${base}/comments`, { body: 'WinDev 25 works.', parentId: question.id });
    const first = await newest(lesson.id);
    const educator = await t.signIn('mentor:pinner');
    await post(educator, `${base}/comments`, { body: 'WinDev 26 is required for module 4.', parentId: question.id });
    const second = await newest(lesson.id);

    expect((await post(asker, `${base}/comments/${first.id}/pin`)).status).toBe(403);
    const otherMentor = await t.signIn('mentor:notteaching');
    expect((await post(otherMentor, `${base}/comments/${first.id}/pin`)).status).toBe(403);
    expect((await post(educator, `${base}/comments/${question.id}/pin`)).status).toBe(404); // a question is not an answer

    expect((await post(educator, `${base}/comments/${first.id}/pin`)).status).toBe(303);
    expect((await comment(first.id)).pinned).toBe(true);
    const admin = await signInAdmin();
    const moved = await post(admin, `${base}/comments/${second.id}/pin`, {}, true);
    expect(moved.status).toBe(200);
    expect((await comment(first.id)).pinned).toBe(false);
    expect((await comment(second.id)).pinned).toBe(true);
    expect(await t.deps.knex('lessonComments').where({ parentId: question.id, pinned: true })).toHaveLength(1);
    // The official answer comes first, marked.
    const html = (await asker.get(base)).text;
    expect(html.indexOf('WinDev 26 is required')).toBeLessThan(html.indexOf('WinDev 25 works.'));
    expect(html).toContain('Official answer');
    expect(html).not.toContain('Pin as the official answer'); // students see no pin buttons

    // Concurrent pins of two answers still leave one.
    await Promise.all([post(educator, `${base}/comments/${first.id}/pin`), post(admin, `${base}/comments/${second.id}/pin`)]);
    expect(await t.deps.knex('lessonComments').where({ parentId: question.id, pinned: true })).toHaveLength(1);

    expect((await post(educator, `${base}/comments/${second.id}/pin/deletion`)).status).toBe(303);
    expect((await post(educator, `${base}/comments/${first.id}/pin/deletion`)).status).toBe(303);
    expect(await t.deps.knex('lessonComments').where({ parentId: question.id, pinned: true })).toHaveLength(0);
  });

  it('lets authors edit and delete their own messages only; deleted messages keep the thread readable', async () => {
    const { base, lesson } = await courseWithLesson('qa-own', [], ['student:author', 'student:replier']);
    const author = await t.signIn('student:author');
    await post(author, `${base}/comments`, { body: 'Original question text' });
    const question = await newest(lesson.id);
    const replier = await t.signIn('student:replier');
    await post(replier, `${base}/comments`, { body: 'A reply that stays.', parentId: question.id });

    const form = await author.get(`${base}/comments/${question.id}/edit`).set('HX-Request', 'true').set('HX-Request-Type', 'partial');
    expect(form.status).toBe(200);
    expect(form.text).toContain(`action="${base}/comments/${question.id}"`);
    expect(form.text).toContain('>Original question text</textarea>');
    expect((await replier.get(`${base}/comments/${question.id}/edit`)).status).toBe(404);
    expect((await post(replier, `${base}/comments/${question.id}`, { body: 'Hijacked' })).status).toBe(404);
    expect((await post(author, `${base}/comments/${question.id}`, { body: '' })).status).toBe(422);

    const edited = await post(author, `${base}/comments/${question.id}`, { body: 'Edited question text' });
    expect(edited.status).toBe(303);
    expect((await comment(question.id)).body).toBe('Edited question text');

    expect((await post(replier, `${base}/comments/${question.id}/deletion`)).status).toBe(404);
    expect((await comment(question.id)).deletedAt).toBeNull();
    const deleted = await post(author, `${base}/comments/${question.id}/deletion`, {}, true);
    expect(deleted.status).toBe(200);
    expect(deleted.text).toContain('This message was deleted.');
    expect(deleted.text).not.toContain('Edited question text');
    expect(deleted.text).toContain('A reply that stays.');
    expect((await comment(question.id)).deletedAt).not.toBeNull();
    // Gone for edits, and no new replies under it.
    expect((await post(author, `${base}/comments/${question.id}`, { body: 'Back again' })).status).toBe(404);
    expect((await post(replier, `${base}/comments`, { body: 'Late reply', parentId: question.id })).status).toBe(404);
  });

  it('lets the admin remove anyone’s message, and answer as Admin', async () => {
    const { base, lesson } = await courseWithLesson('qa-admin', [], ['student:rude']);
    const rude = await t.signIn('student:rude');
    await post(rude, `${base}/comments`, { body: 'Something rude here' });
    const question = await newest(lesson.id);
    const admin = await signInAdmin();
    expect((await admin.get(base)).text).toContain('>Remove</button>');
    expect((await post(admin, `${base}/comments/${question.id}/deletion`)).status).toBe(303);
    expect((await comment(question.id)).deletedAt).not.toBeNull();

    await post(rude, `${base}/comments`, { body: 'A real question now' });
    const second = await newest(lesson.id);
    expect((await post(admin, `${base}/comments`, { body: 'The official word.', parentId: second.id })).status).toBe(303);
    const answer = await newest(lesson.id);
    expect(answer).toMatchObject({ userId: null, authorRole: 'admin', parentId: second.id });
    // The admin edits its own answers; a student cannot touch them.
    expect((await post(admin, `${base}/comments/${answer.id}`, { body: 'The official word, edited.' })).status).toBe(303);
    expect((await post(rude, `${base}/comments/${answer.id}`, { body: 'Mine now' })).status).toBe(404);
    const html = (await rude.get(base)).text;
    expect(html).toContain('The official word, edited.');
    expect(html).toContain('This message was deleted.');
  });
});
