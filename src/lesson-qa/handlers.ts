// Lesson Q&A under the lesson player: ask, reply, edit, delete, pin the official
// answer. Every change answers with the thread for htmx, or the lesson page at the
// message otherwise; a refused message re-renders the thread with its form.
import type { Request, RequestHandler, Response } from 'express';
import type { Deps } from '../composition.ts';
import { accessError } from '../courses/access.ts';
import { coursePages, type LessonLocals } from '../courses/pages.ts';
import { UnauthorizedError } from '../lib/errors.ts';
import { currentUser } from '../lib/guards.ts';
import { isPartialRequest } from '../lib/htmx.ts';
import { redirect, render } from '../lib/render.ts';
import { parseForm, type FormContext } from '../lib/validation.ts';
import { commentSchema, questionSchema } from './schemas.ts';
import { type CommentActor } from './service.ts';

export function lessonQaHandlers(deps: Deps) {
  const pages = coursePages(deps);
  const comments = deps.services.lessonQa;

  const actorOf = (req: Request): CommentActor => {
    const u = currentUser(req);
    return { id: u.id, role: u.role, displayName: u.displayName };
  };

  // GET …/comments: the thread alone for htmx, the lesson page otherwise.
  const thread: RequestHandler = async (req, res) => {
    render(req, res, 'courses/lesson', await pages.lessonLocals(req, res), { fragment: 'lesson-qa/_thread' });
  };

  /** After a Q&A change: the thread for htmx, the lesson page at the message otherwise. */
  async function afterComment(req: Request, res: Response, anchor: string) {
    if (isPartialRequest(req)) {
      render(req, res, 'lesson-qa/_thread', await pages.lessonLocals(req, res));
      return;
    }
    redirect(req, res, `/courses/${String(req.params.slug)}/lessons/${String(req.params.lessonId)}#${anchor}`);
  }

  /** Q&A writes: signed in, and allowed to take part in this lesson's Q&A. */
  async function qaLocals(req: Request, res: Response): Promise<LessonLocals> {
    if (!req.user) throw new UnauthorizedError();
    const locals = await pages.lessonLocals(req, res);
    if (!locals.qa.canPost) throw accessError('forbidden');
    return locals;
  }

  const contextOf = (locals: LessonLocals) => ({ course: locals.course, lesson: locals.placed.lesson });
  const threadForm = (locals: LessonLocals, extra: Record<string, unknown>): FormContext => ({
    view: 'courses/lesson', fragment: 'lesson-qa/_thread', locals: { ...locals, ...extra },
  });

  // POST …/comments: a question, or a reply when parentId is given.
  const postComment: RequestHandler = async (req, res) => {
    const locals = await qaLocals(req, res);
    const parentId = typeof req.body?.parentId === 'string' ? req.body.parentId : '';
    const input = parseForm(req, res, parentId ? commentSchema : questionSchema, threadForm(locals, { formFor: parentId || 'ask' }));
    const comment = input.parentId
      ? await comments.reply(actorOf(req), contextOf(locals), input.parentId, input.body)
      : await comments.ask(actorOf(req), contextOf(locals), input.body);
    await afterComment(req, res, `comment-${comment.id}`);
  };

  // GET …/comments/:commentId/edit: the thread with that message as a form (own messages only).
  const editComment: RequestHandler = async (req, res) => {
    const locals = await qaLocals(req, res);
    const comment = await comments.findOwn(actorOf(req), locals.placed.lesson.id, String(req.params.commentId));
    render(req, res, 'courses/lesson', { ...locals, editing: comment.id }, { fragment: 'lesson-qa/_thread' });
  };

  // POST …/comments/:commentId
  const updateComment: RequestHandler = async (req, res) => {
    const locals = await qaLocals(req, res);
    const id = String(req.params.commentId);
    const own = await comments.findOwn(actorOf(req), locals.placed.lesson.id, id);
    // An edited question keeps the question's floor.
    const schema = (own.parentId ? commentSchema : questionSchema).pick({ body: true });
    const input = parseForm(req, res, schema, threadForm(locals, { editing: id, formFor: 'edit' }));
    await comments.edit(actorOf(req), locals.placed.lesson.id, id, input.body);
    await afterComment(req, res, `comment-${id}`);
  };

  /**
   * Delete, pin and unpin: signed in is enough here, since who may change which message
   * (author, admin, educator) is the service's rule, the same for the three.
   */
  const messageChange = (change: (actor: CommentActor, locals: LessonLocals, id: string) => Promise<void>): RequestHandler => async (req, res) => {
    if (!req.user) throw new UnauthorizedError();
    const locals = await pages.lessonLocals(req, res);
    const id = String(req.params.commentId);
    await change(actorOf(req), locals, id);
    await afterComment(req, res, `comment-${id}`);
  };

  // POST …/comments/:commentId/deletion: the author's own, or anyone's for the admin.
  const deleteComment = messageChange((actor, locals, id) => comments.remove(actor, locals.placed.lesson.id, id));
  // POST …/comments/:commentId/pin and …/pin/deletion: the admin or an educator of the course.
  const pin = messageChange((actor, locals, id) => comments.pin(actor, contextOf(locals), id));
  const unpin = messageChange((actor, locals, id) => comments.unpin(actor, contextOf(locals), id));

  return { thread, postComment, editComment, updateComment, deleteComment, pin, unpin };
}
