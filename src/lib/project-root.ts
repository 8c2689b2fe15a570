// The project folder (the one holding package.json), found from this module's own
// location. Under tsx this file is src/lib/project-root.ts; in the build it is inlined
// into dist/*.js. Walking up to package.json gives the same folder in both, where a
// fixed `new URL('../..', import.meta.url)` would point elsewhere once bundled.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const PROJECT_ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));

/** A path inside the project folder. */
export function fromRoot(...segments: string[]): string {
  return path.join(PROJECT_ROOT, ...segments);
}

/**
 * True when running the esbuild output (dist/), false under tsx or vitest: the build
 * turns every module into .js, so a .ts URL means the sources are being run directly.
 */
export const RUNNING_BUILD = !import.meta.url.endsWith('.ts');
