// Input no handler can use is refused once, here, before any handler sees it: a NUL
// byte (PostgreSQL text cannot hold one, so it would surface as a database error)
// or percent-encoding that does not decode to UTF-8 (`%FF`, `%E0%A4%A`). Both answer
// 400 through the error mapper, in the page or JSON the request asked for.
import type { Request, RequestHandler } from 'express';
import { BadRequestError } from './errors.ts';

const NUL = '\u0000';

/** True when `raw` (one path segment or one `k=v` pair) decodes cleanly and holds no NUL. */
export function isCleanComponent(raw: string, plusIsSpace = false): boolean {
  if (raw.includes(NUL)) return false;
  if (!raw.includes('%')) return true;
  try {
    return !decodeURIComponent(plusIsSpace ? raw.replace(/\+/g, ' ') : raw).includes(NUL);
  } catch {
    return false;
  }
}

function isCleanQueryString(query: string): boolean {
  return query.split('&').every((pair) => isCleanComponent(pair, true));
}

/** Parsed bodies (urlencoded, JSON, multipart fields): keys and strings at any depth. */
export function hasNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes(NUL);
  // Deeper than any form or API we take: treat as hostile rather than recurse on.
  if (depth > 32) return true;
  if (Array.isArray(value)) return value.some((v) => hasNul(v, depth + 1));
  if (value && typeof value === 'object') {
    return Object.entries(value).some(([k, v]) => k.includes(NUL) || hasNul(v, depth + 1));
  }
  return false;
}

/** Path and query string: before static files, sessions and routers. */
export const rejectMalformedUrl: RequestHandler = (req, _res, next) => {
  const url = req.url;
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (!path.split('/').every((segment) => isCleanComponent(segment))) return next(new BadRequestError('errors.badRequest'));
  if (q !== -1 && !isCleanQueryString(url.slice(q + 1))) return next(new BadRequestError('errors.badRequest'));
  next();
};

/**
 * `verify` hook of the urlencoded parser: the raw body's pairs must decode, or qs
 * would quietly keep `%FF` as three characters and a handler would store them.
 */
export function verifyUrlencoded(_req: Request, _res: unknown, buf: Buffer): void {
  if (!isCleanQueryString(buf.toString('latin1'))) throw new BadRequestError('errors.badRequest');
}

/**
 * After the body parsers: NUL anywhere in the parsed body is refused, and a body no
 * parser read (text/plain, multipart on a route without an upload) becomes an empty
 * form, so the handler answers with messages beside the fields instead of reading
 * properties of `undefined`.
 */
export const rejectMalformedBody: RequestHandler = (req, _res, next) => {
  if (hasNul(req.body)) return next(new BadRequestError('errors.badRequest'));
  req.body ??= {};
  next();
};
