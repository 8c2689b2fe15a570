// Eta renders by path relative to views/. One helper decides between the whole page
// and the fragment it includes (habit 3): htmx partial requests get the fragment.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import type { Request, Response } from 'express';
import { isPartialRequest } from './htmx.ts';

export const VIEWS_DIR = fileURLToPath(new URL('../../views/', import.meta.url));

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
  const html = eta.render(template, { ...res.locals, ...data });
  res.status(options.status ?? 200).type('html').send(html);
}

/** Redirect that htmx follows as a full navigation and browsers as a 303 See Other. */
export function redirect(req: Request, res: Response, location: string): void {
  if (req.get('HX-Request') === 'true' && req.get('HX-Request-Type') === 'partial') {
    res.set('HX-Location', location).status(204).end();
    return;
  }
  res.redirect(303, location);
}
