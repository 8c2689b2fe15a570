// The compiled build that `npm start` runs: esbuild bundles src/server.ts (with the
// seeds and everything else it imports) into dist/server.js, and each migration into
// dist/migrations/, as ESM for Node 20. Packages stay in node_modules (`packages:
// 'external'`), so neither tsx nor TypeScript is loaded at run time.
//
// `ensureBuild()` rebuilds only when the stamp of the sources changed: the path, size
// and mtime of every file under src/, seeds/, migrations/, plus package-lock.json and
// this script. Stat-ing them costs a few milliseconds; a build about a second.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = path.join(ROOT, 'dist');
const STAMP = path.join(DIST, '.build-stamp');
const SOURCE_DIRS = ['src', 'seeds', 'migrations'];
const SOURCE_FILES = ['package-lock.json', 'scripts/build.mjs'];

function* walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else yield full;
  }
}

/** A digest of what the build depends on; any edit, addition or removal changes it. */
export function sourceStamp() {
  const hash = crypto.createHash('sha256');
  const files = SOURCE_DIRS.flatMap((dir) => [...walk(path.join(ROOT, dir))]).concat(SOURCE_FILES.map((f) => path.join(ROOT, f)));
  for (const file of files.sort()) {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    hash.update(`${path.relative(ROOT, file)}\0${stat?.size ?? -1}\0${stat?.mtimeMs ?? -1}\n`);
  }
  return hash.digest('hex');
}

export function isBuildFresh(stamp = sourceStamp()) {
  try {
    return fs.readFileSync(STAMP, 'utf8') === stamp && fs.existsSync(path.join(DIST, 'server.js'));
  } catch {
    return false; // never built
  }
}

export async function build() {
  const stamp = sourceStamp();
  const esbuild = await import('esbuild');
  const migrations = fs.readdirSync(path.join(ROOT, 'migrations')).filter((f) => f.endsWith('.ts'));
  fs.rmSync(DIST, { recursive: true, force: true });
  try {
    await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: {
        server: 'src/server.ts',
        // `node dist/cli.js migrate`: the image's one-shot migration step, with no tsx at run time.
        cli: 'src/db/cli.ts',
        ...Object.fromEntries(migrations.map((f) => [`migrations/${f.replace(/\.ts$/, '')}`, `migrations/${f}`])),
      },
      outdir: DIST,
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      target: 'node20',
      // Error classes and models are looked up by name in places; bundling must not rename them.
      keepNames: true,
      sourcemap: 'linked',
      logLevel: 'warning',
    });
  } finally {
    await esbuild.stop();
  }
  // Written last: a build that failed half-way is never taken for a fresh one.
  fs.writeFileSync(STAMP, stamp);
}

/** Builds when the sources changed since the last build; returns whether it did. */
export async function ensureBuild() {
  if (isBuildFresh()) return false;
  await build();
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  await build();
  process.stdout.write(`built dist/ in ${Math.round(performance.now() - started)} ms\n`);
}
