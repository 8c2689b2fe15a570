import type { RequestHandler } from 'express';
import type { Deps } from '../composition.ts';
import { currentUser } from '../lib/guards.ts';
import { redirect, render } from '../lib/render.ts';

export function notificationHandlers(deps: Deps) {
  const { notifications } = deps.services;

  const list: RequestHandler = async (req, res) => {
    const user = currentUser(req);
    const items = await notifications.list(user.id);
    render(req, res, 'notifications/index', { title: res.locals.t('notifications.title'), items });
  };

  /** The header bell, polled by htmx; it renders itself in its next state (habit 4). */
  const bell: RequestHandler = async (req, res) => {
    res.set('Cache-Control', 'no-store');
    render(req, res, 'notifications/_bell', { unread: await notifications.unreadCount(currentUser(req).id) });
  };

  const read: RequestHandler = async (req, res) => {
    await notifications.markRead(currentUser(req).id, String(req.params.id), deps.clock.now());
    const to = typeof req.body?.next === 'string' && req.body.next.startsWith('/bookings/') ? req.body.next : '/notifications';
    redirect(req, res, to);
  };

  const readAll: RequestHandler = async (req, res) => {
    await notifications.markAllRead(currentUser(req).id, deps.clock.now());
    redirect(req, res, '/notifications');
  };

  return { list, bell, read, readAll };
}
