// Whether a page can already show times in the viewer's own zone. The first page a
// visitor opens is rendered before their browser could tell us its zone (app.js writes
// the `tz` cookie once it runs): blocks of times on such a page ask for themselves
// again with htmx, and come back in the browser's zone.
import type { Request } from 'express';
import { isTimeZone } from '../i18n/format.ts';
import { isPartialRequest } from './htmx.ts';

/** The viewer's own zone: their profile's (signed in; the shadow admin has none) or their browser's (the cookie). */
export function ownZone(req: Request): string | undefined {
  if (req.user && req.user.role !== 'admin') return req.user.timezone;
  const cookie = req.cookies?.tz as unknown;
  return isTimeZone(cookie) ? cookie : undefined;
}

/** Signed in (the profile's zone) or told by the browser; an htmx refresh never asks a third time. */
export function viewerZoneKnown(req: Request): boolean {
  return isPartialRequest(req) || ownZone(req) !== undefined;
}
