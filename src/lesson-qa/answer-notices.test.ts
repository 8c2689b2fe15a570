// The author of a question hears of its answers and of its official answer (in the
// app and by mail, in their language), questions say enough to be answered, and the
// admin's answers name it once.
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { waitFor } from '../../test/helpers/wait.ts';

const t = await createTestApp({ worker: true });
type Agent = Awaited<ReturnType<typeof t.signIn>>;

async function courseWithLesson(slug: string, educators: string[], students: string[]) {
  const knex = t.deps.knex;
  const [course] = await knex('courses').insert({ slug, title: `Course ${slug}`, published: true }).returning('*');
  const [mod] = await knex('courseModules').insert({ courseId: course.id, title: 'Module', position: 1 }).returning('*');
  const [lesson] = await knex('lessons').insert({ moduleId: mod.id, title: 'Reports', videoKey: 'lessons/r.mp4', position: 1 }).returning('*');
  for (const e of educators) await knex('courseEducators').insert({ courseId: course.id, mentorId: (await t.user(e)).id });
  for (const s of students) await knex('enrollments').insert({ courseId: course.id, userId: (await t.user(s)).id });
  return { lesson, base: `/courses/${slug}/lessons/${lesson.id}` };
}

async function post(agent: Agent, path: string, body: Record<string, string> = {}) {
  const token = await t.csrf(agent, '/');
  return agent.post(path).type('form').send({ _csrf: token, ...body });
}

const newest = async (lessonId: string) => t.deps.knex('lessonComments').where({ lessonId }).orderBy('createdAt', 'desc').first();
const notices = async (fixture: string, kind: string) => t.deps.knex('notifications').where({ userId: (await t.user(fixture)).id, kind }).orderBy('createdAt');
const mailsTo = (email: string, subject: string) => t.mails.filter((m) => m.to === email && m.subject === subject);

describe('answers to a question', () => {
  it('tell the asker of each answer by others, in the app and by mail in their language; never of their own', async () => {
    await t.user('student:ansasker', { locale: 'fr' }); // before the course enrolls them
    const { base, lesson } = await courseWithLesson('qa-answered', ['mentor:ansedu'], ['student:ansasker', 'student:ansother']);
    const asker = await t.signIn('student:ansasker');
    expect((await post(asker, `${base}/comments`, { body: 'Comment trier un état par client ?' })).status).toBe(303);
    const question = await newest(lesson.id);

    const educator = await t.signIn('mentor:ansedu');
    expect((await post(educator, `${base}/comments`, { body: 'Add a break on the customer column.', parentId: question.id })).status).toBe(303);
    const answer = await newest(lesson.id);
    const [notice] = await notices('student:ansasker', 'lesson.answered');
    expect(notice.data).toMatchObject({ author: 'Ansedu Test', lesson: 'Reports', commentId: answer.id, questionId: question.id });
    const subject = 'Votre question sur « Reports » a une réponse';
    const mail = await waitFor(() => mailsTo('ansasker@example.test', subject)[0]);
    expect(mail.text).toContain('Ansedu Test a répondu à votre question sous la leçon « Reports » du cours « Course qa-answered »');
    expect(mail.text).toContain('Add a break on the customer column.');
    expect(mail.text).toContain(`http://localhost:3999${base}#comment-${answer.id}`);
    const page = await asker.get('/notifications');
    expect(page.text).toContain('Ansedu Test a répondu à votre question sur « Reports » (Course qa-answered).');

    // Their own follow-up tells them nothing; another student's answer does, once.
    expect((await post(asker, `${base}/comments`, { body: 'Merci, ça marche.', parentId: question.id })).status).toBe(303);
    const other = await t.signIn('student:ansother');
    expect((await post(other, `${base}/comments`, { body: 'Or sort the query.', parentId: answer.id })).status).toBe(303);
    await waitFor(() => t.mails.find((m) => m.to === 'ansasker@example.test' && m.text.includes('Or sort the query.')));
    expect(await notices('student:ansasker', 'lesson.answered')).toHaveLength(2);
    expect(mailsTo('ansasker@example.test', subject)).toHaveLength(2);
    // The answerers hear nothing of the thread they answered in.
    expect(await notices('mentor:ansedu', 'lesson.answered')).toHaveLength(0);
  });

  it('tell the asker once when an answer becomes the official one, not again on a re-pin', async () => {
    const { base, lesson } = await courseWithLesson('qa-pinned', ['mentor:pinedu'], ['student:pinasker2', 'student:pinhelper']);
    const asker = await t.signIn('student:pinasker2');
    await post(asker, `${base}/comments`, { body: 'Which printer driver should I use?' });
    const question = await newest(lesson.id);
    const helper = await t.signIn('student:pinhelper');
    await post(helper, `${base}/comments`, { body: 'The PDF one.', parentId: question.id });
    const first = await newest(lesson.id);
    const educator = await t.signIn('mentor:pinedu');
    await post(educator, `${base}/comments`, { body: 'The generic one.', parentId: question.id });
    const second = await newest(lesson.id);

    expect((await post(educator, `${base}/comments/${first.id}/pin`)).status).toBe(303);
    const subject = 'Your question on "Reports" has an official answer';
    const mail = await waitFor(() => mailsTo('pinasker2@example.test', subject)[0]);
    expect(mail.text).toContain('This answer by Pinhelper Test to your question under the lesson "Reports" of the course "Course qa-pinned" is now the official answer:');
    expect(mail.text).toContain('The PDF one.');
    expect(mail.text).toContain(`${base}#comment-${first.id}`);
    expect((await asker.get('/notifications')).text).toContain('Pinedu Test marked an answer to your question on &quot;Reports&quot; as the official answer (Course qa-pinned).');

    // Unpinned and pinned again, or pinned twice: nothing new to tell.
    await post(educator, `${base}/comments/${first.id}/pin/deletion`);
    await post(educator, `${base}/comments/${first.id}/pin`);
    await post(educator, `${base}/comments/${first.id}/pin`);
    // Another answer made official is news.
    const admin = await t.signInAdmin();
    expect((await post(admin, `${base}/comments/${second.id}/pin`)).status).toBe(303);
    await waitFor(() => t.mails.find((m) => m.to === 'pinasker2@example.test' && m.subject === subject && m.text.includes('The generic one.')));
    const pinned = await notices('student:pinasker2', 'lesson.pinned');
    expect(pinned.map((n: { data: { commentId: string } }) => n.data.commentId)).toEqual([first.id, second.id]);
    expect(mailsTo('pinasker2@example.test', subject)).toHaveLength(2);
  });

  it('tell no one when the asker answers or pins under their own question', async () => {
    const { base, lesson } = await courseWithLesson('qa-self', ['mentor:selfedu'], []);
    const educator = await t.signIn('mentor:selfedu');
    await post(educator, `${base}/comments`, { body: 'A note for students: read the guide first.' });
    const question = await newest(lesson.id);
    await post(educator, `${base}/comments`, { body: 'The guide is in the resources.', parentId: question.id });
    const own = await newest(lesson.id);
    expect((await post(educator, `${base}/comments/${own.id}/pin`)).status).toBe(303);
    expect(await t.deps.knex('notifications').whereIn('kind', ['lesson.answered', 'lesson.pinned'])
      .where({ userId: (await t.user('mentor:selfedu')).id })).toHaveLength(0);
  });
});

describe('questions', () => {
  it('must say enough to be answered (the reviews rule); replies may be short', async () => {
    const { base, lesson } = await courseWithLesson('qa-short', [], ['student:terse']);
    const student = await t.signIn('student:terse');
    const short = await post(student, `${base}/comments`, { body: '  Help?  ' });
    expect(short.status).toBe(422);
    expect(short.text).toContain('id="qa-ask-error">Write your question in at least 10 characters');
    expect(short.text).toContain('>  Help?  </textarea>');
    expect(await t.deps.knex('lessonComments').where({ lessonId: lesson.id })).toHaveLength(0);

    expect((await post(student, `${base}/comments`, { body: 'Where is the sample database?' })).status).toBe(303);
    const question = await newest(lesson.id);
    expect((await post(student, `${base}/comments`, { body: 'Found it!', parentId: question.id })).status).toBe(303);
    // An edit keeps the question's floor.
    const edit = await post(student, `${base}/comments/${question.id}`, { body: 'Where?' });
    expect(edit.status).toBe(422);
    expect((await newest(lesson.id)).body).toBe('Found it!');
    expect((await t.deps.knex('lessonComments').where({ id: question.id }).first()).body).toBe('Where is the sample database?');
  });
});

describe('an answer by the admin', () => {
  it('names the admin once', async () => {
    const { base, lesson } = await courseWithLesson('qa-adminname', [], ['student:adminasked']);
    const student = await t.signIn('student:adminasked');
    await post(student, `${base}/comments`, { body: 'Is there a certificate at the end?' });
    const question = await newest(lesson.id);
    const admin = await t.signInAdmin();
    await post(admin, `${base}/comments`, { body: 'Yes, after the last module.', parentId: question.id });
    const answer = await newest(lesson.id);
    const html = (await student.get(base)).text;
    const block = new RegExp(`id="comment-${answer.id}">([\\s\\S]*?)</li>`).exec(html)?.[1] ?? '';
    expect(block).toContain('Yes, after the last module.');
    expect(block.match(/>Admin</g)).toHaveLength(1);
  });
});
