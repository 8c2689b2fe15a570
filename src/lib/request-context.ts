import crypto from 'node:crypto';
import type { RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from './logger.ts';
import { AppError } from './errors.ts';

export class TimeoutError extends AppError {
  readonly status = 503;
  readonly code = 'timeout';
}

const INCOMING_ID = /^[A-Za-z0-9-]{8,64}$/;

/** pino-http with a request id on every log line, echoed in X-Request-Id and error pages. */
export function requestLogger(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && INCOMING_ID.test(incoming) ? incoming : crypto.randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    // Probes and static files would drown the lines that matter.
    autoLogging: { ignore: (req) => /^\/(healthz|readyz|css\/|js\/|img\/|vendor\/)/.test(req.url ?? '') },
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customProps: (req) => ({ userId: (req as { user?: { id: string } }).user?.id }),
  }) as unknown as RequestHandler;
}

export const exposeRequestId: RequestHandler = (req, res, next) => {
  res.locals.requestId = String(req.id);
  next();
};

/** A request that takes too long gets a 503 page instead of hanging the browser. */
export function requestTimeout(ms: number, onTimeout: (req: Parameters<RequestHandler>[0], res: Parameters<RequestHandler>[1]) => void): RequestHandler {
  return (req, res, next) => {
    // Uploads (admin videos up to 200 MB) legitimately take longer than a page.
    if (req.is('multipart/form-data')) return next();
    const timer = setTimeout(() => {
      if (!res.headersSent) onTimeout(req, res);
    }, ms);
    timer.unref();
    res.on('close', () => clearTimeout(timer));
    next();
  };
}
