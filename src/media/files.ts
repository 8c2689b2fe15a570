// GET /files/<key>?exp=..&sig=..[&dl=..]: private files on local disk, for whoever
// holds an unexpired signed URL (src/lib/signed-urls.ts). Byte ranges are served so
// that videos can seek. Mounted only with local storage: with S3, browsers fetch the
// bucket's presigned URLs directly.
import { pipeline } from 'node:stream';
import { Router, type RequestHandler } from 'express';
import type { Deps } from '../composition.ts';
import { ForbiddenError, NotFoundError } from '../lib/errors.ts';
import { verifyFileSignature } from '../lib/signed-urls.ts';
import { contentTypeForKey, isLocalStorage, isSafeKey, type LocalStorage } from '../lib/storage.ts';

export interface ByteRange {
  start: number;
  /** Inclusive. */
  end: number;
}

/**
 * One byte range of a file of `size` bytes (RFC 9110 §14): undefined means "serve the
 * whole file" (no header, another unit, or several ranges, which a server may ignore).
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const unit = /^\s*bytes\s*=(.*)$/i.exec(header);
  if (!unit) return undefined;
  const spec = (unit[1] ?? '').trim();
  if (spec.includes(',')) return undefined;
  const match = /^(\d*)\s*-\s*(\d*)$/.exec(spec);
  if (!match) return 'unsatisfiable';
  const [, first = '', last = ''] = match;
  if (first === '') {
    // Suffix range: the last N bytes.
    const suffix = Number(last);
    if (last === '' || suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (start >= size) return 'unsatisfiable';
  if (last === '') return { start, end: size - 1 };
  const end = Number(last);
  if (end < start) return 'unsatisfiable';
  return { start, end: Math.min(end, size - 1) };
}

function serveFiles(deps: Deps, storage: LocalStorage): RequestHandler {
  return async (req, res) => {
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
}

export function filesRoutes(deps: Deps): Router {
  const router = Router();
  if (isLocalStorage(deps.storage)) router.get('/files/*key', serveFiles(deps, deps.storage));
  return router;
}
