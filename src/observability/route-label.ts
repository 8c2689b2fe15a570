// The `route` label of the request histogram: the template the request matched
// (`/skills/:slug`, `/api/v1/bookings/:id`), never the raw URL, whose ids and slugs would
// make one time series per page ever requested.
import { IncomingMessage } from 'node:http';

const ROUTE = Symbol('matched route');
const MOUNT = Symbol('mount path when the route matched');
type Routed = IncomingMessage & { [ROUTE]?: { path: unknown }; [MOUNT]?: string; baseUrl?: string; originalUrl?: string };

// Express sets `req.route` when a route matches, and that is the only moment the router's
// mount path (`req.baseUrl`) is right: a route that calls next(err) leaves its router, which
// resets baseUrl to the parent's before the response closes. A setter on the prototype
// (like `req.log` in lib/request-context.ts) records both at that moment, without a
// middleware per router and without any cost on requests no route matches.
Object.defineProperty(IncomingMessage.prototype, 'route', {
  configurable: true,
  get(this: Routed) {
    return this[ROUTE];
  },
  set(this: Routed, route: { path: unknown }) {
    this[ROUTE] = route;
    this[MOUNT] = this.baseUrl;
  },
});

// Files served by the static middlewares (hashed or not) and uploads: one label for them all.
const STATIC = /^\/(css|js|img|vendor|files)\//;

/** The label for a finished request: its route template, `static`, or `unmatched`. */
export function routeLabel(req: IncomingMessage): string {
  const r = req as Routed;
  const route = r[ROUTE];
  if (route) {
    const path = typeof route.path === 'string' ? route.path : 'unnamed';
    const mount = r[MOUNT];
    return mount ? mount + path : path;
  }
  // originalUrl: a static middleware mounted at /css leaves req.url without its prefix.
  return STATIC.test(r.originalUrl ?? r.url ?? '') ? 'static' : 'unmatched';
}
