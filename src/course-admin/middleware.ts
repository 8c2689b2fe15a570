// Request guards of the course editor's routes: the multipart uploads (each with the
// CSRF check that follows parsing) and the rule for forms that take no file.
import type { RequestHandler } from 'express';
import type { createCsrf } from '../lib/csrf.ts';
import { singleUpload } from '../lib/uploads.ts';
import { COURSE_UPLOAD_LIMITS } from './uploads.ts';

/**
 * The global CSRF check leaves multipart bodies to the upload middleware. A route that
 * takes no file must not become a way around it: a multipart post there needs the
 * token in its X-CSRF-Token header (the body is never parsed).
 */
export const noMultipartBypass: RequestHandler = (req, res, next) => {
  if (!req.is('multipart/form-data')) return next();
  (req.app.locals.csrf as ReturnType<typeof createCsrf>).protectParsed(req, res, next);
};

// Functions, not constants: the limits are read when the router is built (a test may lower them first).
export const imageUpload = () => singleUpload('image', COURSE_UPLOAD_LIMITS.imageBytes);
export const videoUpload = () => singleUpload('video', COURSE_UPLOAD_LIMITS.videoBytes);
export const fileUpload = () => singleUpload('file', COURSE_UPLOAD_LIMITS.resourceBytes);
