// Which responses the dynamic compressor may touch: our pages, fragments and JSON.
// Everything else is left as it is: pictures, videos and archives are compressed
// already, signed files are served by byte range (a Content-Range counts bytes of the
// plain file), calendar feeds and CSV downloads go to clients that gain little.
import type { Request, Response } from 'express';

const COMPRESSIBLE = /^(?:text\/html|application\/(?:[\w.+-]+\+)?json)\s*(?:;|$)/i;

export function compressible(_req: Request, res: Response): boolean {
  if (res.statusCode === 206 || res.getHeader('Content-Range') !== undefined) return false;
  const type = res.getHeader('Content-Type');
  return typeof type === 'string' && COMPRESSIBLE.test(type);
}
