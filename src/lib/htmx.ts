import type { Request } from 'express';

/** True for htmx requests that swap a part of the page (not boosted navigation). */
export function isPartialRequest(req: Request): boolean {
  return req.get('HX-Request') === 'true' && req.get('HX-Request-Type') === 'partial';
}

export function isHtmxRequest(req: Request): boolean {
  return req.get('HX-Request') === 'true';
}

export function wantsJson(req: Request): boolean {
  if (req.path.startsWith('/api/') || req.path.startsWith('/webhooks/')) return true;
  if (isHtmxRequest(req)) return false;
  return req.accepts(['html', 'json']) === 'json';
}
