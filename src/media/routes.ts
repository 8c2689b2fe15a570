import { Router, type RequestHandler } from 'express';
import type { Deps } from '../composition.ts';
import { NotFoundError } from '../lib/errors.ts';
import { IMAGE_CONTENT_TYPES } from '../lib/images.ts';

/** Public pictures (avatars, skill images). Names are random and never reused: cached forever. */
export function mediaRoutes(deps: Deps): Router {
  const serve = (folder: 'avatars' | 'skills'): RequestHandler => async (req, res) => {
    const name = String(req.params.file);
    const type = IMAGE_CONTENT_TYPES[name.split('.').pop() ?? ''];
    const file = type ? await deps.storage.get(`${folder}/${name}`) : undefined;
    if (!file) throw new NotFoundError();
    res.set({ 'Content-Type': type, 'Content-Length': String(file.size), 'Cache-Control': 'public, max-age=31536000, immutable' });
    file.stream.pipe(res);
  };
  const router = Router();
  router.get('/media/avatars/:file', serve('avatars'));
  router.get('/media/skills/:file', serve('skills'));
  return router;
}
