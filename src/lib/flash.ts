// One-shot messages after a redirect ("Profile saved"), carried by a short-lived signed
// cookie rather than the session: writing one into the session cost an UPDATE of the
// session row on the redirect and another when the next page read it (two of a booking's
// round trips).
import crypto from 'node:crypto';
import type { Request } from 'express';
import type { Config } from '../config.ts';
import { isPartialRequest } from './htmx.ts';

export interface Flash { kind: 'success' | 'info' | 'error'; key: string; params?: Record<string, string | number> }

export interface FlashCookie { name: string; key: Buffer; secure: boolean }

/** A flash not shown within this time (the redirect was not followed) is dropped. */
const MAX_AGE_MS = 60_000;
const KINDS = new Set(['success', 'info', 'error']);

export function flashCookie(config: Pick<Config, 'isProduction' | 'sessionSecret'>): FlashCookie {
  return {
    name: config.isProduction ? '__Host-lbc.flash' : 'lbc.flash',
    // Its own key, derived: a flash signature never doubles as a session one.
    key: crypto.createHmac('sha256', config.sessionSecret).update('lbc flash cookie').digest(),
    secure: config.isProduction,
  };
}

const cookieOf = (req: Request) => req.app.locals.flashCookie as FlashCookie;
const sign = (value: string, key: Buffer) => crypto.createHmac('sha256', key).update(value).digest('base64url');
const options = (c: FlashCookie) => ({ httpOnly: true, sameSite: 'lax' as const, secure: c.secure, path: '/' });

export function setFlash(req: Request, flash: Flash): void {
  const c = cookieOf(req);
  const value = Buffer.from(JSON.stringify(flash)).toString('base64url');
  req.res!.cookie(c.name, `${value}.${sign(value, c.key)}`, { ...options(c), maxAge: MAX_AGE_MS });
}

/** Whether a flash waits for the next page (the page cache checks the same cookie by name). */
const hasFlash = (req: Request): boolean => typeof req.cookies?.[cookieOf(req).name] === 'string';

function parse(raw: string, key: Buffer): Flash | undefined {
  const dot = raw.lastIndexOf('.');
  if (dot < 1) return undefined;
  const value = raw.slice(0, dot);
  const given = Buffer.from(raw.slice(dot + 1));
  const expected = Buffer.from(sign(value, key));
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return undefined;
  try {
    const f = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Flash;
    const paramsOk = f.params === undefined || (typeof f.params === 'object' && f.params !== null
      && Object.values(f.params).every((v) => typeof v === 'string' || typeof v === 'number'));
    return KINDS.has(f.kind) && typeof f.key === 'string' && paramsOk ? f : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The flash for the whole page being rendered, then gone. Taken when that page renders,
 * not by the next request: the bell's poll, a fragment or a JSON call landing between the
 * redirect and its page leave it alone.
 */
export function takeFlash(req: Request): Flash | undefined {
  if (req.method !== 'GET' || isPartialRequest(req) || !hasFlash(req)) return undefined;
  const c = cookieOf(req);
  req.res!.clearCookie(c.name, options(c));
  return parse(String(req.cookies[c.name]), c.key);
}
