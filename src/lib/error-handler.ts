// The one place where errors become responses: an HTML page, an htmx fragment or
// JSON, by what the request asked for (habit 7). Errors thrown by libraries (body
// parsers, multer, zod, PostgreSQL) are translated here too, so that input no
// handler anticipated still gets a 4xx, and a database outage a 503, never a 500.
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { formatters } from '../i18n/format.ts';
import { translator, type Translate } from '../i18n/index.ts';
import {
  AppError, BadRequestError, ConflictError, NotFoundError, PayloadTooLargeError, PG, pgCode, ServiceUnavailableError,
  FieldRuleError, hasExtensions, UnauthorizedError, UnsupportedMediaTypeError, ValidationError,
} from './errors.ts';
import { isApiRequest, sendProblem } from './api/problem.ts';
import { isHtmxRequest, isPartialRequest, wantsJson } from './htmx.ts';
import { localeFromRequest } from './locale.ts';
import { redirectRefusedForm } from './refused-form.ts';
import { render } from './render.ts';
import { fieldErrors, formValues, type FormContext } from './validation.ts';

export const notFound: RequestHandler = (_req, _res, next) => next(new NotFoundError());

// body-parser's error types (http-errors `type`), by what they mean for the client.
const TOO_LARGE = new Set(['entity.too.large', 'parameters.too.many']);
const UNSUPPORTED = new Set(['charset.unsupported', 'encoding.unsupported']);
// multer's codes: a limit the client went over, or a form we did not ask for.
const MULTER_TOO_LARGE = new Set(['LIMIT_FILE_SIZE', 'LIMIT_FIELD_VALUE', 'LIMIT_PART_COUNT', 'LIMIT_FIELD_COUNT', 'LIMIT_FILE_COUNT', 'LIMIT_FIELD_KEY']);
const MULTER_BAD = new Set(['LIMIT_UNEXPECTED_FILE', 'MISSING_FIELD_NAME']);
// Connection-level failures: the database is unreachable, restarting or saturated.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);
const PG_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '53300', '57014']);
// Values PostgreSQL refused as data: a validation that was missed, not a crash.
const PG_BAD_VALUE = new Set(['22007', '22008', '22001', '22003']);

type LibraryError = { type?: unknown; code?: unknown; name?: unknown; message?: unknown; status?: unknown; statusCode?: unknown; errors?: unknown[]; cause?: unknown };

/** ECONNREFUSED and friends, pg's own connection errors, 08xxx, admin shutdown, knex's pool timeout. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  const e = error as LibraryError | null;
  if (!e || typeof e !== 'object' || depth > 3) return false;
  const code = pgCode(error);
  if (code && (NETWORK_CODES.has(code) || PG_UNAVAILABLE.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  if (e.name === 'KnexTimeoutError') return true;
  if (typeof e.message === 'string' && /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(e.message)) return true;
  // Node's happy-eyeballs connect reports an AggregateError of per-address failures.
  return (Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) || isDatabaseUnavailable(e.cause, depth + 1);
}

/** Errors thrown by libraries, translated into our own vocabulary. */
function normalise(error: unknown, t: Translate, req: Request, res: Response): AppError | undefined {
  if (error instanceof FieldRuleError) return fieldRuleAsValidation(error, t, req, res);
  if (error instanceof AppError) return error;
  // A `schema.parse` that should have been a `safeParse` is still just invalid input.
  if (error instanceof z.core.$ZodError) return new ValidationError(fieldErrors(error as z.ZodError, t));
  const e = (error ?? {}) as LibraryError;
  const type = typeof e.type === 'string' ? e.type : '';
  const code = pgCode(error) ?? '';
  if (TOO_LARGE.has(type) || MULTER_TOO_LARGE.has(code)) return new PayloadTooLargeError('errors.tooLarge');
  if (UNSUPPORTED.has(type)) return new UnsupportedMediaTypeError();
  if (MULTER_BAD.has(code) || e.name === 'MulterError') return new BadRequestError('errors.badRequest');
  if (code === PG.uniqueViolation || code === PG.exclusionViolation) return new ConflictError('errors.conflict');
  if (code === '22P02') return new NotFoundError(); // malformed uuid in a path: nothing there
  if (PG_BAD_VALUE.has(code)) return new ValidationError({});
  if (code === '22021') return new BadRequestError('errors.badRequest'); // a byte sequence text cannot hold
  if (isDatabaseUnavailable(error)) return new ServiceUnavailableError();
  // Any other client error raised by http-errors (body-parser's parse, verify and
  // zlib failures, the router's undecodable params): the client's fault, so a 400.
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : 0;
  if (status === 413) return new PayloadTooLargeError('errors.tooLarge');
  if (status === 415) return new UnsupportedMediaTypeError();
  if (status >= 400 && status < 500) return new BadRequestError('errors.badRequest');
  return undefined;
}

function loginRedirect(req: Request, res: Response): void {
  // A URL too long to come back through a Location header is not worth returning to.
  const next = req.method === 'GET' && req.originalUrl.length <= 2000 ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
  if (isHtmxRequest(req)) {
    res.set('HX-Location', `/login${next}`).status(401).end();
    return;
  }
  res.redirect(303, `/login${next}`);
}

/**
 * What the layout needs, for errors raised before the locale, session or CSRF
 * middleware ran (a body too large, a malformed URL): without it the error page
 * itself would throw.
 */
function ensureLayoutLocals(req: Request, res: Response): Translate {
  const locals = res.locals;
  if (typeof locals.t !== 'function') {
    const locale = localeFromRequest(req);
    locals.locale = locale;
    locals.t = translator(locale);
  }
  locals.locale ??= 'fr';
  locals.fmt ??= formatters(locals.locale as 'fr' | 'en', (req.app.locals.defaultTimezone as string | undefined) ?? 'UTC');
  // No token before the CSRF middleware: the page's forms then simply ask for a reload.
  if (typeof locals.csrfToken !== 'function') locals.csrfToken = () => '';
  locals.currentPath ??= '/';
  return locals.t as Translate;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Last resort when a template throws: a bare page, and never a stack trace. */
function sendPlain(res: Response, status: number, title: string, message: string, requestId: string): void {
  res.status(status).type('html').send(
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)} · Leboncours</title></head>`
    + `<body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p><a href="/">Leboncours</a></p>`
    + `${requestId ? `<p><code>${escapeHtml(requestId)}</code></p>` : ''}</main></body></html>`,
  );
}

/** A service's field rule, beside its field in the form being handled (formContext, set by parseForm). */
function fieldRuleAsValidation(error: FieldRuleError, t: Translate, req: Request, res: Response): ValidationError {
  const form = res.locals.formContext as FormContext | undefined;
  const fields = { [error.field]: t(error.messageKey, error.params) };
  return new ValidationError(fields, form && { view: form.view, fragment: form.fragment, locals: form.locals ?? {}, values: formValues(req), home: form.home });
}

export const errorHandler: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  const t = ensureLayoutLocals(req, res);
  const appError = normalise(error, t, req, res);
  const requestId = String(res.locals.requestId ?? req.id ?? '');

  if (!appError) {
    req.log?.error({ err: error }, 'unhandled error');
  } else if (appError.status >= 500) {
    req.log?.error({ err: error }, appError.code);
  }
  if (res.headersSent) {
    res.end();
    return;
  }

  const status = appError?.status ?? 500;
  const code = appError?.code ?? 'internal_error';
  const message = appError ? t(appError.messageKey, appError.params) : t('errors.internal');
  const retryAfter = appError && 'retryAfterSeconds' in appError ? appError.retryAfterSeconds : undefined;
  if (typeof retryAfter === 'number') res.set('Retry-After', String(retryAfter));

  if (isApiRequest(req)) {
    sendProblem(req, res, { status, code, title: t(`api.title.${status}`), detail: message, requestId, fields: appError instanceof ValidationError ? appError.fields : undefined, extensions: appError && hasExtensions(appError) ? appError.extensions : undefined });
    return;
  }
  if (wantsJson(req)) {
    const fields = appError instanceof ValidationError ? appError.fields : undefined;
    res.status(status).json({ error: { code, message, ...(fields ? { fields } : {}), requestId } });
    return;
  }
  if (appError instanceof UnauthorizedError && req.method === 'GET' && !isPartialRequest(req)) {
    loginRedirect(req, res);
    return;
  }
  const data = { status, code, message, requestId, title: t(`errors.title.${status}`) };
  try {
    if (appError instanceof ValidationError && appError.form) {
      const { view, fragment, locals, values, home } = appError.form;
      if (home && redirectRefusedForm(req, res, home, appError.fields, values)) return;
      render(req, res, view, { ...locals, errors: appError.fields, values }, { status, fragment });
      return;
    }
    render(req, res, isPartialRequest(req) ? 'errors/_alert' : 'errors/error', data, { status });
  } catch (renderError) {
    req.log?.error({ err: renderError }, 'error page failed to render');
    sendPlain(res, status, data.title, message, requestId);
  }
};
