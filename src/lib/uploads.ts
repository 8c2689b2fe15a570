// Single-file multipart uploads held in memory (small files only), with the CSRF
// check that the global middleware defers for multipart bodies. A file over the
// limit is not an exception: the handler gets `req.uploadError` and can answer
// beside the field.
import type { Request, RequestHandler } from 'express';
import multer from 'multer';
import type { createCsrf } from './csrf.ts';

declare module 'express-serve-static-core' {
  interface Request {
    uploadError?: 'tooLarge';
  }
}

export function singleUpload(field: string, maxBytes: number): RequestHandler[] {
  const parse = multer({ storage: multer.memoryStorage(), limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 10_000 } }).single(field);
  const parseSafely: RequestHandler = (req, res, next) => {
    parse(req, res, (error: unknown) => {
      if ((error as { code?: string } | undefined)?.code === 'LIMIT_FILE_SIZE') {
        req.uploadError = 'tooLarge';
        return next();
      }
      next(error);
    });
  };
  const checkCsrf: RequestHandler = (req, res, next) => {
    const csrf = req.app.locals.csrf as ReturnType<typeof createCsrf>;
    csrf.protectParsed(req, res, next);
  };
  return [parseSafely, checkCsrf];
}

export function uploadedFile(req: Request): Express.Multer.File | undefined {
  return req.file;
}
