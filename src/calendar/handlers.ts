// The calendar endpoints: a booking's .ics, the private feed, and the profile's feed buttons.
import type { Request, RequestHandler, Response } from 'express';
import type { Deps } from '../composition.ts';
import { ForbiddenError, NotFoundError } from '../lib/errors.ts';
import { currentUser } from '../lib/guards.ts';
import { redirect } from '../lib/render.ts';
import { setFlash } from '../lib/flash.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function sendCalendar(res: Response, content: string, options: { method: string; filename?: string; cache: string }) {
  // attachment() first: it sets a content type from the file name, without the method.
  if (options.filename) res.attachment(options.filename);
  res.set('Content-Type', `text/calendar; charset=utf-8; method=${options.method}`);
  res.set('Cache-Control', options.cache);
  res.set('X-Robots-Tag', 'noindex');
  res.send(content);
}

export function calendarHandlers(deps: Deps) {
  const { calendar, calendarFeeds } = deps.services;

  const bookingIcs: RequestHandler = async (req, res) => {
    const id = String(req.params.id);
    if (!UUID.test(id)) throw new NotFoundError();
    const { method, content } = await calendar.download(currentUser(req).id, id);
    sendCalendar(res, content, { method, filename: `leboncours-${id.slice(0, 8)}.ics`, cache: 'private, no-store' });
  };

  // No session here: a calendar client fetches it unattended. Private, shortly cached.
  const feed: RequestHandler = async (req, res) => {
    const content = await calendarFeeds.feed(String(req.params.token));
    sendCalendar(res, content, { method: 'PUBLISH', cache: 'private, max-age=300' });
  };

  /** The shadow admin has no users row, hence no feed of its own. */
  const owner = (req: Request) => {
    const user = currentUser(req);
    if (!user.record) throw new ForbiddenError('users.adminHasNoProfile');
    return user.record;
  };

  const regenerate: RequestHandler = async (req, res) => {
    const had = await calendarFeeds.forUser(owner(req).id);
    await calendarFeeds.regenerate(owner(req).id);
    setFlash(req, { kind: 'success', key: had ? 'calendar.feed.regenerated' : 'calendar.feed.created' });
    redirect(req, res, '/profile#calendar-feed');
  };

  const revoke: RequestHandler = async (req, res) => {
    await calendarFeeds.revoke(owner(req).id);
    setFlash(req, { kind: 'success', key: 'calendar.feed.revoked' });
    redirect(req, res, '/profile#calendar-feed');
  };

  return { bookingIcs, feed, regenerate, revoke };
}
