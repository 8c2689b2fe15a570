// Eta renders by path relative to views/. One helper decides between the whole page
// and the fragment it includes (habit 3): htmx partial requests get the fragment.
import path from 'node:path';
import { Eta } from 'eta';
import type { Request, Response } from 'express';
import { isPartialRequest } from './htmx.ts';
import { takeFlash } from './flash.ts';
import { refusedFormLocals } from './refused-form.ts';
import { imageTag } from './images.ts';
import { fromRoot } from './project-root.ts';

export const VIEWS_DIR = fromRoot('views');

export function createViews(cache: boolean): Eta {
  return new Eta({ views: path.resolve(VIEWS_DIR), cache, autoEscape: true, autoTrim: [false, 'nl'] });
}

export interface RenderOptions {
  status?: number;
  /** Rendered alone for htmx partial requests. */
  fragment?: string;
}

export function render(req: Request, res: Response, view: string, data: Record<string, unknown> = {}, options: RenderOptions = {}): void {
  const eta = req.app.locals.views as Eta;
  const template = options.fragment && isPartialRequest(req) ? options.fragment : view;
  // A form refused just before (303 back here) shows its messages and input over the page's own values;
  // `img` is there for every page: the header shows the viewer's avatar on all of them.
  const html = eta.render(template, { img: imageTag, ...res.locals, ...data, flash: takeFlash(req), ...refusedFormLocals(req) });
  res.status(options.status ?? 200).type('html').send(html);
}

/** The URL htmx should push for a GET form: its own query without empty fields. */
export function pushCleanUrl(req: Request, res: Response): void {
  if (!isPartialRequest(req)) return;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(req.query)) {
    if (typeof value === 'string' && value !== '' && key !== 'page') params.set(key, value);
  }
  const query = params.toString();
  res.set('HX-Push-Url', `${req.path}${query ? `?${query}` : ''}`);
}

/** Redirect that htmx follows as a full navigation and browsers as a 303 See Other. */
/**
 * A redirect that leaves the page (a payment provider's checkout): htmx must navigate
 * the whole window there, not fetch it into a fragment.
 */
export function redirectAway(req: Request, res: Response, location: string): void {
  if (req.get('HX-Request') === 'true') {
    res.set('HX-Redirect', location).status(204).end();
    return;
  }
  res.redirect(303, location);
}

export function redirect(req: Request, res: Response, location: string): void {
  if (req.get('HX-Request') === 'true' && req.get('HX-Request-Type') === 'partial') {
    res.set('HX-Location', location).status(204).end();
    return;
  }
  res.redirect(303, location);
}
