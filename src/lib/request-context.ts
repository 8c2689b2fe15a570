import { AsyncLocalStorage } from 'node:async_hooks';
import crypto from 'node:crypto';
import { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger } from './logger.ts';
import { AppError } from './errors.ts';
import { parseTraceparent } from './traceparent.ts';

declare module 'http' {
  interface IncomingMessage {
    /** The request id: X-Request-Id when the caller sent a sane one, else a new UUID. */
    id: string;
    /** A logger whose lines carry the request id (made on first use). */
    log: Logger;
    /** The W3C trace id of a valid incoming `traceparent`, else undefined. */
    traceId?: string;
  }
}

/**
 * Who started the work running now: a request (its id, and the trace it belongs to when
 * the caller sent one), or a job started by one (then also the job's id). Jobs added and
 * mails sent inside it carry these ids, so one reqId finds the request, its jobs and their mails.
 */
export interface WorkScope {
  reqId?: string;
  traceId?: string;
  jobId?: string;
}

const scopes = new AsyncLocalStorage<WorkScope>();

/** The scope of the request or job running now, if any. */
export function currentScope(): WorkScope | undefined {
  return scopes.getStore();
}

/** Runs `fn` (a job) inside `scope`. */
export function runInScope<T>(scope: WorkScope, fn: () => T): T {
  return scopes.run(scope, fn);
}

/** Called once per finished request, for metrics: the status and the time it took. */
export type RequestObserver = (req: IncomingMessage, statusCode: number, ms: number) => void;

export class TimeoutError extends AppError {
  readonly status = 503;
  readonly code = 'timeout';
}

const INCOMING_ID = /^[A-Za-z0-9-]{8,64}$/;
// Probes, scrapes and static files would drown the lines that matter (they are counted in /metrics).
const NOT_LOGGED = /^\/(healthz|readyz|metrics(\?|$)|css\/|js\/|img\/|vendor\/)/;

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
    return (this[CHILD_LOGGER] ??= base.child(this.traceId ? { reqId: this.id, traceId: this.traceId } : { reqId: this.id }));
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
export function requestLogger(logger: Logger, observe?: RequestObserver): RequestHandler {
  return (req, res, next) => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && INCOMING_ID.test(incoming) ? incoming : crypto.randomUUID();
    req.id = id;
    res.setHeader('X-Request-Id', id);
    (req as LoggedRequest)[BASE_LOGGER] = logger;
    // No traceparent in the response: we make no spans, so a span id of ours would be the
    // parent of nothing a tracing backend knows; X-Request-Id already ties the two ends.
    const traceId = req.headers.traceparent === undefined ? undefined : parseTraceparent(req.headers.traceparent)?.traceId;
    if (traceId) req.traceId = traceId;
    const scope: WorkScope = traceId ? { reqId: id, traceId } : { reqId: id };
    const logged = logger.isLevelEnabled('info') && !NOT_LOGGED.test(req.url);
    if (logged || observe) {
      const started = performance.now();
      const { method, originalUrl: url } = req;
      // One listener for the metrics and the line: probes and static files are counted, not logged.
      res.once('close', () => {
        const statusCode = res.statusCode;
        const ms = performance.now() - started;
        observe?.(req, statusCode, ms);
        if (!logged) return;
        const line = {
          reqId: id,
          ...(traceId ? { traceId } : {}),
          req: { method, url },
          res: { statusCode },
          userId: (req as { user?: { id: string } }).user?.id,
          responseTime: Math.round(ms),
        };
        if (!res.writableFinished) logger.warn(line, 'request aborted');
        else if (statusCode >= 500) logger.error(line, 'request errored');
        else if (statusCode >= 400) logger.warn(line, 'request completed');
        else logger.info(line, 'request completed');
      });
    }
    // Everything after this middleware, and every promise it starts, sees the scope.
    scopes.run(scope, next);
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
