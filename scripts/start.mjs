// `npm start`: build dist/ when the sources changed since the last build (the first
// start, an edit, a new package-lock), then run the server from it in this same
// process, so signals reach it and no second Node starts. `npm run dev` runs the
// sources through tsx instead.
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { DIST, ensureBuild } from './build.mjs';

const started = performance.now();
if (await ensureBuild()) process.stderr.write(`Leboncours: compiled into dist/ in ${Math.round(performance.now() - started)} ms (once; again only when the sources change)\n`);
await import(pathToFileURL(path.join(DIST, 'server.js')).href);
