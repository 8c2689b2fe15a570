// Whether a page can already show times in the viewer's own zone. The first page a
// visitor opens is rendered before their browser could tell us its zone (app.js writes
// the `tz` cookie once it runs): blocks of times on such a page ask for themselves
// again with htmx, and come back in the browser's zone.
import type { Request } from 'express';
import { isTimeZone } from '../i18n/format.ts';
import { isPartialRequest } from './htmx.ts';

/** Whether the page's zone is the viewer's own: their profile's (signed in) or their browser's (the cookie). */
export function ownZoneKnown(req: Request): boolean {
  return Boolean(req.user && req.user.role !== 'admin') || isTimeZone(req.cookies?.tz as unknown);
}

/** Signed in (the profile's zone) or told by the browser; an htmx refresh never asks a third time. */
export function viewerZoneKnown(req: Request): boolean {
  return isPartialRequest(req) || ownZoneKnown(req);
}
