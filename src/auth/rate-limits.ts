// Login throttling: 5 failed attempts per minute per IP and per account, counted in
// PostgreSQL so every app instance shares the counters. Successful logins do not
// count, so a classroom behind one NAT is not locked out by its own sign-ins.
import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Deps } from '../composition.ts';
import { TooManyRequestsError } from '../lib/errors.ts';

function limiter(deps: Deps, prefix: string, key: (req: Parameters<RequestHandler>[0]) => string, max: number): RequestHandler {
  return rateLimit({
    windowMs: deps.config.login.windowMs,
    limit: max,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skipSuccessfulRequests: true,
    store: deps.rateLimitStore(prefix),
    keyGenerator: key,
    handler: (req, _res, next) => {
      const resetTime = (req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds = resetTime ? Math.max(1, Math.ceil((resetTime.getTime() - deps.clock.now().getTime()) / 1000)) : Math.ceil(deps.config.login.windowMs / 1000);
      next(new TooManyRequestsError(seconds));
    },
  });
}

export function loginRateLimits(deps: Deps): RequestHandler[] {
  const max = deps.config.login.maxAttempts;
  const byIp = limiter(deps, 'login-ip', (req) => ipKeyGenerator(req.ip ?? 'unknown'), max);
  const byAccount = limiter(deps, 'login-account', (req) => {
    const id = (req.body as { identifier?: unknown } | undefined)?.identifier;
    return typeof id === 'string' ? id.trim().toLowerCase().slice(0, 254) : 'none';
  }, max);
  return [byIp, byAccount];
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
