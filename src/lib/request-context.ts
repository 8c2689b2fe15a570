import crypto from 'node:crypto';
import { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger } from './logger.ts';
import { AppError } from './errors.ts';

declare module 'http' {
  interface IncomingMessage {
    /** The request id: X-Request-Id when the caller sent a sane one, else a new UUID. */
    id: string;
    /** A logger whose lines carry the request id (made on first use). */
    log: Logger;
  }
}

export class TimeoutError extends AppError {
  readonly status = 503;
  readonly code = 'timeout';
}

const INCOMING_ID = /^[A-Za-z0-9-]{8,64}$/;
// Probes and static files would drown the lines that matter.
const NOT_LOGGED = /^\/(healthz|readyz|css\/|js\/|img\/|vendor\/)/;

const BASE_LOGGER = Symbol('base logger');
const CHILD_LOGGER = Symbol('request logger');
type LoggedRequest = IncomingMessage & { [BASE_LOGGER]?: Logger; [CHILD_LOGGER]?: Logger };

// Defined once on the prototype (a getter per request made every request object slower):
// the child logger is made on first use only, which on most requests is never.
Object.defineProperty(IncomingMessage.prototype, 'log', {
  configurable: true,
  get(this: LoggedRequest) {
    const base = this[BASE_LOGGER];
    if (!base) return undefined;
    return (this[CHILD_LOGGER] ??= base.child({ reqId: this.id }));
  },
  set(this: LoggedRequest, logger: Logger) {
    this[CHILD_LOGGER] = logger;
  },
});

/**
 * One line per request (id, method, url, status, user, time) with the request id echoed
 * in X-Request-Id and error pages. Written by hand rather than with pino-http: that one
 * built a child logger and ran its serializers on every request, which cost a page
 * more CPU than the line itself; here the child logger for `req.log` is made only when
 * something (an error, mostly) logs through it.
 */
export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && INCOMING_ID.test(incoming) ? incoming : crypto.randomUUID();
    req.id = id;
    res.setHeader('X-Request-Id', id);
    (req as LoggedRequest)[BASE_LOGGER] = logger;
    if (!logger.isLevelEnabled('info') || NOT_LOGGED.test(req.url)) return next();
    const started = performance.now();
    const { method, originalUrl: url } = req;
    res.once('close', () => {
      const statusCode = res.statusCode;
      const line = {
        reqId: id,
        req: { method, url },
        res: { statusCode },
        userId: (req as { user?: { id: string } }).user?.id,
        responseTime: Math.round(performance.now() - started),
      };
      if (!res.writableFinished) logger.warn(line, 'request aborted');
      else if (statusCode >= 500) logger.error(line, 'request errored');
      else if (statusCode >= 400) logger.warn(line, 'request completed');
      else logger.info(line, 'request completed');
    });
    next();
  };
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
