import type { Request } from 'express';
import type { SessionData } from 'express-session';
import { isPartialRequest } from './htmx.ts';
import { existingSession } from './session.ts';

type Flash = NonNullable<SessionData['flash']>;

/**
 * One-shot messages after a redirect ("Profile saved"): shown by the next whole page,
 * then gone. Taken when that page renders, not by the next request: the bell's poll,
 * a fragment or a JSON call landing between the redirect and its page would eat it.
 */
export function takeFlash(req: Request): Flash | undefined {
  if (req.method !== 'GET' || isPartialRequest(req)) return undefined;
  const s = existingSession(req);
  if (!s?.flash) return undefined;
  const { flash } = s;
  delete s.flash;
  return flash;
}
