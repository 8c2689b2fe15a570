// Login throttling: 5 failed attempts per minute per IP and per account, counted in
// PostgreSQL so every app instance shares the counters. Only failures are counted,
// when they happen: a classroom behind one NAT signing in at once is never locked
// out by its own successful logins (express-rate-limit's skipSuccessfulRequests
// counts every attempt until its response, so concurrent successes tripped it).
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Deps } from '../composition.ts';
import { TooManyRequestsError } from '../lib/errors.ts';

export interface LoginThrottle {
  /** Middleware: refuses with 429 while either counter is at the limit. */
  check: RequestHandler;
  recordFailure(req: Request): Promise<void>;
  /** A successful login clears the account's counter (not the IP's). */
  recordSuccess(req: Request): Promise<void>;
}

export function loginThrottle(deps: Deps): LoginThrottle {
  const { maxAttempts, windowMs } = deps.config.login;
  const byIp = deps.rateLimitStore('login-ip');
  const byAccount = deps.rateLimitStore('login-account');
  byIp.windowMs = windowMs;
  byAccount.windowMs = windowMs;
  const ipKey = (req: Request) => ipKeyGenerator(req.ip ?? 'unknown');
  const accountKey = (req: Request) => {
    const id = (req.body as { identifier?: unknown } | undefined)?.identifier;
    return typeof id === 'string' ? id.trim().toLowerCase().slice(0, 254) : 'none';
  };

  return {
    check: async (req, _res, next) => {
      const now = deps.clock.now().getTime();
      const [ip, account] = [await byIp.get(ipKey(req)), await byAccount.get(accountKey(req))];
      const blocked = [ip, account].filter((c) => c && c.totalHits >= maxAttempts);
      if (!blocked.length) return next();
      const until = Math.max(...blocked.map((c) => c!.resetTime?.getTime() ?? now + windowMs));
      next(new TooManyRequestsError(Math.max(1, Math.ceil((until - now) / 1000))));
    },
    async recordFailure(req) {
      await byIp.increment(ipKey(req));
      await byAccount.increment(accountKey(req));
    },
    async recordSuccess(req) {
      await byAccount.resetKey(accountKey(req));
    },
  };
}

/** Slows account creation and reset-mail floods from one address. */
export function formRateLimit(deps: Deps, prefix: string, max: number, windowMs: number): RequestHandler {
  return rateLimit({
    windowMs,
    limit: max,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: deps.rateLimitStore(prefix),
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? 'unknown'),
    handler: (_req, _res, next) => next(new TooManyRequestsError(Math.ceil(windowMs / 1000))),
  });
}
