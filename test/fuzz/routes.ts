// The app's route table, read from Express itself: a route added tomorrow is fuzzed
// without anyone adding it to a list.
import fs from 'node:fs';
import path from 'node:path';
import type { Express } from 'express';

export interface RouteEntry {
  method: string;
  path: string;
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  /** The path a router was mounted at (`router.use('/api/v1', v1)`). */
  rawPath?: unknown;
}

export function listRoutes(app: Express): RouteEntry[] {
  const found = new Map<string, RouteEntry>();
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const p of paths) {
          for (const [method, on] of Object.entries(layer.route.methods)) {
            if (on && method !== '_all') found.set(`${method} ${prefix}${p}`, { method: method.toUpperCase(), path: `${prefix}${p}` });
          }
        }
      } else if (layer.handle?.stack) {
        // Feature routers are mounted without a prefix (app.use(router)); the API's
        // operations live under the path its router was mounted at.
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, prefix + mount);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return [...found.values()];
}

/** Every form field name the templates render, so bodies reach past "required". */
export function formFieldNames(viewsDir: string): string[] {
  const names = new Set<string>();
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.name.endsWith('.eta')) {
        for (const m of fs.readFileSync(full, 'utf8').matchAll(/name="([A-Za-z_][\w.[\]-]*)"/g)) names.add(m[1]!);
      }
    }
  };
  visit(viewsDir);
  names.delete('_csrf');
  return [...names].sort();
}
