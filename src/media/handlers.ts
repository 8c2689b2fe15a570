// What /media and /files serve. Public pictures (avatars, skill and course images)
// have random names that are never reused, so they are cached forever. Private files
// on local disk are served to whoever holds an unexpired signed URL
// (src/lib/signed-urls.ts), with byte ranges so that videos can seek; with S3,
// browsers fetch the bucket's presigned URLs directly and /files is not mounted.
import { pipeline } from 'node:stream';
import type { RequestHandler } from 'express';
import type { Deps } from '../composition.ts';
import { ForbiddenError, NotFoundError } from '../lib/errors.ts';
import { IMAGE_CONTENT_TYPES } from '../lib/images.ts';
import { verifyFileSignature } from '../lib/signed-urls.ts';
import { contentTypeForKey, isSafeKey, type LocalStorage } from '../lib/storage.ts';
import { parseRange } from './byte-range.ts';

/** The folders whose pictures anyone may see. */
export type PublicFolder = 'avatars' | 'skills' | 'courses';

export function mediaHandlers(deps: Deps) {
  const publicImage = (folder: PublicFolder): RequestHandler => async (req, res) => {
    const name = String(req.params.file);
    const type = IMAGE_CONTENT_TYPES[name.split('.').pop() ?? ''];
    const file = type ? await deps.storage.get(`${folder}/${name}`) : undefined;
    if (!file) throw new NotFoundError();
    res.set({ 'Content-Type': type, 'Content-Length': String(file.size), 'Cache-Control': 'public, max-age=31536000, immutable' });
    pipeline(file.stream, res, (error) => {
      if (error && (error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') req.log?.warn({ err: error }, 'image stream failed');
    });
  };

  const signedFile = (storage: LocalStorage): RequestHandler => async (req, res) => {
    const raw = req.params.key as string | string[] | undefined;
    const key = Array.isArray(raw) ? raw.join('/') : (raw ?? '');
    if (!isSafeKey(key)) throw new NotFoundError();
    const check = verifyFileSignature(deps.config.signingSecret, key, req.query, deps.clock.now());
    if (!check.ok) throw new ForbiddenError();
    const stat = await storage.stat(key);
    if (!stat) throw new NotFoundError();

    const range = parseRange(req.get('Range'), stat.size);
    const common = { 'Accept-Ranges': 'bytes', 'Cache-Control': `private, max-age=${check.remainingSeconds}`, 'X-Content-Type-Options': 'nosniff' };
    if (range === 'unsatisfiable') {
      res.status(416).set({ ...common, 'Content-Range': `bytes */${stat.size}` }).end();
      return;
    }
    const { start, end } = range ?? { start: 0, end: stat.size - 1 };
    const empty = req.method === 'HEAD' || stat.size === 0;
    const stream = empty ? undefined : await storage.getRange(key, start, end);
    if (!empty && !stream) throw new NotFoundError(); // deleted between stat and open
    res.status(range ? 206 : 200).set({ ...common, 'Content-Type': contentTypeForKey(key), 'Content-Length': String(Math.max(0, end - start + 1)) });
    if (range) res.set('Content-Range', `bytes ${start}-${end}/${stat.size}`);
    if (check.dl) res.set('Content-Disposition', `attachment; filename="${check.dl}"`);
    if (!stream) {
      res.end();
      return;
    }
    // pipeline closes the file when the player drops the connection (seeking does).
    pipeline(stream, res, (error) => {
      if (error && (error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') req.log?.warn({ err: error }, 'file stream failed');
    });
  };

  return { publicImage, signedFile };
}
