// Who calls the API, before any operation runs: CORS for the allowed front-ends, the
// bearer token (else the browser's session), CSRF for cookie-authenticated unsafe
// requests only (a cross-site page can send cookies, never an Authorization header),
// and the rate limits per address and per account, shared by every instance.
import type { Request, RequestHandler } from 'express';
import cors from 'cors';
import { ipKeyGenerator } from 'express-rate-limit';
import type { Deps } from '../composition.ts';
import { TooManyRequestsError, UnauthorizedError } from '../lib/errors.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const WINDOW_MS = 60_000;

/** Only FRONTEND_URL's origins get CORS headers (credentials too); a preflight is cached 10 minutes. */
export function apiCors(deps: Deps): RequestHandler {
  const allowed = new Set(deps.config.api.corsOrigins);
  return cors({
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    credentials: true,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-None-Match', 'X-CSRF-Token', 'Accept-Language'],
    exposedHeaders: ['ETag', 'Location', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'RateLimit-Policy', 'Retry-After', 'X-Request-Id', 'Idempotent-Replayed'],
    maxAge: 600,
  });
}

function bearerToken(req: Request): string | undefined {
  const header = req.get('authorization');
  if (!header) return undefined;
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header.trim());
  if (!match) throw new UnauthorizedError('api.token.invalid');
  return match[1];
}

/** A bearer token names the caller (and replaces any session); without one the session's user stays. */
export function apiAuthentication(deps: Deps): RequestHandler {
  return async (req, res, next) => {
    const token = bearerToken(req);
    if (token) {
      req.user = await deps.services.tokens.authenticate(token);
      res.locals.user = req.user;
      res.locals.viaToken = true;
      return next();
    }
    // Cookie sessions: the web's own CSRF protection applies to unsafe requests.
    if (req.user && !SAFE.has(req.method)) return (req.app.locals.csrf as { protect: RequestHandler }).protect(req, res, next);
    next();
  };
}

/** Counts the request for its address, and for its account when there is one; the tighter one shows in RateLimit-*. */
export function apiRateLimit(deps: Deps, scope: 'ip' | 'account'): RequestHandler {
  const { ratePerIp, ratePerToken } = deps.config.api;
  const store = deps.rateLimitStore(scope === 'ip' ? 'api-ip' : 'api-account');
  store.windowMs = WINDOW_MS;
  const limit = scope === 'ip' ? ratePerIp : ratePerToken;
  return async (req, res, next) => {
    if (scope === 'account' && !req.user) return next();
    const key = scope === 'ip' ? ipKeyGenerator(req.ip ?? 'unknown') : req.user!.id;
    const info = await store.increment(key);
    const now = deps.clock.now().getTime();
    const reset = Math.max(0, Math.ceil(((info.resetTime?.getTime() ?? now + WINDOW_MS) - now) / 1000));
    const remaining = Math.max(0, limit - info.totalHits);
    // The account's counter is set after the address's: it wins when it is the tighter one.
    const shown = Number(res.getHeader('RateLimit-Remaining') ?? Infinity);
    if (remaining <= shown) {
      res.set('RateLimit-Limit', String(limit));
      res.set('RateLimit-Remaining', String(remaining));
      res.set('RateLimit-Reset', String(reset));
    }
    res.set('RateLimit-Policy', [`${ratePerIp};w=60;comment="per address"`, ...(req.user ? [`${ratePerToken};w=60;comment="per account"`] : [])].join(', '));
    if (info.totalHits > limit) return next(new TooManyRequestsError(Math.max(1, reset)));
    next();
  };
}
