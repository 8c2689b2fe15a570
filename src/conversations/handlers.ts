// A booking's conversation: the thread alone (htmx polling), its own page (no JS, a
// refused message without JS), and posting. The booking is loaded through the viewer
// (bookings' visibleTo): a stranger's request is a 404 before any message is read.
import type { Request, RequestHandler, Response } from 'express';
import type { Deps } from '../composition.ts';
import { currentUser } from '../lib/guards.ts';
import { isPartialRequest } from '../lib/htmx.ts';
import { redirect, render } from '../lib/render.ts';
import { parseForm } from '../lib/validation.ts';
import { messageSchema } from './schemas.ts';

export function conversationHandlers(deps: Deps) {
  const { bookings, conversations } = deps.services;

  const actor = (req: Request) => {
    const u = currentUser(req);
    return { id: u.id, role: u.role };
  };

  async function locals(req: Request, res: Response) {
    const booking = await bookings.detail(actor(req), String(req.params.id));
    const conversation = await conversations.threadFor(actor(req), booking);
    const isMentor = booking.mentorId === actor(req).id;
    return { title: res.locals.t('conversations.pageTitle', { subject: booking.subject }), booking, conversation, isMentor };
  }

  // GET /bookings/:id/messages: the thread for htmx (it polls itself), the conversation page otherwise.
  const thread: RequestHandler = async (req, res) => {
    res.set('Cache-Control', 'no-store');
    render(req, res, 'conversations/show', await locals(req, res), { fragment: 'conversations/_thread' });
  };

  // POST /bookings/:id/messages
  const create: RequestHandler = async (req, res) => {
    const before = await locals(req, res);
    const input = parseForm(req, res, messageSchema, { view: 'conversations/show', fragment: 'bookings/_conversation', locals: before });
    await conversations.post(actor(req), before.booking, input.body);
    if (isPartialRequest(req)) {
      render(req, res, 'bookings/_conversation', await locals(req, res));
      return;
    }
    redirect(req, res, `/bookings/${before.booking.id}#conversation`);
  };

  return { thread, create };
}
