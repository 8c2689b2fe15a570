// Single-file multipart uploads held in memory (small files only), with the CSRF
// check that the global middleware defers for multipart bodies. A file over the
// limit is not an exception: the handler gets `req.uploadError` and can answer
// beside the field.
import type { RequestHandler } from 'express';
import multer from 'multer';
import type { createCsrf } from './csrf.ts';
import { BadRequestError } from './errors.ts';
import { hasNul } from './request-sanity.ts';

declare module 'express-serve-static-core' {
  interface Request {
    uploadError?: 'tooLarge';
  }
}

/** busboy's own parse failures (truncated body, broken part headers), which carry no code. */
function isBusboyError(error: unknown): boolean {
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' && /^(Unexpected end of form|Malformed part header|Multipart: Boundary not found|Malformed content type|Unsupported content type)/.test(message);
}

// Control characters (NUL first) cannot be stored in a text column or sent in a header.
const isCleanFileName = (name: string) => ![...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

export function singleUpload(field: string, maxBytes: number): RequestHandler[] {
  const parse = multer({ storage: multer.memoryStorage(), limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 10_000 } }).single(field);
  const parseSafely: RequestHandler = (req, res, next) => {
    parse(req, res, (error: unknown) => {
      const code = (error as { code?: string } | undefined)?.code;
      if (code === 'LIMIT_FILE_SIZE') {
        req.uploadError = 'tooLarge';
        return next();
      }
      // A file under another field name, several files, a body cut short or a file
      // name PostgreSQL cannot store: the form's file is missing, and the handler
      // says so beside the field. The CSRF token (in the action URL) is still checked.
      if (code === 'LIMIT_UNEXPECTED_FILE' || code === 'LIMIT_FILE_COUNT' || (error && isBusboyError(error))) {
        req.file = undefined;
        req.body ??= {};
        return next();
      }
      if (error) return next(error);
      if (hasNul(req.body)) return next(new BadRequestError('errors.badRequest'));
      if (req.file && !isCleanFileName(req.file.originalname)) req.file = undefined;
      next();
    });
  };
  const checkCsrf: RequestHandler = (req, res, next) => {
    const csrf = req.app.locals.csrf as ReturnType<typeof createCsrf>;
    csrf.protectParsed(req, res, next);
  };
  return [parseSafely, checkCsrf];
}

