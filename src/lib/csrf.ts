// Double-submit CSRF tokens (csrf-csrf) on every state-changing request: forms send
// a hidden `_csrf` field, htmx requests an `X-CSRF-Token` header (public/js/app.js).
import type { RequestHandler } from 'express';
import { doubleCsrf } from 'csrf-csrf';
import type { Config } from '../config.ts';
import { CsrfError, ForbiddenError } from './errors.ts';
import { crossSiteDetector } from './origin-check.ts';
import { existingSession } from './session.ts';

export function createCsrf(config: Pick<Config, 'csrfSecret' | 'isProduction' | 'appUrl'>) {
  const isCrossSite = crossSiteDetector(config);
  const { generateCsrfToken, validateRequest } = doubleCsrf({
    getSecret: () => config.csrfSecret,
    // Signed-in requests bind the token to the session; anonymous forms (login,
    // register) have no session yet, and the double-submit cookie alone protects them.
    getSessionIdentifier: (req) => {
      const s = existingSession(req);
      return s?.userId || s?.admin ? req.sessionID : 'anonymous';
    },
    cookieName: config.isProduction ? '__Host-lbc.csrf' : 'lbc.csrf',
    cookieOptions: { sameSite: 'lax', secure: config.isProduction, httpOnly: true, path: '/' },
    // The form's own field first: it was rendered with the page the user sees.
    getCsrfTokenFromRequest: (req) => {
      const body = req.body as Record<string, unknown> | undefined;
      if (typeof body?._csrf === 'string') return body._csrf;
      const header = req.get('x-csrf-token');
      if (header) return header;
      // Upload forms carry the token in their action URL: a multipart body is not
      // parsed before this check (the file would have to be read first).
      if (req.is('multipart/form-data') && typeof req.query._csrf === 'string') return req.query._csrf;
      return undefined;
    },
  });

  /** Exposes a lazy token getter to templates: only pages with forms set the cookie. */
  const provide: RequestHandler = (req, res, next) => {
    let token: string | undefined;
    res.locals.csrfToken = () => (token ??= generateCsrfToken(req, res));
    next();
  };

  const protect: RequestHandler = (req, _res, next) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(req.method)) return next();
    if (isCrossSite(req)) return next(new ForbiddenError('errors.crossSite'));
    // Every state-changing request, multipart included (token in the header or, for
    // upload forms, in the action URL): no route can be reached without one.
    if (!validateRequest(req)) return next(new CsrfError());
    next();
  };

  const protectParsed: RequestHandler = (req, _res, next) => {
    if (!validateRequest(req)) return next(new CsrfError());
    next();
  };

  return { provide, protect, protectParsed, generateCsrfToken };
}
