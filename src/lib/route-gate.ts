// A feature router is entered only for the first path segments its own routes start with.
// The app mounts some twenty routers at '/', and Express walks every layer of every one
// in turn (a path-to-regexp match each) until one answers: ~150 matches before
// /notifications is reached. The segments are read from the router's layers, so a route
// added to a router needs nothing here; a router with a layer that could match anywhere
// (a path-less use, a parameter or a pattern as first segment) is always entered.
import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';

interface LayerLike {
  rawPath?: unknown;
  route?: unknown;
}

/** The lower-cased first segments of every layer's path, or undefined when one may match any path. */
export function firstSegments(router: Router): Set<string> | undefined {
  const segments = new Set<string>();
  for (const layer of (router as unknown as { stack: LayerLike[] }).stack) {
    const paths = Array.isArray(layer.rawPath) ? (layer.rawPath as unknown[]) : [layer.rawPath];
    for (const path of paths) {
      if (typeof path !== 'string' || !path.startsWith('/')) return undefined;
      const first = path.slice(1).split('/')[0]!;
      // '/' mounted (a path-less use) or a first segment that is a parameter or a pattern.
      if ((first === '' && !layer.route) || /[:*{}()?+\\]/.test(first)) return undefined;
      segments.add(first.toLowerCase());
    }
  }
  return segments;
}

/** `router` behind a check of the request's first path segment (Express routes ignore case). */
export function gated(router: Router): RequestHandler {
  let segments: Set<string> | undefined | null = null;
  const gate = (req: Request, res: Response, next: NextFunction) => {
    // Read at the first request: every route of the router has been added by then.
    if (segments === null) segments = firstSegments(router);
    if (!segments) return router(req, res, next);
    const path = req.path;
    const end = path.indexOf('/', 1);
    const first = (end === -1 ? path.slice(1) : path.slice(1, end)).toLowerCase();
    if (!segments.has(first)) return next();
    return router(req, res, next);
  };
  // The router's layers seen through the gate, as on a router: whatever reads the app's
  // route table (the fuzzer, the HTML validity walk) still finds every route.
  return Object.assign(gate, { stack: (router as unknown as { stack: unknown[] }).stack });
}
