// Lesson Q&A (seed 001 "Espace commentaires"): questions under a lesson, one level
// of replies, one official answer per question pinned by the admin or an educator
// of the course. Authors edit and delete their own messages; the admin removes any.
// Deletion is soft: the thread keeps its shape and says the message was deleted.
import type { Knex } from 'knex';
import type { Config } from '../config.ts';
import type { Clock } from '../lib/clock.ts';
import { ForbiddenError, NotFoundError } from '../lib/errors.ts';
import type { Jobs, StoredNotification } from '../lib/jobs.ts';
import type { Mailer } from '../lib/mailer.ts';
import type { NotificationsService } from '../notifications/service.ts';
import { User } from '../users/model.ts';
import type { Course, Lesson } from '../courses/model.ts';
import { LessonComment } from './model.ts';

export interface CommentActor {
  id: string;
  role: 'student' | 'mentor' | 'admin';
  displayName: string;
}

export type Question = LessonComment & { replies: LessonComment[] };

/** Where a comment lives: the lesson and its course (educators decide on pins). */
export interface LessonContext {
  course: Pick<Course, 'id' | 'slug' | 'title'>;
  lesson: Pick<Lesson, 'id' | 'title'>;
}

export const ADMIN_QUESTION_MAIL_TASK = 'lesson-question-admin-mail';

export function commentsService(deps: { knex: Knex; clock: Clock; jobs: Jobs; notifications: NotificationsService; adminEmail?: string }) {
  const { knex, clock } = deps;

  const roleOf = (actor: CommentActor): LessonComment['authorRole'] => (actor.role === 'admin' ? 'admin' : actor.role === 'mentor' ? 'mentor' : 'student');
  // The shadow admin has no users row: its messages carry no user_id.
  const userIdOf = (actor: CommentActor) => (actor.role === 'admin' ? null : actor.id);

  /** Questions newest first; under each, the official answer first, then the replies in order. */
  async function thread(lessonId: string): Promise<Question[]> {
    const all = await LessonComment.query(knex).where({ lessonId }).withGraphFetched('author').orderBy('createdAt').orderBy('id');
    const questions = all.filter((c) => !c.parentId).reverse() as Question[];
    const byId = new Map(questions.map((q) => [q.id, q]));
    for (const q of questions) q.replies = [];
    for (const c of all) {
      if (c.parentId) byId.get(c.parentId)?.replies.push(c);
    }
    for (const q of questions) q.replies.sort((a, b) => Number(b.pinned) - Number(a.pinned));
    return questions;
  }

  async function isEducator(courseId: string, userId: string, db: Knex = knex): Promise<boolean> {
    return Boolean(await db('courseEducators').where({ courseId, mentorId: userId }).first());
  }

  /** A new question; the course's educators are told in the app and by mail, the admin by mail. */
  async function ask(actor: CommentActor, ctx: LessonContext, body: string): Promise<LessonComment> {
    return knex.transaction(async (trx) => {
      const [row] = await trx('lessonComments')
        .insert({ lessonId: ctx.lesson.id, parentId: null, userId: userIdOf(actor), authorRole: roleOf(actor), body })
        .returning('*') as Partial<LessonComment>[];
      const question = LessonComment.fromJson(row ?? {});
      const educators = await trx('courseEducators').join('users', 'users.id', 'courseEducators.mentorId')
        .where('courseEducators.courseId', ctx.course.id).whereNull('users.disabledAt').select('users.id') as { id: string }[];
      const data = { author: actor.displayName, course: ctx.course.title, lesson: ctx.lesson.title, slug: ctx.course.slug, lessonId: ctx.lesson.id, commentId: question.id };
      for (const educator of educators) {
        if (educator.id !== actor.id) await deps.notifications.notify(trx, { userId: educator.id, kind: 'lesson.question', data });
      }
      // The shadow admin is no users row, so no in-app notification: a mail job to
      // ADMIN_EMAIL instead, in the same transaction (it exists only if the question does).
      if (deps.adminEmail && actor.role !== 'admin') await deps.jobs.add(trx, ADMIN_QUESTION_MAIL_TASK, { commentId: question.id });
      return question;
    });
  }

  /**
   * The question's author hears of what happens under it (an answer, an official answer),
   * in the app and by mail: not of their own doing, and not when they have no account
   * left (or never had one: the shadow admin).
   */
  async function tellAsker(trx: Knex.Transaction, actor: CommentActor, ctx: LessonContext, questionId: string, answerId: string, kind: 'lesson.answered' | 'lesson.pinned') {
    const asker = await trx('lessonComments as c').join('users as u', 'u.id', 'c.userId')
      .where('c.id', questionId).whereNull('c.deletedAt').whereNull('u.disabledAt').first<{ id: string } | undefined>('u.id');
    if (!asker || asker.id === userIdOf(actor)) return;
    // Once per answer: pinning it again after an unpin (or twice at once: the caller holds
    // the question row) tells nothing new.
    if (kind === 'lesson.pinned' && await trx('notifications').where({ userId: asker.id, kind }).whereRaw(`data->>'commentId' = ?`, [answerId]).first('id')) return;
    await deps.notifications.notify(trx, {
      userId: asker.id, kind,
      data: { author: actor.displayName, course: ctx.course.title, lesson: ctx.lesson.title, slug: ctx.course.slug, lessonId: ctx.lesson.id, commentId: answerId, questionId },
    });
  }

  /** A reply goes under the question; a reply to a reply joins the same question. The asker is told. */
  async function reply(actor: CommentActor, ctx: LessonContext, parentId: string, body: string): Promise<LessonComment> {
    const parent = await LessonComment.query(knex).findById(parentId).where({ lessonId: ctx.lesson.id }).whereNull('deletedAt');
    if (!parent) throw new NotFoundError();
    const questionId = parent.parentId ?? parent.id;
    return knex.transaction(async (trx) => {
      const [row] = await trx('lessonComments')
        .insert({ lessonId: ctx.lesson.id, parentId: questionId, userId: userIdOf(actor), authorRole: roleOf(actor), body })
        .returning('*') as Partial<LessonComment>[];
      const answer = LessonComment.fromJson(row ?? {});
      await tellAsker(trx, actor, ctx, questionId, answer.id, 'lesson.answered');
      return answer;
    });
  }

  /** The actor's own live message in this lesson; anyone else's is not found (404). */
  async function findOwn(actor: CommentActor, lessonId: string, id: string, db: Knex = knex): Promise<LessonComment> {
    const query = LessonComment.query(db).findById(id).where({ lessonId }).whereNull('deletedAt');
    if (actor.role === 'admin') query.whereNull('userId').where('authorRole', 'admin');
    else query.where('userId', actor.id);
    const comment = await query;
    if (!comment) throw new NotFoundError();
    return comment;
  }

  async function edit(actor: CommentActor, lessonId: string, id: string, body: string): Promise<LessonComment> {
    const comment = await findOwn(actor, lessonId, id);
    return comment.$query(knex).patchAndFetch({ body, updatedAt: clock.now() } as Partial<LessonComment>);
  }

  /** The author deletes their own message; the admin removes anyone's. */
  async function remove(actor: CommentActor, lessonId: string, id: string): Promise<void> {
    const comment = actor.role === 'admin'
      ? await LessonComment.query(knex).findById(id).where({ lessonId }).whereNull('deletedAt')
      : await findOwn(actor, lessonId, id);
    if (!comment) throw new NotFoundError();
    // A deleted answer is no longer official; the text stays for moderation but is never shown.
    await comment.$query(knex).patch({ deletedAt: clock.now(), pinned: false } as Partial<LessonComment>);
  }

  /** Admin or educator of the course: this reply becomes the official answer (moves the pin). */
  async function pin(actor: CommentActor, ctx: LessonContext, id: string): Promise<void> {
    await knex.transaction(async (trx) => {
      if (actor.role !== 'admin' && !(await isEducator(ctx.course.id, actor.id, trx))) throw new ForbiddenError('comments.pinNotAllowed');
      const answer = await LessonComment.query(trx).findById(id).where({ lessonId: ctx.lesson.id }).whereNull('deletedAt').whereNotNull('parentId');
      if (!answer) throw new NotFoundError();
      // Two pins of one question at once: the question row orders them.
      await trx('lessonComments').where({ id: answer.parentId! }).forUpdate().first('id');
      await trx('lessonComments').where({ parentId: answer.parentId!, pinned: true }).whereNot({ id }).update({ pinned: false });
      await trx('lessonComments').where({ id }).update({ pinned: true });
      await tellAsker(trx, actor, ctx, answer.parentId!, id, 'lesson.pinned');
    });
  }

  async function unpin(actor: CommentActor, ctx: LessonContext, id: string): Promise<void> {
    if (actor.role !== 'admin' && !(await isEducator(ctx.course.id, actor.id))) throw new ForbiddenError('comments.pinNotAllowed');
    const updated = await knex('lessonComments').where({ id, lessonId: ctx.lesson.id }).update({ pinned: false });
    if (!updated) throw new NotFoundError();
  }

  return { thread, ask, reply, findOwn, edit, remove, pin, unpin, isEducator };
}

export type CommentsService = ReturnType<typeof commentsService>;

/** What a question mail says, for an educator (from the notification) or the admin. */
async function questionMailData(knex: Knex, commentId: string, appUrl: string) {
  const row = await knex('lessonComments as c')
    .join('lessons as l', 'l.id', 'c.lessonId')
    .join('courseModules as m', 'm.id', 'l.moduleId')
    .join('courses as co', 'co.id', 'm.courseId')
    .leftJoin('users as u', 'u.id', 'c.userId')
    .where('c.id', commentId).whereNull('c.deletedAt')
    .first<{ body: string; lessonId: string; lesson: string; course: string; slug: string; author: string | null } | undefined>(
      'c.body', 'c.lessonId', 'l.title as lesson', 'co.title as course', 'co.slug', 'u.displayName as author',
    );
  if (!row) return undefined;
  const excerpt = row.body.length > 400 ? `${row.body.slice(0, 400)}…` : row.body;
  return {
    author: row.author ?? 'Admin', course: row.course, lesson: row.lesson, excerpt,
    url: `${appUrl}/courses/${row.slug}/lessons/${row.lessonId}#comment-${commentId}`,
  };
}

/** The mail of each lesson notification kind: its template and, when not the template's own, its subject. */
const RECIPIENT_MAILS: Record<string, { template: string; subjectKey?: string }> = {
  'lesson.question': { template: 'lesson-question' },
  'lesson.answered': { template: 'lesson-answer' },
  'lesson.pinned': { template: 'lesson-answer', subjectKey: 'mail.lesson-answer.pinnedSubject' },
};

/** Mail for the lesson notification kinds (question, answer, official answer) and for the admin (jobs, lesson-qa/tasks.ts). */
export function lessonQuestionMails(deps: { knex: Knex; mailer: Mailer; config: Pick<Config, 'appUrl' | 'admin'> }) {
  return {
    async toRecipient(n: StoredNotification): Promise<void> {
      const commentId = typeof n.data.commentId === 'string' ? n.data.commentId : undefined;
      const [recipient, data] = await Promise.all([
        User.query(deps.knex).findById(n.userId),
        commentId ? questionMailData(deps.knex, commentId, deps.config.appUrl) : undefined,
      ]);
      const mail = RECIPIENT_MAILS[n.kind];
      if (!recipient || !data || !mail) return; // deleted meanwhile: nothing to tell
      const pinned = n.kind === 'lesson.pinned';
      await deps.mailer.send(mail.template, { email: recipient.email, locale: recipient.locale, name: recipient.displayName }, { ...data, pinned }, mail.subjectKey ? { subjectKey: mail.subjectKey } : {});
    },
    async toAdmin(commentId: string): Promise<void> {
      const admin = deps.config.admin;
      const data = admin ? await questionMailData(deps.knex, commentId, deps.config.appUrl) : undefined;
      if (!admin || !data) return;
      await deps.mailer.send('lesson-question', { email: admin.email, locale: 'fr', name: 'Admin' }, data);
    },
  };
}
