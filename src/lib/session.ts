// Sessions live in PostgreSQL (connect-pg-simple) so app instances stay stateless.
// Anonymous visitors get no session row (saveUninitialized: false) and signed-in
// requests write at most once a minute: touching the store on every request costs
// an UPDATE each time (measured ~10x slower in the stack trial).
import type { Request, RequestHandler } from 'express';
import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import type pg from 'pg';
import type { Config } from '../config.ts';
import type { Clock } from './clock.ts';

declare module 'express-session' {
  interface SessionData {
    userId?: string;
    admin?: boolean;
    createdAt?: number;
    lastSeenAt?: number;
  }
}

const TOUCH_EVERY_MS = 60_000;

/** Requests whose session object has not been asked for yet (no session cookie came with them). */
const unopened = new WeakSet<Request>();

/**
 * The session if the request already has one, without creating it: for middleware
 * that only reads (who is signed in, a kept refused form), so a cookie-less visit stays free.
 */
export function existingSession(req: Request): Request['session'] | undefined {
  return unopened.has(req) ? undefined : req.session;
}

/** The session cookie's name: __Host- (Secure, no Domain) in production. */
export const sessionCookieName = (config: Pick<Config, 'isProduction'>) => (config.isProduction ? '__Host-lbc.sid' : 'lbc.sid');

export function createSession(config: Config, pool: pg.Pool): RequestHandler {
  const PgStore = connectPgSimple(session);
  const name = sessionCookieName(config);
  const middleware = session({
    name,
    secret: config.sessionSecret,
    store: new PgStore({ pool, tableName: 'sessions', disableTouch: true, pruneSessionInterval: 15 * 60 }),
    resave: false,
    saveUninitialized: false,
    rolling: false,
    cookie: { httpOnly: true, sameSite: 'lax', secure: config.isProduction, maxAge: config.sessionAbsoluteMs, path: '/' },
  });
  return (req, res, next) => {
    if (req.cookies?.[name] !== undefined) return middleware(req, res, next);
    // No cookie, so no stored session to read: express-session would still build an
    // id, a Session and hooks on every anonymous page. Do that only when a handler
    // touches req.session (sign-in, a refused form before a redirect); with
    // no cookie its work is synchronous, so the getter can return the fresh session.
    unopened.add(req);
    Object.defineProperty(req, 'session', {
      configurable: true,
      enumerable: true,
      get() {
        unopened.delete(req);
        Reflect.deleteProperty(req, 'session');
        middleware(req, res, (err?: unknown) => { if (err) throw err; });
        return req.session;
      },
      set(value: Request['session']) {
        unopened.delete(req);
        Object.defineProperty(req, 'session', { configurable: true, enumerable: true, writable: true, value });
      },
    });
    next();
  };
}

/** Ends sessions idle for too long or older than the absolute limit. */
export function sessionTimeouts(config: Pick<Config, 'sessionIdleMs' | 'sessionAbsoluteMs'>, clock: Clock): RequestHandler {
  return (req, _res, next) => {
    const s = existingSession(req);
    if (!s || !(s.userId || s.admin)) return next();
    const now = clock.now().getTime();
    const expired = now - (s.lastSeenAt ?? now) > config.sessionIdleMs || now - (s.createdAt ?? now) > config.sessionAbsoluteMs;
    if (expired) {
      s.destroy(() => next());
      return;
    }
    if (now - (s.lastSeenAt ?? 0) > TOUCH_EVERY_MS) s.lastSeenAt = now;
    next();
  };
}

export function regenerate(req: Parameters<RequestHandler>[0]): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
}

export function saveSession(req: Parameters<RequestHandler>[0]): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
}

export function destroySession(req: Parameters<RequestHandler>[0]): Promise<void> {
  return new Promise((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));
}
