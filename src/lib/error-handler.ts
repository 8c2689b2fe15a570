// The one place where errors become responses: an HTML page, an htmx fragment or
// JSON, by what the request asked for (habit 7).
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { Translate } from '../i18n/index.ts';
import {
  AppError, BadRequestError, ConflictError, NotFoundError, PayloadTooLargeError, PG, pgCode,
  TooManyRequestsError, UnauthorizedError, ValidationError,
} from './errors.ts';
import { isHtmxRequest, isPartialRequest, wantsJson } from './htmx.ts';
import { render } from './render.ts';

export const notFound: RequestHandler = (_req, _res, next) => next(new NotFoundError());

/** Errors thrown by libraries, translated into our own vocabulary. */
function normalise(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  const e = error as { type?: string; code?: string; status?: number } | null;
  if (e?.type === 'entity.too.large' || e?.code === 'LIMIT_FILE_SIZE' || e?.code === 'LIMIT_FIELD_VALUE') return new PayloadTooLargeError('errors.tooLarge');
  if (e?.type === 'entity.parse.failed' || e?.code === 'LIMIT_UNEXPECTED_FILE' || e?.code === 'LIMIT_PART_COUNT') return new BadRequestError('errors.badRequest');
  if (pgCode(error) === PG.uniqueViolation || pgCode(error) === PG.exclusionViolation) return new ConflictError('errors.conflict');
  if (pgCode(error) === '22P02') return new NotFoundError(); // malformed uuid in a path: nothing there
  return undefined;
}

function loginRedirect(req: Request, res: Response): void {
  const next = req.method === 'GET' ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
  if (isHtmxRequest(req)) {
    res.set('HX-Location', `/login${next}`).status(401).end();
    return;
  }
  res.redirect(303, `/login${next}`);
}

export const errorHandler: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  const appError = normalise(error);
  const requestId = String(res.locals.requestId ?? req.id ?? '');
  const t = (res.locals.t as Translate | undefined) ?? ((key: string) => key);

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
  if (appError instanceof TooManyRequestsError) res.set('Retry-After', String(appError.retryAfterSeconds));

  if (wantsJson(req)) {
    const fields = appError instanceof ValidationError ? appError.fields : undefined;
    res.status(status).json({ error: { code, message, ...(fields ? { fields } : {}), requestId } });
    return;
  }
  if (appError instanceof UnauthorizedError && req.method === 'GET' && !isPartialRequest(req)) {
    loginRedirect(req, res);
    return;
  }
  if (appError instanceof ValidationError && appError.form) {
    const { view, fragment, locals, values } = appError.form;
    render(req, res, view, { ...locals, errors: appError.fields, values }, { status, fragment });
    return;
  }
  const data = { status, code, message, requestId, title: t(`errors.title.${status}`) };
  if (isPartialRequest(req)) {
    render(req, res, 'errors/_alert', data, { status });
    return;
  }
  render(req, res, 'errors/error', data, { status });
};
