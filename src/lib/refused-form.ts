// A refused form rendered as the POST's own answer leaves the POST address in the
// address bar: a reload then asks for a page that does not exist (404) or posts again.
// So a browser's refused form goes back (303) to the page the form lives on, its
// messages and input kept in the session for that page's next render only (Post/
// Redirect/Get). htmx gets the form in place with the right address, JSON its 422.
import type { Request, Response } from 'express';
import type { FieldErrors } from './errors.ts';
import { isHtmxRequest, isPartialRequest } from './htmx.ts';
import { existingSession } from './session.ts';

/** Where a form lives: its page's address (an anchor allowed), and what that page needs to open the right form. */
export interface FormHome {
  page: string;
  /** Small page state (which form is open), kept as is in the session: strings, numbers, booleans only. */
  state?: Record<string, string | number | boolean>;
}

interface KeptForm {
  path: string;
  errors: FieldErrors;
  values: Record<string, unknown>;
  state?: FormHome['state'];
}

declare module 'express-session' {
  interface SessionData {
    refusedForm?: KeptForm;
  }
}

const pathOf = (page: string) => page.split('#')[0]!;

/** The address the browser shows, as htmx tells it (path and query). */
function currentAddress(req: Request): string | undefined {
  const raw = req.get('HX-Current-URL');
  if (!raw) return undefined;
  try {
    const url = new URL(raw);
    return url.pathname + url.search;
  } catch {
    return undefined;
  }
}

/**
 * Called by the error handler for a refused form that names its home. Answers the
 * browser with a 303 to it (true); for htmx, sets the address the bar must show and
 * lets the caller render the form in place (false). A boosted form's bar would show
 * the POST address (htmx pushes the response's URL), so it always gets one.
 */
export function redirectRefusedForm(req: Request, res: Response, home: FormHome, errors: FieldErrors, values: Record<string, unknown>): boolean {
  if (req.method !== 'POST') return false;
  const path = pathOf(home.page);
  if (isHtmxRequest(req)) {
    if (!isPartialRequest(req) || currentAddress(req) !== path) res.set('HX-Replace-Url', path);
    return false;
  }
  if (!req.session) return false;
  req.session.refusedForm = { path, errors, values, ...(home.state ? { state: home.state } : {}) };
  res.redirect(303, home.page);
  return true;
}

/**
 * What render() lays over a page's own data when it is the kept form's page: messages,
 * input, open form. Like the flash, the kept form is taken by the next whole page only
 * (a poll or fragment in between leaves it), and dropped if that page is another one.
 */
export function refusedFormLocals(req: Request): Record<string, unknown> {
  if (req.method !== 'GET' || isPartialRequest(req)) return {};
  const s = existingSession(req);
  const kept = s?.refusedForm;
  if (!kept) return {};
  delete s.refusedForm;
  if (req.originalUrl !== kept.path) return {};
  return { ...kept.state, errors: kept.errors, values: kept.values };
}
