// Login throttling: 5 attempts per window per IP and per account, counted in
// PostgreSQL so every app instance shares the counters. An attempt is counted with
// one atomic upsert BEFORE the password is checked: reading the counter first and
// adding to it after the check let 200 parallel guesses all pass the read (199
// verifications instead of 5). A successful login gives its attempt back, so a
// classroom behind one NAT signing in is never locked out by its own successes;
// only more than 5 attempts in flight at once from one address are refused.
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Deps } from '../composition.ts';
import { TooManyRequestsError } from '../lib/errors.ts';

export interface LoginThrottle {
  /** Counts one attempt for the address and the account; throws a 429 past the limit. */
  consume(req: Request, account: string): Promise<void>;
  /** After a successful login: the address gets its attempt back, the account's counter is cleared. */
  refund(req: Request, account: string): Promise<void>;
}

export function loginThrottle(deps: Deps): LoginThrottle {
  const { maxAttempts, windowMs } = deps.config.login;
  const byIp = deps.rateLimitStore('login-ip');
  const byAccount = deps.rateLimitStore('login-account');
  byIp.windowMs = windowMs;
  byAccount.windowMs = windowMs;
  const ipKey = (req: Request) => ipKeyGenerator(req.ip ?? 'unknown');

  return {
    async consume(req, account) {
      const counters = await Promise.all([byIp.increment(ipKey(req)), byAccount.increment(account)]);
      const over = counters.filter((c) => c.totalHits > maxAttempts);
      if (!over.length) return;
      deps.metrics.loginThrottled(over.length === 2 ? 'both' : over[0] === counters[0] ? 'ip' : 'account');
      const now = deps.clock.now().getTime();
      const until = Math.max(...over.map((c) => c.resetTime?.getTime() ?? now + windowMs));
      throw new TooManyRequestsError(Math.max(1, Math.ceil((until - now) / 1000)));
    },
    async refund(req, account) {
      await Promise.all([byIp.decrement(ipKey(req)), byAccount.resetKey(account)]);
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

/** Sign-ups per address, one budget shared by the page and the API (same counters). */
export function registerRateLimit(deps: Deps): RequestHandler {
  return formRateLimit(deps, 'register', 20, 60 * 60 * 1000);
}
