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

/**
 * What a signed-in request reads next to its session, in the same statement: a SQL
 * expression over `s.sess` (the stored session's json) yielding json or null.
 */
export type SessionCompanion = string;

const TABLE = 'sessions';
const COMPANION = Symbol('session companion');
const companions = new WeakMap<Request, unknown>();

/**
 * The companion read with this request's session: null when it yielded nothing,
 * undefined when the session was not read with one (no session, or not from the store).
 */
export function sessionCompanion(req: Request): unknown {
  return companions.get(req);
}

type StoredSession = session.SessionData & { [COMPANION]?: unknown };

/**
 * connect-pg-simple's store, whose reads also return the companion: a signed-in
 * request then costs one round trip for its session and its user, not two.
 */
function storeWithCompanion(pool: pg.Pool, companion: SessionCompanion | undefined): session.Store {
  const PgStore = connectPgSimple(session);
  class CompanionStore extends PgStore {
    override get(sid: string, fn: (err: unknown, sess?: session.SessionData | null) => void): void {
      // The parent's read also starts its prune timer, which nothing else here can do.
      if (!companion || !(this as { pruneTimer?: unknown }).pruneTimer) return super.get(sid, fn);
      pool.query<{ sess: unknown; companion: unknown }>(
        `select s.sess, ${companion} as companion from ${TABLE} s where s.sid = $1 and s.expire >= to_timestamp($2)`,
        [sid, Math.ceil(Date.now() / 1000)],
      ).then(
        ({ rows: [row] }) => {
          // fn runs the rest of the request: called outside this promise, as the parent does,
          // so nothing it throws lands here.
          if (!row) return process.nextTick(fn, null, null);
          let sess: unknown;
          try {
            sess = typeof row.sess === 'string' ? JSON.parse(row.sess) : row.sess;
          } catch {
            return this.destroy(sid, fn); // as the parent does with a session it cannot read
          }
          if (typeof sess !== 'object' || sess === null) return process.nextTick(fn, null, null);
          (sess as StoredSession)[COMPANION] = row.companion ?? null;
          process.nextTick(fn, null, sess as session.SessionData);
        },
        // The companion failed (say a column renamed under a rolling deploy): the plain read
        // still works, and loadCurrentUser then reads the user itself.
        () => super.get(sid, fn),
      );
    }

    override createSession(req: Request, sess: session.SessionData): session.Session & Partial<session.SessionData> {
      const stored = sess as StoredSession;
      if (COMPANION in stored) {
        companions.set(req, stored[COMPANION]);
        delete stored[COMPANION];
      } else {
        companions.delete(req); // a later read without one (a reload through the parent)
      }
      return super.createSession(req, sess);
    }
  }
  return new CompanionStore({ pool, tableName: TABLE, disableTouch: true, pruneSessionInterval: 15 * 60 });
}

export function createSession(config: Config, pool: pg.Pool, companion?: SessionCompanion): RequestHandler {
  const name = sessionCookieName(config);
  const middleware = session({
    name,
    secret: config.sessionSecret,
    store: storeWithCompanion(pool, companion),
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
